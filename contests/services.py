"""Writes of a contest's set-up and of its entries (seed 002: plan 4979/KH-SNV-CĐVC of Sở Nội vụ and
District 7's letter 4431/UBND-NV).

The organiser prepares the contest while it is a draft (rules, deadlines, criteria, prizes, jury)
and opens it; units then draft entries, and their heads send at most `entry_cap_per_unit` each by
the entries deadline, after their own pre-selection. Each function is one transaction that checks
permission (role and object scope), state and rule, then appends its audit event; a refusal
changes nothing. The contest row is locked (`select_for_update`) by every write that depends on
its state, and a unit's entries by a send, so two people acting at once cannot pass the cap.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from dossiers.files import DOCX, JPEG, PDF, PNG, FileRejected, sniff
from org import limits
from org.calendar import WorkingCalendar
from org.errors import TransitionNotAllowed
from org.models import Unit

from . import permissions as perms
from .models import (
    Aggregation,
    ConflictOfInterest,
    Contest,
    ContestState,
    ContestTieRule,
    Criterion,
    EntrantKind,
    Entry,
    EntryAuthor,
    EntryFile,
    EntryState,
    Juror,
    JurorRole,
    Prize,
    RoundKind,
)
from .round_services import contest_process_start

C = ContestState
CONTEST_FIELDS = (
    "name",
    "year",
    "plan_reference",
    "legal_basis",
    "description",
    "entry_cap_per_unit",
    "entries_deadline",
    "appraisal_deadline",
    "final_deadline",
    "finalists",
    "aggregation",
    "tie_rule",
)
DEADLINES = ("entries_deadline", "appraisal_deadline", "final_deadline")
ENTRY_FIELDS = ("title", "summary", "entrant_kind", "entrant_name", "contact", "preselection_note")
ENTRY_FILE_TYPES = (PDF, DOCX, JPEG, PNG)
# The description of the entry (bản thuyết minh) is a document; pictures illustrate it.
DESCRIPTION_TYPES = (PDF, DOCX)
MAX_AUTHORS = 20
# The jury may change until the appraisal round starts; a conflict may be declared until the end.
JURY_STATES = (C.DRAFT, C.OPEN)
CONFLICT_STATES = (C.OPEN, C.APPRAISAL, C.FINAL)


def _day(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _ddmmyyyy(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def lock_contest(contest) -> Contest:
    return Contest.objects.select_for_update().select_related("organizer").get(pk=contest.pk)


def _require_organiser(actor, contest, what):
    if not perms.can_organise(actor, contest):
        raise PermissionDenied(
            _("Only the standing body of %(unit)s, which organises the contest, may %(what)s.")
            % {"unit": contest.organizer, "what": what}
        )


def _require_draft(contest):
    if contest.state != C.DRAFT:
        raise TransitionNotAllowed(
            _("The contest is “%(state)s”: its rules are changed only while it is being prepared.")
            % {"state": contest.get_state_display()}
        )


# --- the contest ---------------------------------------------------------------------------------


def _clean_contest(values: dict) -> dict:
    """Normalise and check a contest's fields; ValidationError naming every field at fault."""
    v = {k: values.get(k) for k in CONTEST_FIELDS}
    for name in ("name", "plan_reference", "legal_basis", "description"):
        v[name] = (v[name] or "").strip()
    limits.require_texts(
        {
            "name": (v["name"], limits.TITLE),
            "plan_reference": (v["plan_reference"], 64),
            "legal_basis": (v["legal_basis"], limits.SHORT_TEXT),
            "description": (v["description"], limits.LONG_TEXT),
        }
    )
    errors = {}
    if not v["name"]:
        errors["name"] = _("Give the contest's name.")
    if not v["year"] or not 2000 <= int(v["year"]) <= 2100:
        errors["year"] = _("Give the year of the contest.")
    v["entry_cap_per_unit"] = v["entry_cap_per_unit"] or 3
    if int(v["entry_cap_per_unit"]) < 1:
        errors["entry_cap_per_unit"] = _("A unit may send at least one entry.")
    if not v["finalists"] or int(v["finalists"]) < 1:
        errors["finalists"] = _("Say how many entries go to the final round (at least one).")
    v["aggregation"] = v["aggregation"] or Aggregation.MEAN
    if v["aggregation"] not in Aggregation.values:
        errors["aggregation"] = _("Choose how the jurors' scores of an entry are combined.")
    v["tie_rule"] = v["tie_rule"] or ContestTieRule.APPRAISAL_SCORE
    if v["tie_rule"] not in ContestTieRule.values:
        errors["tie_rule"] = _("Choose how ties are broken.")
    calendar = WorkingCalendar()
    for name in DEADLINES:
        day = v[name]
        if day is None:
            errors[name] = _("Give the date.")
        elif not calendar.is_working_day(day):
            errors[name] = _("%(day)s is not a working day: choose a working day.") % {"day": _ddmmyyyy(day)}
    e, a, f = (v[name] for name in DEADLINES)
    if "entries_deadline" not in errors and "appraisal_deadline" not in errors and a < e:
        errors["appraisal_deadline"] = _("The appraisal round ends after the entries deadline (%(day)s).") % {
            "day": _ddmmyyyy(e)
        }
    if "appraisal_deadline" not in errors and "final_deadline" not in errors and f < a:
        errors["final_deadline"] = _("The final round ends after the appraisal round (%(day)s).") % {
            "day": _ddmmyyyy(a)
        }
    if errors:
        raise ValidationError(errors)
    return v


def _contest_snapshot(contest) -> dict:
    return {name: _day(getattr(contest, name)) for name in CONTEST_FIELDS}


def contest_create(*, actor, organizer, **values) -> Contest:
    """The organiser's standing body prepares a contest (a draft no one else sees)."""
    with transaction.atomic():
        if not perms.can_create_contest(actor, organizer):
            raise PermissionDenied(
                _("Only the standing body of %(unit)s may organise a contest there.") % {"unit": organizer}
            )
        v = _clean_contest(values)
        contest = Contest.objects.create(organizer=organizer, created_by=actor, **v)
        audit.record(actor=actor, action="contest.create", target=contest, data=_contest_snapshot(contest))
    return contest


def contest_update(*, actor, contest, **changes) -> Contest:
    """Change the rules of a contest being prepared."""
    with transaction.atomic():
        contest = lock_contest(contest)
        _require_organiser(actor, contest, _("change it"))
        _require_draft(contest)
        before = _contest_snapshot(contest)
        values = dict(before)
        values.update({k: getattr(contest, k) for k in DEADLINES})
        values.update({k: v for k, v in changes.items() if k in CONTEST_FIELDS})
        v = _clean_contest(values)
        for name, value in v.items():
            setattr(contest, name, value)
        after = _contest_snapshot(contest)
        changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        contest.save(update_fields=list(CONTEST_FIELDS))
        audit.record(actor=actor, action="contest.update", target=contest, data={"changes": changed})
    return contest


def round_weights(contest) -> dict[str, int]:
    totals = dict(
        Criterion.objects.filter(contest=contest)
        .values_list("round")
        .annotate(total=Sum("weight"))
        .order_by()
    )
    return {kind: totals.get(kind, 0) for kind in RoundKind.values}


def opening_problems(contest) -> list[str]:
    """Everything that keeps a draft from opening, in words the organiser can act on."""
    problems = []
    criteria = list(contest.criteria.all())
    for kind, label in RoundKind.choices:
        in_round = [c for c in criteria if c.round == kind]
        total = sum(c.weight for c in in_round)
        if not in_round:
            problems.append(_("%(round)s has no criterion.") % {"round": label})
        elif total != 100:
            problems.append(
                _("The weights of %(round)s add up to %(total)s, not 100.") % {"round": label, "total": total}
            )
    if not contest.prizes.exists():
        problems.append(_("The prize structure is empty."))
    jurors = list(contest.jurors.all())
    if not jurors:
        problems.append(_("The jury has no member."))
    elif not any(j.role == JurorRole.CHAIR for j in jurors):
        problems.append(_("The jury has no chair."))
    today = timezone.localdate()
    if contest.entries_deadline <= today:
        problems.append(
            _("The entries deadline (%(day)s) must be after today.")
            % {"day": _ddmmyyyy(contest.entries_deadline)}
        )
    if contest.finalists < 1:
        problems.append(_("Say how many entries go to the final round."))
    return problems


def _start_rounds(contest):
    """Start the contest's ContestProcess (its rounds as tasks of contests.flows.ContestFlow),
    inside the caller's transaction: the first task waits for the entries deadline."""
    return contest_process_start(contest)


def contest_open(*, actor, contest) -> Contest:
    """Open a prepared contest to entries: the rules are then fixed (plan 4979/KH-SNV-CĐVC, III:
    criteria and scale, prizes and jury are decided before the entries are received)."""
    with transaction.atomic():
        contest = lock_contest(contest)
        _require_organiser(actor, contest, _("open it"))
        _require_draft(contest)
        problems = opening_problems(contest)
        if problems:
            raise ValidationError(problems)
        contest.open_entries()
        contest.save()
        _start_rounds(contest)
        audit.record(
            actor=actor,
            action="contest.open",
            target=contest,
            data={"entries_deadline": _day(contest.entries_deadline), "weights": round_weights(contest)},
        )
    return contest


# --- criteria ------------------------------------------------------------------------------------


def _clean_criterion(contest, v, *, exclude_pk=None) -> dict:
    v["name"] = (v.get("name") or "").strip()
    limits.require_text("name", v["name"], limits.TITLE)
    errors = {}
    if v.get("round") not in RoundKind.values:
        errors["round"] = _("Choose the round.")
    if not v["name"]:
        errors["name"] = _("Name the criterion.")
    weight = v.get("weight")
    if weight is None or not 1 <= int(weight) <= 100:
        errors["weight"] = _("A weight is between 1 and 100.")
    v["max_score"] = v.get("max_score") or 10
    if int(v["max_score"]) < 1:
        errors["max_score"] = _("The highest score is at least 1.")
    if errors:
        raise ValidationError(errors)
    others = Criterion.objects.filter(contest=contest, round=v["round"]).exclude(pk=exclude_pk)
    if others.filter(name=v["name"]).exists():
        raise ValidationError(
            {"name": _("This round already has a criterion “%(name)s”.") % {"name": v["name"]}}
        )
    total = (others.aggregate(t=Sum("weight"))["t"] or 0) + int(weight)
    if total > 100:
        raise ValidationError(
            {
                "weight": _("The weights of %(round)s would add up to %(total)s; they must add up to 100.")
                % {"round": RoundKind(v["round"]).label, "total": total}
            }
        )
    if v.get("position") is None:
        v["position"] = others.count() + 1
    return v


def criterion_add(*, actor, contest, round, name, weight, max_score=10, position=None) -> Criterion:
    """A criterion of a round with its weight: a round's weights add up to 100 (checked here
    against going over, and when the contest opens against falling short)."""
    with transaction.atomic():
        contest = lock_contest(contest)
        _require_organiser(actor, contest, _("set its criteria"))
        _require_draft(contest)
        v = _clean_criterion(
            contest,
            {"round": round, "name": name, "weight": weight, "max_score": max_score, "position": position},
        )
        criterion = Criterion.objects.create(contest=contest, **v)
        audit.record(
            actor=actor,
            action="criterion.add",
            target=criterion,
            data={**v, "round_total": round_weights(contest)[v["round"]]},
        )
    return criterion


def criterion_update(*, actor, criterion, **changes) -> Criterion:
    with transaction.atomic():
        contest = lock_contest(criterion.contest)
        criterion = Criterion.objects.get(pk=criterion.pk)
        _require_organiser(actor, contest, _("set its criteria"))
        _require_draft(contest)
        fields = ("round", "name", "weight", "max_score", "position")
        before = {k: getattr(criterion, k) for k in fields}
        values = dict(before)
        values.update({k: v for k, v in changes.items() if k in fields and v is not None})
        v = _clean_criterion(contest, values, exclude_pk=criterion.pk)
        for name in fields:
            setattr(criterion, name, v[name])
        changed = {k: {"before": before[k], "after": v[k]} for k in fields if before[k] != v[k]}
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        criterion.save()
        audit.record(actor=actor, action="criterion.update", target=criterion, data={"changes": changed})
    return criterion


def criterion_remove(*, actor, criterion) -> None:
    with transaction.atomic():
        contest = lock_contest(criterion.contest)
        _require_organiser(actor, contest, _("set its criteria"))
        _require_draft(contest)
        data = {"round": criterion.round, "name": criterion.name, "weight": criterion.weight}
        audit.record(
            actor=actor,
            action="criterion.remove",
            object_type="contests.criterion",
            object_id=str(criterion.pk),
            scope=contest.organizer.path,
            data=data,
        )
        Criterion.objects.filter(pk=criterion.pk).delete()


# --- prizes --------------------------------------------------------------------------------------


def _clean_prize(contest, v, *, exclude_pk=None) -> dict:
    v["name"] = (v.get("name") or "").strip()
    limits.require_text("name", v["name"], 64)
    errors = {}
    if v.get("entrant_kind") not in EntrantKind.values:
        errors["entrant_kind"] = _("Choose collective or individual.")
    if not v["name"]:
        errors["name"] = _("Name the prize (e.g. Giải nhất).")
    if not v.get("count") or int(v["count"]) < 1:
        errors["count"] = _("At least one prize of a level.")
    if v.get("amount") is None or int(v["amount"]) < 0:
        errors["amount"] = _("Give the cash of each prize in đồng (0 when there is none).")
    if errors:
        raise ValidationError(errors)
    same_kind = Prize.objects.filter(contest=contest, entrant_kind=v["entrant_kind"]).exclude(pk=exclude_pk)
    if v.get("position") is None:
        v["position"] = same_kind.count() + 1
    if same_kind.filter(position=v["position"]).exists():
        raise ValidationError(
            {"position": _("Another prize of this kind already has this place in the order.")}
        )
    # Levels in order: a lower prize never pays more than the one above it.
    above = same_kind.filter(position__lt=v["position"]).order_by("-position").first()
    below = same_kind.filter(position__gt=v["position"]).order_by("position").first()
    if (above and above.amount < int(v["amount"])) or (below and below.amount > int(v["amount"])):
        raise ValidationError(
            {"amount": _("A prize pays no more than the level above it, no less than the one below.")}
        )
    return v


def _prize_data(prize) -> dict:
    return {
        "entrant_kind": prize.entrant_kind,
        "name": prize.name,
        "position": prize.position,
        "count": prize.count,
        "amount": prize.amount,
    }


def prize_add(*, actor, contest, entrant_kind, name, count, amount, position=None) -> Prize:
    """A level of the prize structure (plan 4979, III.5: e.g. collective first prize, 10,000,000 đ)."""
    with transaction.atomic():
        contest = lock_contest(contest)
        _require_organiser(actor, contest, _("set its prizes"))
        _require_draft(contest)
        v = _clean_prize(
            contest,
            {
                "entrant_kind": entrant_kind,
                "name": name,
                "count": count,
                "amount": amount,
                "position": position,
            },
        )
        prize = Prize.objects.create(contest=contest, **v)
        audit.record(actor=actor, action="prize.add", target=prize, data=_prize_data(prize))
    return prize


def prize_update(*, actor, prize, **changes) -> Prize:
    with transaction.atomic():
        contest = lock_contest(prize.contest)
        prize = Prize.objects.get(pk=prize.pk)
        _require_organiser(actor, contest, _("set its prizes"))
        _require_draft(contest)
        before = _prize_data(prize)
        values = dict(before)
        values.update({k: v for k, v in changes.items() if k in before and v is not None})
        v = _clean_prize(contest, values, exclude_pk=prize.pk)
        for name, value in v.items():
            setattr(prize, name, value)
        after = _prize_data(prize)
        changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        prize.save()
        audit.record(actor=actor, action="prize.update", target=prize, data={"changes": changed})
    return prize


def prize_remove(*, actor, prize) -> None:
    with transaction.atomic():
        contest = lock_contest(prize.contest)
        _require_organiser(actor, contest, _("set its prizes"))
        _require_draft(contest)
        audit.record(
            actor=actor,
            action="prize.remove",
            object_type="contests.prize",
            object_id=str(prize.pk),
            scope=contest.organizer.path,
            data=_prize_data(prize),
        )
        Prize.objects.filter(pk=prize.pk).delete()


def prize_totals(prizes) -> dict:
    """How many prizes and how much cash in all (integer đồng)."""
    prizes = list(prizes)
    return {"count": sum(p.count for p in prizes), "cash": sum(p.count * p.amount for p in prizes)}


# --- the jury ------------------------------------------------------------------------------------


def juror_add(*, actor, contest, user, role=JurorRole.MEMBER) -> Juror:
    """A member of the jury (Ban Giám khảo); exactly one chairs it."""
    with transaction.atomic():
        contest = lock_contest(contest)
        _require_organiser(actor, contest, _("form its jury"))
        if contest.state not in JURY_STATES:
            raise TransitionNotAllowed(
                _("The contest is “%(state)s”: its jury no longer changes.")
                % {"state": contest.get_state_display()}
            )
        if role not in JurorRole.values:
            raise ValidationError({"role": _("Choose chair or member.")})
        if user is None or not user.is_active:
            raise ValidationError({"user": _("A juror must be an active user of the system.")})
        if Juror.objects.filter(contest=contest, user=user).exists():
            raise ValidationError({"user": _("%(name)s is already on the jury.") % {"name": user}})
        if role == JurorRole.CHAIR:
            chair = Juror.objects.filter(contest=contest, role=JurorRole.CHAIR).select_related("user").first()
            if chair is not None:
                raise ValidationError({"role": _("%(name)s already chairs the jury.") % {"name": chair.user}})
        juror = Juror.objects.create(contest=contest, user=user, role=role)
        audit.record(
            actor=actor,
            action="juror.add",
            target=juror,
            data={"user": user.username, "role": role},
        )
    return juror


def juror_remove(*, actor, juror) -> None:
    with transaction.atomic():
        contest = lock_contest(juror.contest)
        _require_organiser(actor, contest, _("form its jury"))
        if contest.state not in JURY_STATES:
            raise TransitionNotAllowed(
                _("The contest is “%(state)s”: its jury no longer changes.")
                % {"state": contest.get_state_display()}
            )
        juror = Juror.objects.select_related("user").get(pk=juror.pk)
        audit.record(
            actor=actor,
            action="juror.remove",
            object_type="contests.juror",
            object_id=str(juror.pk),
            scope=contest.organizer.path,
            data={"user": juror.user.username, "role": juror.role},
        )
        ConflictOfInterest.objects.filter(juror=juror).delete()
        juror.delete()


def conflict_declare(*, actor, juror, entry, reason) -> ConflictOfInterest:
    """A juror who may not score an entry (their own unit's, a relative's, their own work),
    declared by the organiser or by the juror themself; that juror then does not score it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        contest = lock_contest(juror.contest)
        if entry.contest_id != contest.pk:
            raise ValidationError({"entry": _("The entry is not in this contest.")})
        if not (perms.can_organise(actor, contest) or juror.user_id == actor.pk):
            raise PermissionDenied(
                _("Only the organiser or the juror themself declares a conflict of interest.")
            )
        if contest.state not in CONFLICT_STATES:
            raise TransitionNotAllowed(
                _("The contest is “%(state)s”: conflicts of interest are declared while it runs.")
                % {"state": contest.get_state_display()}
            )
        if entry.state not in perms.SENT_STATES:
            raise ValidationError({"entry": _("Only an entry sent to the contest is scored.")})
        limits.require_text("reason", reason, limits.TITLE)
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
        if ConflictOfInterest.objects.filter(juror=juror, entry=entry).exists():
            raise ValidationError(_("This conflict of interest is already recorded."))
        conflict = ConflictOfInterest.objects.create(
            juror=juror, entry=entry, reason=reason, declared_by=actor
        )
        audit.record(
            actor=actor,
            action="conflict.declare",
            target=conflict,
            data={"juror": juror.user.username, "entry": entry.pk, "reason": reason},
        )
    return conflict


# --- entries -------------------------------------------------------------------------------------


def _require_entries_open(contest):
    if contest.state != C.OPEN:
        raise TransitionNotAllowed(
            _("The contest is “%(state)s”: it does not receive entries.")
            % {"state": contest.get_state_display()}
        )
    if timezone.localdate() > contest.entries_deadline:
        raise TransitionNotAllowed(
            _("The entries deadline was %(day)s: entries are no longer received.")
            % {"day": _ddmmyyyy(contest.entries_deadline)}
        )


def _clean_authors(authors) -> list[dict]:
    cleaned = []
    for author in authors or []:
        name = (author.get("name") or "").strip()
        position = (author.get("position") or "").strip()
        if not name and not position:
            continue
        limits.require_texts({"authors": (name, limits.TITLE)})
        limits.require_texts({"authors": (position, limits.TITLE)})
        if not name:
            raise ValidationError({"authors": _("Give each author's name.")})
        cleaned.append({"name": name, "position": position})
    if len(cleaned) > MAX_AUTHORS:
        raise ValidationError({"authors": _("At most %(count)s authors.") % {"count": MAX_AUTHORS}})
    return cleaned


def _clean_entry(values: dict) -> dict:
    v = {k: (values.get(k) or "").strip() for k in ENTRY_FIELDS}
    limits.require_texts(
        {
            "title": (v["title"], limits.TITLE),
            "summary": (v["summary"], limits.LONG_TEXT),
            "entrant_name": (v["entrant_name"], limits.TITLE),
            "contact": (v["contact"], limits.TITLE),
            "preselection_note": (v["preselection_note"], limits.TEXT),
        }
    )
    errors = {}
    if not v["title"]:
        errors["title"] = _("Give the entry's title.")
    if v["entrant_kind"] not in EntrantKind.values:
        errors["entrant_kind"] = _("Choose whether a collective or an individual enters.")
    if not v["entrant_name"]:
        errors["entrant_name"] = _("Give the entrant's name (the collective, or the person).")
    if errors:
        raise ValidationError(errors)
    return v


def _entry_data(entry, authors) -> dict:
    return {
        "contest": entry.contest_id,
        "unit": entry.unit_id,
        **{k: getattr(entry, k) for k in ("title", "entrant_kind", "entrant_name")},
        "authors": [a["name"] for a in authors],
    }


def entry_create(*, actor, contest, unit, authors=(), **values) -> Entry:
    """A unit drafts an entry (its emulation officer or head); it stays the unit's until sent."""
    with transaction.atomic():
        contest = lock_contest(contest)
        if not perms.may_enter(contest, unit):
            raise PermissionDenied(_("%(unit)s is not among the units of this contest.") % {"unit": unit})
        if not perms.can_draft_entry(actor, contest, unit):
            raise PermissionDenied(_("Only the staff of %(unit)s may draft its entries.") % {"unit": unit})
        _require_entries_open(contest)
        v = _clean_entry(values)
        people = _clean_authors(authors)
        entry = Entry.objects.create(contest=contest, unit=unit, created_by=actor, **v)
        EntryAuthor.objects.bulk_create(
            EntryAuthor(entry=entry, order=i, name=a["name"], position=a["position"])
            for i, a in enumerate(people)
        )
        audit.record(actor=actor, action="entry.create", target=entry, data=_entry_data(entry, people))
    return entry


def lock_entry(entry) -> Entry:
    return Entry.objects.select_for_update().select_related("contest", "unit").get(pk=entry.pk)


def entry_update(*, actor, entry, authors=None, **changes) -> Entry:
    """Change a draft entry (authors replaced as given when `authors` is not None)."""
    with transaction.atomic():
        lock_contest(entry.contest)
        entry = lock_entry(entry)
        if not perms.can_draft_entry(actor, entry.contest, entry.unit):
            raise PermissionDenied(
                _("Only the staff of %(unit)s may change its entries.") % {"unit": entry.unit}
            )
        if entry.state != EntryState.DRAFT:
            raise TransitionNotAllowed(
                _("The entry is “%(state)s”: only a draft is changed.") % {"state": entry.get_state_display()}
            )
        _require_entries_open(entry.contest)
        before = {k: getattr(entry, k) for k in ENTRY_FIELDS}
        values = dict(before)
        values.update({k: v for k, v in changes.items() if k in ENTRY_FIELDS and v is not None})
        v = _clean_entry(values)
        changed = {k: {"before": before[k], "after": v[k]} for k in ENTRY_FIELDS if before[k] != v[k]}
        for name, value in v.items():
            setattr(entry, name, value)
        if authors is not None:
            people = _clean_authors(authors)
            old = [{"name": a.name, "position": a.position} for a in entry.authors.all()]
            if old != people:
                changed["authors"] = {
                    "before": [a["name"] for a in old],
                    "after": [a["name"] for a in people],
                }
                entry.authors.all().delete()
                EntryAuthor.objects.bulk_create(
                    EntryAuthor(entry=entry, order=i, name=a["name"], position=a["position"])
                    for i, a in enumerate(people)
                )
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        entry.save(update_fields=list(ENTRY_FIELDS))
        audit.record(actor=actor, action="entry.update", target=entry, data={"changes": changed})
    return entry


def entry_file_add(*, actor, entry, uploaded_file) -> EntryFile:
    """Attach the entry's description (PDF or DOCX) or a picture; the type is judged by content
    (dossiers.files.sniff), and the SHA-256 kept so the jury reads exactly what was sent."""
    try:
        sniffed = sniff(uploaded_file, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except FileRejected as exc:
        raise ValidationError({"file": str(exc.args[0])}) from None
    if sniffed.content_type not in ENTRY_FILE_TYPES:
        raise ValidationError(
            {"file": _("An entry carries its description (PDF or DOCX) and pictures (JPEG, PNG).")}
        )
    with transaction.atomic():
        lock_contest(entry.contest)
        entry = lock_entry(entry)
        if not perms.can_draft_entry(actor, entry.contest, entry.unit):
            raise PermissionDenied(
                _("Only the staff of %(unit)s may add files to its entries.") % {"unit": entry.unit}
            )
        if entry.state != EntryState.DRAFT:
            raise TransitionNotAllowed(
                _("The entry is “%(state)s”: files are added only to a draft.")
                % {"state": entry.get_state_display()}
            )
        _require_entries_open(entry.contest)
        record = EntryFile(
            entry=entry,
            original_name=sniffed.name,
            content_type=sniffed.content_type,
            size=sniffed.size,
            sha256=sniffed.sha256,
            uploaded_by=actor,
        )
        record.file.save(uploaded_file.name, uploaded_file, save=False)
        stored_name, storage = record.file.name, record.file.storage
        try:
            record.save()
            audit.record(
                actor=actor,
                action="entry_file.add",
                target=record,
                data={
                    "entry": entry.pk,
                    "name": sniffed.name,
                    "content_type": sniffed.content_type,
                    "size": sniffed.size,
                    "sha256": sniffed.sha256,
                },
            )
        except Exception:
            storage.delete(stored_name)
            raise
    return record


def entry_file_remove(*, actor, entry_file) -> None:
    """Take a file off a draft entry (the stored file goes once the removal is committed)."""
    with transaction.atomic():
        lock_contest(entry_file.entry.contest)
        entry = lock_entry(entry_file.entry)
        if not perms.can_draft_entry(actor, entry.contest, entry.unit):
            raise PermissionDenied(
                _("Only the staff of %(unit)s may remove files of its entries.") % {"unit": entry.unit}
            )
        if entry.state != EntryState.DRAFT:
            raise TransitionNotAllowed(
                _("The entry is “%(state)s”: its files no longer change.")
                % {"state": entry.get_state_display()}
            )
        record = EntryFile.objects.get(pk=entry_file.pk, entry=entry)
        audit.record(
            actor=actor,
            action="entry_file.remove",
            object_type="contests.entryfile",
            object_id=str(record.pk),
            scope=entry.unit.path,
            data={"entry": entry.pk, "name": record.original_name, "sha256": record.sha256},
        )
        stored_name, storage = record.file.name, record.file.storage
        record.delete()
        transaction.on_commit(lambda: storage.delete(stored_name))


def unit_sent_entries(contest, unit):
    return Entry.objects.filter(contest=contest, unit=unit, state=EntryState.SUBMITTED).order_by(
        "submitted_at", "pk"
    )


def entry_send(*, actor, entry) -> Entry:
    """The unit's head sends an entry after the unit's pre-selection (plan 4979, III.3: each unit
    sends at most `entry_cap_per_unit`, 3 in seed 002, by the entries deadline).

    The unit's entries in the contest are locked first, so two heads sending at once are served one
    after the other and the second sees the first's entry in the count."""
    with transaction.atomic():
        contest = Contest.objects.select_related("organizer").get(pk=entry.contest_id)
        unit = Unit.objects.get(pk=entry.unit_id)
        list(
            Entry.objects.select_for_update().filter(contest=contest, unit=unit).values_list("pk", flat=True)
        )
        entry = Entry.objects.select_related("contest", "unit").get(pk=entry.pk)
        if not perms.can_send_entry(actor, entry):
            raise PermissionDenied(_("Only the head of %(unit)s may send its entries.") % {"unit": unit})
        if entry.state != EntryState.DRAFT:
            raise TransitionNotAllowed(
                _("The entry is “%(state)s”: only a draft is sent.") % {"state": entry.get_state_display()}
            )
        _require_entries_open(contest)
        sent = list(unit_sent_entries(contest, unit))
        if len(sent) >= contest.entry_cap_per_unit:
            raise ValidationError(
                _("%(unit)s has already sent %(count)s entries, the most a unit may send: %(titles)s.")
                % {
                    "unit": unit,
                    "count": contest.entry_cap_per_unit,
                    "titles": "; ".join(f"“{e.title}”" for e in sent),
                }
            )
        problems = []
        if not entry.authors.exists():
            problems.append(_("Name at least one author."))
        if not entry.files.filter(content_type__in=DESCRIPTION_TYPES).exists():
            problems.append(_("Attach the entry's description (PDF or DOCX)."))
        if problems:
            raise ValidationError(problems)
        entry.state = EntryState.SUBMITTED
        entry.submitted_at = timezone.now()
        entry.submitted_by = actor
        entry.save(update_fields=["state", "submitted_at", "submitted_by"])
        audit.record(
            actor=actor,
            action="entry.send",
            target=entry,
            data={"contest": contest.pk, "sent_by_unit": len(sent) + 1, "cap": contest.entry_cap_per_unit},
        )
    return entry


def entry_withdraw(*, actor, entry, reason="") -> Entry:
    """The unit's head takes back a sent entry before the entries deadline (it no longer counts
    against the cap)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        lock_contest(entry.contest)
        entry = lock_entry(entry)
        if not perms.can_send_entry(actor, entry):
            raise PermissionDenied(
                _("Only the head of %(unit)s may withdraw its entries.") % {"unit": entry.unit}
            )
        if entry.state != EntryState.SUBMITTED:
            raise TransitionNotAllowed(
                _("The entry is “%(state)s”: only a sent entry is withdrawn.")
                % {"state": entry.get_state_display()}
            )
        _require_entries_open(entry.contest)
        limits.require_text("reason", reason, limits.TEXT)
        entry.state = EntryState.WITHDRAWN
        entry.save(update_fields=["state"])
        audit.record(actor=actor, action="entry.withdraw", target=entry, data={"reason": reason})
    return entry


def entry_refuse(*, actor, entry, reason) -> Entry:
    """The organiser finds a sent entry not admissible (e.g. it was already awarded, plan 4979,
    II.3), with its reason, before the appraisal round starts."""
    reason = (reason or "").strip()
    with transaction.atomic():
        contest = lock_contest(entry.contest)
        entry = lock_entry(entry)
        _require_organiser(actor, contest, _("admit its entries"))
        if contest.state != C.OPEN:
            raise TransitionNotAllowed(
                _("The contest is “%(state)s”: entries are admitted or not before the appraisal round.")
                % {"state": contest.get_state_display()}
            )
        if entry.state != EntryState.SUBMITTED:
            raise TransitionNotAllowed(
                _("The entry is “%(state)s”: only a sent entry is refused.")
                % {"state": entry.get_state_display()}
            )
        limits.require_text("reason", reason, limits.TEXT)
        if not reason:
            raise ValidationError({"reason": _("Say why the entry is not admitted.")})
        entry.state = EntryState.INELIGIBLE
        entry.ineligible_reason = reason
        entry.save(update_fields=["state", "ineligible_reason"])
        audit.record(actor=actor, action="entry.refuse", target=entry, data={"reason": reason})
    return entry
