"""Reads of the award fund that depend on who asks: the funds a user may see (anything else is a
404), a fund's statement for a period, a decision's charge and payments."""

import datetime as dt

from django.db.models import Q
from django.http import Http404

from org.models import Role, Unit
from org.scopes import scopes_for

from . import permissions
from .models import EntryKind, Fund, FundEntry, with_balance


def visible_funds(user):
    """The funds of the bodies where the user holds a fund role, and those under an inspector's
    units."""
    if not user.is_authenticated:
        return Fund.objects.none()
    q = Q(pk__in=[])
    for s in scopes_for(user):
        if s.role in permissions.READERS:
            q |= Q(unit_id=s.unit_id)
        elif s.role == Role.INSPECTOR:
            q |= Q(unit__path__startswith=s.unit_path)
    return Fund.objects.filter(q).select_related("unit").order_by("-year", "unit__path")


def access_fund(*, user, pk) -> Fund:
    fund = visible_funds(user).filter(pk=pk).first()
    if fund is None:
        raise Http404
    return fund


def managed_units(user):
    """The bodies whose fund the user may open (set the budget of)."""
    ids = [s.unit_id for s in scopes_for(user) if s.role in permissions.MANAGERS]
    return Unit.objects.filter(pk__in=ids).order_by("path")


def _zero_sums() -> dict:
    sums = {kind: 0 for kind in EntryKind.values}
    sums.update(correction_in=0, correction_out=0)
    return sums


def statement(fund, *, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """The fund's statement from `start` to `end` (days in the local time zone, both included;
    the whole year when not given): the opening balance (everything before `start`), each line
    with its decision's number and the running balance, the closing balance and the totals by
    kind over the period. Two queries whatever the number of lines."""
    start = start or dt.date(fund.year, 1, 1)
    end = end or dt.date(fund.year, 12, 31)
    entries = FundEntry.objects.filter(fund=fund)
    opening = entries.filter(created_at__date__lt=start).totals()["balance"]
    lines = list(
        entries.filter(created_at__date__gte=start, created_at__date__lte=end)
        .select_related("decision__issuer", "award__nominee", "created_by")
        .order_by("created_at", "pk")
    )
    running, sums = opening, _zero_sums()
    for line in lines:
        running += line.signed_amount
        line.running = running
        sums[line.kind] += line.amount
        if line.kind == EntryKind.CORRECTION:
            sums["correction_in" if line.increases else "correction_out"] += line.amount
    totals = with_balance(sums)
    return {
        "fund": fund,
        "start": start,
        "end": end,
        "opening": opening,
        "lines": lines,
        "closing": running,
        "totals": totals,
        "kinds": [(kind, label, totals[kind]) for kind, label in EntryKind.choices],
    }


def decision_fund(decision) -> dict:
    """A decision's charge (or a revocation's return) and the payments of its awards, for the
    decision's page (two queries)."""
    lines = list(
        FundEntry.objects.filter(decision=decision)
        .select_related("fund__unit", "award__nominee")
        .order_by("created_at", "pk")
    )
    charge = next((e for e in lines if e.kind in (EntryKind.CHARGE, EntryKind.RETURN)), None)
    payments = [e for e in lines if e.kind == EntryKind.PAYMENT]
    return {
        "charge": charge,
        "payments": payments,
        "paid": sum(p.amount for p in payments),
    }


def decision_fund_for(*, user, decision) -> dict | None:
    """The decision's fund lines for the decision's page, for those who read the issuing body's
    fund (None for the others: no query)."""
    if not permissions.can_view(user, decision.issuer):
        return None
    return decision_fund(decision)
