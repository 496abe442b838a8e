from django.urls import path

from . import api

app_name = "honours_api"

urlpatterns = [
    path("honours/proposals/", api.ProposalListCreateApi.as_view(), name="proposal-list"),
    path("honours/proposals/<int:pk>/", api.ProposalDetailApi.as_view(), name="proposal-detail"),
    path(
        "honours/proposals/<int:pk>/candidates/", api.CandidateListApi.as_view(), name="proposal-candidates"
    ),
    path("honours/proposals/<int:pk>/nominees/", api.NomineeAddApi.as_view(), name="proposal-nominee-add"),
    path(
        "honours/proposals/<int:pk>/nominees/<int:entry>/remove/",
        api.NomineeRemoveApi.as_view(),
        name="proposal-nominee-remove",
    ),
    path(
        "honours/proposals/<int:pk>/nominees/<int:entry>/result/",
        api.ResultApi.as_view(),
        name="proposal-result",
    ),
    path("honours/proposals/<int:pk>/submit/", api.SubmitApi.as_view(), name="proposal-submit"),
    path("honours/proposals/<int:pk>/close/", api.CloseApi.as_view(), name="proposal-close"),
    path(
        "honours/proposals/<int:pk>/document.<str:fmt>", api.DocumentApi.as_view(), name="proposal-document"
    ),
]
