"""/api/reports/: the same figures as the pages, as JSON, for the same readers (a unit outside
the reader's scopes is a 404), and the list behind a figure."""

from django.core.paginator import Paginator
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import statistics_selectors as selectors
from .statistics import FORMS
from .statistics_permissions import can_read_reports

PERIOD = OpenApiParameter(
    "period",
    str,
    description="2025, 2025-03, 2025-Q1, 2025-H1, 2021-2025 or 2025-01-01..2025-06-30 (default: this year)",
)
UNIT = OpenApiParameter(
    "unit", int, description="The unit reported on, with everything under it (default: yours)"
)
ERROR = inline_serializer("ReportError", {"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(ERROR, description="No such form, or a unit not visible to you.")


class FormOutput(serializers.Serializer):
    slug = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()


class ColumnOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    number = serializers.CharField()
    group = serializers.CharField()


class RowOutput(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    measure = serializers.CharField()
    heading = serializers.BooleanField()
    values = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class TableOutput(serializers.Serializer):
    form = FormOutput()
    period = inline_serializer(
        "ReportPeriod",
        {
            "key": serializers.CharField(),
            "start": serializers.DateField(),
            "end": serializers.DateField(),
            "label": serializers.CharField(),
        },
    )
    unit = inline_serializer(
        "ReportUnit", {"id": serializers.IntegerField(), "name": serializers.CharField()}
    )
    columns = ColumnOutput(many=True)
    rows = RowOutput(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ListingOutput(serializers.Serializer):
    source = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    headings = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))


class FigureOutput(serializers.Serializer):
    row = serializers.CharField()
    column = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)
    page = serializers.IntegerField()
    lists = ListingOutput(many=True)


def _table(request, slug):
    if not can_read_reports(request.user):
        raise NotFound
    today = timezone.localdate()
    selectors.access_form(slug)
    try:
        period = selectors.period_from(request.query_params.get("period", ""), today)
    except ValueError as error:
        raise ValidationError({"period": [str(error)]}) from None
    return selectors.report_table(
        user=request.user, slug=slug, period=period, unit_id=request.query_params.get("unit"), today=today
    )


def table_data(table) -> dict:
    return {
        "form": {"slug": table.form.slug, "code": table.form.code, "title": table.form.title},
        "period": {
            "key": table.period.key,
            "start": table.period.start,
            "end": table.period.end,
            "label": table.period.label,
        },
        "unit": {"id": table.unit.pk, "name": table.unit.name},
        "columns": [
            {"key": c.key, "label": c.label, "number": c.number, "group": c.group} for c in table.columns
        ],
        "rows": [
            {
                "key": r.key,
                "code": r.code,
                "label": r.label,
                "measure": r.measure,
                "heading": r.spec is None,
                "values": {} if r.spec is None else {c.key: table.value(r, c) for c in table.columns},
            }
            for r in table.rows
        ],
        "notes": table.notes,
    }


class ReportFormsApi(APIView):
    @extend_schema(
        operation_id="reports_list",
        summary="The statistical forms (Circular 02/2023/TT-BNV, biểu 0601–0605) and the summary of results",
        responses={200: FormOutput(many=True)},
    )
    def get(self, request):
        if not can_read_reports(request.user):
            return Response([])
        return Response([{"slug": f.slug, "code": f.code, "title": f.title} for f in FORMS.values()])


class ReportTableApi(APIView):
    @extend_schema(
        operation_id="reports_form",
        summary="A form's figures for a period and a unit with everything under it",
        parameters=[PERIOD, UNIT],
        responses={200: TableOutput, 400: OpenApiResponse(description="Not a period."), 404: NOT_FOUND},
    )
    def get(self, request, slug):
        return Response(TableOutput(table_data(_table(request, slug))).data)


class ReportFigureApi(APIView):
    @extend_schema(
        operation_id="reports_figure",
        summary="The list behind one figure of a form (100 rows a page)",
        parameters=[
            PERIOD,
            UNIT,
            OpenApiParameter("row", str, required=True),
            OpenApiParameter("col", str, required=True),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: FigureOutput, 400: OpenApiResponse(description="Not a period."), 404: NOT_FOUND},
    )
    def get(self, request, slug):
        table = _table(request, slug)
        row_key, col_key = request.query_params.get("row", ""), request.query_params.get("col", "")
        listings = selectors.cell_listings(table, row_key, col_key)
        row, col = selectors.find(table, row_key, col_key)
        number = request.query_params.get("page")
        lists = []
        page_number = 1
        for listing in listings:
            page = Paginator(listing.queryset, 100).get_page(number)
            page_number = page.number
            lists.append(
                {
                    "source": listing.source,
                    "label": listing.label,
                    "count": page.paginator.count,
                    "headings": listing.headings,
                    "rows": [[str(v) for v in cells] for cells in listing.rows(page.object_list)],
                }
            )
        data = {
            "row": row.key,
            "column": col.key,
            "value": table.value(row, col),
            "page": page_number,
            "lists": lists,
        }
        return Response(FigureOutput(data).data)
