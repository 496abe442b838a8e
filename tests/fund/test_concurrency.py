"""Two records clerks issuing the same decision at once, and two charges of one decision at once,
on PostgreSQL: the decision is charged once."""

import threading
import time

import pytest
from django.apps import apps as django_apps

from documents import services as documents
from dossiers.reference_data import seed_reference_data
from fund import services
from fund.models import EntryKind, FundEntry
from org.models import Role
from tests import factories as f
from tests.workflows.conftest import people  # noqa: F401  (everyone of the workflow tests)
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


def test_a_signature_waiting_for_the_fund_does_not_hold_the_audit_chain(people):  # noqa: F811
    """The signature locks the fund before the audit chain, as the records office's charge does
    (fund then chain): were it the other way round, a signature and a charge of the same body at
    once would each hold the lock the other waits for."""
    from django.db import connection, transaction

    from audit.services import CHAIN_LOCK_KEY
    from fund.models import Fund
    from tests.workflows.conftest import awaiting_decision, new_dossier
    from workflows import services as wf

    w = people
    dossier = awaiting_decision(w, new_dossier(w))
    fund = services.fund_open(actor=w.chair, unit=w.commune, year=2026, budget=150_000_000)
    held, release = threading.Event(), threading.Event()

    def hold_the_fund():  # the records office's charge, between its lock of the fund and its event
        try:
            with transaction.atomic():
                Fund.objects.select_for_update().get(pk=fund.pk)
                held.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    signed = []

    def sign():
        try:
            signed.append(wf.decision_issue(actor=w.chair, dossiers=[dossier], title="Tặng Giấy khen"))
        finally:
            connection.close()

    holder, signer = threading.Thread(target=hold_the_fund), threading.Thread(target=sign)
    holder.start()
    assert held.wait(timeout=60)
    signer.start()
    try:
        with connection.cursor() as cursor:
            for _ in range(600):  # until the signature waits for the fund's lock
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the signature never waited for the fund")
            with transaction.atomic():
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
                chain_free = cursor.fetchone()[0]
    finally:
        release.set()
        holder.join(timeout=60)
        signer.join(timeout=60)

    assert chain_free, "the signature held the audit chain while it waited for the fund"
    assert len(signed) == 1 and signed[0].dossiers.get() == dossier
