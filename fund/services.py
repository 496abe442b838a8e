"""Every write to the award fund: each one transaction, checking role and scope, state and rule on
the server, ending with its audit event (Decree 152/2025/NĐ-CP on the fund of emulation and
commendation; Luật TĐKT 2022: the cash of a revoked award is recovered).

The records office charges a decision's cash when it issues the decision (documents.services
.document_issue calls `issue_settle`), and a revocation's issue returns the revoked cash; both once,
whatever the retries (a unique constraint on the decision and the kind)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Award, Decision, DecisionKind
from audit import services as audit
from org import limits
from org.errors import TransitionNotAllowed
from org.prepared import PreparedRead
from org.words import money

from . import permissions
from .models import EntryKind, Fund, FundEntry

VOUCHER_LENGTH = 64


def _amount(field, value, *, allow_zero=False) -> int:
    """An amount of đồng: an integer, positive (never a float, never a string with a comma)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: _("Give the amount as a whole number of đồng.")})
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be more than 0 đồng.")})
    return value


def _locked_fund(*, actor, unit, year) -> Fund:
    """The fund of `unit` for `year`, locked for this transaction; created with no budget (and
    said so on its page and in the trail) when nobody has opened it yet, so a decision's issue
    never fails for want of a budget."""
    fund, created = Fund.objects.get_or_create(unit=unit, year=year)
    fund = Fund.objects.select_for_update().select_related("unit").get(pk=fund.pk)
    if created:
        audit.record(
            actor=actor,
            action="fund.open",
            target=fund,
            data={"unit": unit.name, "year": year, "budget": 0, "automatic": True},
        )
    return fund


def balance_of(fund) -> int:
    return FundEntry.objects.filter(fund=fund).totals()["balance"]


def outlook(fund, amount: int) -> dict:
    """What a charge of `amount` would leave: the balance now and after, and the shortfall. A
    fund with no budget set warns of nothing (a note says no budget is set for its year)."""
    balance = balance_of(fund) if fund is not None else 0
    after = balance - amount
    budget_set = bool(fund and fund.budget_set)
    return {
        "fund": fund,
        "budget_set": budget_set,
        "balance": balance,
        "amount": amount,
        "after": after,
        "shortfall": max(-after, 0),
        "overdraws": budget_set and after < 0,
    }


def overdraw_message(view) -> str:
    return _(
        "The fund has %(balance)s; this decision's cash of %(amount)s would overdraw it by "
        "%(shortfall)s. Tick the acknowledgement to go on."
    ) % {
        "balance": money(view["balance"]),
        "amount": money(view["amount"]),
        "shortfall": money(view["shortfall"]),
    }


def fund_open(*, actor, unit, year, budget, note="") -> Fund:
    """Set the year's allocation of a body's fund (the standing body's leader or the chair of the
    body). Once per fund: a later change is an addition or a correction. A fund opened earlier by
    a decision's charge (no budget) takes its budget here."""
    budget = _amount("budget", budget)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give the year of the fund.")})
    limits.require_text("note", note, limits.SHORT_TEXT)
    if not permissions.can_manage(actor, unit):
        raise PermissionDenied(
            _("Only the standing body's leader or the chair of the body sets its fund's budget.")
        )
    with transaction.atomic():
        fund, _created = Fund.objects.get_or_create(unit=unit, year=year)
        fund = Fund.objects.select_for_update().select_related("unit").get(pk=fund.pk)
        if fund.budget_set:
            raise TransitionNotAllowed(
                _("The budget of this fund for %(year)s is already set: record an addition or a correction.")
                % {"year": year}
            )
        entry = FundEntry.objects.create(
            fund=fund, kind=EntryKind.BUDGET, amount=budget, note=note, created_by=actor
        )
        Fund.objects.filter(pk=fund.pk).update(budget_set=True)
        fund.budget_set = True
        audit.record(
            actor=actor,
            action="fund.open",
            target=fund,
            data={
                "unit": unit.name,
                "year": year,
                "budget": budget,
                "entry_id": entry.pk,
                "automatic": False,
                "balance": balance_of(fund),
            },
        )
    return fund


def fund_addition_record(*, actor, fund, amount, note) -> FundEntry:
    """An addition to the year's allocation (the standing body's leader or the chair)."""
    amount = _amount("amount", amount)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say where the addition comes from.")})
    limits.require_text("note", note, limits.SHORT_TEXT)
    with transaction.atomic():
        fund = Fund.objects.select_for_update().select_related("unit").get(pk=fund.pk)
        if not permissions.can_manage(actor, fund.unit):
            raise PermissionDenied(
                _("Only the standing body's leader or the chair of the body adds to its fund.")
            )
        entry = FundEntry.objects.create(
            fund=fund, kind=EntryKind.ADDITION, amount=amount, note=note, created_by=actor
        )
        audit.record(
            actor=actor,
            action="fund.addition",
            target=entry,
            data={"fund_id": fund.pk, "amount": amount, "note": note, "balance": balance_of(fund)},
        )
    return entry


def fund_correction_record(*, actor, fund, amount, increases, reason) -> FundEntry:
    """A correction of the ledger, up or down, with its reason (the standing body's leader only):
    the ledger is never edited, a mistake is put right by a new line."""
    amount = _amount("amount", amount)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    with transaction.atomic():
        fund = Fund.objects.select_for_update().select_related("unit").get(pk=fund.pk)
        if not permissions.can_correct(actor, fund.unit):
            raise PermissionDenied(_("Only the standing body's leader corrects the fund's ledger."))
        entry = FundEntry.objects.create(
            fund=fund,
            kind=EntryKind.CORRECTION,
            amount=amount,
            increases=bool(increases),
            note=reason,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="fund.correction",
            target=entry,
            data={
                "fund_id": fund.pk,
                "amount": amount,
                "increases": bool(increases),
                "reason": reason,
                "balance": balance_of(fund),
            },
        )
    return entry


def _charge(*, actor, decision, amount, acknowledge_overdraw) -> FundEntry:
    """Charge inside the caller's transaction: once per decision (a retry, or a second clerk
    after the first, gets the first charge back; two at once meet the unique constraint)."""
    existing = FundEntry.objects.filter(decision=decision, kind=EntryKind.CHARGE).first()
    if existing is not None:
        return existing
    fund = _locked_fund(actor=actor, unit=decision.issuer, year=decision.signed_on.year)
    existing = FundEntry.objects.filter(decision=decision, kind=EntryKind.CHARGE).first()
    if existing is not None:  # charged while this one waited for the fund's lock
        return existing
    view = outlook(fund, amount)
    if view["overdraws"] and not acknowledge_overdraw:
        raise ValidationError({"acknowledge_overdraw": overdraw_message(view)})
    try:
        with transaction.atomic():
            entry = FundEntry.objects.create(
                fund=fund,
                kind=EntryKind.CHARGE,
                amount=amount,
                decision=decision,
                note=decision.title[: limits.SHORT_TEXT],
                overdraw_acknowledged=view["overdraws"],
                shortfall=view["shortfall"] if view["overdraws"] else 0,
                created_by=actor,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("This decision's cash has already been charged to the fund.")) from None
    audit.record(
        actor=actor,
        action="fund.charge",
        target=entry,
        data={
            "fund_id": fund.pk,
            "symbol": decision.symbol,
            "amount": amount,
            "balance_before": view["balance"],
            "balance": view["after"],
            "budget_set": view["budget_set"],
            "overdraw_acknowledged": view["overdraws"],
            "shortfall": view["shortfall"] if view["overdraws"] else 0,
        },
    )
    return entry


def decision_charge(*, actor, decision, amount, acknowledge_overdraw=False) -> FundEntry:
    """Charge `amount` đồng of a decision whose cash is not in approvals.Award rows (a contest's
    results decision: its prize total) to the issuing body's fund of the decision's year.

    Who: the records clerk, the chair or a vice-chair of the issuing body. Once per decision: a
    second call (a retry, a double click, two people at once) returns the first charge and
    writes nothing. The fund is opened with no budget when nobody has set one. When the body
    has set a budget and the charge would take the balance below zero, it is refused unless
    `acknowledge_overdraw` is true; the acknowledgement and the shortfall are recorded in the
    "fund.charge" event. Call it inside the transaction that makes the decision final, so both
    stand or fall together (Decree 152/2025/NĐ-CP: awards are paid from the fund).
    """
    amount = _amount("amount", amount, allow_zero=True)
    with transaction.atomic():
        decision = Decision.objects.select_related("issuer").get(pk=decision.pk)
        if not permissions.can_charge(actor, decision.issuer):
            raise PermissionDenied(
                _("Only the records office or the signer of the issuing body charges its fund.")
            )
        if decision.kind in (DecisionKind.REVOCATION, DecisionKind.DECLINE):
            raise ValidationError(_("Only a decision that grants cash is charged to the fund."))
        return _charge(
            actor=actor, decision=decision, amount=amount, acknowledge_overdraw=acknowledge_overdraw
        )


def decision_cash(decision) -> int:
    """The cash an award decision charges: the sum of its awards (integer đồng)."""
    return Award.objects.filter(decision=decision).aggregate(total=Sum("amount", default=0))["total"]


def revocation_cash(revocation) -> int:
    """The cash a revocation returns: the revoked awards of a decision that was charged."""
    return Award.objects.filter(
        revoked_by=revocation,
        decision__in=FundEntry.objects.filter(kind=EntryKind.CHARGE).values("decision"),
    ).aggregate(total=Sum("amount", default=0))["total"]


def issue_outlook(decision) -> dict | None:
    """For the issue page: what issuing `decision` does to its fund (None for a revocation,
    which only returns cash)."""
    if decision.kind != DecisionKind.AWARD:
        return None
    fund = Fund.objects.filter(unit_id=decision.issuer_id, year=decision.signed_on.year).first()
    charged = FundEntry.objects.filter(decision=decision, kind=EntryKind.CHARGE).exists()
    # Already charged (through decision_charge before its issue): the balance holds it already.
    view = outlook(fund, 0 if charged else decision_cash(decision))
    view["year"] = decision.signed_on.year
    view["charged"] = charged
    return view


def issue_settle(decision, *, actor, acknowledge_overdraw=False) -> FundEntry | None:
    """What the records office's issue does to the fund, in the issue's transaction (called by
    documents.services.document_issue after its own checks): an award decision charges the sum of
    its awards; a revocation returns the revoked awards' cash to the fund they were charged to."""
    if decision.kind == DecisionKind.AWARD:
        return _charge(
            actor=actor,
            decision=decision,
            amount=decision_cash(decision),
            acknowledge_overdraw=acknowledge_overdraw,
        )
    if decision.kind == DecisionKind.REVOCATION:
        return _return(actor=actor, revocation=decision)
    return None


def _return(*, actor, revocation) -> FundEntry | None:
    existing = FundEntry.objects.filter(decision=revocation, kind=EntryKind.RETURN).first()
    if existing is not None:
        return existing
    original = revocation.revokes
    charge = FundEntry.objects.filter(decision=original, kind=EntryKind.CHARGE).select_related("fund").first()
    if charge is None:  # never charged (decided before the fund was kept): nothing to return
        return None
    fund = Fund.objects.select_for_update().select_related("unit").get(pk=charge.fund_id)
    amount = revocation_cash(revocation)
    try:
        with transaction.atomic():
            entry = FundEntry.objects.create(
                fund=fund,
                kind=EntryKind.RETURN,
                amount=amount,
                decision=revocation,
                note=revocation.title[: limits.SHORT_TEXT],
                created_by=actor,
            )
    except IntegrityError:
        raise TransitionNotAllowed(
            _("This revocation's cash has already been returned to the fund.")
        ) from None
    audit.record(
        actor=actor,
        action="fund.return",
        target=entry,
        data={
            "fund_id": fund.pk,
            "symbol": revocation.symbol,
            "revokes": original.symbol,
            "amount": amount,
            "balance": balance_of(fund),
        },
    )
    return entry


def revocation_return(*, actor, revocation) -> FundEntry | None:
    """Return a revocation's cash to the fund (the records clerk of the issuing body), once; what
    the revocation's issue does, for a revocation issued before the fund was kept."""
    with transaction.atomic():
        revocation = Decision.objects.select_related("issuer", "revokes__issuer").get(pk=revocation.pk)
        if revocation.kind != DecisionKind.REVOCATION:
            raise ValidationError(_("Only a revocation returns cash to the fund."))
        if not permissions.can_charge(actor, revocation.issuer):
            raise PermissionDenied(
                _("Only the records office or the signer of the issuing body charges its fund.")
            )
        return _return(actor=actor, revocation=revocation)


def paid_on_award(award) -> int:
    return FundEntry.objects.filter(award=award, kind=EntryKind.PAYMENT).aggregate(
        total=Sum("amount", default=0)
    )["total"]


def fund_payment_record(*, actor, award, amount, paid_on, voucher, paid_to="", note="") -> FundEntry:
    """The cash actually paid to an awardee, with the date and the voucher (the standing body's
    officer or leader, or the records clerk of the issuing body). At most what is still unpaid of
    the award; refused for a revoked award and for a decision not yet charged (not issued)."""
    amount = _amount("amount", amount)
    voucher = (voucher or "").strip()
    paid_to = (paid_to or "").strip()
    note = (note or "").strip()
    if not voucher:
        raise ValidationError({"voucher": _("Give the voucher number.")})
    if not isinstance(paid_on, dt.date):
        raise ValidationError({"paid_on": _("Give the day of the payment.")})
    if paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": _("A payment is recorded once made: the day cannot be in the future.")}
        )
    limits.require_texts(
        {
            "voucher": (voucher, VOUCHER_LENGTH),
            "paid_to": (paid_to, limits.NAME),
            "note": (note, limits.SHORT_TEXT),
        }
    )
    with transaction.atomic():
        award = Award.objects.select_related("decision__issuer", "nominee").get(pk=award.pk)
        issuer = award.decision.issuer
        if not permissions.can_pay(actor, issuer):
            raise PermissionDenied(
                _("Only the standing body or the records clerk of the issuing body records payments.")
            )
        charge = FundEntry.objects.filter(decision_id=award.decision_id, kind=EntryKind.CHARGE).first()
        if charge is None:
            raise TransitionNotAllowed(
                _("The decision has not been issued: its cash is not charged to the fund yet.")
            )
        if award.revoked_by_id:
            raise TransitionNotAllowed(_("This award is revoked: its cash is not paid."))
        # The fund's lock orders two payments of the same award one after the other.
        fund = Fund.objects.select_for_update().get(pk=charge.fund_id)
        paid = paid_on_award(award)
        unpaid = award.amount - paid
        if amount > unpaid:
            raise ValidationError(
                {
                    "amount": _(
                        "%(amount)s is more than is unpaid of this award: %(award)s awarded, %(paid)s paid, "
                        "%(unpaid)s unpaid."
                    )
                    % {
                        "amount": money(amount),
                        "award": money(award.amount),
                        "paid": money(paid),
                        "unpaid": money(unpaid),
                    }
                }
            )
        entry = FundEntry.objects.create(
            fund=fund,
            kind=EntryKind.PAYMENT,
            amount=amount,
            decision_id=award.decision_id,
            award=award,
            paid_on=paid_on,
            voucher=voucher,
            paid_to=paid_to or award.nominee.name,
            note=note,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="fund.payment",
            target=entry,
            data={
                "fund_id": fund.pk,
                "award_id": award.pk,
                "symbol": award.decision.symbol,
                "amount": amount,
                "paid_on": paid_on.isoformat(),
                "voucher": voucher,
                "paid_to": entry.paid_to,
                "unpaid": unpaid - amount,
            },
        )
    return entry


def planned_outlook(*, issuer, year, amount) -> dict:
    """For the chair's confirmation page: what a decision of `amount` đồng would do to the
    issuer's fund of `year` (nothing is written)."""
    fund = Fund.objects.filter(unit=issuer, year=year).first()
    view = outlook(fund, amount)
    view["year"] = year
    return view


# A body's fund for a year, locked: read by every decision's signature (compiled once per year,
# org.prepared).
_YEARS_FUND_LOCKED = PreparedRead(
    lambda year, unit: Fund.objects.select_for_update().filter(unit_id=unit, year=year),
    arguments=("unit",),
)


def decision_overdraw_acknowledge(*, actor, decision, acknowledged) -> dict:
    """The chair's signature of an award decision whose cash would overdraw its body's fund
    (a budget set, the balance going below zero): refused unless `acknowledged`, and then the
    acknowledgement, who gave it and the shortfall are recorded. Called by workflows' decision
    step in its transaction, once the decision's awards are written and before its events lock
    the audit chain (the fund before the chain, as `_charge` takes them); nothing is charged here
    (the records office's issue charges)."""
    # Inside the decision step's transaction (no savepoint of its own): the fund row is locked
    # until it commits. A fund without a budget warns of nothing, so its cash is not even summed.
    with transaction.atomic(savepoint=False):
        year = decision.signed_on.year
        found = _YEARS_FUND_LOCKED.objects(key=(year,), unit=decision.issuer_id)
        fund = found[0] if found else None
        view = outlook(fund, decision_cash(decision) if fund is not None and fund.budget_set else 0)
        view["year"] = year
        if not view["overdraws"]:
            return view
        if not acknowledged:
            raise ValidationError({"acknowledge_overdraw": overdraw_message(view)})
        audit.record(
            actor=actor,
            action="fund.overdraw_acknowledge",
            target=decision,
            data={
                "fund_id": fund.pk,
                "symbol": decision.symbol,
                "balance": view["balance"],
                "amount": view["amount"],
                "shortfall": view["shortfall"],
                "step": "sign",
            },
        )
    return view
