"""Every write to a dossier. Each function is one transaction that checks permission (role and
object), state and business rules, changes the data and appends its audit event; a refusal raises
before anything is written, so the data stays as it was."""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from audit import services as audit
from org import limits, statements
from org.errors import TransitionNotAllowed
from org.models import UnitLevel
from org.prepared import PreparedRead

from . import permissions, rulebook
from .evidence import document_evidence
from .files import FileRejected, sniff
from .history import eligibility_problems
from .models import (
    QUOTA_STATES,
    RULE_FROZEN_FIELDS,
    Attachment,
    AwardRule,
    AwardType,
    BaseSalary,
    Campaign,
    DocumentScope,
    Dossier,
    DossierState,
    Nominee,
    NomineeAuthor,
    NomineeKind,
    NomineeSex,
    RuleDocument,
)

S = DossierState
DOSSIER_FIELDS = ("title", "summary", "procedure_kind")
NOMINEE_FIELDS = (
    "kind",
    "name",
    "position",
    "workplace",
    "person",
    "is_enterprise",
    "award_type",
    "achievements",
    "under_discipline",
    "under_investigation",
    "pending_complaint",
    "sex",
    "date_of_birth",
    "hometown",
    "id_number",
    "qualifications",
    "collective_unit",
    "women_percent",
)
# Fields whose value the audit chain keeps only masked (the export is read outside the scope).
MASKED_FIELDS = {"id_number"}
# The texts a unit types into its dossier and its nominees, with their limits (org.limits).
DOSSIER_TEXT_LIMITS = {"title": limits.TITLE, "summary": limits.LONG_TEXT}
NOMINEE_TEXT_LIMITS = {
    "name": limits.NAME,
    "position": limits.PLACE,
    "workplace": limits.PLACE,
    "achievements": limits.LONG_TEXT,
    "hometown": limits.PLACE,
    "qualifications": limits.PLACE,
}
AUTHOR_TEXT_LIMITS = {"name": limits.NAME, "position": limits.PLACE}
# A nominee's age as the forms may carry it: born in the past, at most this many years ago.
OLDEST_AGE = 120


def require_text_limits(values: dict, text_limits: dict) -> None:
    """Refuse, naming each field, the texts among `values` longer than their limit."""
    limits.require_texts(
        {field: (values[field], limit) for field, limit in text_limits.items() if field in values}
    )


# The dossiers a workflow step has already read under its locks, in this transaction
# (workflows.services holds them while the business service runs): by id.
_held: ContextVar[dict | None] = ContextVar("held_dossiers", default=None)


@contextmanager
def holding(dossiers):
    """While the block runs, `lock_dossier` hands out these dossiers as they are: the caller has
    just read them under their row locks in the transaction the block runs in (a workflow step
    reads the dossier with its task and process in one locked query), so reading them again
    would cost a query and tell nothing new."""
    token = _held.set({d.pk: d for d in dossiers})
    try:
        yield
    finally:
        _held.reset(token)


def step_atomic():
    """The transaction of a business service. Inside a workflow step that holds the dossier, the
    step's own transaction is the one that commits or rolls back (any refusal propagates out of
    it), so the service adds no savepoint of its own; called alone, it opens its own."""
    return transaction.atomic(savepoint=_held.get() is None)


def lock_dossier(dossier) -> Dossier:
    """Re-read the dossier under a row lock (PostgreSQL; SQLite's IMMEDIATE transaction already
    serialises writers) so that every check below sees the latest committed state. A dossier the
    workflow step already holds (`holding`) is that read: it is handed out as it is."""
    held = _held.get()
    if held and dossier.pk in held:
        return held[dossier.pk]
    return _LOCKED_DOSSIER.get(dossier=dossier.pk)


# Every change to a dossier starts so: compiled and prepared once (org.prepared).
_LOCKED_DOSSIER = PreparedRead(
    lambda *, dossier: (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign", "reviewing_unit")
        .filter(pk=dossier)
        .order_by()
    ),
    arguments=("dossier",),
)


def current_nominees_query(outcomes=(), stamped=False, **where):
    """The current nominees matching `where` (with one of `outcomes`, when given), with their
    award type and rule, in order; with `stamped`, each with the rulebook's stamp (`rulebook`:
    what the rules read next may be kept under, dossiers.rulebook)."""
    nominees = Nominee.objects.current().filter(**where)
    if outcomes:
        nominees = nominees.filter(outcome__in=outcomes)
    if stamped:
        nominees = nominees.annotate(rulebook=rulebook.STAMP)
    return nominees.select_related("award_type", "rule").order_by("pk")


# Nearly every step reads the dossier's nominees with their award and rule: compiled once for
# each set of outcomes asked for (org.prepared).
_CURRENT_NOMINEES = PreparedRead(
    lambda outcomes, stamped, *, dossier: current_nominees_query(outcomes, stamped, dossier_id=dossier),
    arguments=("dossier",),
)


def current_nominees(dossier_pk, *outcomes, stamped=False) -> list:
    """The dossier's nominees (those with one of `outcomes`, when given) with their award type
    and rule, in order (`stamped`: see current_nominees_query)."""
    return _CURRENT_NOMINEES.objects(key=(tuple(outcomes), stamped), dossier=dossier_pk)


# The dossier's current files, as a submission pins them (no order: the audit keeps them by id).
_CURRENT_FILES = PreparedRead(
    lambda *, dossier: Attachment.objects.filter(dossier_id=dossier, detached=False).order_by("pk"),
    arguments=("dossier",),
)


def _audit_value(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def mask_id_number(value) -> str:
    """An ID number as the audit chain keeps it: only its last four digits."""
    value = value or ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def _diff(obj, changes: dict) -> dict:
    """{field: [before, after]} for the fields that really change (masked where they must be)."""
    out = {}
    for field, new in changes.items():
        old = getattr(obj, field)
        if old != new:
            if field in MASKED_FIELDS:
                out[field] = [mask_id_number(old), mask_id_number(new)]
            else:
                out[field] = [_audit_value(old), _audit_value(new)]
    return out


def require_transition(transition, *, doing="", refusal=None):
    """Refuse a step the dossier's state machine does not allow from where the dossier is.

    `transition` is the bound transition the service is about to take (`dossier.receive`): the
    FSM on dossiers.models.Dossier is the one list of which step may follow which state, so
    services ask it and never list states themselves. The refusal names the state, in the
    user's language: "This dossier is “Draft”: it cannot be received now."
    """
    if can_proceed(transition):
        return
    dossier = transition.__self__
    if refusal is None:
        refusal = _("This dossier is “%(state)s”: it cannot be %(doing)s now.")
    raise TransitionNotAllowed(refusal % {"state": dossier.get_state_display(), "doing": doing})


def require_editable(actor, dossier):
    """Not theirs (403) before not now (409): only the drafters are told to wait for a return."""
    if not permissions.is_drafter_of(actor, dossier):
        raise PermissionDenied(_("Only the unit's own staff and head may change this dossier."))
    if not permissions.can_edit_dossier(actor, dossier):
        raise TransitionNotAllowed(
            _("This dossier is “%(state)s”: it can be changed only as a draft or when returned.")
            % {"state": dossier.get_state_display()}
        )


def save_dossier(dossier, fields, *, inserts=(), updates=(), event=None):
    """Save after a transition; a concurrent change becomes a clear "reload" message.

    `inserts` ((model, objects) pairs) and `updates` ((queryset, values) pairs): the step's other
    writes, made with the dossier's; `event`: its audit event (audit.event), appended right
    after; see `save_dossiers`."""
    save_dossiers([dossier], fields, inserts=inserts, updates=updates, event=event)


def save_dossiers(dossiers, fields, *, inserts=(), updates=(), event=None) -> None:
    """Save `dossiers` after a transition, and the step's other writes (`inserts` first, then
    `updates`, then the dossiers). On PostgreSQL, when there is more than one write, all in one
    statement (org.statements): each dossier's UPDATE guarded as the state machine guards it
    (by the state it was read in). Elsewhere one after the other, as the ORM writes them.

    `event` (audit.event), when given, is appended at once after them (audit.record_many). In a
    step that carries its events (audit.carried), on PostgreSQL, the chain is then locked and its
    head read in the same message as the writes (audit.lock_ahead): nothing comes between."""
    ahead = audit.lock_ahead() if event is not None and statements.one_statement() else None
    if statements.one_statement() and (ahead or inserts or updates or len(dossiers) > 1):
        _save_together(dossiers, fields, inserts, updates, ahead)
    else:
        for model, objs in inserts:
            model.objects.bulk_create(objs)
        for queryset, values in updates:
            queryset.update(**values)
        for dossier in dossiers:
            try:
                dossier.save(update_fields=[*fields, "updated_at"])
            except ConcurrentTransition:
                raise _changed_meanwhile() from None
    if event is not None:
        audit.record_many([event])


def _save_together(dossiers, fields, inserts, updates, then=None) -> None:
    """`save_dossiers` in one statement: each dossier's UPDATE as `save(update_fields=...)`
    writes it, where it still holds the state it was read in."""
    guarded = []
    for dossier in dossiers:
        meta = type(dossier)._meta
        values = {}
        for name in (*fields, "updated_at"):
            field = meta.get_field(name)
            values[field.attname] = field.pre_save(dossier, False)  # updated_at: now, set on it
        rows = type(dossier).objects.filter(pk=dossier.pk, state=dossier.state_as_read)
        guarded.append((rows, values))
    counts = statements.write_together(inserts=inserts, updates=[*updates, *guarded], then=then)
    if any(count != 1 for count in counts[len(updates) :]):
        raise _changed_meanwhile()
    for dossier in dossiers:
        dossier._update_initial_state()


def _changed_meanwhile() -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("Someone else changed this dossier at the same moment. Reload the page and try again.")
    )


# --- dossier ----------------------------------------------------------------------------------


def dossier_create(*, actor, unit, campaign, title, procedure_kind=None, summary="") -> Dossier:
    """A unit drafts a dossier for a campaign. Only the unit's own staff or head may."""
    if not permissions.can_create_dossier_in(actor, unit):
        raise PermissionDenied(_("You may draft dossiers only for your own unit."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the dossier a title.")})
    require_text_limits({"title": title, "summary": summary}, DOSSIER_TEXT_LIMITS)
    if campaign.period_end < timezone.localdate():
        raise ValidationError(
            {"campaign": _("The campaign “%(campaign)s” has ended.") % {"campaign": campaign}}
        )
    with transaction.atomic():
        dossier = Dossier.objects.create(
            unit=unit,
            campaign=campaign,
            title=title,
            summary=summary,
            procedure_kind=procedure_kind or campaign.procedure_kind,
            created_by=actor,
            reviewing_unit=unit.deciding_unit(),
        )
        audit.record(
            actor=actor,
            action="dossier.create",
            target=dossier,
            data={
                "unit_id": unit.pk,
                "campaign_id": campaign.pk,
                "title": title,
                "procedure_kind": dossier.procedure_kind,
            },
        )
    return dossier


def dossier_update(*, actor, dossier, **changes) -> Dossier:
    """Edit the dossier's own fields while it is a draft or returned; the audit keeps the diff."""
    unknown = set(changes) - set(DOSSIER_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError({"title": _("Give the dossier a title.")})
    require_text_limits(changes, DOSSIER_TEXT_LIMITS)
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        require_editable(actor, dossier)
        diff = _diff(dossier, changes)
        if not diff:
            return dossier
        for field, value in changes.items():
            setattr(dossier, field, value)
        save_dossier(
            dossier,
            list(diff),
            event=audit.event(actor=actor, action="dossier.update", target=dossier, data={"changes": diff}),
        )
    return dossier


# --- nominees ---------------------------------------------------------------------------------


# The 4th digit of a 12-digit personal ID number (số định danh cá nhân, Nghị định 137/2015 and
# Thông tư 07/2016/TT-BCA) encodes the century of birth and the sex: even male, odd female.
ID_CENTURY = {"0": 1900, "1": 1900, "2": 2000, "3": 2000, "4": 2100, "5": 2100, "6": 2200, "7": 2200}
ID_CENTURY.update({"8": 1800, "9": 1800})


def _id_number_problem(id_number, *, sex, date_of_birth) -> str:
    """Why `id_number` is not a citizen's 12-digit ID number (CCCD / số định danh cá nhân), or "".

    Its digits: 3 for the province of birth registration (001-096), 1 for century and sex, 2 for
    the year of birth, 6 random. Checked against the sex and date of birth when they are given."""
    if len(id_number) != 12 or not id_number.isascii() or not id_number.isdigit():
        return _("An ID number (CCCD) has exactly 12 digits.")
    if not 1 <= int(id_number[:3]) <= 96:
        return _("An ID number begins with a province code from 001 to 096.")
    code = id_number[3]
    if sex and (int(code) % 2 == 0) != (sex == NomineeSex.MALE):
        return _("The ID number's fourth digit says the holder is %(sex)s; the sex given differs.") % {
            "sex": (NomineeSex.MALE if int(code) % 2 == 0 else NomineeSex.FEMALE).label.lower()
        }
    if date_of_birth and ID_CENTURY[code] + int(id_number[4:6]) != date_of_birth.year:
        return _("The ID number's year of birth (digits 4 to 6) does not match the date of birth.")
    return ""


def _collective_unit_allowed(dossier, unit) -> bool:
    """Whether an app above lets `unit`, which is not under the dossier's unit, be one of its
    collective nominees (settings.DOSSIER_COLLECTIVE_UNIT_ALLOWED: a cluster's leader unit
    proposes its fellow members)."""
    hook = getattr(settings, "DOSSIER_COLLECTIVE_UNIT_ALLOWED", "")
    if not hook:
        return False
    from django.utils.module_loading import import_string

    return bool(import_string(hook)(dossier, unit))


def _check_identity(dossier, values: dict) -> None:
    """The identity of a nominee as the decree's forms print it.

    An individual gives their sex: every document that names them (the achievement report, the
    decision's annex, the certificate) addresses them "Ông" or "Bà". A date of birth is in the past
    and plausible; an ID number is a 12-digit CCCD consistent with them. A collective may be linked
    to the unit it is, among the units of the dossier's own unit (it or below it); only a
    collective may be.
    """
    kind = values.get("kind")
    errors = {}
    person_like = kind in (NomineeKind.INDIVIDUAL, NomineeKind.HOUSEHOLD)
    if kind == NomineeKind.INDIVIDUAL and not values.get("sex"):
        errors["sex"] = _("Give the nominee's sex: the documents address them as Ông or Bà.")
    born = values.get("date_of_birth")
    if born:
        today = timezone.localdate()
        if born >= today:
            errors["date_of_birth"] = _("The date of birth must be in the past.")
        elif born.year < today.year - OLDEST_AGE:
            errors["date_of_birth"] = _("A date of birth more than %(years)s years ago is not plausible.") % {
                "years": OLDEST_AGE
            }
    id_number = (values.get("id_number") or "").strip()
    if id_number:
        if not person_like:
            errors["id_number"] = _("Only an individual or a household head has an ID number.")
        else:
            problem = _id_number_problem(
                id_number, sex=values.get("sex"), date_of_birth=None if "date_of_birth" in errors else born
            )
            if problem:
                errors["id_number"] = problem
    if not person_like:
        for field in ("sex", "date_of_birth"):
            if values.get(field):
                errors[field] = _("Only an individual has a sex and a date of birth.")
    women = values.get("women_percent")
    if women is not None and women != "":
        if kind != NomineeKind.COLLECTIVE:
            errors["women_percent"] = _("Only a collective has a share of women.")
        elif not 0 <= int(women) <= 100:
            errors["women_percent"] = _("The share of women is a percentage, from 0 to 100.")
    unit = values.get("collective_unit")
    if unit is not None:
        if kind != NomineeKind.COLLECTIVE:
            errors["collective_unit"] = _("Only a collective is linked to a unit.")
        elif not unit.is_under(dossier.unit) and not _collective_unit_allowed(dossier, unit):
            errors["collective_unit"] = _("“%(unit)s” is not %(own)s or one of its units.") % {
                "unit": unit,
                "own": dossier.unit,
            }
    if errors:
        raise ValidationError(errors)


def _check_nominee(dossier, kind, award_type, person=None) -> None:
    errors = {}
    if kind not in NomineeKind.values:
        errors["kind"] = _("Choose an individual, a collective, a household or an initiative.")
    campaign_awards = list(dossier.campaign.award_types.values_list("pk", flat=True))
    if campaign_awards and award_type.pk not in campaign_awards:
        errors["award_type"] = _("The campaign “%(campaign)s” does not offer “%(award)s”.") % {
            "campaign": dossier.campaign,
            "award": award_type,
        }
    rule = award_type.rule_on(dossier.rules_date or timezone.localdate())
    if rule is None:
        errors["award_type"] = _("No rule is in force for “%(award)s” today.") % {"award": award_type}
    elif kind not in rule.nominee_kinds:
        errors["kind"] = _("“%(award)s” cannot be given to a %(kind)s.") % {
            "award": award_type,
            "kind": NomineeKind(kind).label.lower(),
        }
    elif rule.deciding_level == UnitLevel.ENTERPRISE:
        # Luật TĐKT 2022: an enterprise's director awards a Giấy khen to the enterprise's own people.
        enterprise = dossier.reviewing_unit
        if enterprise is None or enterprise.level != UnitLevel.ENTERPRISE:
            errors["award_type"] = _(
                "“%(award)s” is given by an enterprise's director to the enterprise's own staff only."
            ) % {"award": award_type}
        elif person is not None and (person.unit is None or not person.unit.is_under(enterprise)):
            errors["person"] = _("%(person)s does not work for %(unit)s.") % {
                "person": person,
                "unit": enterprise,
            }
    if errors:
        raise ValidationError(errors)


IDENTITY_FIELDS = ("kind", "sex", "date_of_birth", "id_number", "collective_unit")


def nominee_add(
    *, actor, dossier, kind, name, award_type: AwardType, achievements, authors=None, **extra
) -> Nominee:
    """Propose an individual, a collective, a household or an initiative (with its `authors`, a
    list of {name, position, share_percent, person}) for one award type."""
    unknown = set(extra) - set(NOMINEE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown nominee fields: %s") % ", ".join(sorted(unknown)))
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the nominee's name.")
    if not (achievements or "").strip():
        errors["achievements"] = _("Describe the nominee's achievements.")
    if errors:
        raise ValidationError(errors)
    require_text_limits({"name": name, "achievements": achievements, **extra}, NOMINEE_TEXT_LIMITS)
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        require_editable(actor, dossier)
        _check_nominee(dossier, kind, award_type, extra.get("person"))
        _check_identity(dossier, {"kind": kind, **extra})
        rows = _check_authors(kind, authors or [])
        nominee = Nominee.objects.create(
            dossier=dossier,
            kind=kind,
            name=name.strip(),
            award_type=award_type,
            achievements=achievements,
            **extra,
        )
        NomineeAuthor.objects.bulk_create([NomineeAuthor(nominee=nominee, **row) for row in rows])
        dossier.save(update_fields=["updated_at"])
        data = {
            "dossier_id": dossier.pk,
            "kind": kind,
            "name": nominee.name,
            "award_type": award_type.code,
            "barred": nominee.is_barred,
        }
        if nominee.id_number:
            data["id_number"] = mask_id_number(nominee.id_number)
        if nominee.collective_unit_id:
            data["collective_unit_id"] = nominee.collective_unit_id
        if rows:
            data["authors"] = [_author_data(row) for row in rows]
        audit.record(actor=actor, action="nominee.add", target=nominee, data=data)
    return nominee


def nominee_update(*, actor, nominee, **changes) -> Nominee:
    unknown = set(changes) - set(NOMINEE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    blank = {
        field: message
        for field, message in (
            ("name", _("Give the nominee's name.")),
            ("achievements", _("Describe the nominee's achievements.")),
        )
        if field in changes and not (changes[field] or "").strip()
    }
    if blank:
        raise ValidationError(blank)
    require_text_limits(changes, NOMINEE_TEXT_LIMITS)
    with transaction.atomic():
        dossier = lock_dossier(nominee.dossier)
        nominee = Nominee.objects.current().select_for_update().get(pk=nominee.pk, dossier=dossier)
        require_editable(actor, dossier)
        if {"kind", "award_type", "person"} & set(changes):
            _check_nominee(
                dossier,
                changes.get("kind", nominee.kind),
                changes.get("award_type", nominee.award_type),
                changes.get("person", nominee.person),
            )
        if set(IDENTITY_FIELDS) & set(changes):
            _check_identity(dossier, {f: getattr(nominee, f) for f in IDENTITY_FIELDS} | changes)
        if changes.get("kind", NomineeKind.INITIATIVE) != NomineeKind.INITIATIVE and nominee.authors.exists():
            raise ValidationError({"kind": _("Remove the authors first: only an initiative has authors.")})
        diff = _diff(nominee, changes)
        if not diff:
            return nominee
        for field, value in changes.items():
            setattr(nominee, field, value)
        nominee.save()
        dossier.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="nominee.update",
            target=nominee,
            data={"dossier_id": dossier.pk, "changes": diff},
        )
    return nominee


def _author_data(row: dict) -> dict:
    share = row.get("share_percent")
    person = row.get("person")
    return {
        "name": row["name"],
        "position": row.get("position", ""),
        "share_percent": None if share is None else str(share),
        "person_id": getattr(person, "pk", person),
    }


def _check_authors(kind, authors, *, existing=()) -> list[dict]:
    """The authors of an initiative (sáng kiến, đề tài): each named, each share between 0 and
    100 %, the shares together at most 100 %. Only an initiative has authors."""
    if authors and kind != NomineeKind.INITIATIVE:
        raise ValidationError({"authors": _("Only an initiative or research topic has authors.")})
    rows, problems = [], []
    total = sum((a.share_percent or 0) for a in existing)
    for author in authors:
        name = (author.get("name") or "").strip()
        row = {
            "name": name,
            "position": (author.get("position") or "").strip(),
            "share_percent": author.get("share_percent"),
            "person": author.get("person"),
        }
        require_text_limits(row, AUTHOR_TEXT_LIMITS)
        if not name:
            problems.append(_("Give each author's name."))
        share = row["share_percent"]
        if share is not None:
            if not 0 < share <= 100:
                problems.append(_("An author's share is more than 0 and at most 100 %."))
            total += share
        rows.append(row)
    if total > 100:
        problems.append(_("The authors' shares add up to more than 100 %."))
    if problems:
        raise ValidationError({"authors": list(dict.fromkeys(problems))})
    return rows


def nominee_author_add(
    *, actor, nominee, name, position="", share_percent=None, person=None
) -> NomineeAuthor:
    """Add an author to an initiative or research topic of a draft or returned dossier."""
    with transaction.atomic():
        dossier = lock_dossier(nominee.dossier)
        nominee = Nominee.objects.current().select_for_update().get(pk=nominee.pk, dossier=dossier)
        require_editable(actor, dossier)
        (row,) = _check_authors(
            nominee.kind,
            [{"name": name, "position": position, "share_percent": share_percent, "person": person}],
            existing=list(nominee.authors.all()),
        )
        author = NomineeAuthor.objects.create(nominee=nominee, **row)
        dossier.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="nominee.author_add",
            target=nominee,
            data={"dossier_id": dossier.pk, "author_id": author.pk, **_author_data(row)},
        )
    return author


def nominee_author_remove(*, actor, author) -> None:
    """Take an author off an initiative of a draft or returned dossier."""
    with transaction.atomic():
        dossier = lock_dossier(author.nominee.dossier)
        require_editable(actor, dossier)
        author = NomineeAuthor.objects.select_for_update().filter(pk=author.pk).first()
        if author is None:
            raise TransitionNotAllowed(_("This author has already been removed."))
        author_id, nominee = author.pk, author.nominee
        author.delete()
        dossier.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="nominee.author_remove",
            target=nominee,
            data={"dossier_id": dossier.pk, "author_id": author_id, "name": author.name},
        )


def nominee_remove(*, actor, nominee) -> None:
    """Take a nominee off a draft. The row and its files stay as history, no longer counted."""
    with transaction.atomic():
        dossier = lock_dossier(nominee.dossier)
        require_editable(actor, dossier)
        nominee = Nominee.objects.current().select_for_update().filter(pk=nominee.pk, dossier=dossier).first()
        if nominee is None:
            raise TransitionNotAllowed(_("This nominee has already been removed."))
        nominee.removed_at = timezone.now()
        nominee.save(update_fields=["removed_at"])
        Attachment.objects.filter(nominee=nominee).update(detached=True)
        dossier.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="nominee.remove",
            target=nominee,
            data={"dossier_id": dossier.pk, "name": nominee.name},
        )


# --- attachments ------------------------------------------------------------------------------


def attachment_add(*, actor, dossier, kind, uploaded_file, nominee=None) -> Attachment:
    """Attach a file of a document kind (once per dossier, or per nominee). A file already in that
    slot is kept: the new one becomes the next version. The type is judged by content."""
    if kind.scope == DocumentScope.NOMINEE and nominee is None:
        raise ValidationError(
            {"nominee": _("“%(kind)s” belongs to a nominee: choose which.") % {"kind": kind}}
        )
    if kind.scope == DocumentScope.DOSSIER and nominee is not None:
        raise ValidationError(
            {"nominee": _("“%(kind)s” belongs to the whole dossier, not to a nominee.") % {"kind": kind}}
        )
    try:
        sniffed = sniff(uploaded_file, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except FileRejected as exc:
        raise ValidationError({"file": str(exc.args[0])}) from None
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        require_editable(actor, dossier)
        if (
            nominee is not None
            and not Nominee.objects.current().filter(pk=nominee.pk, dossier=dossier).exists()
        ):
            raise ValidationError({"nominee": _("This nominee is not in the dossier.")})
        slot = Attachment.objects.filter(dossier=dossier, kind=kind, nominee=nominee)
        version = (slot.aggregate(v=Max("version"))["v"] or 0) + 1
        attachment = Attachment(
            dossier=dossier,
            kind=kind,
            nominee=nominee,
            version=version,
            original_name=sniffed.name,
            content_type=sniffed.content_type,
            size=sniffed.size,
            sha256=sniffed.sha256,
            uploaded_by=actor,
        )
        # The file is written inside the transaction; if the commit fails the row goes and the
        # stored file is removed, so no orphan is counted as evidence.
        attachment.file.save(uploaded_file.name, uploaded_file, save=False)
        stored_name = attachment.file.name
        storage = attachment.file.storage
        try:
            attachment.save()
            dossier.save(update_fields=["updated_at"])
            audit.record(
                actor=actor,
                action="attachment.add",
                target=attachment,
                data={
                    "dossier_id": dossier.pk,
                    "kind": kind.code,
                    "nominee_id": nominee.pk if nominee else None,
                    "version": version,
                    "name": attachment.original_name,
                    "content_type": sniffed.content_type,
                    "size": sniffed.size,
                    "sha256": sniffed.sha256,
                },
            )
        except Exception:
            storage.delete(stored_name)
            raise
    return attachment


# --- submission -------------------------------------------------------------------------------


def _rules_query(day, award_types):
    return (
        AwardRule.objects.in_force_on(day)
        .filter(award_type_id__in=award_types)
        .order_by("award_type_id", "valid_from", "pk")
    )


# The rules in force on a day for a set of awards, and the documents they require: what every
# submission reads, compiled once per day and set of awards (org.prepared).
_RULES_IN_FORCE = PreparedRead(_rules_query, arguments=())
_RULE_DOCUMENTS = PreparedRead(
    lambda day, award_types: (
        RuleDocument.objects.filter(rule__in=_rules_query(day, award_types).values("pk"))
        .select_related("kind")
        .order_by("pk")
    ),
    arguments=(),
)


def _rules_in_force(award_type_ids, day, stamp=None) -> dict:
    """{award type id: its rule in force on `day` (the latest in force), with the documents it
    requires and their kinds (`document_links`)}, for every award type at once; unread when the
    process keeps them under the rulebook's `stamp` (dossiers.rulebook)."""
    key = (day, tuple(sorted(award_type_ids)))
    if not key[1]:
        return {}
    return rulebook.kept(stamp, ("rules", *key), lambda: _read_rules_in_force(key))


def _read_rules_in_force(key) -> dict:
    rules = {}
    for rule in _RULES_IN_FORCE.objects(key=key):
        rule.document_links = []
        rules[rule.award_type_id] = rule  # the latest of each type wins
    kept = {rule.pk: rule for rule in rules.values()}
    for link in _RULE_DOCUMENTS.objects(key=key):
        if link.rule_id in kept:
            kept[link.rule_id].document_links.append(link)
    return rules


def _documents_of(rule) -> list:
    """What `rule` requires: read with it (`_rules_in_force`), or its prefetched links."""
    found = getattr(rule, "document_links", None)
    return found if found is not None else list(rule.ruledocument_set.all())


def _missing_documents(dossier, nominees, rules, attachments=None) -> list[str]:
    """The documents the nominees' rules require that the dossier's current files (`attachments`
    when the caller has read them) do not hold."""
    if attachments is None:
        attachments = Attachment.objects.filter(dossier=dossier, detached=False)
    current = {(a.kind_id, a.nominee_id) for a in attachments}
    # A document held elsewhere in the engine (a recognised initiative for `sang-kien`) counts.
    evidence = document_evidence(
        dossier,
        nominees,
        {link.kind.code for n in nominees for link in _documents_of(rules[n.pk])},
    )
    per_nominee = []
    needed_for_dossier = {}
    for nominee in nominees:
        for link in _documents_of(rules[nominee.pk]):
            if link.enterprise_only and not nominee.is_enterprise:
                continue
            kind = link.kind
            if kind.scope == DocumentScope.DOSSIER:
                needed_for_dossier[kind.pk] = kind
            elif (kind.pk, nominee.pk) not in current and (kind.code, nominee.pk) not in evidence:
                per_nominee.append(
                    _("Missing document: “%(kind)s” for %(nominee)s.") % {"kind": kind, "nominee": nominee}
                )
    problems = [
        _("Missing document: “%(kind)s” for the dossier.") % {"kind": kind}
        for kind in sorted(needed_for_dossier.values(), key=lambda k: k.pk)
        if (kind.pk, None) not in current
    ]
    return problems + per_nominee


def _unit_cap_problems(dossier, nominees) -> list[str]:
    """The campaign's cap on PROPOSALS per unit (seed 002: at most 3 entries per unit), across
    the unit's submitted dossiers in the campaign. A campaign's quotas cap AWARDS and are applied
    by the council at its close (approvals.meeting_services), never here: units may propose more."""
    cap = dossier.campaign.max_nominees_per_unit
    if not cap:
        return []
    # Serialise submissions to one campaign so two dossiers of a unit cannot both take its last place.
    Campaign.objects.select_for_update().filter(pk=dossier.campaign_id).first()
    taken = (
        Nominee.objects.current()
        .filter(dossier__campaign_id=dossier.campaign_id, dossier__unit_id=dossier.unit_id)
        .filter(dossier__state__in=QUOTA_STATES)
        .exclude(dossier=dossier)
        .aggregate(n=Count("pk"))["n"]
    )
    if taken + len(nominees) <= cap:
        return []
    return [
        _(
            "The campaign accepts at most %(cap)d nominees from each unit: %(unit)s has already "
            "submitted %(taken)d, this dossier adds %(mine)d."
        )
        % {"cap": cap, "unit": dossier.unit, "taken": taken, "mine": len(nominees)}
    ]


def quota_label(quota) -> str:
    parts = []
    if quota.award_type_id:
        parts.append(f"“{quota.award_type}”")
    if quota.nominee_kind:
        parts.append(NomineeKind(quota.nominee_kind).label.lower())
    return " — ".join(parts)


def dossier_submit(*, actor, dossier) -> Dossier:
    """The unit head submits the dossier (draft or returned) to the standing body.

    Refused, with every reason at once, when: the dossier has no nominee; the campaign's deadline
    has passed; a nominee is under discipline, investigation or an unresolved complaint (no award
    may be proposed then: Luật Thi đua, khen thưởng 2022); no rule is in force for a nominee's
    award or it cannot go to that kind of nominee; a required document is missing; the unit would
    pass the campaign's cap on nominees per unit. A campaign's quotas cap awards, not proposals:
    the council applies them at its close. A nominee fails a condition on its award history (e.g.
    three consecutive years of "Chiến sĩ thi đua cơ sở" before the provincial title: Luật Thi đua,
    khen thưởng 2022, Điều 22) without the standing body's override. On the first submission the
    rules in force that day are pinned.
    """
    with step_atomic():
        dossier = lock_dossier(dossier)
        if not permissions.can_submit_dossier(actor, dossier):
            raise PermissionDenied(
                _("Only the head of %(unit)s may submit this dossier.") % {"unit": dossier.unit}
            )
        require_transition(
            dossier.submit,
            refusal=_(
                "This dossier is already “%(state)s”: only a draft or a returned dossier can be submitted."
            ),
        )
        today = timezone.localdate()
        rules_date = dossier.rules_date or today
        # With the rulebook's stamp: the rules they are checked against may then come unread.
        nominees = current_nominees(dossier.pk, stamped=True)
        stamp = nominees[0].rulebook if nominees else None
        problems = []
        if not nominees:
            problems.append(_("The dossier has no nominee."))
        if dossier.state == S.DRAFT and today > dossier.campaign.submission_deadline:
            problems.append(
                _("The submission deadline of the campaign (%(date)s) has passed.")
                % {"date": date_format(dossier.campaign.submission_deadline, "d/m/Y")}
            )
        rules = {}
        in_force = _rules_in_force({n.award_type_id for n in nominees}, rules_date, stamp)
        for nominee in nominees:
            if nominee.under_discipline:
                problems.append(
                    _("%(name)s is under discipline: no award may be proposed.") % {"name": nominee}
                )
            if nominee.under_investigation:
                problems.append(
                    _("%(name)s is under investigation or inspection: no award may be proposed.")
                    % {"name": nominee}
                )
            if nominee.pending_complaint:
                problems.append(
                    _("%(name)s has an unresolved complaint: no award may be proposed.") % {"name": nominee}
                )
            rule = in_force.get(nominee.award_type_id)
            if rule is None:
                problems.append(
                    _("No rule for “%(award)s” is in force on %(date)s.")
                    % {"award": nominee.award_type, "date": date_format(rules_date, "d/m/Y")}
                )
                continue
            if nominee.kind not in rule.nominee_kinds:
                problems.append(
                    _("“%(award)s” cannot be given to %(name)s (a %(kind)s).")
                    % {
                        "award": nominee.award_type,
                        "name": nominee,
                        "kind": nominee.get_kind_display().lower(),
                    }
                )
            rules[nominee.pk] = rule
            if nominee.kind == NomineeKind.INITIATIVE and not nominee.authors.exists():
                problems.append(_("The initiative “%(name)s” has no author.") % {"name": nominee})
        attachments = _CURRENT_FILES.objects(dossier=dossier.pk)
        if len(rules) == len(nominees):
            problems += _missing_documents(dossier, nominees, rules, attachments)
        problems += _unit_cap_problems(dossier, nominees)
        # Conditions on the nominee's award history (e.g. consecutive years of a title), unless
        # the standing body recorded an override (dossiers.history).
        problems += eligibility_problems(dossier, nominees, rules, rules_date, stamp)
        # The apps above add their own refusals (the year's emulation registrations:
        # settings.DOSSIER_SUBMISSION_CHECK), in the same list.
        extra_check = audit.hook("DOSSIER_SUBMISSION_CHECK")
        if extra_check is not None:
            problems += extra_check(dossier, nominees)
        if problems:
            raise ValidationError(problems)

        resubmission = dossier.state == S.RETURNED
        for nominee in nominees:
            nominee.rule = rules[nominee.pk]
        dossier.submit()
        dossier.rules_date = rules_date
        dossier.submitted_at = timezone.now()
        dossier.submission_count += 1
        if not dossier.unit_name_at_submission:
            dossier.unit_name_at_submission = dossier.unit.name
        if dossier.reviewing_unit_id is None:
            dossier.reviewing_unit = dossier.unit.deciding_unit()
        save_dossier(
            dossier,
            [
                "state",
                "rules_date",
                "submitted_at",
                "submission_count",
                "unit_name_at_submission",
                "reviewing_unit",
            ],
            # The rules in force pinned to each nominee, in the dossier's statement.
            updates=[statements.each_its_own(Nominee, "rule", {n.pk: n.rule_id for n in nominees})],
            event=audit.event(
                actor=actor,
                action="dossier.submit",
                target=dossier,
                data={
                    "from": S.RETURNED if resubmission else S.DRAFT,
                    "submission": dossier.submission_count,
                    "rules_date": rules_date.isoformat(),
                    "nominees": [{"id": n.pk, "rule_id": rules[n.pk].pk} for n in nominees],
                    "attachments": {str(a.pk): a.sha256 for a in attachments},
                },
            ),
        )
    return dossier


def dossier_withdraw(*, actor, dossier, reason) -> Dossier:
    """The unit head withdraws a dossier that is a draft, submitted or returned, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the dossier is withdrawn.")})
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        if not permissions.can_withdraw_dossier(actor, dossier):
            raise PermissionDenied(
                _("Only the head of %(unit)s may withdraw this dossier.") % {"unit": dossier.unit}
            )
        require_transition(
            dossier.withdraw, refusal=_("This dossier is “%(state)s”: it can no longer be withdrawn.")
        )
        source = dossier.state
        dossier.withdraw()
        save_dossier(
            dossier,
            ["state"],
            event=audit.event(
                actor=actor,
                action="dossier.withdraw",
                target=dossier,
                data={"from": source, "reason": reason},
            ),
        )
    return dossier


# --- rules and the base salary ----------------------------------------------------------------
# Rules are data with dates (DESIGN.md, "Rules as data"): a change is a new row in force from a
# date, published with its legal basis; the row it follows is closed the day before. A row a
# nominee pinned, or a base salary that has been in force, is never edited (dossiers.models).

# The terms of a rule a new row states (each defaults to the row it follows).
RULE_TERMS = tuple(f for f in RULE_FROZEN_FIELDS if f not in ("award_type_id", "valid_from", "legal_basis"))


def _require_perm(actor, permission, message):
    if not (hasattr(actor, "has_perm") and actor.has_perm(permission)):
        raise PermissionDenied(message)


def _day(value) -> str:
    return date_format(value, "d/m/Y")


def rule_publish(
    *, actor, award_type, valid_from, legal_basis, required_documents=None, **terms
) -> AwardRule:
    """A new version of the rules of `award_type`, in force from `valid_from`.

    Terms not given are those of the rule it follows, and so are its required documents unless
    `required_documents` lists them (document kinds, or (kind, enterprise_only) pairs). Refused:
    a start on or before the last day a dossier pinned a rule of this award (that dossier must
    keep the rule it was received under, even when it is returned and submitted again), or on or
    before the start of an existing rule of the award (publish rules in date order).
    """
    unknown = set(terms) - set(RULE_TERMS)
    if unknown:
        raise ValidationError(_("These are not terms of a rule: %s") % ", ".join(sorted(unknown)))
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError({"legal_basis": _("Give the legal basis of the new rule.")})
    with transaction.atomic():
        _require_perm(actor, "dossiers.add_awardrule", _("Only an administrator may publish rules."))
        rules = list(
            AwardRule.objects.select_for_update().filter(award_type=award_type).order_by("valid_from")
        )
        latest = rules[-1] if rules else None
        if latest is not None and valid_from <= latest.valid_from:
            raise ValidationError(
                {
                    "valid_from": _(
                        "A rule of “%(award)s” is already in force from %(date)s: a new rule starts later."
                    )
                    % {"award": award_type, "date": _day(latest.valid_from)}
                }
            )
        last_pinned = Nominee.objects.filter(rule__award_type=award_type).aggregate(
            last=Max("dossier__rules_date")
        )["last"]
        if last_pinned is not None and valid_from <= last_pinned:
            raise ValidationError(
                {
                    "valid_from": _(
                        "Dossiers were received under the rule in force on %(date)s: a new rule of "
                        "“%(award)s” can start on %(next)s at the earliest."
                    )
                    % {
                        "date": _day(last_pinned),
                        "award": award_type,
                        "next": _day(last_pinned + dt.timedelta(days=1)),
                    }
                }
            )
        previous = (
            latest
            if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from)
            else None
        )
        base = {f: getattr(latest, f) for f in RULE_TERMS} if latest is not None else {}
        rule = AwardRule(
            award_type=award_type, valid_from=valid_from, legal_basis=legal_basis, **{**base, **terms}
        )
        rule.full_clean(exclude=["award_type"])
        if previous is not None:
            previous.valid_to = valid_from - dt.timedelta(days=1)
            previous.save(update_fields=["valid_to"])
        rule.save()
        if required_documents is None:
            documents = (
                [(link.kind, link.enterprise_only) for link in latest.ruledocument_set.select_related("kind")]
                if latest is not None
                else []
            )
        else:
            documents = [item if isinstance(item, tuple) else (item, False) for item in required_documents]
        RuleDocument.objects.bulk_create(
            [RuleDocument(rule=rule, kind=kind, enterprise_only=only) for kind, only in documents]
        )
        audit.record(
            actor=actor,
            action="rule.publish",
            target=rule,
            scope="",
            data={
                "award_type": award_type.code,
                "valid_from": valid_from.isoformat(),
                "legal_basis": legal_basis,
                "terms": {f: _audit_value(getattr(rule, f)) for f in RULE_TERMS},
                "required_documents": sorted(
                    f"{kind.code}{' (enterprise only)' if only else ''}" for kind, only in documents
                ),
                "follows": (
                    {"id": previous.pk, "valid_to": previous.valid_to.isoformat()}
                    if previous is not None
                    else None
                ),
            },
        )
    return rule


def base_salary_set(*, actor, amount, valid_from, legal_basis) -> BaseSalary:
    """A new base salary (lương cơ sở) from `valid_from`; the one before ends the day before.

    Every cash award is the base salary in force on the day its decision is signed, times the
    award's coefficient; a decision keeps the amount it applied. So the new amount starts
    tomorrow at the earliest: what was in force up to today may already have priced awards.
    """
    legal_basis = (legal_basis or "").strip()
    errors = {}
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        errors["amount"] = _("The base salary is a whole number of đồng above zero.")
    if not legal_basis:
        errors["legal_basis"] = _("Give the legal basis of the new base salary.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _require_perm(actor, "dossiers.add_basesalary", _("Only an administrator may set the base salary."))
        today = timezone.localdate()
        if valid_from <= today:
            raise ValidationError(
                {
                    "valid_from": _(
                        "A new base salary starts on %(date)s at the earliest: the one in force up to "
                        "today may already have priced awards."
                    )
                    % {"date": _day(today + dt.timedelta(days=1))}
                }
            )
        rows = list(BaseSalary.objects.select_for_update().order_by("valid_from"))
        latest = rows[-1] if rows else None
        if latest is not None and valid_from <= latest.valid_from:
            raise ValidationError(
                {
                    "valid_from": _("A base salary is already set from %(date)s: a new one starts later.")
                    % {"date": _day(latest.valid_from)}
                }
            )
        previous = (
            latest
            if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from)
            else None
        )
        if previous is not None:
            previous.valid_to = valid_from - dt.timedelta(days=1)
            previous.save(update_fields=["valid_to"])
        salary = BaseSalary.objects.create(amount=amount, valid_from=valid_from, legal_basis=legal_basis)
        audit.record(
            actor=actor,
            action="base_salary.set",
            target=salary,
            scope="",
            data={
                "amount": amount,
                "valid_from": valid_from.isoformat(),
                "legal_basis": legal_basis,
                "follows": (
                    {"id": previous.pk, "amount": previous.amount, "valid_to": previous.valid_to.isoformat()}
                    if previous is not None
                    else None
                ),
            },
        )
    return salary
