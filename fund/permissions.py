"""Who may do what to a fund: the standing body's leader or the chair of the issuing body sets its
budget and additions; only the leader corrects; the standing body's officers and the records clerk
record payments; these and the body's inspectors read it."""

from org.models import Role
from org.scopes import has_role_in, has_role_over, scopes_for

MANAGERS = frozenset({Role.STANDING_LEADER, Role.CHAIR})
CORRECTORS = frozenset({Role.STANDING_LEADER})
PAYERS = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER, Role.RECORDS_CLERK})
# Who signs or issues a decision may charge its cash (decision_charge).
CHARGERS = frozenset({Role.RECORDS_CLERK, Role.CHAIR, Role.VICE_CHAIR})
READERS = MANAGERS | PAYERS | {Role.VICE_CHAIR}


def can_manage(user, unit) -> bool:
    return has_role_in(user, MANAGERS, unit)


def can_correct(user, unit) -> bool:
    return has_role_in(user, CORRECTORS, unit)


def can_pay(user, unit) -> bool:
    return has_role_in(user, PAYERS, unit)


def can_charge(user, unit) -> bool:
    return has_role_in(user, CHARGERS, unit)


def can_view(user, unit) -> bool:
    """The body's own fund people, and the inspectors over it."""
    return has_role_in(user, READERS, unit) or has_role_over(user, {Role.INSPECTOR}, unit)


def may_use_fund(user) -> bool:
    """Whether the menu shows the fund (any role that reads one)."""
    return any(s.role in READERS or s.role == Role.INSPECTOR for s in scopes_for(user))
