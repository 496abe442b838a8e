"""Every write of the year's plan and its registrations: one transaction each, checked on the
server (role and object scope, state, rule) and ending with its audit event.

Luật Thi đua, khen thưởng 2022, Điều 12: a title is granted on a registration to compete; the
plan's deadline is the standing body's, and only the standing body accepts a line after it, with
its reason, or lets a nominee without a registration be proposed (an override, with its reason).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approvals.services import decides_here
from audit import services as audit
from dossiers.history import clean_name
from dossiers.models import DossierState, Nominee
from dossiers.search_text import fold
from org import limits
from org.errors import TransitionNotAllowed

from . import permissions
from .checks import applicable_plans, requirement_for
from .models import EmulationPlan, PlanState, Registration, RegistrationKind, RegistrationOverride


def _d(day) -> str:
    return date_format(day, "d/m/Y")


def plan_open(
    *,
    actor,
    unit,
    year,
    title,
    registration_deadline,
    number="",
    issued_on=None,
    legal_basis="",
) -> EmulationPlan:
    """The standing body of a deciding unit issues the year's plan and opens it for registration.
    One plan per unit and year."""
    title, number, legal_basis = clean_name(title), (number or "").strip(), (legal_basis or "").strip()
    limits.require_texts(
        {
            "title": (title, limits.TITLE),
            "number": (number, 64),
            "legal_basis": (legal_basis, limits.SHORT_TEXT),
        }
    )
    with transaction.atomic():
        if not permissions.can_open_plan(actor, unit):
            raise PermissionDenied(
                _("Only the standing body of %(unit)s may issue its emulation plan.") % {"unit": unit}
            )
        errors = {}
        if not title:
            errors["title"] = [_("Give the plan's title.")]
        if registration_deadline is None or registration_deadline.year != year:
            errors["registration_deadline"] = [_("The registration deadline falls within the plan's year.")]
        if errors:
            raise ValidationError(errors)
        if EmulationPlan.objects.filter(unit=unit, year=year).exists():
            raise TransitionNotAllowed(
                _("%(unit)s already has an emulation plan for %(year)d.") % {"unit": unit, "year": year}
            )
        try:
            with transaction.atomic():
                plan = EmulationPlan.objects.create(
                    unit=unit,
                    year=year,
                    title=title,
                    number=number,
                    issued_on=issued_on,
                    registration_deadline=registration_deadline,
                    legal_basis=legal_basis,
                    opened_by=actor,
                )
        except IntegrityError:
            raise TransitionNotAllowed(
                _("%(unit)s already has an emulation plan for %(year)d.") % {"unit": unit, "year": year}
            ) from None
        audit.record(
            actor=actor,
            action="emulation_plan.open",
            target=plan,
            data={"year": year, "deadline": registration_deadline.isoformat(), "number": number},
        )
    return plan


def _lock_plan(plan) -> EmulationPlan:
    return EmulationPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)


def registration_add(
    *,
    actor,
    plan,
    unit,
    award_type,
    kind,
    person=None,
    name="",
    date_of_birth=None,
    position="",
    collective_unit=None,
    late_reason="",
) -> Registration:
    """A unit registers a collective or one of its people for a title in the year's plan.

    The unit's emulation officer or head registers until the plan's deadline; after it only the
    standing body may accept a line, giving its reason. The title must suit the kind (the award's
    rule in force); a person or collective registered once per title."""
    name, position, late_reason = clean_name(name), clean_name(position), (late_reason or "").strip()
    limits.require_texts(
        {
            "name": (name, limits.NAME),
            "position": (position, limits.PLACE),
            "late_reason": (late_reason, limits.SHORT_TEXT),
        }
    )
    with transaction.atomic():
        plan = _lock_plan(plan)
        if not permissions.can_register(actor, plan, unit):
            raise PermissionDenied(_("You may not register for %(unit)s in this plan.") % {"unit": unit})
        if plan.state != PlanState.OPEN:
            raise TransitionNotAllowed(_("The plan “%(plan)s” is closed.") % {"plan": plan})
        today = timezone.localdate()
        late = today > plan.registration_deadline
        standing = permissions.is_standing_body_of(actor, plan)
        if late and not standing:
            raise TransitionNotAllowed(
                _(
                    "The registration deadline of the plan (%(date)s) has passed: only the standing "
                    "body may still accept a registration, with its reason."
                )
                % {"date": _d(plan.registration_deadline)}
            )
        errors = {}
        if late and not late_reason:
            errors["late_reason"] = [
                _("The deadline (%(date)s) has passed: say why the registration is accepted late.")
                % {"date": _d(plan.registration_deadline)}
            ]
        if not late:
            late_reason = ""
        rule = award_type.rule_on(today)
        if rule is None or kind not in rule.nominee_kinds:
            errors["award_type"] = [
                _("“%(award)s” is not a title for a %(kind)s.")
                % {"award": award_type, "kind": RegistrationKind(kind).label.lower()}
                if kind in RegistrationKind.values
                else _("Choose individual or collective.")
            ]
        elif not decides_here(rule, plan.unit):
            errors["award_type"] = [
                _(
                    "“%(award)s” is decided at the %(level)s: it is not registered in the emulation plan "
                    "of %(unit)s, which registers only the titles decided at its own level or below."
                )
                % {"award": award_type, "level": rule.get_deciding_level_display().lower(), "unit": plan.unit}
            ]
        if kind == RegistrationKind.COLLECTIVE:
            person, date_of_birth, position = None, None, ""
            if collective_unit is None:
                errors["collective_unit"] = [_("Choose the collective (the unit or one of its parts).")]
            elif not collective_unit.is_under(unit):
                errors["collective_unit"] = [
                    _("%(collective)s is not part of %(unit)s.")
                    % {"collective": collective_unit, "unit": unit}
                ]
            else:
                name = collective_unit.name
        elif kind == RegistrationKind.INDIVIDUAL:
            collective_unit = None
            if person is not None:
                if person.unit_id is None or not person.unit.is_under(unit):
                    errors["person"] = [
                        _("%(name)s does not work in %(unit)s.") % {"name": person, "unit": unit}
                    ]
                name = name or person.get_full_name()
                position = position or person.position
            else:
                if not name:
                    errors["name"] = [_("Give the person's full name.")]
                if date_of_birth is None:
                    errors["date_of_birth"] = [
                        _("Give the date of birth: it tells apart people of the same name.")
                    ]
        if errors:
            raise ValidationError(errors)
        duplicate = Registration.objects.active().filter(plan=plan, award_type=award_type)
        if kind == RegistrationKind.COLLECTIVE:
            duplicate = duplicate.filter(kind=kind, collective_unit=collective_unit)
        elif person is not None:
            duplicate = duplicate.filter(person=person)
        else:
            duplicate = duplicate.filter(
                kind=kind, person__isnull=True, name_folded=fold(name), date_of_birth=date_of_birth
            )
        existing = duplicate.select_related("unit").first()
        if existing is not None:
            raise TransitionNotAllowed(
                _("%(name)s is already registered for “%(award)s” by %(unit)s.")
                % {"name": existing.name, "award": award_type, "unit": existing.unit}
            )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    plan=plan,
                    unit=unit,
                    award_type=award_type,
                    kind=kind,
                    person=person,
                    name=name,
                    name_folded=fold(name),
                    date_of_birth=date_of_birth,
                    position=position,
                    collective_unit=collective_unit,
                    registered_by=actor,
                    late_reason=late_reason,
                )
        except IntegrityError:
            raise TransitionNotAllowed(
                _("%(name)s is already registered for “%(award)s”.") % {"name": name, "award": award_type}
            ) from None
        data = {"plan": plan.pk, "award_type": award_type.code, "kind": kind, "name": name}
        if late_reason:
            data["late_reason"] = late_reason
        audit.record(
            actor=actor,
            action="emulation_registration.accept_late" if late else "emulation_registration.add",
            target=registration,
            data=data,
        )
    return registration


def registration_withdraw(*, actor, registration, reason) -> Registration:
    """The unit (or the standing body) withdraws a line, with its reason; the line stays on record."""
    reason = (reason or "").strip()
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    if not reason:
        raise ValidationError({"reason": [_("Say why the registration is withdrawn.")]})
    with transaction.atomic():
        held = Registration.objects.select_for_update().get(pk=registration.pk)
        plan = EmulationPlan.objects.select_related("unit").get(pk=held.plan_id)
        held.plan = plan
        if not permissions.can_register(actor, plan, held.unit):
            raise PermissionDenied(
                _("You may not change the registrations of %(unit)s.") % {"unit": held.unit}
            )
        if held.withdrawn_at is not None:
            raise TransitionNotAllowed(
                _("This registration was already withdrawn on %(date)s.")
                % {"date": _d(timezone.localtime(held.withdrawn_at))}
            )
        held.withdrawn_at = timezone.now()
        held.withdrawn_by = actor
        held.withdrawal_reason = reason
        held.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        audit.record(
            actor=actor,
            action="emulation_registration.withdraw",
            target=held,
            data={"plan": plan.pk, "name": held.name, "reason": reason},
        )
    return held


OVERRIDABLE = (DossierState.DRAFT, DossierState.RETURNED, DossierState.SUBMITTED, DossierState.IN_APPRAISAL)


def registration_override_record(*, actor, nominee, reason) -> RegistrationOverride:
    """The standing body lets a nominee without a registration be proposed, giving its reason
    (e.g. the person joined the unit after the deadline). Only where a plan of the dossier's year
    asks a registration for the nominee's title; once per nominee."""
    reason = (reason or "").strip()
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    if not reason:
        raise ValidationError({"reason": [_("Say why the nominee may be proposed without a registration.")]})
    with transaction.atomic():
        nominee = (
            Nominee.objects.select_for_update(of=("self",))
            .select_related("dossier__unit", "dossier__campaign", "award_type")
            .get(pk=nominee.pk)
        )
        dossier = nominee.dossier
        plans = applicable_plans(dossier)
        if not any(permissions.is_standing_body_of(actor, p) for p in plans):
            raise PermissionDenied(_("Only the standing body that issued the year's plan may override."))
        if nominee.removed_at is not None or dossier.state not in OVERRIDABLE:
            raise TransitionNotAllowed(
                _("The dossier is “%(state)s”: a registration can no longer be overridden.")
                % {"state": dossier.get_state_display()}
            )
        if requirement_for(nominee.award_type_id, plans) is None:
            raise ValidationError(
                {
                    "reason": [
                        _("“%(award)s” does not require a registration.") % {"award": nominee.award_type}
                    ]
                }
            )
        existing = RegistrationOverride.objects.filter(nominee=nominee).select_related("granted_by").first()
        if existing is not None:
            raise TransitionNotAllowed(
                _("%(name)s already overrode the registration of this nominee on %(date)s.")
                % {"name": existing.granted_by, "date": _d(timezone.localtime(existing.granted_at))}
            )
        try:
            with transaction.atomic():
                override = RegistrationOverride.objects.create(
                    nominee=nominee, reason=reason, granted_by=actor
                )
        except IntegrityError:
            raise TransitionNotAllowed(
                _("The registration of this nominee was already overridden.")
            ) from None
        audit.record(
            actor=actor,
            action="emulation_registration.override",
            target=override,
            data={
                "nominee": nominee.pk,
                "name": nominee.name,
                "award_type": nominee.award_type.code,
                "reason": reason,
            },
        )
    return override
