"""The fund's ledger through its services: a decision is charged when the records office issues
it, once; a revocation returns the revoked cash; payments stop at what is unpaid; an overdraw
needs the issuer's recorded acknowledgement; the ledger refuses every change."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals import services as approvals
from approvals.models import Award
from audit.models import AuditEvent
from documents import services as documents
from documents.models import GeneratedKind as K
from fund import services
from fund.models import EntryKind, Fund, FundEntry, Payment
from org.errors import TransitionNotAllowed

from .conftest import REVOCATION_DAY

pytestmark = pytest.mark.django_db


def cash_of(decision):
    return sum(Award.objects.filter(decision=decision).values_list("amount", flat=True))


def the_fund(world):
    return Fund.objects.get(unit=world.commune, year=2026)


def test_issuing_a_decision_charges_its_awards_cash_to_the_fund(world, leader, clerk, to_issue, decided):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=150_000_000)
    documents.document_issue(actor=clerk, document=to_issue)
    # Two Giấy khen for individuals (0,3 × 2.340.000 rounded up to 710.000) and one for a
    # collective (0,6 × → 1.410.000).
    assert cash_of(decided) == 2 * 710_000 + 1_410_000
    charge = FundEntry.objects.get(kind=EntryKind.CHARGE)
    assert (charge.decision, charge.amount, charge.created_by) == (decided, 2_830_000, clerk)
    totals = FundEntry.objects.filter(fund=the_fund(world)).totals()
    assert totals["balance"] == 150_000_000 - 2_830_000
    assert (totals["paid"], totals["unpaid"]) == (0, 2_830_000)
    event = AuditEvent.objects.get(action="fund.charge")
    assert event.data["amount"] == 2_830_000 and event.data["balance"] == 147_170_000
    assert event.scope == world.commune.path


def test_a_second_issue_or_a_retry_charges_nothing_more(world, leader, clerk, to_issue, decided):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=10_000_000)
    documents.document_issue(actor=clerk, document=to_issue)
    with pytest.raises(TransitionNotAllowed):
        documents.document_issue(actor=clerk, document=to_issue)
    again = services.issue_settle(decided, actor=clerk)
    assert FundEntry.objects.filter(kind=EntryKind.CHARGE).count() == 1
    assert again.amount == 2_830_000
    assert FundEntry.objects.filter(fund=the_fund(world)).totals()["balance"] == 10_000_000 - 2_830_000


def test_an_issue_without_a_budget_opens_the_fund_with_none_and_warns_of_nothing(world, clerk, to_issue):
    documents.document_issue(actor=clerk, document=to_issue)
    fund = the_fund(world)
    assert not fund.budget_set
    assert FundEntry.objects.filter(fund=fund).totals()["balance"] == -2_830_000
    opened = AuditEvent.objects.get(action="fund.open")
    assert opened.data["automatic"] is True
    assert AuditEvent.objects.get(action="fund.charge").data["overdraw_acknowledged"] is False


def test_an_overdraw_is_refused_without_the_acknowledgement_and_recorded_with_it(
    world, leader, clerk, to_issue
):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=1_000_000)
    with pytest.raises(ValidationError) as refused:
        documents.document_issue(actor=clerk, document=to_issue)
    message = refused.value.message_dict["acknowledge_overdraw"][0]
    assert "1,830,000" in message and "2,830,000" in message
    assert not FundEntry.objects.filter(kind=EntryKind.CHARGE).exists()
    assert not AuditEvent.objects.filter(action="document.issue").exists()
    documents.document_issue(actor=clerk, document=to_issue, acknowledge_overdraw=True)
    charge = FundEntry.objects.get(kind=EntryKind.CHARGE)
    assert charge.overdraw_acknowledged and charge.shortfall == 1_830_000
    event = AuditEvent.objects.get(action="fund.charge")
    assert event.actor == "clerk"
    assert event.data["overdraw_acknowledged"] is True and event.data["shortfall"] == 1_830_000


def test_issuing_a_revocation_returns_the_revoked_cash_once(world, leader, clerk, to_issue, decided):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=150_000_000)
    documents.document_issue(actor=clerk, document=to_issue)
    lan = Award.objects.get(nominee=decided.nominees[0])
    revocation = approvals.decision_revoke(
        actor=world.chair, awards=[lan], reason="Giấy tờ giả", signed_on=REVOCATION_DAY
    )
    paper = documents.document_render(actor=world.officer, kind=K.REVOCATION, subject=revocation)
    paper = documents.document_sign(actor=world.chair, document=paper)
    documents.document_issue(actor=clerk, document=paper)
    returned = FundEntry.objects.get(kind=EntryKind.RETURN)
    assert (returned.decision, returned.amount) == (revocation, 710_000)
    services.issue_settle(revocation, actor=clerk)
    assert FundEntry.objects.filter(kind=EntryKind.RETURN).count() == 1
    totals = FundEntry.objects.filter(fund=the_fund(world)).totals()
    assert totals["balance"] == 150_000_000 - 2_830_000 + 710_000
    assert totals["unpaid"] == 2_830_000 - 710_000
    assert AuditEvent.objects.get(action="fund.return").data["amount"] == 710_000


def test_a_payment_beyond_the_unpaid_amount_is_refused_with_the_figures(
    world, leader, clerk, to_issue, decided
):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=150_000_000)
    documents.document_issue(actor=clerk, document=to_issue)
    lan = Award.objects.get(nominee=decided.nominees[0])
    day = dt.date(2026, 3, 2)
    services.fund_payment_record(
        actor=world.officer, award=lan, amount=500_000, paid_on=day, voucher="PC-015"
    )
    with pytest.raises(ValidationError) as refused:
        services.fund_payment_record(actor=clerk, award=lan, amount=210_001, paid_on=day, voucher="PC-016")
    message = refused.value.message_dict["amount"][0]
    assert "710,000" in message and "500,000" in message and "210,000" in message
    services.fund_payment_record(actor=clerk, award=lan, amount=210_000, paid_on=day, voucher="PC-016")
    payments = list(Payment.objects.filter(award=lan))
    assert [p.amount for p in payments] == [500_000, 210_000]
    assert payments[0].paid_to == "Nguyễn Thị Lan"
    totals = FundEntry.objects.filter(fund=the_fund(world)).totals()
    assert (totals["paid"], totals["unpaid"], totals["balance"]) == (710_000, 2_120_000, 147_170_000)
    assert AuditEvent.objects.filter(action="fund.payment").count() == 2


def test_a_payment_waits_for_the_issue_and_is_refused_to_others(world, to_issue, decided, clerk):
    lan = Award.objects.get(nominee=decided.nominees[0])
    with pytest.raises(TransitionNotAllowed):
        services.fund_payment_record(
            actor=world.officer, award=lan, amount=1, paid_on=dt.date(2026, 3, 2), voucher="PC-1"
        )
    documents.document_issue(actor=clerk, document=to_issue)
    for outsider in (world.chair, world.head_a, world.inspector):
        with pytest.raises(PermissionDenied):
            services.fund_payment_record(
                actor=outsider, award=lan, amount=1, paid_on=dt.date(2026, 3, 2), voucher="PC-1"
            )


def test_budget_additions_and_corrections_each_ask_their_role(world, leader):
    with pytest.raises(PermissionDenied):
        services.fund_open(actor=world.officer, unit=world.commune, year=2026, budget=1)
    fund = services.fund_open(actor=world.chair, unit=world.commune, year=2026, budget=100_000_000)
    with pytest.raises(TransitionNotAllowed):
        services.fund_open(actor=leader, unit=world.commune, year=2026, budget=5)
    services.fund_addition_record(actor=leader, fund=fund, amount=20_000_000, note="Bổ sung dự toán quý II")
    with pytest.raises(PermissionDenied):
        services.fund_correction_record(actor=world.chair, fund=fund, amount=1, increases=False, reason="x")
    with pytest.raises(ValidationError):
        services.fund_correction_record(actor=leader, fund=fund, amount=1, increases=False, reason=" ")
    services.fund_correction_record(
        actor=leader, fund=fund, amount=3_000_000, increases=False, reason="Ghi trùng khoản bổ sung"
    )
    assert FundEntry.objects.filter(fund=fund).totals()["balance"] == 117_000_000
    with pytest.raises(ValidationError):
        services.fund_addition_record(actor=leader, fund=fund, amount=1.5, note="Số lẻ")


def test_the_ledger_refuses_edits_and_deletes(world, leader):
    fund = services.fund_open(actor=leader, unit=world.commune, year=2026, budget=100_000_000)
    entry = FundEntry.objects.get(fund=fund)
    entry.amount = 1
    with pytest.raises(TransitionNotAllowed):
        entry.save()
    with pytest.raises(TransitionNotAllowed):
        entry.delete()
    with pytest.raises(TransitionNotAllowed):
        FundEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(TransitionNotAllowed):
        FundEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(TransitionNotAllowed):
        FundEntry.objects.bulk_update([entry], ["amount"])
    assert FundEntry.objects.get(pk=entry.pk).amount == 100_000_000


def test_decision_charge_charges_a_prize_total_once(world, leader, clerk, decided):
    services.fund_open(actor=leader, unit=world.commune, year=2026, budget=50_000_000)
    first = services.decision_charge(actor=clerk, decision=decided, amount=36_000_000)
    second = services.decision_charge(actor=world.chair, decision=decided, amount=36_000_000)
    assert first.pk == second.pk
    assert FundEntry.objects.filter(fund=the_fund(world)).totals()["balance"] == 14_000_000
    with pytest.raises(PermissionDenied):
        services.decision_charge(actor=world.officer, decision=decided, amount=1)
