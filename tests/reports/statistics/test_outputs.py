"""The forms as a page, xlsx, PDF and JSON; who may read which unit; queries that do not grow
with the number of dossiers."""

import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from .conftest import add_bulk

pytestmark = pytest.mark.django_db


def page(client, user, name, slug, **params):
    client.force_login(user)
    return client.get(reverse(name, args=[slug]), params)


def test_the_page_shows_the_form_with_each_figure_linked_to_its_list(client, stats):
    w = stats.w
    response = page(client, w.officer, "report-form", "0603", period="2025", unit=w.commune.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "0603.N/BNV-TĐKT" in html and "Năm 2025" in html and w.commune.name in html
    assert 'data-testid="figure-01-total">3</a>' in html
    link = (
        reverse("report-cell", args=["0603"])
        + f"?period=2025&amp;unit={w.commune.pk}&amp;row=02&amp;col=co_tinh"
    )
    assert link in html
    listing = client.get(
        reverse("report-cell", args=["0603"]),
        {"period": "2025", "unit": w.commune.pk, "row": "02", "col": "co_tinh"},
    )
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Trường Mầm non Hoa Sữa" in body
    assert 'data-testid="listing-count-records">1<' in body


def test_a_wrong_period_is_refused_with_the_forms_it_may_take(client, stats):
    response = page(client, stats.w.officer, "report-form", "tong-hop", period="2025-Q7")
    assert response.status_code == 400
    assert "2025-Q1" in response.content.decode()


def test_the_workbook_has_the_ministrys_merged_header_and_numbers_as_numbers(client, stats):
    w = stats.w
    response = page(client, w.chair, "report-xlsx", "0603", period="2025", unit=w.commune.pk)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "Biểu số: 0603.N/BNV-TĐKT" in flat and "Thời điểm báo cáo: Năm 2025" in flat
    merged = {str(m) for m in sheet.merged_cells.ranges}
    # "Chia ra" spans the four classes over their own headings (columns E to H); "Tổng số" spans
    # both header rows.
    chia_ra = next((r, c) for r, row in enumerate(values, 1) for c, v in enumerate(row, 1) if v == "Chia ra")
    assert f"E{chia_ra[0]}:H{chia_ra[0]}" in merged
    assert f"D{chia_ra[0]}:D{chia_ra[0] + 1}" in merged
    total = next(row for row in values if row[0] == "Tổng số")
    assert total[1:8] == ["01", None, 3, 1, 1, 1, 0]
    assert all(isinstance(v, int) for v in total[3:8])
    collective = next(row for row in values if row[0] == "- Tập thể")
    assert collective[3:8] == [1, 0, 0, 1, 0]


def test_the_pdf_prints_the_form_and_its_figures(client, stats, tmp_path):
    w = stats.w
    response = page(client, w.officer, "report-pdf", "tong-hop", period="2025", unit=w.commune.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "TỔNG HỢP KẾT QUẢ THI ĐUA, KHEN THƯỞNG" in text
    assert "Thời điểm báo cáo: Năm 2025" in text
    assert f"Đơn vị báo cáo: {w.commune.name}" in text
    total_line = next(line for line in text.splitlines() if line.strip().startswith("Tổng số"))
    assert total_line.split()[-7:] == ["1", "1", "0", "7", "6", "2", "1"]
    # Seven columns: the unit's name may wrap within its cell.
    assert "Trường THCS Ngọc" in text and "Lâm" in text


def test_the_api_returns_the_same_figures(stats):
    w = stats.w
    api = APIClient()
    api.force_authenticate(w.officer)
    response = api.get("/api/reports/tong-hop/", {"period": "2025", "unit": w.commune.pk})
    assert response.status_code == 200
    data = response.json()
    total = next(r for r in data["rows"] if r["key"] == "total")
    assert total["values"] == {
        "initiatives": 1,
        "initiatives_awarded": 1,
        "initiatives_recognised": 0,
        "nominees": 7,
        "awards": 6,
        "recorded": 2,
        "decisions": 1,
    }
    assert data["period"] == {"key": "2025", "start": "2025-01-01", "end": "2025-12-31", "label": "Năm 2025"}
    figure = api.get(
        "/api/reports/tong-hop/figure/",
        {"period": "2025", "unit": w.commune.pk, "row": "total", "col": "recorded"},
    ).json()
    assert figure["value"] == 2
    assert sorted(r[0] for r in figure["lists"][0]["rows"]) == ["Trường Mầm non Hoa Sữa", "Trần Văn Bình"]
    assert api.get("/api/reports/tong-hop/", {"period": "nope"}).status_code == 400
    assert api.get("/api/reports/0699/").status_code == 404
    assert [f["slug"] for f in api.get("/api/reports/").json()] == [
        "0601",
        "0602",
        "0603",
        "0604",
        "0605",
        "tong-hop",
    ]


def test_a_unit_sees_its_own_subtree_and_nothing_else(client, stats):
    w = stats.w
    # The head of school A: its own unit by default; school B and the commune are 404.
    response = page(client, w.head_a, "report-form", "tong-hop", period="2025")
    assert response.status_code == 200
    assert response.context["table"].unit == w.school_a
    for unit in (w.school_b, w.commune):
        assert (
            page(client, w.head_a, "report-form", "tong-hop", period="2025", unit=unit.pk).status_code == 404
        )
        assert (
            page(client, w.head_a, "report-xlsx", "tong-hop", period="2025", unit=unit.pk).status_code == 404
        )
        assert (
            client.get(
                reverse("report-cell", args=["tong-hop"]),
                {"period": "2025", "unit": unit.pk, "row": "total", "col": "awards"},
            ).status_code
            == 404
        )
    api = APIClient()
    api.force_authenticate(w.head_a)
    assert api.get("/api/reports/tong-hop/", {"unit": w.school_b.pk}).status_code == 404
    # The commune's chair and inspector read the commune; a council member reads no report.
    assert page(client, w.chair, "report-form", "0603", unit=w.commune.pk).status_code == 200
    assert page(client, w.inspector, "report-form", "0603", unit=w.school_b.pk).status_code == 200
    client.force_login(w.member)
    assert client.get(reverse("report-index")).status_code == 404
    assert client.get(reverse("report-form", args=["0603"])).status_code == 404


def test_the_head_of_school_a_counts_the_merged_school_too(stats):
    w = stats.w
    api = APIClient()
    api.force_authenticate(w.head_a)
    data = api.get("/api/reports/tong-hop/", {"period": "2025"}).json()
    total = next(r for r in data["rows"] if r["key"] == "total")
    assert total["values"]["nominees"] == 6 and total["values"]["recorded"] == 2


def queries_for(slug, user, unit):
    from django.utils import timezone

    from reports.periods import parse_period
    from reports.statistics_selectors import report_table

    user = type(user).objects.get(pk=user.pk)  # scopes loaded afresh
    with CaptureQueriesContext(connection) as captured:
        report_table(
            user=user,
            slug=slug,
            period=parse_period("2025", timezone.localdate()),
            unit_id=unit.pk,
            today=timezone.localdate(),
        )
    return len(captured)


@pytest.mark.parametrize("slug", ["0601", "0602", "0603", "0604", "0605", "tong-hop"])
def test_a_forms_queries_do_not_grow_with_the_dossiers(stats, slug):
    w = stats.w
    small = queries_for(slug, w.officer, w.commune)
    add_bulk(w, 40)
    add_bulk(w, 25, unit=w.school_a)
    assert queries_for(slug, w.officer, w.commune) == small
    # The reader's scopes (2), the unit (1), the units rolled up with the merged school (3), then
    # one grouped count per source the form sums, the catalogue's classes of award for the forms
    # counting awards (1), and the summary's rows of units (4).
    expected = {"0601": 7, "0602": 9, "0603": 9, "0604": 7, "0605": 7, "tong-hop": 15}[slug]
    assert small == expected
