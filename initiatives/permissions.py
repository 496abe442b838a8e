"""Who may do what with a unit's initiatives. Object scope comes from org.scopes (roles held in a
unit) and the initiative council's own membership; a group's permission alone opens nothing."""

from django.db.models import Q

from org.models import Role
from org.scopes import has_role_in, has_role_over, scopes_for

from .models import InitiativeCouncilMember, InitiativeCouncilRole

STAFF = {Role.UNIT_STAFF, Role.UNIT_HEAD}
READERS_OVER = {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.INSPECTOR}


def council_role(user, council) -> str | None:
    """The user's role in the initiative council, cached on the user for the request."""
    if not user.is_authenticated or council is None:
        return None
    cache = user.__dict__.setdefault("_initiative_council_roles", {})
    if council.pk not in cache:
        cache[council.pk] = (
            InitiativeCouncilMember.objects.filter(council=council, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[council.pk]


def visible_initiatives_q(user) -> Q | None:
    """The initiatives `user` may see: those of their own unit (every civil servant registers
    and reads the unit's initiatives), of the units under any unit staff, head or inspector role
    they hold, and of the units whose initiative council they sit on; None for none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    if user.unit_id:
        q |= Q(unit_id=user.unit_id)
    for scope in scopes_for(user):
        if scope.role in READERS_OVER:
            q |= Q(unit__path__startswith=scope.unit_path)
    q |= Q(unit__initiative_council__members__user=user)
    return q


def can_register_in(user, unit) -> bool:
    """The unit's staff and head register for anyone of the unit; a civil servant of the unit
    registers their own."""
    return user.is_authenticated and (has_role_in(user, STAFF, unit) or user.unit_id == unit.pk)


def is_unit_staff(user, unit) -> bool:
    return has_role_in(user, STAFF, unit)


def is_unit_head(user, unit) -> bool:
    return has_role_in(user, {Role.UNIT_HEAD}, unit)


def can_read_over(user, unit) -> bool:
    return user.is_superuser or has_role_over(user, READERS_OVER, unit)


def is_council_officer(user, council) -> bool:
    """The chair and the secretary run the council's meetings."""
    return council_role(user, council) in (InitiativeCouncilRole.CHAIR, InitiativeCouncilRole.SECRETARY)


def is_author(user, initiative) -> bool:
    return any(a.person_id == user.pk for a in initiative.authors.all())
