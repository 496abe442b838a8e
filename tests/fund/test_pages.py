"""The fund on the pages: the chair's confirmation and the clerk's issue page show the fund before
and after the decision and, when it overdraws a fund whose budget is set, ask for the
acknowledgement the step then records; the decision's page shows its charge; payments; the menu."""

import datetime as dt

import pytest
from django.urls import reverse

from approvals.models import Award, Decision
from audit.models import AuditEvent
from documents.models import Signature
from fund import services
from fund.models import EntryKind, FundEntry
from org.models import User
from tests.workflows.conftest import (
    awaiting_decision,
    fresh,
    new_dossier,
    people,  # noqa: F401
)
from workflows import confirm

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return client


def test_the_chair_is_warned_of_an_overdraw_and_signs_only_with_the_acknowledgement(people, client):  # noqa: F811
    w = people
    services.fund_open(actor=w.chair, unit=w.commune, year=2026, budget=100_000)
    dossier = awaiting_decision(w, new_dossier(w))
    login(client, w.chair)
    query = {
        "decision-dossiers": [dossier.pk],
        "decision-title": "Về việc tặng Giấy khen",
        "decision-capacity": "",
    }
    page = client.get(reverse("decision-prepare-confirm"), query).content.decode()
    assert 'data-testid="fund-overdraw"' in page and 'data-testid="fund-acknowledge"' in page
    token = {confirm.TOKEN_FIELD: confirm.batch_token([fresh(dossier)])}
    refused = client.post(reverse("decision-prepare-confirm"), {**query, **token})
    assert refused.status_code == 400 and Decision.objects.count() == 0
    done = client.post(reverse("decision-prepare-confirm"), {**query, **token, "acknowledge_overdraw": "on"})
    assert done.status_code == 302 and Decision.objects.count() == 1
    event = AuditEvent.objects.get(action="fund.overdraw_acknowledge")
    cash = Award.objects.get().amount
    assert event.actor == w.chair.username and event.data["shortfall"] == cash - 100_000


def test_no_budget_set_gives_a_note_and_no_acknowledgement(people, client):  # noqa: F811
    w = people
    dossier = awaiting_decision(w, new_dossier(w))
    login(client, w.chair)
    query = {
        "decision-dossiers": [dossier.pk],
        "decision-title": "Về việc tặng Giấy khen",
        "decision-capacity": "",
    }
    page = client.get(reverse("decision-prepare-confirm"), query).content.decode()
    assert 'data-testid="fund-no-budget"' in page and 'data-testid="fund-acknowledge"' not in page


def test_the_clerk_issues_an_overdrawing_decision_only_with_the_acknowledgement(
    world, leader, clerk, to_issue, client
):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=1_000_000)
    login(client, clerk)
    url = reverse("document-issue", args=[to_issue.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="fund-overdraw"' in page and 'data-testid="fund-acknowledge"' in page
    client.post(url, {"sha256": to_issue.sha256})
    assert not FundEntry.objects.filter(kind=EntryKind.CHARGE).exists()
    assert not Signature.objects.filter(agency__isnull=False).exists()
    client.post(url, {"sha256": to_issue.sha256, "acknowledge_overdraw": "on"})
    charge = FundEntry.objects.get(kind=EntryKind.CHARGE)
    assert charge.overdraw_acknowledged and charge.created_by == clerk
    # The decision's page shows the charge to the fund's people, not to a school's head.
    decision_url = reverse("decision-detail", args=[to_issue.decision_id])
    shown = client.get(decision_url).content.decode()
    assert 'data-testid="decision-fund"' in shown and "2.830.000" in shown
    login(client, world.head_a)
    assert 'data-testid="decision-fund"' not in client.get(decision_url).content.decode()


def test_payments_on_the_page_stop_at_the_unpaid_amount(world, leader, clerk, decided, client):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=150_000_000)
    services.decision_charge(actor=clerk, decision=decided, amount=services.decision_cash(decided))
    lan = Award.objects.get(nominee=decided.nominees[0])
    login(client, world.officer)
    url = reverse("fund-decision-payments", args=[decided.pk])
    form = {"award": lan.pk, "paid_on": "2026-03-10", "voucher": "PC-021"}
    too_much = client.post(url, {**form, "amount": 710_001})
    assert too_much.status_code == 400 and "710.000" in too_much.content.decode()
    assert client.post(url, {**form, "amount": 710_000}).status_code == 302
    payment = FundEntry.objects.get(kind=EntryKind.PAYMENT)
    assert (payment.amount, payment.paid_on, payment.voucher) == (710_000, dt.date(2026, 3, 10), "PC-021")
    login(client, world.head_a)
    assert client.get(url).status_code == 404


def test_the_menu_offers_the_fund_to_its_people_only(world, leader, client):
    for user, shown in ((leader, True), (world.inspector, True), (world.chair, True), (world.head_a, False)):
        login(client, user)
        page = client.get(reverse("home")).content.decode()
        assert ('data-testid="nav-fund"' in page) is shown, user.username
    login(client, world.head_a)
    assert client.get(reverse("fund-list")).status_code == 404
    login(client, leader)
    assert (
        client.post(
            reverse("fund-open"), {"unit": world.commune.pk, "year": 2026, "budget": 150_000_000}
        ).status_code
        == 302
    )
    assert "Quỹ thi đua, khen thưởng" in client.get(reverse("fund-list")).content.decode()
