"""The statistics pages: the list of forms, a form for a period and unit (printable), its xlsx
and PDF, and the list behind each figure. Thin: parse, call the selectors, render."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import statistics_exports as exports
from . import statistics_layout as layout
from . import statistics_selectors as selectors
from .periods import suggested_periods
from .statistics import FORMS
from .statistics_permissions import can_read_reports

LIST_PAGE_SIZE = 100


def _require_reader(request):
    if not can_read_reports(request.user):
        raise Http404


def _table(request, slug, *, figures=True):
    """(table or None, period error, query string) for the period and unit the request names."""
    today = timezone.localdate()
    selectors.access_form(slug)
    key = request.GET.get("period", "")
    try:
        period = selectors.period_from(key, today)
    except ValueError as error:
        # The unit is still checked: a unit outside the reader's scope is a 404 either way.
        selectors.access_report_unit(request.user, request.GET.get("unit"))
        return None, str(error), ""
    table = selectors.report_table(
        user=request.user,
        slug=slug,
        period=period,
        unit_id=request.GET.get("unit"),
        today=today,
        figures=figures,
    )
    return table, "", urlencode({"period": period.key, "unit": table.unit.pk})


@login_required
def report_index(request):
    _require_reader(request)
    return render(request, "reports/statistics/index.html", {"forms": FORMS.values()})


@login_required
def report_form(request, slug):
    _require_reader(request)
    table, error, query = _table(request, slug)
    today = timezone.localdate()
    context = {
        "table": table,
        "period_error": error,
        "period_key": table.period.key if table else request.GET.get("period", "")[:40],
        "suggested": suggested_periods(today),
        "units": selectors.report_units_for(request.user),
        "unit": table.unit if table else selectors.access_report_unit(request.user, request.GET.get("unit")),
        "query": query,
        "form_spec": selectors.access_form(slug),
    }
    if table:
        context.update(
            head=layout.header(table),
            numbers=layout.numbers(table),
            body=layout.body(table),
            lead=layout.lead_columns(table),
            receiving=layout.receiving_unit(table),
        )
    return render(request, "reports/statistics/form.html", context, status=400 if error else 200)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(table, ext: str) -> str:
    return f"bieu-{table.form.slug}-{table.unit.pk}-{table.period.key.replace('..', '_')}.{ext}"


@login_required
def report_xlsx(request, slug):
    _require_reader(request)
    table, error, _query = _table(request, slug)
    if table is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    return _download(exports.form_xlsx(table), exports.XLSX, _filename(table, "xlsx"))


@login_required
def report_pdf(request, slug):
    _require_reader(request)
    table, error, _query = _table(request, slug)
    if table is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    return _download(exports.form_pdf(table), "application/pdf", _filename(table, "pdf"))


def _cell(request, slug):
    _require_reader(request)
    table, _error, query = _table(request, slug)
    if table is None:
        raise Http404
    row_key, col_key = request.GET.get("row", ""), request.GET.get("col", "")
    listings = selectors.cell_listings(table, row_key, col_key)
    row, col = selectors.find(table, row_key, col_key)
    return table, query, row, col, listings


@login_required
def report_cell(request, slug):
    table, query, row, col, listings = _cell(request, slug)
    number = request.GET.get("page")
    for listing in listings:
        listing.page = Paginator(listing.queryset, LIST_PAGE_SIZE).get_page(number)
        start = listing.page.start_index()
        listing.numbered = list(enumerate(listing.rows(listing.page.object_list), start=start))
    context = {
        "table": table,
        "query": query,
        "row": row,
        "col": col,
        "figure": table.value(row, col),
        "listings": listings,
    }
    return render(request, "reports/statistics/cell.html", context)


@login_required
def report_cell_xlsx(request, slug):
    table, _query, row, col, listings = _cell(request, slug)
    title = f"{table.form.title} · {row.label} · {col.label} · {table.unit.name} · {table.period.label}"
    name = f"danh-sach-{table.form.slug}-{row.key}-{col.key}-{table.period.key.replace('..', '_')}.xlsx"
    return _download(exports.listings_xlsx(listings, title), exports.XLSX, name)
