from django.urls import path

from . import views

urlpatterns = [
    path("honours/", views.proposal_list, name="honours-list"),
    path("honours/new/", views.ProposalCreateView.as_view(), name="honours-create"),
    path("honours/<int:pk>/", views.proposal_detail, name="honours-detail"),
    path("honours/<int:pk>/nominees/", views.NomineeAddView.as_view(), name="honours-nominee-add"),
    path(
        "honours/<int:pk>/nominees/<int:entry>/remove/",
        views.NomineeRemoveView.as_view(),
        name="honours-nominee-remove",
    ),
    path("honours/<int:pk>/submit/", views.SubmitView.as_view(), name="honours-submit"),
    path("honours/<int:pk>/close/", views.CloseView.as_view(), name="honours-close"),
    path("honours/<int:pk>/nominees/<int:entry>/result/", views.ResultView.as_view(), name="honours-result"),
    path("honours/<int:pk>/document.<str:fmt>", views.proposal_document, name="honours-document"),
]
