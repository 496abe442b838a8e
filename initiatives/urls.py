"""Routes of the initiative pages (included by config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative-list"),
    path("initiatives/new/", views.RegisterView.as_view(), name="initiative-register"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative-detail"),
    path("initiatives/<int:pk>/files/", views.FileAddView.as_view(), name="initiative-file-add"),
    path("initiatives/<int:pk>/files/<int:file_id>/", views.initiative_file, name="initiative-file"),
    path("initiatives/<int:pk>/submit/", views.SubmitView.as_view(), name="initiative-submit"),
    path("initiatives/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="initiative-withdraw"),
    path("initiatives/<int:pk>/recognise/", views.RecogniseView.as_view(), name="initiative-recognise"),
    path("initiatives/meetings/", views.meeting_list, name="initiative-meeting-list"),
    path("initiatives/meetings/new/", views.ScheduleView.as_view(), name="initiative-meeting-create"),
    path("initiatives/meetings/<int:pk>/", views.meeting_detail, name="initiative-meeting-detail"),
    path("initiatives/meetings/<int:pk>/open/", views.OpenView.as_view(), name="initiative-meeting-open"),
    path("initiatives/meetings/<int:pk>/vote/", views.VoteView.as_view(), name="initiative-meeting-vote"),
    path("initiatives/meetings/<int:pk>/close/", views.CloseView.as_view(), name="initiative-meeting-close"),
    path("initiatives/recognitions/<int:pk>/", views.recognition_detail, name="initiative-recognition"),
]
