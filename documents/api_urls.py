"""/api/…: documents of dossiers and decisions, signing, certificates, verification."""

from django.urls import path

from . import api

app_name = "documents_api"

urlpatterns = [
    path("dossiers/<int:pk>/documents/", api.DossierDocumentsApi.as_view(), name="dossier-documents"),
    path("decisions/<int:pk>/documents/", api.DecisionDocumentsApi.as_view(), name="decision-documents"),
    path("decisions/<int:pk>/publish/", api.DecisionPublishApi.as_view(), name="decision-publish"),
    path("decisions/<int:pk>/unpublish/", api.DecisionUnpublishApi.as_view(), name="decision-unpublish"),
    path("decisions/<int:pk>/certificates/", api.CertificateBatchStartApi.as_view(), name="batch-start"),
    path("awards/<int:pk>/certificate/", api.AwardCertificateApi.as_view(), name="award-certificate"),
    path("certificate-batches/<int:pk>/", api.CertificateBatchApi.as_view(), name="batch-detail"),
    path(
        "certificate-batches/<int:pk>/download/",
        api.CertificateBatchDownloadApi.as_view(),
        name="batch-download",
    ),
    path("documents/to-issue/", api.DocumentsToIssueApi.as_view(), name="documents-to-issue"),
    path("documents/<int:pk>/issue/", api.DocumentIssueApi.as_view(), name="document-issue"),
    path("documents/<int:pk>/", api.DocumentDetailApi.as_view(), name="document-detail"),
    path("documents/<int:pk>/download/", api.DocumentDownloadApi.as_view(), name="document-download"),
    path("documents/<int:pk>/sign/", api.DocumentSignApi.as_view(), name="document-sign"),
    path("verify/", api.VerifyApi.as_view(), name="verify"),
    path("verify/<str:code>/", api.VerifyCodeApi.as_view(), name="verify-code"),
]
