"""/api/exports/…: the lists of the pages as xlsx, with the same filters and scope; a long one
answers 202 with its job, whose state and file are read at /api/export-jobs/<id>/."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.files import XLSX, file_response

from . import list_exports
from .export_views import xlsx_response
from .models import ExportJob, ExportState

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to you.")


class ExportJobOutput(serializers.ModelSerializer):
    list = serializers.CharField(source="list_name")
    # A plain text (its values in the help): a choice field named "state" would collide in the
    # schema with the dossier's.
    state = serializers.CharField(help_text="pending, running, done or failed")
    percent = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "list",
            "params",
            "state",
            "total",
            "done",
            "percent",
            "error",
            "created_at",
            "finished_at",
            "expired_at",
            "download_url",
        ]

    def get_download_url(self, job) -> str | None:
        if job.state != ExportState.DONE or not job.file:
            return None
        return reverse("exports_api:export-job-download", args=[job.pk])


FILTERS = [
    OpenApiParameter(key, str, description=description)
    for key, description in [
        ("q", "Search text (dossiers, nominees, awards, recorded awards)."),
        ("state", "A dossier state (dossiers, nominees)."),
        ("campaign", "A campaign id (dossiers, nominees)."),
        ("dossier", "One dossier's nominees (nominees)."),
        ("decision", "The decision whose annex (decision-annex)."),
        ("year", "A year (awards, award-records)."),
        ("include_void", "Voided recorded awards too (award-records)."),
    ]
]


class ExportApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="exports_retrieve",
        summary="A list as xlsx, with the filters of its page; a long one becomes a background job",
        parameters=FILTERS,
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook."),
            202: ExportJobOutput,
            404: NOT_FOUND,
        },
    )
    def get(self, request, name):
        result = list_exports.export_start(
            user=request.user, name=name, params=list_exports.clean_params(request.query_params)
        )
        if isinstance(result, tuple):
            return xlsx_response(*result)
        return Response(ExportJobOutput(result).data, status=202)


class ExportJobApi(APIView):
    @extend_schema(
        operation_id="export_jobs_retrieve",
        summary="A background export of yours: its state and progress",
        responses={200: ExportJobOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(ExportJobOutput(list_exports.access_job(user=request.user, pk=pk)).data)


class ExportJobDownloadApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="export_jobs_download",
        summary="The file of a finished background export of yours",
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook."),
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk):
        job = list_exports.access_job(user=request.user, pk=pk)
        if job.state != ExportState.DONE or not job.file:
            from django.http import Http404

            raise Http404
        return file_response(job.file.open("rb"), filename=job.download_name, content_type=XLSX)
