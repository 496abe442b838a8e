"""Who may do what in a contest (seed 002, plan 4979/KH-SNV-CĐVC).

- The organiser: the standing body (officers, its leader) of the organising unit, e.g. Sở Nội vụ.
  It prepares the contest, its criteria, prizes and jury, and keeps the entries in order.
- Units that may enter: every unit of the organiser's province (the organiser's top ancestor and
  everything under it), except the organiser itself. Their emulation officer drafts an entry; their
  head sends it after the unit's own pre-selection (vòng sơ tuyển).
- Jurors (Ban Giám khảo): read the contest and the entries sent to it.

Scopes come from org.scopes (loaded once per request); the juror rows of a contest are one query,
cached on the contest object.
"""

from org.models import Role
from org.scopes import UNIT_ROLES, has_role_in, scopes_for

from .models import ContestState, EntryState

ORGANISER_ROLES = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER})
# A unit's emulation officer and its head draft entries; only the head sends or withdraws them.
DRAFTING_ROLES = UNIT_ROLES
SENDING_ROLES = frozenset({Role.UNIT_HEAD})
# What the organiser and the jury see of the entries: everything a unit has sent.
SENT_STATES = (EntryState.SUBMITTED, EntryState.FINALIST, EntryState.ELIMINATED, EntryState.INELIGIBLE)
ORGANISER_ENTRY_STATES = (*SENT_STATES, EntryState.WITHDRAWN)


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def province_path(unit) -> str:
    """The path of the unit's top ancestor ("/1/" for "/1/4/9/"): the contest's field of entrants."""
    return "/" + unit.path.strip("/").split("/")[0] + "/"


def may_enter(contest, unit) -> bool:
    """Whether `unit` is among the contest's entrants: in the organiser's province, not the
    organiser itself."""
    return unit.pk != contest.organizer_id and unit.path.startswith(province_path(contest.organizer))


def can_create_contest(user, organizer) -> bool:
    return _active(user) and (user.is_superuser or has_role_in(user, ORGANISER_ROLES, organizer))


def organising_unit_ids(user) -> set[int]:
    return {s.unit_id for s in scopes_for(user) if s.role in ORGANISER_ROLES}


def can_organise(user, contest) -> bool:
    """The organiser's standing body (not its parent's: the plan names the organising unit)."""
    return _active(user) and (user.is_superuser or has_role_in(user, ORGANISER_ROLES, contest.organizer))


def juror_of(user, contest):
    """The user's seat on the contest's jury, or None (one query, cached on the contest)."""
    if not _active(user):
        return None
    cache = contest.__dict__.setdefault("_juror_cache", {})
    if user.pk not in cache:
        cache[user.pk] = contest.jurors.filter(user=user).first()
    return cache[user.pk]


def entering_unit_ids(user, contest) -> set[int]:
    """The units (held with a unit role) through which `user` takes part in the contest."""
    if not _active(user):
        return set()
    return {
        s.unit_id
        for s in scopes_for(user)
        if s.role in UNIT_ROLES
        and s.unit_id != contest.organizer_id
        and s.unit_path.startswith(province_path(contest.organizer))
    }


def can_view_contest(user, contest) -> bool:
    """A draft is the organiser's alone; once open, its entrants and its jury read it too."""
    if not _active(user):
        return False
    if can_organise(user, contest):
        return True
    if contest.state == ContestState.DRAFT:
        return False
    return bool(entering_unit_ids(user, contest)) or juror_of(user, contest) is not None


def can_view_entry(user, entry) -> bool:
    """A unit sees its own entries in every state; the organiser sees what was sent (withdrawn
    included); the jury sees what is before it. Anyone else: not found."""
    if not _active(user):
        return False
    contest = entry.contest
    if has_role_in(user, UNIT_ROLES, entry.unit):
        return True
    if entry.state in ORGANISER_ENTRY_STATES and can_organise(user, contest):
        return True
    return entry.state in SENT_STATES and juror_of(user, contest) is not None


def can_draft_entry(user, contest, unit) -> bool:
    return _active(user) and may_enter(contest, unit) and has_role_in(user, DRAFTING_ROLES, unit)


def can_send_entry(user, entry) -> bool:
    return _active(user) and has_role_in(user, SENDING_ROLES, entry.unit)
