"""Routes of the council's meeting pages (included by config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="council-meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="council-meeting-create"),
    path("meetings/paper/", views.PaperMeetingView.as_view(), name="council-meeting-paper"),
    path("meetings/<int:pk>/", views.meeting_detail, name="council-meeting-detail"),
    path("meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="council-meeting-attendance"),
    path("meetings/<int:pk>/open/", views.OpenVotingView.as_view(), name="council-meeting-open"),
    path("meetings/<int:pk>/cancel/", views.CancelView.as_view(), name="council-meeting-cancel"),
    path("meetings/<int:pk>/vote/", views.VoteView.as_view(), name="council-meeting-vote"),
    path("meetings/<int:pk>/written/", views.WrittenVoteView.as_view(), name="council-meeting-written"),
    path("meetings/<int:pk>/recusals/", views.RecusalView.as_view(), name="council-meeting-recuse"),
    path("meetings/<int:pk>/close/", views.CloseView.as_view(), name="council-meeting-close"),
    path("meetings/<int:pk>/live/", views.meeting_live, name="council-meeting-live"),
    path("meetings/<int:pk>/tie/", views.TieView.as_view(), name="council-meeting-tie"),
    path("meetings/<int:pk>/runoff/", views.RunoffView.as_view(), name="council-meeting-runoff"),
    path("meetings/<int:pk>/leave/", views.LeaveView.as_view(), name="council-meeting-leave"),
    path("meetings/<int:pk>/live/status/", views.meeting_live_status, name="council-meeting-live-status"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes_view, name="council-meeting-minutes"),
    path("meetings/<int:pk>/minutes/file/", views.meeting_minutes_file, name="council-meeting-minutes-file"),
]
