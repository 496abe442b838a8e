"""Routes of the web UI (the API's are in api_urls.py). Submitting and withdrawing a dossier start
and stop its process: their routes, with the same names, are in workflows/urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("dossiers/", views.dossier_list, name="dossier-list"),
    path("dossiers/new/", views.DossierCreateView.as_view(), name="dossier-create"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("dossiers/<int:pk>/edit/", views.DossierEditView.as_view(), name="dossier-edit"),
    path("dossiers/<int:pk>/nominees/", views.NomineeAddView.as_view(), name="nominee-add"),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_pk>/edit/",
        views.NomineeEditView.as_view(),
        name="nominee-edit",
    ),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_pk>/remove/",
        views.NomineeRemoveView.as_view(),
        name="nominee-remove",
    ),
    path(
        "dossiers/<int:pk>/attachments/",
        views.AttachmentAddView.as_view(),
        name="attachment-add",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]
