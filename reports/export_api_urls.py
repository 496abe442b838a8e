"""/api/exports/… (reports.export_api)."""

from django.urls import path

from . import export_api

app_name = "exports_api"

urlpatterns = [
    path("exports/<slug:name>/", export_api.ExportApi.as_view(), name="export-list"),
    path("export-jobs/<int:pk>/", export_api.ExportJobApi.as_view(), name="export-job"),
    path(
        "export-jobs/<int:pk>/download/",
        export_api.ExportJobDownloadApi.as_view(),
        name="export-job-download",
    ),
]
