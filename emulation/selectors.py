"""Reads of the year's plans and registrations, filtered by who asks: a unit sees its own lines,
the standing body and inspectors the plan's whole overview. Anything else is a 404."""

from django.db.models import Count, Q
from django.http import Http404

from org.models import Role, Unit
from org.scopes import UNIT_ROLES, scopes_for

from . import permissions
from .models import EmulationPlan, Registration

OVERVIEW_ROLES = permissions.STANDING_ROLES | {Role.INSPECTOR}


def _ids_up(path) -> set[int]:
    return {int(x) for x in path.strip("/").split("/") if x}


def plans_q(user) -> Q | None:
    """The plans `user` may open: those issued at or above a unit they register for, and those
    of the bodies where they serve as standing body or inspector."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    q = None
    for scope in scopes_for(user):
        if scope.role in UNIT_ROLES:
            part = Q(unit_id__in=_ids_up(scope.unit_path))
        elif scope.role in permissions.STANDING_ROLES:
            part = Q(unit_id=scope.unit_id)
        elif scope.role == Role.INSPECTOR:
            part = Q(unit__path__startswith=scope.unit_path)
        else:
            continue
        q = part if q is None else q | part
    return q


def plan_list_for(*, user):
    q = plans_q(user)
    if q is None:
        return EmulationPlan.objects.none()
    return EmulationPlan.objects.filter(q).select_related("unit").order_by("-year", "unit__path")


def access_plan(*, user, pk) -> EmulationPlan:
    q = plans_q(user)
    if q is None:
        raise Http404
    try:
        return EmulationPlan.objects.select_related("unit").get(q, pk=pk)
    except (EmulationPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_plan_unit(*, user, plan_pk, unit_pk) -> tuple[EmulationPlan, Unit]:
    """The plan and one unit's registration page: 404 unless `user` may read that unit's lines."""
    plan = access_plan(user=user, pk=plan_pk)
    try:
        unit = Unit.objects.get(pk=unit_pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not permissions.can_read_unit(user, plan, unit):
        raise Http404
    return plan, unit


def own_units_in(*, user, plan) -> list[Unit]:
    """The units under the plan that `user` registers for (as officer or head)."""
    ids = [unit_id for unit_id, path in permissions.own_units(user) if path.startswith(plan.unit.path)]
    return list(Unit.objects.filter(pk__in=ids).order_by("path")) if ids else []


def unit_registrations(*, plan, unit, include_withdrawn=True):
    qs = Registration.objects.filter(plan=plan, unit=unit).select_related(
        "award_type", "person", "collective_unit", "registered_by", "withdrawn_by"
    )
    if not include_withdrawn:
        qs = qs.active()
    return qs.order_by("withdrawn_at", "kind", "award_type__name", "name_folded", "pk")


def access_registration(*, user, pk) -> Registration:
    try:
        registration = Registration.objects.select_related("plan__unit", "unit", "award_type").get(pk=pk)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if plans_q(user) is None or not permissions.can_read_unit(user, registration.plan, registration.unit):
        raise Http404
    return registration


def plan_overview(*, plan) -> dict:
    """The standing body's overview (three queries): the live registrations counted per title
    and kind, per unit, and the units under the plan's body that have registered nothing."""
    live = Registration.objects.active().filter(plan=plan)
    per_title = list(
        live.values("award_type__name", "kind")
        .annotate(count=Count("pk"))
        .order_by("award_type__name", "kind")
    )
    per_unit = {
        row.pop("unit"): row
        for row in live.values("unit").annotate(
            individuals=Count("pk", filter=Q(kind="individual")),
            collectives=Count("pk", filter=Q(kind="collective")),
            late=Count("pk", filter=~Q(late_reason="")),
        )
    }
    units = list(
        Unit.objects.filter(path__startswith=plan.unit.path, is_active=True)
        .exclude(pk=plan.unit_id)
        .order_by("path")
    )
    rows = [{"unit": u, **per_unit.get(u.pk, {"individuals": 0, "collectives": 0, "late": 0})} for u in units]
    return {
        "per_title": per_title,
        "units": rows,
        "not_registered": [r["unit"] for r in rows if not (r["individuals"] or r["collectives"])],
        "total": sum(r["count"] for r in per_title),
    }


def dossier_registrations(*, user, dossier, nominees) -> bool:
    """For the dossier's page: set `nominee.registration` (a checks.NomineeRegistration, or None
    when the title needs none) on each nominee, and say whether `user` may record the standing
    body's override on those without one. One query for a dossier of a year without a plan."""
    from .checks import applicable_plans, nominee_registrations
    from .services import OVERRIDABLE

    plans = applicable_plans(dossier)
    statuses = nominee_registrations(dossier, nominees, plans=plans)
    for nominee in nominees:
        nominee.registration = statuses.get(nominee.pk)
    return dossier.state in OVERRIDABLE and any(permissions.is_standing_body_of(user, p) for p in plans)


def unit_nominees_unregistered(*, plan, unit) -> list:
    """For the standing body on a unit's registration page: the nominees the unit proposes in its
    dossiers of the plan's year not yet submitted (draft or returned) whose title requires a
    registration and who have neither a registration nor an override. A draft is not visible to the
    standing body, and the unit's submission is refused precisely for these nominees, so the override
    (Luật Thi đua, khen thưởng 2022, Điều 12) is given here."""
    from dossiers.models import Dossier, DossierState, Nominee

    from .checks import applicable_plans, nominee_registrations

    dossiers = list(
        Dossier.objects.filter(
            unit=unit,
            state__in=(DossierState.DRAFT, DossierState.RETURNED),
            campaign__period_end__year=plan.year,
        )
        .select_related("unit", "campaign")
        .order_by("pk")
    )
    if not dossiers:
        return []
    nominees = list(
        Nominee.objects.current()
        .filter(dossier__in=dossiers)
        .select_related("award_type")
        .order_by("dossier_id", "pk")
    )
    plans = applicable_plans(dossiers[0])
    out = []
    for dossier in dossiers:
        own = [n for n in nominees if n.dossier_id == dossier.pk]
        for status in nominee_registrations(dossier, own, plans=plans).values():
            if status.missing:
                status.nominee.dossier = dossier
                out.append(status.nominee)
    return out


def access_unit_nominee(*, user, plan, unit, pk):
    """One nominee of that list, for the override posted from the unit's page: 404 otherwise."""
    if not permissions.is_standing_body_of(user, plan):
        raise Http404
    for nominee in unit_nominees_unregistered(plan=plan, unit=unit):
        if str(nominee.pk) == str(pk):
            return nominee
    raise Http404
