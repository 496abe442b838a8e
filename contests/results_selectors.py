"""Reads of a contest's results that depend on who asks: the results table (organiser, signer,
records clerk, jury, inspectors; anyone else a 404) and the public results (everyone, only once the
results decision is issued with the body's seal; before that a 404)."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.http import Http404

from documents.models import GeneratedKind, Signature

from . import results_permissions as perms
from .models import Contest, ContestCertificates, ContestState, EntrantKind, Placing

KIND_ORDER = (EntrantKind.COLLECTIVE, EntrantKind.INDIVIDUAL)
VISIBLE_STATES = (ContestState.FINAL, ContestState.RESULTS, ContestState.DECIDED)


@dataclass
class KindResults:
    kind: str
    label: str
    placings: list = field(default_factory=list)

    @property
    def prizes(self) -> int:
        return sum(1 for p in self.placings if p.prize_id)

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.placings)


def contest_for_results(user, pk) -> Contest:
    """The contest whose results `user` may read (404 otherwise, and before its final round)."""
    contest = (
        Contest.objects.select_related("organizer", "decision__issuer", "decision__signed_by")
        .filter(pk=pk)
        .first()
    )
    if contest is None or contest.state not in VISIBLE_STATES or not perms.can_view_results(user, contest):
        raise Http404
    return contest


def results_of(contest, *, prized_only=False) -> list[KindResults]:
    """The placings per entrant kind (collectives first), in rank order: one query."""
    rows = Placing.objects.filter(contest=contest).select_related("entry__unit", "prize")
    if prized_only:
        rows = rows.filter(prize__isnull=False)
    rows = rows.order_by("entry__entrant_kind", "rank", "prize__position", "entry__title")
    groups = {k: KindResults(kind=k, label=EntrantKind(k).label) for k in KIND_ORDER}
    for row in rows:
        groups[row.entry.entrant_kind].placings.append(row)
    return [g for g in groups.values() if g.placings]


def open_ties(results) -> list[list]:
    """The placings of each open tie (entries tied together at a prize's line)."""
    ties = {}
    for group in results:
        for p in group.placings:
            if p.tie_unresolved:
                ties.setdefault((group.kind, p.rank), []).append(p)
    return list(ties.values())


def _issued_decision():
    """The contest's decision has a current document sealed by the records office."""
    return Exists(
        Signature.objects.filter(
            document__decision_id=OuterRef("decision_id"),
            document__kind=GeneratedKind.DECISION,
            document__superseded_by__isnull=True,
            agency__isnull=False,
        )
    )


def public_contests():
    return (
        Contest.objects.filter(state=ContestState.DECIDED, decision__isnull=False)
        .filter(_issued_decision())
        .select_related("organizer", "decision__issuer")
        .order_by("-year", "name")
    )


def public_contest(pk) -> Contest:
    contest = public_contests().filter(pk=pk).first()
    if contest is None:
        raise Http404
    return contest


def certificates_for(user, contest):
    """The current PDF of the prize winners' Giấy khen for whoever may read the decision's PDF
    (contests.results_documents.can_view: the results' readers; `contest` comes from
    contest_for_results); a 404 before it is made."""
    made = ContestCertificates.objects.filter(contest=contest).order_by("-version").first()
    if made is None or not perms.can_view_results(user, contest):
        raise Http404
    return made
