"""/api/dossiers/<id>/nominees/import/: the same import as the page's, in one call. With
`dry_run` it answers what would be added (the page's preview); without, it adds them (all or
none: 400 lists every problem, each naming its row and column). The template is
/api/dossiers/<id>/nominees/import/template/."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from . import imports, selectors
from .api import CONFLICT, FORBIDDEN, NOT_FOUND, REFUSED
from .files import XLSX
from .import_services import import_message, nominees_import


class ImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="The filled template (.xlsx).")
    dry_run = serializers.BooleanField(
        default=False, help_text="Only check the file and say what would be added; write nothing."
    )


class ImportRowOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's number in the sheet.")
    name = serializers.CharField()
    kind = serializers.CharField()
    award_type = serializers.CharField(help_text="The award type's code.")
    nominee_id = serializers.IntegerField(
        allow_null=True, help_text="The nominee already in the dossier (the row is skipped), or null."
    )


class ImportOutput(serializers.Serializer):
    sha256 = serializers.CharField()
    file = serializers.CharField()
    dry_run = serializers.BooleanField()
    already_imported = serializers.BooleanField(help_text="This very file was imported before: nothing done.")
    added = serializers.IntegerField(help_text="Nominees added (dry run: that would be).")
    skipped = serializers.IntegerField(help_text="Rows already in the dossier.")
    skipped_initiatives = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The rows of initiatives, not imported: each is added with its authors on the dossier.",
    )
    ignored_columns = serializers.ListField(
        child=serializers.CharField(), help_text="The file's headers the import does not read."
    )
    nominee_ids = serializers.ListField(child=serializers.IntegerField())
    rows = ImportRowOutput(many=True)
    message = serializers.CharField()


def _row(item, nominee_id=None) -> dict:
    v = item.values
    return {
        "row": item.row,
        "name": v["name"],
        "kind": v["kind"],
        "award_type": v["award_type"].code,
        "nominee_id": item.existing.pk if item.existing else nominee_id,
    }


class NomineeImportApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="nominees_import",
        summary="Import nominees from the xlsx template: all rows or none",
        request={"multipart/form-data": ImportInput},
        responses={
            200: ImportOutput,
            201: ImportOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        dossier = selectors.access_dossier(user=request.user, pk=pk)
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload, dry_run = data.validated_data["file"], data.validated_data["dry_run"]
        if dry_run:
            preview = imports.import_preview(actor=request.user, dossier=dossier, uploaded_file=upload)
            if preview.problems:
                raise ValidationError(preview.problems)
            out = {
                "sha256": preview.sha256,
                "file": preview.name,
                "dry_run": True,
                "already_imported": preview.already is not None,
                "added": len(preview.to_add) if preview.already is None else 0,
                "skipped": len(preview.to_skip),
                "skipped_initiatives": [r.row for r in preview.passed_over],
                "ignored_columns": preview.ignored_columns,
                "nominee_ids": [],
                "rows": [_row(r) for r in preview.rows],
                "message": "",
            }
            return Response(ImportOutput(out).data)
        result = nominees_import(actor=request.user, dossier=dossier, uploaded_file=upload)
        out = {
            "sha256": result.sha256,
            "file": result.name,
            "dry_run": False,
            "already_imported": result.already is not None,
            "added": len(result.added),
            "skipped": len(result.skipped),
            "skipped_initiatives": [r.row for r in result.passed_over],
            "ignored_columns": result.ignored_columns,
            "nominee_ids": [n.pk for n in result.added],
            "rows": [_row(r) for r in result.skipped],
            "message": import_message(result),
        }
        code = status.HTTP_201_CREATED if result.added else status.HTTP_200_OK
        return Response(ImportOutput(out).data, status=code)


class NomineeImportTemplateApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="nominees_import_template",
        summary="The xlsx template to fill for this dossier",
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The template."),
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk):
        dossier = selectors.access_dossier(user=request.user, pk=pk)
        response = HttpResponse(imports.template_workbook(dossier), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="mau-nhap-doi-tuong-ho-so-{dossier.pk}.xlsx"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
