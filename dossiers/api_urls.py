"""/api/…: dossiers, their nominees and attachments, reference data, and tokens (DESIGN.md,
"Contracts": the API mirrors every action of the UI). Submit and withdraw start and stop a
dossier's process: workflows/api_urls.py serves them and includes these routes after its own."""

from django.urls import path

from org import api as org_api

from . import api, history_api, import_api

app_name = "api"

urlpatterns = [
    path("auth/token/", org_api.TokenApi.as_view(), name="auth-token"),
    path("dossiers/", api.DossierListCreateApi.as_view(), name="dossier-list"),
    path("dossiers/<int:pk>/", api.DossierDetailApi.as_view(), name="dossier-detail"),
    path("dossiers/<int:pk>/nominees/", api.NomineeListCreateApi.as_view(), name="nominee-list"),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_id>/",
        api.NomineeDetailApi.as_view(),
        name="nominee-detail",
    ),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_id>/authors/",
        api.NomineeAuthorCreateApi.as_view(),
        name="nominee-author-list",
    ),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_id>/authors/<int:author_id>/",
        api.NomineeAuthorDetailApi.as_view(),
        name="nominee-author-detail",
    ),
    path(
        "dossiers/<int:pk>/attachments/",
        api.AttachmentListCreateApi.as_view(),
        name="attachment-list",
    ),
    path(
        "attachments/<int:pk>/download/",
        api.AttachmentDownloadApi.as_view(),
        name="attachment-download",
    ),
    path("dossiers/<int:pk>/nominees/import/", import_api.NomineeImportApi.as_view(), name="nominee-import"),
    path(
        "dossiers/<int:pk>/nominees/import/template/",
        import_api.NomineeImportTemplateApi.as_view(),
        name="nominee-import-template",
    ),
    path("campaigns/", api.CampaignListApi.as_view(), name="campaign-list"),
    path("award-types/", api.AwardTypeListApi.as_view(), name="award-type-list"),
    path("document-kinds/", api.DocumentKindListApi.as_view(), name="document-kind-list"),
    path("legal-grounds/", history_api.LegalGroundListApi.as_view(), name="legal-ground-list"),
    path("award-records/", history_api.AwardRecordListCreateApi.as_view(), name="award-record-list"),
    path("award-records/<int:pk>/", history_api.AwardRecordDetailApi.as_view(), name="award-record-detail"),
    path("award-records/<int:pk>/void/", history_api.AwardRecordVoidApi.as_view(), name="award-record-void"),
    path("nominees/<int:pk>/history/", history_api.NomineeHistoryApi.as_view(), name="nominee-history"),
    path(
        "nominees/<int:pk>/eligibility-overrides/",
        history_api.EligibilityOverrideApi.as_view(),
        name="nominee-eligibility-override",
    ),
]
