"""Writes to the award history: awards recorded from outside the engine, their corrections and
voiding, and the standing body's overrides of eligibility conditions. Each function is one
transaction that checks permission, state and rules, then appends its audit event; a refusal
changes nothing."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from org import limits
from org.models import Role
from org.scopes import REVIEW_ROLES, UNIT_ROLES, has_role_in, has_role_over, scopes_for

from .history import clean_name, nominee_eligibility
from .models import AwardRecord, EligibilityOverride, NomineeKind
from .models import DossierState as S

STANDING_ROLES = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER})
# Who sees recorded awards: every role held over the awardee's unit.
HISTORY_READERS = UNIT_ROLES | REVIEW_ROLES | {Role.INSPECTOR}
RECORD_FIELDS = (
    "kind",
    "unit",
    "name",
    "person",
    "date_of_birth",
    "id_number",
    "collective_unit",
    "award_type",
    "award_title",
    "year",
    "period",
    "decision_number",
    "decision_date",
    "issuer",
)
# An override may be given while the dossier can still be (re)submitted or is being appraised.
OVERRIDE_STATES = (S.DRAFT, S.RETURNED, S.SUBMITTED, S.IN_APPRAISAL)


def can_record_awards(user, unit) -> bool:
    """The standing body (officers, its leader) of a unit at or above the awardee's unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or has_role_over(user, STANDING_ROLES, unit)


def can_read_history(user, unit) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or has_role_over(user, HISTORY_READERS, unit)


def recording_units(user):
    """The units whose standing body `user` belongs to (their subtrees are where they record)."""
    return [s for s in scopes_for(user) if s.role in STANDING_ROLES]


def reviewing_unit_of(dossier):
    return dossier.reviewing_unit or dossier.unit.deciding_unit()


def can_override_eligibility(user, nominee) -> bool:
    """The standing body (STANDING_OFFICER / STANDING_LEADER) of the unit reviewing the dossier."""
    if not user.is_authenticated or not user.is_active:
        return False
    unit = reviewing_unit_of(nominee.dossier)
    return unit is not None and has_role_in(user, STANDING_ROLES, unit)


def _snapshot(record) -> dict:
    out = {}
    for name in RECORD_FIELDS:
        value = (
            getattr(record, f"{name}_id")
            if name in ("unit", "person", "collective_unit", "award_type")
            else getattr(record, name)
        )
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    out["id_number"] = (
        ("*" * max(len(record.id_number) - 4, 0) + record.id_number[-4:]) if record.id_number else ""
    )
    return out


def _clean(values: dict) -> dict:
    """Normalise and check a recorded award's fields; raise ValidationError with every problem."""
    v = dict(values)
    errors = {}
    v["kind"] = v.get("kind") or NomineeKind.INDIVIDUAL
    if v["kind"] not in NomineeKind.values:
        errors["kind"] = _("Choose the kind of awardee.")
    v["name"] = clean_name(v.get("name"))
    if v["kind"] == NomineeKind.COLLECTIVE:
        if v.get("collective_unit") is None:
            errors["collective_unit"] = _("Choose the unit that received the award.")
        elif not v["name"]:
            v["name"] = v["collective_unit"].name
        v["person"], v["date_of_birth"], v["id_number"] = None, None, ""
    else:
        v["collective_unit"] = None
        if v.get("person") is not None and not v["name"]:
            v["name"] = clean_name(v["person"].full_name or v["person"].get_full_name())
    if not v["name"]:
        errors["name"] = _("Give the awardee's name.")
    if len(v["name"]) > limits.NAME:
        errors["name"] = _("The name is too long.")
    v["id_number"] = (v.get("id_number") or "").strip()
    if v["id_number"] and (not v["id_number"].isdigit() or len(v["id_number"]) not in (9, 12)):
        errors["id_number"] = _("An ID number has 12 digits (9 for an old identity card).")
    v["award_title"] = clean_name(v.get("award_title"))
    if v.get("award_type") is None and not v["award_title"]:
        errors["award_type"] = _("Choose the award, or write its name when it is not in the list.")
    if v.get("award_type") is not None:
        v["award_title"] = ""
    today = timezone.localdate()
    decided = v.get("decision_date")
    if decided is None:
        errors["decision_date"] = _("Give the date of the decision.")
    elif decided > today:
        errors["decision_date"] = _("The decision's date cannot be in the future.")
    year = v.get("year")
    if not year:
        errors["year"] = _("Give the year the award is for.")
    elif year < 1945 or (decided is not None and year > decided.year):
        errors["year"] = _("The year the award is for cannot be after the year of its decision.")
    born = v.get("date_of_birth")
    if born is not None and (born > today or born.year < 1900):
        errors["date_of_birth"] = _("The date of birth is not plausible.")
    for name, message in (
        ("decision_number", _("Give the decision's number (e.g. 125/QĐ-UBND).")),
        ("issuer", _("Say who issued the decision.")),
    ):
        v[name] = clean_name(v.get(name))
        if not v[name]:
            errors[name] = message
    v["period"] = clean_name(v.get("period"))
    if v.get("unit") is None:
        v["unit"] = v.get("collective_unit") or getattr(v.get("person"), "unit", None)
    if v.get("unit") is None:
        errors["unit"] = _("Choose the unit the awardee belongs to.")
    if errors:
        raise ValidationError(errors)
    return v


def award_record_add(*, actor, **values) -> AwardRecord:
    """Record an award decided outside the engine (by a higher body, or on paper before the
    system), so that history and eligibility are complete (DOMAIN.md, step 10). Only the standing
    body of a unit covering the awardee records it."""
    with transaction.atomic():
        v = _clean(values)
        if not can_record_awards(actor, v["unit"]):
            raise PermissionDenied(
                _("Only the standing body over %(unit)s may record its awards.") % {"unit": v["unit"]}
            )
        duplicate = AwardRecord.objects.filter(
            voided_at__isnull=True,
            name=v["name"],
            decision_number=v["decision_number"],
            award_type=v.get("award_type"),
            award_title=v["award_title"],
            year=v["year"],
        )
        if duplicate.exists():
            raise ValidationError(
                _("This award of %(name)s under decision %(number)s is already recorded.")
                % {"name": v["name"], "number": v["decision_number"]}
            )
        record = AwardRecord.objects.create(recorded_by=actor, **{k: v.get(k) for k in RECORD_FIELDS})
        audit.record(
            actor=actor,
            action="award_record.add",
            target=record,
            scope=record.unit.path,
            data=_snapshot(record),
        )
    return record


def award_record_correct(*, actor, record, reason, **changes) -> AwardRecord:
    """Correct a recorded award: the audit keeps what it said before, and why it changed."""
    reason = (reason or "").strip()
    with transaction.atomic():
        record = AwardRecord.objects.select_for_update().get(pk=record.pk)
        if not can_record_awards(actor, record.unit):
            raise PermissionDenied(
                _("Only the standing body over %(unit)s may correct its awards.") % {"unit": record.unit}
            )
        if record.is_void:
            raise ValidationError(_("This recorded award was voided: it is no longer corrected."))
        if not reason:
            raise ValidationError({"reason": _("Say why the record is corrected.")})
        values = {name: getattr(record, name) for name in RECORD_FIELDS}
        values.update({k: v for k, v in changes.items() if k in RECORD_FIELDS})
        v = _clean(values)
        if v["unit"].pk != record.unit_id and not can_record_awards(actor, v["unit"]):
            raise PermissionDenied(
                _("Only the standing body over %(unit)s may record its awards.") % {"unit": v["unit"]}
            )
        before = _snapshot(record)
        for name in RECORD_FIELDS:
            setattr(record, name, v.get(name))
        after = _snapshot(record)
        changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        record.save()
        audit.record(
            actor=actor,
            action="award_record.correct",
            target=record,
            scope=record.unit.path,
            data={"reason": reason, "changes": changed},
        )
    return record


def award_record_void(*, actor, record, reason) -> AwardRecord:
    """Void a record entered by mistake: it stays, marked void with its reason, and no longer
    counts in any history. Never deleted."""
    reason = (reason or "").strip()
    with transaction.atomic():
        record = AwardRecord.objects.select_for_update().get(pk=record.pk)
        if not can_record_awards(actor, record.unit):
            raise PermissionDenied(
                _("Only the standing body over %(unit)s may void its awards.") % {"unit": record.unit}
            )
        if record.is_void:
            raise ValidationError(_("This recorded award is already void."))
        if not reason:
            raise ValidationError({"reason": _("Say why the record is voided.")})
        record.voided_at = timezone.now()
        record.void_reason = reason[: limits.TEXT]
        record.save(update_fields=["voided_at", "void_reason"])
        audit.record(
            actor=actor,
            action="award_record.void",
            target=record,
            scope=record.unit.path,
            data={"reason": record.void_reason},
        )
    return record


def eligibility_override_record(*, actor, nominee, condition, reason) -> EligibilityOverride:
    """The standing body of the reviewing unit lets a nominee through a history condition of its
    award, with a recorded reason; at submission that condition then passes (shown on the
    dossier page)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        dossier = nominee.dossier
        if not can_override_eligibility(actor, nominee):
            raise PermissionDenied(
                _("Only the standing body of %(unit)s may override an eligibility condition.")
                % {"unit": reviewing_unit_of(dossier)}
            )
        if dossier.state not in OVERRIDE_STATES or nominee.removed_at is not None:
            raise ValidationError(
                _("The dossier is “%(state)s”: eligibility is no longer examined.")
                % {"state": dossier.get_state_display()}
            )
        results = {r.condition.pk: r for r in nominee_eligibility(nominee)}
        result = results.get(condition.pk)
        if result is None:
            raise ValidationError(
                _("“%(condition)s” is not a condition of the award proposed for %(name)s.")
                % {"condition": condition, "name": nominee.name}
            )
        if result.override is not None:
            raise ValidationError(
                _("An override of this condition is already recorded for %(name)s.") % {"name": nominee.name}
            )
        if result.met:
            raise ValidationError(
                _("%(name)s already meets this condition: no override is needed.") % {"name": nominee.name}
            )
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the override.")})
        override = EligibilityOverride.objects.create(
            nominee=nominee, condition=condition, reason=reason[: limits.TEXT], granted_by=actor
        )
        audit.record(
            actor=actor,
            action="nominee.eligibility_override",
            target=dossier,
            data={
                "nominee": nominee.pk,
                "condition": condition.pk,
                "missing_years": result.missing,
                "legal_basis": condition.legal_basis,
                "reason": override.reason,
            },
        )
    return override
