"""Routes of the documents pages (the API's are in api_urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<int:pk>/documents/", views.dossier_documents, name="dossier-documents"),
    path(
        "dossiers/<int:pk>/documents/render/", views.dossier_document_render, name="dossier-document-render"
    ),
    path("decisions/<int:pk>/documents/", views.decision_documents, name="decision-documents"),
    path(
        "decisions/<int:pk>/documents/render/",
        views.decision_document_render,
        name="decision-document-render",
    ),
    path("decisions/<int:pk>/certificates/", views.certificate_batch_start, name="certificate-batch-start"),
    path("awards/<int:pk>/certificate/", views.award_certificate_render, name="award-certificate-render"),
    path(
        "certificate-batches/<int:pk>/", views.certificate_batch_progress, name="certificate-batch-progress"
    ),
    path(
        "certificate-batches/<int:pk>/download/",
        views.certificate_batch_download,
        name="certificate-batch-download",
    ),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("documents/<int:pk>/sign/", views.document_sign, name="document-sign"),
    path("documents/<int:pk>/preview/", views.document_preview, name="document-preview"),
    path("documents/to-issue/", views.documents_to_issue, name="documents-to-issue"),
    path("documents/<int:pk>/issue/", views.document_issue, name="document-issue"),
    path("signature-image/", views.signature_image, name="signature-image"),
    path("signature-image/file/", views.signature_image_file, name="signature-image-file"),
    path("signing/ca.crl", views.signing_crl, name="signing-crl"),
    path("decisions/<int:pk>/publication/", views.decision_publication, name="decision-publication"),
    path("verify/", views.verify_upload, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify-code"),
]
