"""The check on proposals: a nominee proposed for a title that requires a registration, in a
dossier whose year has an emulation plan, must match a registration of that plan or carry the
standing body's override (Luật Thi đua, khen thưởng 2022, Điều 12).

The plans that apply to a dossier are those of its year (the campaign's period) issued by its
unit or any unit above it: one query, whatever the dossier. A dossier of a year without a plan is
not checked at all (DOSSIER_SUBMISSION_CHECK in the settings calls `registration_problems` from
dossiers.services.dossier_submit, which sits below this app).

A person is matched as the project matches people (dossiers.history): the person in the system
when both sides name one; else the name, folded (accents and case ignored), with the date of
birth. A collective by the unit it is, or by its folded name when the nominee names no unit.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import NomineeKind
from dossiers.search_text import fold
from org.models import Unit
from org.prepared import PreparedRead

from .models import EmulationPlan, PlanState, Registration, RegistrationOverride, RegistrationRequirement


def _unit_ids_up(unit) -> list[int]:
    return [int(x) for x in unit.path.strip("/").split("/") if x]


def _plans_above(year, *, unit):
    """The plans of `year` issued by `unit` or a unit above it (its path starts with theirs)."""
    at_or_under = Unit.objects.filter(pk=unit, path__startswith=OuterRef("unit__path"))
    return (
        EmulationPlan.objects.filter(Exists(at_or_under), year=year)
        .select_related("unit")
        .order_by("unit__path")
    )


# Every submission asks for them: compiled once a year (org.prepared).
_PLANS_ABOVE = PreparedRead(_plans_above, arguments=("unit",))


def applicable_plans(dossier) -> list[EmulationPlan]:
    """The plans of the dossier's year issued at or above its unit (one query)."""
    if dossier.campaign_id is None:
        return []
    return _PLANS_ABOVE.objects(key=(dossier.campaign.period_end.year,), unit=dossier.unit_id)


def _requirements(award_type_ids, plans) -> dict:
    """{award type id: requirement} in force on the plans' registration deadline (one query)."""
    if not plans or not award_type_ids:
        return {}
    day = min(p.registration_deadline for p in plans)
    rows = RegistrationRequirement.objects.in_force_on(day).filter(award_type_id__in=set(award_type_ids))
    return {r.award_type_id: r for r in rows.order_by("valid_from")}


def requirement_for(award_type_id, plans):
    return _requirements([award_type_id], plans).get(award_type_id)


def _matches(nominee, registration) -> bool:
    if registration.award_type_id != nominee.award_type_id:
        return False
    if nominee.kind == NomineeKind.COLLECTIVE:
        if registration.kind != NomineeKind.COLLECTIVE:
            return False
        if nominee.collective_unit_id:
            return registration.collective_unit_id == nominee.collective_unit_id
        return registration.name_folded == fold(nominee.name)
    if registration.kind != NomineeKind.INDIVIDUAL:
        return False
    if nominee.person_id and registration.person_id:
        return nominee.person_id == registration.person_id
    return (
        registration.name_folded == fold(nominee.name)
        and nominee.date_of_birth is not None
        and registration.date_of_birth == nominee.date_of_birth
    )


@dataclass
class NomineeRegistration:
    """How one nominee stands: its title needs a registration (`requirement`), and the matching
    `registration` or the standing body's `override`, if any."""

    nominee: object
    requirement: object = None
    registration: object = None
    override: object = None

    @property
    def required(self) -> bool:
        return self.requirement is not None

    @property
    def missing(self) -> bool:
        return self.required and self.registration is None and self.override is None


def nominee_registrations(dossier, nominees, plans=None) -> dict[int, NomineeRegistration]:
    """{nominee id: NomineeRegistration} for the nominees whose title needs a registration in a
    plan of the dossier's year. One query without a plan; four with one, whatever the numbers."""
    plans = applicable_plans(dossier) if plans is None else plans
    if not plans:
        return {}
    nominees = [n for n in nominees if n.kind in (NomineeKind.INDIVIDUAL, NomineeKind.COLLECTIVE)]
    requirements = _requirements([n.award_type_id for n in nominees], plans)
    needing = [n for n in nominees if n.award_type_id in requirements]
    if not needing:
        return {}
    registrations = list(
        Registration.objects.active()
        .filter(plan__in=plans, award_type_id__in={n.award_type_id for n in needing})
        .select_related("plan", "unit")
    )
    overrides = {
        o.nominee_id: o
        for o in RegistrationOverride.objects.filter(nominee__in=needing).select_related("granted_by")
    }
    out = {}
    for nominee in needing:
        out[nominee.pk] = NomineeRegistration(
            nominee=nominee,
            requirement=requirements[nominee.award_type_id],
            registration=next((r for r in registrations if _matches(nominee, r)), None),
            override=overrides.get(nominee.pk),
        )
    return out


def registration_problems(dossier, nominees) -> list[str]:
    """The refusals of a submission: each nominee whose title needs a registration and who has
    none and no override, by name."""
    problems = []
    for status in nominee_registrations(dossier, nominees).values():
        if status.missing:
            nominee = status.nominee
            problems.append(
                _(
                    "%(name)s is not registered for “%(award)s” in the emulation plan of %(year)d "
                    "and the standing body has not overridden it (%(basis)s)."
                )
                % {
                    "name": nominee.name,
                    "award": nominee.award_type.name,
                    "year": dossier.campaign.period_end.year,
                    "basis": "Luật Thi đua, khen thưởng 2022, Điều 12",
                }
            )
    return problems


def open_plans_for_units(unit_paths) -> list[EmulationPlan]:
    """The open plans of this year or later issued at or above any of these units."""
    ids = {i for path in unit_paths for i in (int(x) for x in path.strip("/").split("/") if x)}
    return list(
        EmulationPlan.objects.filter(
            unit_id__in=ids, state=PlanState.OPEN, year__gte=timezone.localdate().year
        )
        .select_related("unit")
        .order_by("-year", "unit__path")
    )


def registrable_award_types(plan, day):
    """The titles a unit registers for in this plan: those whose rule in force on `day` is decided
    at the plan's unit level or below (its emulation titles and certificates). State honours and
    the titles of a higher level are proposed upward, not registered here (Luật Thi đua, khen thưởng
    2022, Điều 12; the plan registers the titles its own body awards). Two queries."""
    from approvals.services import decides_here
    from dossiers.models import AwardRule, AwardType

    rules = AwardRule.objects.in_force_on(day).order_by("award_type_id", "-valid_from")
    latest = {}
    for rule in rules:
        latest.setdefault(rule.award_type_id, rule)
    ids = [pk for pk, rule in latest.items() if decides_here(rule, plan.unit)]
    return AwardType.objects.filter(pk__in=ids).order_by("name")


def registration_deadline_for(unit, year):
    """The last day to register the year's titles and initiatives in `unit`: the deadline of the
    year's plan issued nearest above it, or None without a plan (settings
    INITIATIVE_REGISTRATION_DEADLINE: the initiatives app, below this one, asks it)."""
    plan = (
        EmulationPlan.objects.filter(unit_id__in=_unit_ids_up(unit), year=year)
        .order_by("-unit__path")
        .values_list("registration_deadline", flat=True)
        .first()
    )
    return plan
