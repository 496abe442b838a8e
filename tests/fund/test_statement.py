"""The fund's statement for a period: the opening balance, each line with its decision's number and
the running balance, the closing balance and the totals by kind, checked against sums done by hand;
the same figures in the xlsx (numbers as numbers) and on the page, in a fixed number of queries."""

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from approvals.models import Award
from fund import selectors, services
from fund.models import Fund
from org.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def at(day):
    return time_machine.travel(dt.datetime(2026, day[0], day[1], 9, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def ledger(world, leader, clerk, decided):
    """Budget 100.000.000 (2/1), addition 20.000.000 (15/1), the decision's charge 2.830.000 and a
    correction −500.000 (5/2), a payment of 710.000 (20/2), another addition 7.000.000 (3/3)."""
    with at((1, 2)):
        fund = services.fund_open(actor=leader, unit=world.commune, year=2026, budget=100_000_000)
    with at((1, 15)):
        services.fund_addition_record(actor=leader, fund=fund, amount=20_000_000, note="Bổ sung đợt 1")
    with at((2, 5)):
        services.decision_charge(actor=clerk, decision=decided, amount=services.decision_cash(decided))
        services.fund_correction_record(
            actor=leader, fund=fund, amount=500_000, increases=False, reason="Ghi thừa khoản bổ sung"
        )
    with at((2, 20)):
        lan = Award.objects.get(nominee=decided.nominees[0])
        services.fund_payment_record(
            actor=clerk, award=lan, amount=710_000, paid_on=dt.date(2026, 2, 20), voucher="PC-007"
        )
    with at((3, 3)):
        services.fund_addition_record(actor=world.chair, fund=fund, amount=7_000_000, note="Bổ sung đợt 2")
    return Fund.objects.select_related("unit").get(pk=fund.pk)


def test_the_statement_of_a_period_matches_the_sums_by_hand(ledger, decided):
    view = selectors.statement(ledger, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    assert view["opening"] == 100_000_000 + 20_000_000
    assert [(line.kind, line.amount) for line in view["lines"]] == [
        ("charge", 2_830_000),
        ("correction", 500_000),
        ("payment", 710_000),
    ]
    assert [line.running for line in view["lines"]] == [117_170_000, 116_670_000, 116_670_000]
    assert view["lines"][0].decision.symbol == decided.symbol
    assert view["closing"] == 120_000_000 - 2_830_000 - 500_000
    totals = view["totals"]
    assert (totals["budget"], totals["addition"], totals["charge"], totals["payment"]) == (
        0,
        0,
        2_830_000,
        710_000,
    )
    assert (totals["correction_out"], totals["correction_in"], totals["return"]) == (500_000, 0, 0)
    whole = selectors.statement(ledger)
    assert (whole["opening"], whole["closing"]) == (
        0,
        100_000_000 + 20_000_000 - 2_830_000 - 500_000 + 7_000_000,
    )
    assert whole["totals"]["addition"] == 27_000_000
    assert whole["totals"]["unpaid"] == 2_830_000 - 710_000


def test_the_xlsx_carries_the_same_figures_as_numbers(client, ledger, leader):
    client.force_login(User.objects.get(pk=leader.pk))
    response = client.get(
        reverse("fund-statement-xlsx", args=[ledger.pk]) + "?start=2026-02-01&end=2026-02-28"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    opening = next(r for r in rows if r[0] == "Số dư đầu kỳ")
    closing = next(r for r in rows if r[0] == "Số dư cuối kỳ")
    assert opening[7] == 120_000_000 and closing[7] == 116_670_000
    charge = next(r for r in rows if r[1] == "Chi theo quyết định")
    assert charge[2] == "01/QĐ-UBND" and charge[5] == 2_830_000 and isinstance(charge[5], int)
    assert charge[7] == 117_170_000


def test_the_xlsx_gives_a_payment_its_amount_in_its_own_column(client, ledger, leader):
    """A payment is paid out of what was charged (the page shows it in brackets): its amount is in
    the "Chi trả" column, neither Thu nor Chi, and the balance stays."""
    client.force_login(User.objects.get(pk=leader.pk))
    response = client.get(
        reverse("fund-statement-xlsx", args=[ledger.pk]) + "?start=2026-02-01&end=2026-02-28"
    )
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    header = next(r for r in rows if r[0] == "Ngày")
    assert header[4:8] == ["Thu (+)", "Chi (−)", "Chi trả (đã trích)", "Số dư"]
    payment = next(r for r in rows if r[1] == "Chi trả cho người được khen thưởng")
    assert payment[4] is None and payment[5] is None
    assert payment[6] == 710_000 and isinstance(payment[6], int)
    assert payment[7] == 116_670_000


def test_the_statement_page_shows_the_totals_in_the_same_queries_for_few_or_many_lines(
    client, ledger, leader, django_assert_num_queries
):
    client.force_login(User.objects.get(pk=leader.pk))
    url = reverse("fund-detail", args=[ledger.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "123.670.000" in page or "123,670,000" in page
    for i in range(15):
        services.fund_addition_record(actor=leader, fund=ledger, amount=1_000 + i, note=f"Bổ sung {i}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_fund_is_a_404_to_those_outside_it(client, ledger, world):
    for outsider in (
        world.head_a,
        world.member,
        f.user_with_role("inspector", world.province, username="insp_city"),
    ):
        client.force_login(User.objects.get(pk=outsider.pk))
        status = client.get(reverse("fund-detail", args=[ledger.pk])).status_code
        if outsider.username == "insp_city":
            assert status == 200  # an inspector over the city reads the funds under it
        else:
            assert status == 404


def test_a_reversed_period_is_refused_with_its_reason_and_the_year_is_kept(client, ledger, leader):
    """A start after the end holds no day: its zero totals would read as an empty fund. The page says
    why and shows the whole year; the API refuses it."""
    from rest_framework.test import APIClient

    client.force_login(User.objects.get(pk=leader.pk))
    query = "?start=2026-12-31&end=2026-01-01"
    page = client.get(reverse("fund-detail", args=[ledger.pk]) + query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ngày bắt đầu 31/12/2026 sau ngày kết thúc 01/01/2026" in text
    assert (page.context["start"], page.context["end"]) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert page.context["closing"] == 123_670_000
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=leader.pk))
    response = api.get(reverse("fund-api-statement", args=[ledger.pk]) + query)
    assert response.status_code == 400, response.content
    assert "31/12/2026" in str(response.json())
