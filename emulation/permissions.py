"""Who may do what with the year's plan and its registrations (object scope from org.scopes).

The standing body (officer or leader) of the deciding unit issues the plan, reads every unit's
registrations, accepts a late one and overrides a missing one on a nominee. A unit's emulation
officer and its head register the unit's collectives and people before the deadline and read only
their own unit's lines. Inspectors read what lies in their scope.
"""

from org.models import Role
from org.scopes import UNIT_ROLES, has_role_in, has_role_over, scopes_for

STANDING_ROLES = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER})


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def can_open_plan(user, unit) -> bool:
    return _active(user) and unit.grants_awards and has_role_in(user, STANDING_ROLES, unit)


def is_standing_body_of(user, plan) -> bool:
    return _active(user) and has_role_in(user, STANDING_ROLES, plan.unit)


def registers_for(user, plan, unit) -> bool:
    """The unit's own emulation officer or head, for a unit under the plan's issuing unit."""
    return _active(user) and unit.is_under(plan.unit) and has_role_in(user, UNIT_ROLES, unit)


def can_register(user, plan, unit) -> bool:
    return registers_for(user, plan, unit) or (unit.is_under(plan.unit) and is_standing_body_of(user, plan))


def can_read_plan_overview(user, plan) -> bool:
    return _active(user) and (
        user.is_superuser
        or is_standing_body_of(user, plan)
        or has_role_over(user, {Role.INSPECTOR}, plan.unit)
    )


def can_read_unit(user, plan, unit) -> bool:
    """A unit's lines: its own officer and head, the plan's standing body, inspectors over it."""
    if not _active(user) or not unit.is_under(plan.unit):
        return False
    return (
        has_role_in(user, UNIT_ROLES, unit)
        or can_read_plan_overview(user, plan)
        or has_role_over(user, {Role.INSPECTOR}, unit)
    )


def own_units(user) -> list:
    """The (unit id, unit path) of the units `user` registers for as officer or head."""
    return [(s.unit_id, s.unit_path) for s in scopes_for(user) if s.role in UNIT_ROLES]
