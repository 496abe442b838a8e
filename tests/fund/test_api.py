"""The fund's API mirrors the pages: opening a fund, additions, corrections, the statement and
payments, with the same permission checks; the issue's acknowledgement; a list in fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from approvals.models import Award
from fund import services
from fund.models import EntryKind, FundEntry
from org.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def api_as(user):
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def test_the_api_opens_adds_corrects_and_states(world, leader):
    assert (
        api_as(world.officer)
        .post("/api/fund/funds/", {"unit": world.commune.pk, "year": 2026, "budget": 1}, format="json")
        .status_code
        == 403
    )
    made = api_as(leader).post(
        "/api/fund/funds/", {"unit": world.commune.pk, "year": 2026, "budget": 150_000_000}, format="json"
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert (
        api_as(leader)
        .post(f"/api/fund/funds/{pk}/additions/", {"amount": 20_000_000, "note": "Bổ sung"}, format="json")
        .status_code
        == 201
    )
    assert (
        api_as(world.chair)
        .post(
            f"/api/fund/funds/{pk}/corrections/",
            {"amount": 1, "increases": False, "reason": "x"},
            format="json",
        )
        .status_code
        == 403
    )
    assert (
        api_as(leader)
        .post(
            f"/api/fund/funds/{pk}/corrections/",
            {"amount": 2_000_000, "increases": False, "reason": "Ghi trùng"},
            format="json",
        )
        .status_code
        == 201
    )
    assert (
        api_as(leader)
        .post(f"/api/fund/funds/{pk}/additions/", {"amount": 1.5, "note": "Số lẻ"}, format="json")
        .status_code
        == 400
    )
    statement = api_as(world.inspector).get(f"/api/fund/funds/{pk}/").json()
    assert statement["closing"] == 168_000_000
    assert [line["kind"] for line in statement["lines"]] == ["budget", "addition", "correction"]
    assert [line["running"] for line in statement["lines"]] == [150_000_000, 170_000_000, 168_000_000]
    assert api_as(world.head_a).get(f"/api/fund/funds/{pk}/").status_code == 404


def test_the_api_records_a_payment_within_the_unpaid_amount(world, leader, clerk, decided):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=150_000_000)
    services.decision_charge(actor=clerk, decision=decided, amount=services.decision_cash(decided))
    lan = Award.objects.get(nominee=decided.nominees[0])
    url = f"/api/fund/decisions/{decided.pk}/payments/"
    body = {"award": lan.pk, "paid_on": "2026-03-10", "voucher": "PC-1"}
    over = api_as(clerk).post(url, {**body, "amount": 800_000}, format="json")
    assert over.status_code == 400 and "còn phải trả 710.000 đ" in str(over.json())
    assert api_as(clerk).post(url, {**body, "amount": 710_000}, format="json").status_code == 201
    assert api_as(world.head_a).post(url, {**body, "amount": 1}, format="json").status_code == 404
    assert FundEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


def test_the_issue_api_takes_the_acknowledgement(world, leader, clerk, to_issue):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=1_000_000)
    url = f"/api/documents/{to_issue.pk}/issue/"
    refused = api_as(clerk).post(url, {}, format="json")
    assert refused.status_code == 400 and "acknowledge_overdraw" in str(refused.json())
    assert api_as(clerk).post(url, {"acknowledge_overdraw": True}, format="json").status_code == 200
    assert FundEntry.objects.get(kind=EntryKind.CHARGE).overdraw_acknowledged


def test_the_fund_list_costs_the_same_queries_for_2_and_20_funds(world, leader, django_assert_num_queries):
    inspector = f.user_with_role("inspector", world.province, username="insp_city")
    for year in (2024, 2025):
        services.fund_open(actor=leader, unit=world.commune, year=year, budget=1_000)
    api = api_as(inspector)
    api.get("/api/fund/funds/")
    with CaptureQueriesContext(connection) as two:
        assert len(api.get("/api/fund/funds/").json()) == 2
    for year in range(2000, 2018):
        services.fund_open(actor=leader, unit=world.commune, year=year, budget=1_000)
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(api.get("/api/fund/funds/").json()) == 20
