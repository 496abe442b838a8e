"""Reads of the register of outgoing documents (org.registers), filtered by who asks: the records
clerk and the chair of the body, an inspector whose scope covers it, an administrator."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from .models import Role, Unit
from .registers import Register, RegisterEntry
from .scopes import scopes_for

READERS_IN_UNIT = frozenset({Role.RECORDS_CLERK, Role.CHAIR, Role.ADMIN})


def register_units_for(user):
    """The issuing bodies whose register `user` may read, in the tree's order."""
    units = Unit.objects.filter(grants_awards=True)
    if user.is_superuser:
        return units
    scopes = scopes_for(user)
    ids = [s.unit_id for s in scopes if s.role in READERS_IN_UNIT]
    paths = [s.unit_path for s in scopes if s.role == Role.INSPECTOR]
    covered = Q(pk__in=ids)
    for path in paths:
        covered |= Q(path__startswith=path)
    return units.filter(covered) if ids or paths else units.none()


def access_register_unit(user, unit_id) -> Unit:
    """The issuing body, if `user` may read its register; else 404 (nothing is told about it)."""
    unit = register_units_for(user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def register_years(unit) -> list[int]:
    """The years the body has a register for, and this year, newest first."""
    years = set(Register.objects.filter(unit=unit).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def register_entries(unit, year):
    """Every number of the body's registers for `year`, series by series, in number order."""
    return (
        RegisterEntry.objects.filter(register__unit=unit, register__year=year)
        .select_related("register", "recorded_by")
        .order_by("register__series", "number")
    )
