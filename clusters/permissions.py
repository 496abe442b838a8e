"""Who may do what in a cluster. The province's standing body sets clusters up and reviews their
scores; a member unit's staff and head score their own unit; the leader unit's staff enter the
cross-scores at the cluster's meeting and its staff or head draft the proposal; inspectors over
the province read. Everything else about a cluster is invisible (selectors answer 404)."""

from org.models import Role
from org.scopes import UNIT_ROLES, has_role_in, has_role_over, scopes_for

STANDING_ROLES = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER})
# The head of a unit signs for it; for a commune or ward that is the chair of its People's
# Committee (Chủ tịch UBND), who holds the CHAIR role in it.
HEAD_ROLES = frozenset({Role.UNIT_HEAD, Role.CHAIR})
MEMBER_ROLES = UNIT_ROLES | HEAD_ROLES


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def is_standing_body(user, cluster) -> bool:
    """STANDING_OFFICER / STANDING_LEADER of the province that organises the cluster."""
    return _active(user) and (user.is_superuser or has_role_in(user, STANDING_ROLES, cluster.organizer))


def can_organise_in(user, unit) -> bool:
    return _active(user) and (user.is_superuser or has_role_in(user, STANDING_ROLES, unit))


def is_inspector_of(user, cluster) -> bool:
    return _active(user) and has_role_over(user, {Role.INSPECTOR}, cluster.organizer)


def member_unit_ids(user) -> list[int]:
    """The units `user` acts for as staff, head or chair (those whose clusters they see)."""
    if not _active(user):
        return []
    return sorted({s.unit_id for s in scopes_for(user) if s.role in MEMBER_ROLES})


def organiser_unit_ids(user) -> list[int]:
    return sorted({s.unit_id for s in scopes_for(user) if s.role in STANDING_ROLES}) if _active(user) else []


def inspected_paths(user) -> list[str]:
    return [s.unit_path for s in scopes_for(user) if s.role == Role.INSPECTOR] if _active(user) else []


def can_score_for(user, unit) -> bool:
    """A member unit's own staff or head enters its self-scores."""
    return _active(user) and has_role_in(user, MEMBER_ROLES, unit)


def can_confirm_for(user, unit) -> bool:
    return _active(user) and has_role_in(user, HEAD_ROLES, unit)


def acts_for_leader(user, term) -> bool:
    """The leader unit's staff or head: they run the cluster's meeting and key in its cross-scores
    (as the leader unit's office does with the sheets the members hand in there)."""
    return _active(user) and has_role_in(user, MEMBER_ROLES, term.leader)


def can_propose(user, term) -> bool:
    return _active(user) and has_role_in(user, UNIT_ROLES, term.leader)
