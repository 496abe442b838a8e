"""/api/initiatives/…: initiatives, their council's meetings and the recognition decisions."""

from django.urls import path

from . import api

app_name = "initiatives_api"

urlpatterns = [
    path("initiatives/", api.InitiativeListCreateApi.as_view(), name="initiative-list"),
    path("initiatives/<int:pk>/", api.InitiativeDetailApi.as_view(), name="initiative-detail"),
    path("initiatives/<int:pk>/submit/", api.InitiativeSubmitApi.as_view(), name="initiative-submit"),
    path("initiatives/<int:pk>/withdraw/", api.InitiativeWithdrawApi.as_view(), name="initiative-withdraw"),
    path("initiatives/<int:pk>/files/", api.InitiativeFileApi.as_view(), name="initiative-file-add"),
    path(
        "initiatives/<int:pk>/recognise/", api.InitiativeRecogniseApi.as_view(), name="initiative-recognise"
    ),
    path("initiatives/recognitions/<int:pk>/", api.RecognitionDetailApi.as_view(), name="recognition-detail"),
    path("initiatives/meetings/", api.MeetingListCreateApi.as_view(), name="meeting-list"),
    path("initiatives/meetings/<int:pk>/", api.MeetingDetailApi.as_view(), name="meeting-detail"),
    path("initiatives/meetings/<int:pk>/open/", api.MeetingOpenApi.as_view(), name="meeting-open"),
    path("initiatives/meetings/<int:pk>/ballots/", api.MeetingBallotApi.as_view(), name="meeting-ballot"),
    path("initiatives/meetings/<int:pk>/close/", api.MeetingCloseApi.as_view(), name="meeting-close"),
]
