"""Who reads the statistics, and of which units.

A unit's staff and head read their own unit and everything under it; the standing body, the
vice-chair and the chair read their level (the deciding unit and everything under it); inspectors
read the subtree they inspect. Council members, secretaries and records clerks do not report.
A unit outside the reader's scopes is a 404, as everywhere else.
"""

from org.models import Role
from org.scopes import UNIT_ROLES, scopes_for

REPORT_ROLES = frozenset(
    {*UNIT_ROLES, Role.STANDING_OFFICER, Role.STANDING_LEADER, Role.VICE_CHAIR, Role.CHAIR, Role.INSPECTOR}
)


def report_scopes(user) -> list:
    """The scopes in which `user` reads statistics (outermost first)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return sorted((s for s in scopes_for(user) if s.role in REPORT_ROLES), key=lambda s: len(s.unit_path))


def can_read_reports(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or report_scopes(user)))


def can_read_unit(user, unit) -> bool:
    if user.is_superuser and user.is_active:
        return True
    return any(unit.path.startswith(s.unit_path) for s in report_scopes(user))
