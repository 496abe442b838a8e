"""Who may see and do what with a contest's results (seed 002, plan 4979/KH-SNV-CĐVC, III.5).

- The organiser (the standing body of the organising unit, e.g. Sở Nội vụ's officers and their
  leader) ranks, resolves a tie at a prize's line with a recorded reason, and prepares the results
  decision.
- The organising unit's head (its chair, or a vice-chair signing "KT.") signs the decision; its
  records clerk (văn thư) issues it with the body's seal (Decree 30/2020, Article 15).
- The jury and the organiser's inspectors read the results; nobody else (a 404).
- Everyone reads the public results once the decision is issued.
"""

from approvals.permissions import decision_capacities
from org.models import Role
from org.scopes import has_role_in, has_role_over

from .models import ContestState

ORGANISER_ROLES = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER})
SIGNER_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR})
RESULT_STATES = (ContestState.RESULTS, ContestState.DECIDED)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def organises(user, contest) -> bool:
    return _active(user) and (user.is_superuser or has_role_in(user, ORGANISER_ROLES, contest.organizer))


def is_juror(user, contest) -> bool:
    if not _active(user):
        return False
    cache = contest.__dict__.setdefault("_results_juror_cache", {})
    if user.pk not in cache:
        cache[user.pk] = contest.jurors.filter(user=user).exists()
    return cache[user.pk]


def signs_for(user, contest) -> list[str]:
    """The capacities in which `user` may sign the organiser's decisions ("" own right, TM, KT)."""
    return decision_capacities(user, contest.organizer) if _active(user) else []


def keeps_records(user, contest) -> bool:
    return _active(user) and has_role_in(user, {Role.RECORDS_CLERK}, contest.organizer)


def can_view_results(user, contest) -> bool:
    """The results table: the organiser, its head, its records office, the jury, inspectors."""
    if not _active(user):
        return False
    return (
        organises(user, contest)
        or bool(signs_for(user, contest))
        or keeps_records(user, contest)
        or has_role_over(user, {Role.INSPECTOR}, contest.organizer)
        or is_juror(user, contest)
    )


def can_rank(user, contest) -> bool:
    return organises(user, contest)


def can_prepare_decision(user, contest) -> bool:
    return organises(user, contest)


def can_sign_decision(user, contest) -> bool:
    decision = contest.decision
    return (
        decision is not None
        and _active(user)
        and user.pk == decision.signed_by_id
        and decision.signer_capacity in signs_for(user, contest)
    )


def can_make_certificates(user, contest) -> bool:
    """The prize winners' Giấy khen: the organiser, or the records clerk who issued the decision."""
    return organises(user, contest) or keeps_records(user, contest)
