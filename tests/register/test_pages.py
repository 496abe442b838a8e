"""The records clerk's register page and the API beside it: the year's numbers (given by the
system and recorded from paper), the form to record a paper number, in Vietnamese; nobody else's
register is visible."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from org.models import EntrySource, RegisterEntry, Role
from org.register_services import register_record_outside
from tests import factories as f
from tests.register.test_register import DAY, take

pytestmark = pytest.mark.django_db


def page(unit, year=2026):
    return reverse("register-detail", args=[unit.pk, year])


def test_the_clerk_sees_the_years_numbers_and_records_a_paper_number(client, world, clerk):
    take(world.commune)
    client.force_login(clerk)
    assert client.get(reverse("register-list")).url == page(world.commune)

    answer = client.post(
        page(world.commune),
        {
            "series": "documents",
            "number": "2",
            "symbol": "CV-UBND",
            "issued_on": "2026-03-05",
            "subject": "Công văn",
        },
    )
    assert answer.status_code == 302
    entry = RegisterEntry.objects.get(number=2)
    assert (entry.source, entry.symbol, entry.recorded_by) == (EntrySource.OUTSIDE, "CV-UBND", clerk)
    assert take(world.commune) == 3

    html = client.get(page(world.commune)).content.decode()
    assert "Sổ đăng ký văn bản đi" in html and '<html lang="vi">' in html
    assert all(n in html for n in ("01/QĐ-UBND", "02/CV-UBND", "03/QĐ-UBND"))
    assert "Ban hành ngoài hệ thống" in html and "Vào sổ số của văn bản giấy" in html


def test_a_taken_number_is_refused_on_the_page_in_vietnamese(client, world, clerk):
    take(world.commune)
    client.force_login(clerk)
    answer = client.post(
        page(world.commune),
        {
            "series": "documents",
            "number": "1",
            "symbol": "CV-UBND",
            "issued_on": "2026-03-05",
            "subject": "Công văn",
        },
    )
    assert answer.status_code == 400
    assert "Số 01 đã có trong sổ: văn bản số 01/QĐ-UBND" in answer.content.decode()
    assert RegisterEntry.objects.count() == 1


def test_the_chair_reads_the_register_but_records_nothing(client, world):
    client.force_login(world.chair)
    html = client.get(page(world.commune)).content.decode()
    assert "Chưa có số nào được cấp trong năm này." in html and "record-outside" not in html
    answer = client.post(
        page(world.commune),
        {
            "series": "documents",
            "number": "1",
            "symbol": "CV-UBND",
            "issued_on": "2026-03-05",
            "subject": "x",
        },
    )
    assert answer.status_code == 403 and not RegisterEntry.objects.exists()


def test_someone_elses_register_is_not_found(client, world, clerk):
    for someone in (world.staff_a, f.user_with_role(Role.RECORDS_CLERK, world.province, username="vt_tinh")):
        client.force_login(someone)
        assert client.get(page(world.commune)).status_code == 404
        assert client.get(reverse("api-register", args=[world.commune.pk, 2026])).status_code == 404


def test_the_menu_offers_the_register_to_the_clerk_only(client, world, clerk):
    client.force_login(clerk)
    assert 'data-testid="nav-register"' in client.get(reverse("home")).content.decode()
    client.force_login(world.staff_a)
    assert 'data-testid="nav-register"' not in client.get(reverse("home")).content.decode()


def test_the_api_lists_the_year_and_records_a_paper_number(client, world, clerk):
    take(world.commune)
    client.force_login(clerk)
    assert [u["id"] for u in client.get(reverse("api-registers")).json()] == [world.commune.pk]

    url = reverse("api-register-outside", args=[world.commune.pk, 2026])
    body = {"number": 2, "symbol": "CV-UBND", "issued_on": "2026-03-05", "subject": "Công văn"}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["document_number"] == "02/CV-UBND"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "number" in again.json()

    entries = client.get(reverse("api-register", args=[world.commune.pk, 2026])).json()
    assert [(e["number"], e["source"]) for e in entries] == [(1, "engine"), (2, "outside")]
    assert AuditEvent.objects.filter(action="register.record_outside").count() == 1

    client.force_login(world.chair)
    assert client.post(url, {**body, "number": 3}, content_type="application/json").status_code == 403


def test_the_page_costs_the_same_queries_for_3_and_30_numbers(client, world, clerk):
    client.force_login(clerk)
    counts = []
    for n in (3, 30):
        for i in range(n - RegisterEntry.objects.count()):
            register_record_outside(
                actor=clerk,
                unit=world.commune,
                year=2026,
                number=RegisterEntry.objects.count() + 1,
                symbol="CV-UBND",
                issued_on=DAY,
                subject=f"Công văn {i}",
            )
        with CaptureQueriesContext(connection) as queries, translation.override("vi"):
            assert client.get(page(world.commune)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
