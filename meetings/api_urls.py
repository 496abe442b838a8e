"""/api/meetings/…: the council's meetings (workflows/council_api.py)."""

from django.urls import path

from . import api

app_name = "meetings_api"

urlpatterns = [
    path("meetings/", api.MeetingListApi.as_view(), name="meeting-list"),
    path("meetings/paper/", api.PaperMeetingApi.as_view(), name="meeting-paper"),
    path("meetings/<int:pk>/", api.MeetingDetailApi.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/attendance/", api.MeetingAttendanceApi.as_view(), name="meeting-attendance"),
    path("meetings/<int:pk>/open/", api.MeetingOpenApi.as_view(), name="meeting-open"),
    path("meetings/<int:pk>/cancel/", api.MeetingCancelApi.as_view(), name="meeting-cancel"),
    path("meetings/<int:pk>/ballots/", api.BallotApi.as_view(), name="meeting-ballot"),
    path("meetings/<int:pk>/written-votes/", api.WrittenVoteApi.as_view(), name="meeting-written-vote"),
    path("meetings/<int:pk>/recusals/", api.RecusalApi.as_view(), name="meeting-recusal"),
    path("meetings/<int:pk>/close/", api.MeetingCloseApi.as_view(), name="meeting-close"),
    path("meetings/<int:pk>/live/", api.MeetingLiveApi.as_view(), name="meeting-live"),
    path("meetings/<int:pk>/runoff/", api.MeetingRunoffApi.as_view(), name="meeting-runoff"),
    path("meetings/<int:pk>/tie/", api.MeetingTieDecisionApi.as_view(), name="meeting-tie"),
    path("meetings/<int:pk>/leave/", api.MeetingLeaveApi.as_view(), name="meeting-leave"),
    path("meetings/<int:pk>/minutes/", api.MeetingMinutesApi.as_view(), name="meeting-minutes"),
    path("meetings/<int:pk>/minutes/file/", api.MeetingMinutesFileApi.as_view(), name="meeting-minutes-file"),
]
