"""Two records clerks issuing the same decision at once, and two charges of one decision at once,
on PostgreSQL: the decision is charged once."""

import pytest
from django.apps import apps as django_apps

from documents import services as documents
from dossiers.reference_data import seed_reference_data
from fund import services
from fund.models import EntryKind, FundEntry
from org.models import Role
from tests import factories as f
from tests.workflows.test_concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    seed_reference_data(django_apps)


def test_two_clerks_issuing_at_once_charge_the_decision_once(world, leader, clerk, to_issue):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=150_000_000)
    other = f.user_with_role(Role.RECORDS_CLERK, world.commune, username="clerk2")
    results = at_once(
        [lambda who=who: documents.document_issue(actor=who, document=to_issue).pk for who in (clerk, other)]
    )
    assert sorted(r[0] for r in results) == ["done", "refused"], results
    assert FundEntry.objects.filter(kind=EntryKind.CHARGE).count() == 1
    assert FundEntry.objects.filter(fund__unit=world.commune).totals()["balance"] == 150_000_000 - 2_830_000


def test_charging_one_decision_many_times_at_once_charges_once(world, clerk, decided):
    results = at_once(
        [lambda: services.decision_charge(actor=clerk, decision=decided, amount=36_000_000).pk] * 4
    )
    assert {r[0] for r in results} == {"done"}, results
    assert len({r[1] for r in results}) == 1
    assert FundEntry.objects.filter(kind=EntryKind.CHARGE).count() == 1
