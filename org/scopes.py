"""Where a person may act: the roles they hold today and the unit each role covers.

Loaded once per user object (two queries) and reused by every check and list in the request.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from .models import CouncilMembership, CouncilRole, Role, RoleAssignment, Unit
from .prepared import PreparedRead

COUNCIL_ROLE_TO_ROLE = {
    CouncilRole.CHAIR: Role.COUNCIL_MEMBER,
    CouncilRole.VICE_CHAIR: Role.VICE_CHAIR,
    CouncilRole.SECRETARY: Role.COUNCIL_SECRETARY,
    CouncilRole.MEMBER: Role.COUNCIL_MEMBER,
}

# Roles whose scope is the unit itself (its own dossiers), and roles whose scope is a deciding
# unit and everything under it (dossiers sent up for review there).
UNIT_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})
REVIEW_ROLES = frozenset(
    {
        Role.STANDING_OFFICER,
        Role.STANDING_LEADER,
        Role.COUNCIL_MEMBER,
        Role.COUNCIL_SECRETARY,
        Role.VICE_CHAIR,
        Role.CHAIR,
    }
)


@dataclass(frozen=True)
class Scope:
    role: str
    unit_id: int
    unit_path: str
    unit_name: str

    def covers(self, unit) -> bool:
        """True when `unit` is this scope's unit or below it."""
        return unit.path.startswith(self.unit_path)


# Read on nearly every request: compiled once a day (org.prepared).
_ROLES_ON = PreparedRead(
    lambda day, *, user: (
        RoleAssignment.objects.active_on(day)
        .filter(user_id=user)
        .order_by("pk")
        .values("role", "unit", "unit__path", "unit__name")
    ),
    arguments=("user",),
)
_SEATS_ON = PreparedRead(
    lambda day, *, user: (
        CouncilMembership.objects.active_on(day)
        .filter(user_id=user)
        .order_by("council", "council_role")
        .values("council_role", "council__unit", "council__unit__path", "council__unit__name")
    ),
    arguments=("user",),
)


def scopes_for(user) -> list[Scope]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_scopes_cache", None)
    if cached is not None:
        return cached
    key = (timezone.localdate(),)
    scopes = [
        Scope(a["role"], a["unit"], a["unit__path"], a["unit__name"])
        for a in _ROLES_ON.rows(key=key, user=user.pk)
    ]
    scopes += [
        Scope(
            COUNCIL_ROLE_TO_ROLE[m["council_role"]],
            m["council__unit"],
            m["council__unit__path"],
            m["council__unit__name"],
        )
        for m in _SEATS_ON.rows(key=key, user=user.pk)
    ]
    user._scopes_cache = scopes
    return scopes


def roles_of(user) -> set[str]:
    roles = {s.role for s in scopes_for(user)}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def has_role_over(user, roles, unit) -> bool:
    return any(s.role in roles and s.covers(unit) for s in scopes_for(user))


def has_role_in(user, roles, unit) -> bool:
    """The role is held in exactly this unit (not an ancestor)."""
    return any(s.role in roles and s.unit_id == unit.pk for s in scopes_for(user))


def has_role_in_any(user, roles, unit_ids) -> bool:
    """The role is held in one of exactly these units (by id)."""
    return any(s.role in roles and s.unit_id in unit_ids for s in scopes_for(user))


def forget_scopes(user) -> None:
    user.__dict__.pop("_scopes_cache", None)
    user.__dict__.pop("_audit_roles_cache", None)
    user.__dict__.pop("_inspector_paths_cache", None)


# --- for the audit trail (settings.AUDIT_ACTOR_ROLES, AUDIT_SCOPE_RESOLVER) -------------------


def audit_roles_for(user) -> list[str]:
    """The roles `user` holds now, for the audit event they are about to write: from the scopes
    already loaded in this request, or else in one query; then cached on the user."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_audit_roles_cache", None)
    if cached is not None:
        return cached
    scopes = getattr(user, "_scopes_cache", None)
    if scopes is not None:
        roles = {s.role for s in scopes}
    else:
        today = timezone.localdate()
        assigned = (
            RoleAssignment.objects.active_on(today)
            .filter(user=user)
            .annotate(via_council=models.Value(False))
            .values_list("role", "via_council")
            .order_by()
        )
        council = (
            CouncilMembership.objects.active_on(today)
            .filter(user=user)
            .annotate(via_council=models.Value(True))
            .values_list("council_role", "via_council")
            .order_by()
        )
        roles = {COUNCIL_ROLE_TO_ROLE[r] if is_council else r for r, is_council in assigned.union(council)}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    user._audit_roles_cache = sorted(str(r) for r in roles)
    return user._audit_roles_cache


# How to reach the unit an audited object belongs to: the first of these links it has, followed
# until a Unit (a dossier's unit, a decision's issuer, a council's unit, a nominee's dossier …).
SCOPE_LINKS = (
    "unit",
    "issuer",
    "council",
    "dossier",
    "nominee",
    "decision",
    "award",
    "meeting",
    "item",
    "document",
    "fund",
    "organizer",
    "contest",
    "entry",
)


def audit_scope_for(target, _depth: int = 0) -> str:
    """The unit path an audited object belongs to ("" when it belongs to none), so that the
    events of a unit and everything under it are one prefix filter for its inspectors."""
    if isinstance(target, Unit):
        return target.path
    if target is None or _depth > 4:
        return ""
    for link in SCOPE_LINKS:
        if not hasattr(type(target), link):
            continue
        related = getattr(target, link, None)
        if related is not None and related is not target:
            return audit_scope_for(related, _depth + 1)
    return ""
