"""Routes of the web UI (the API's are in api_urls.py): list, drafting pages and files. The
dossier's own page and what is posted from it (nominees, files, submission, the steps) are
workflows/urls.py's: the page shows the process; so is the home page, which leads each role to
its work (meetings, tasks, decisions to sign) besides the dossiers."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import history_views, import_views, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dossiers/", views.dossier_list, name="dossier-list"),
    path("dossiers/new/", views.DossierCreateView.as_view(), name="dossier-create"),
    path("dossiers/<int:pk>/edit/", views.DossierEditView.as_view(), name="dossier-edit"),
    path(
        "dossiers/<int:pk>/nominees/import/", import_views.NomineeImportView.as_view(), name="nominee-import"
    ),
    path(
        "dossiers/<int:pk>/nominees/import/confirm/",
        import_views.NomineeImportConfirmView.as_view(),
        name="nominee-import-confirm",
    ),
    path(
        "dossiers/<int:pk>/nominees/import/template.xlsx",
        import_views.nominee_import_template,
        name="nominee-import-template",
    ),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_pk>/edit/",
        views.NomineeEditView.as_view(),
        name="nominee-edit",
    ),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_pk>/authors/",
        views.NomineeAuthorAddView.as_view(),
        name="nominee-author-add",
    ),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_pk>/authors/<int:author_pk>/remove/",
        views.NomineeAuthorRemoveView.as_view(),
        name="nominee-author-remove",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("awards/recorded/", history_views.award_record_list, name="award-record-list"),
    path("awards/recorded/new/", history_views.AwardRecordCreateView.as_view(), name="award-record-create"),
    path(
        "awards/recorded/<int:pk>/",
        history_views.AwardRecordCorrectView.as_view(),
        name="award-record-correct",
    ),
    path(
        "awards/recorded/<int:pk>/void/",
        history_views.AwardRecordVoidView.as_view(),
        name="award-record-void",
    ),
    path("nominees/<int:pk>/history/", history_views.NomineeHistoryView.as_view(), name="nominee-history"),
]
