"""Who may do what with a province's proposals of state honours.

The province's standing body (Sở Nội vụ / Ban Thi đua - Khen thưởng) assembles the proposal and
records the central level's results; the chair (Chủ tịch UBND tỉnh) signs its tờ trình; the
inspector reads. Anyone else is told nothing: the proposal is a 404 (selectors)."""

from org.models import Role, UnitLevel
from org.scopes import has_role_in, has_role_over

STANDING_ROLES = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER})
READ_ROLES = STANDING_ROLES | {Role.CHAIR, Role.VICE_CHAIR, Role.INSPECTOR}


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def can_read(user, unit) -> bool:
    return _active(user) and (user.is_superuser or has_role_over(user, READ_ROLES, unit))


def can_assemble(user, unit) -> bool:
    """The province's own standing body (not a commune's, not the inspector)."""
    return _active(user) and unit.level == UnitLevel.PROVINCE and has_role_in(user, STANDING_ROLES, unit)


def can_submit(user, unit) -> bool:
    """The province's chair signs the tờ trình to the central level."""
    return _active(user) and unit.level == UnitLevel.PROVINCE and has_role_in(user, {Role.CHAIR}, unit)
