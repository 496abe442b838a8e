"""Every write on initiatives: registration, files, submission, the council and its meetings, the
secret vote and the recognition. Each is one transaction that checks role and object scope, state
and rule on the server and ends with its audit event.

Legal basis: Nghị định 13/2012/NĐ-CP (Điều lệ sáng kiến) and Thông tư 18/2013/TT-BKHCN: the
head of the unit sets up the initiative council, which reviews the initiatives registered in the
unit; the head recognises, by decision, those the council passes, naming the scope of effect.
"""

import random

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from approvals import sealing
from approvals.meeting_services import quorum_needed
from approvals.meetings import VoteChoice
from audit import services as audit
from dossiers.files import FileRejected, sniff
from org import limits
from org.errors import TransitionNotAllowed

from . import permissions
from .models import (
    EffectScope,
    Initiative,
    InitiativeAgendaItem,
    InitiativeAuthor,
    InitiativeBallot,
    InitiativeCouncil,
    InitiativeCouncilMember,
    InitiativeCouncilRole,
    InitiativeFile,
    InitiativeMeeting,
    InitiativeMeetingState,
    InitiativeParticipation,
    InitiativeRecognition,
    InitiativeRecusal,
    InitiativeResult,
    InitiativeSealedBallot,
)
from .models import InitiativeState as S

_shuffle = random.SystemRandom().shuffle
MAX_FILE_BYTES = 20 * 1024 * 1024
CHOICES = (VoteChoice.AGREE, VoteChoice.DISAGREE)


def live_ballot_keys():
    """The keys of initiative meetings not yet closed (settings.BALLOT_KEY_HOLDERS: the daily
    purge of ballot keys keeps them)."""
    return list(
        InitiativeMeeting.objects.exclude(state=InitiativeMeetingState.CLOSED)
        .filter(ballot_key_id__isnull=False)
        .values_list("ballot_key_id", flat=True)
    )


def registration_deadline(unit, year):
    """The last day to register the year's initiatives in `unit`, from the year's emulation plan
    when there is one: settings.INITIATIVE_REGISTRATION_DEADLINE names a function (unit, year) →
    date or None, filled by the app that owns the plan (it sits above this one)."""
    path = getattr(settings, "INITIATIVE_REGISTRATION_DEADLINE", None)
    return import_string(path)(unit, year) if path else None


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _lock(initiative) -> Initiative:
    return Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)


def _clean_authors(authors, actor, staff) -> list[dict]:
    cleaned, errors = [], []
    for i, a in enumerate(authors or []):
        person = a.get("person")
        name = (a.get("name") or (person.get_full_name() if person else "")).strip()
        if not name:
            errors.append(_("Author %(n)d: a name is required.") % {"n": i + 1})
            continue
        share = a.get("share_percent") or 100
        if not 1 <= int(share) <= 100:
            errors.append(_("Author %(n)d: the share is between 1 and 100%%.") % {"n": i + 1})
        limits.require_texts(
            {"authors": (name, limits.NAME), "position": (a.get("position") or "", limits.PLACE)}
        )
        cleaned.append(
            {
                "person": person,
                "name": name,
                "date_of_birth": a.get("date_of_birth"),
                "position": (a.get("position") or (person.position if person else "")).strip(),
                "share_percent": int(share),
            }
        )
    if not staff and not any(a["person"] is not None and a["person"].pk == actor.pk for a in cleaned):
        # A civil servant registers their own initiative: they are among its authors.
        cleaned.insert(
            0,
            {
                "person": actor,
                "name": actor.get_full_name(),
                "date_of_birth": None,
                "position": actor.position,
                "share_percent": 100
                if not cleaned
                else max(1, 100 - sum(a["share_percent"] for a in cleaned)),
            },
        )
    if not cleaned:
        errors.append(_("An initiative has at least one author."))
    if cleaned and sum(a["share_percent"] for a in cleaned) > 100:
        errors.append(_("The authors' shares add up to more than 100%."))
    if errors:
        raise ValidationError({"authors": errors})
    return cleaned


def initiative_register(
    *, actor, unit, year, title, field, summary, improvement, applied_on=None, authors=None, deadline=None
) -> Initiative:
    """Register an initiative for the year (seed 003: every civil servant registers each year):
    by one of its authors who works in the unit, or by the unit's staff or head for anyone of
    the unit; before the year's registration deadline when the plan sets one (`deadline`, or
    the INITIATIVE_REGISTRATION_DEADLINE hook)."""
    staff = permissions.is_unit_staff(actor, unit)
    _require(permissions.can_register_in(actor, unit), _("Only the unit's people register its initiatives."))
    limits.require_texts(
        {
            "title": (title, limits.TITLE),
            "field": (field, limits.TITLE),
            "summary": (summary, limits.LONG_TEXT),
            "improvement": (improvement, limits.TEXT),
        }
    )
    errors = {}
    for name, value in (
        ("title", title),
        ("field", field),
        ("summary", summary),
        ("improvement", improvement),
    ):
        if not (value or "").strip():
            errors[name] = [_("This field is required.")]
    today = timezone.localdate()
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 1:
        errors["year"] = [_("Register for this year, the last or the next.")]
    if applied_on and applied_on > today:
        errors["applied_on"] = [_("The date it was applied cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    deadline = deadline if deadline is not None else registration_deadline(unit, year)
    if deadline is not None and today > deadline:
        raise ValidationError(
            {
                "year": [
                    _("Registration of initiatives for %(year)d closed on %(date)s.")
                    % {"year": year, "date": date_format(deadline, "d/m/Y")}
                ]
            }
        )
    cleaned = _clean_authors(authors, actor, staff)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            unit=unit,
            year=year,
            title=title.strip(),
            field=field.strip(),
            summary=summary.strip(),
            improvement=improvement.strip(),
            applied_on=applied_on,
            registered_by=actor,
        )
        InitiativeAuthor.objects.bulk_create([InitiativeAuthor(initiative=initiative, **a) for a in cleaned])
        audit.record(
            actor=actor,
            action="initiative.register",
            target=initiative,
            data={
                "unit_id": unit.pk,
                "year": year,
                "title": initiative.title,
                "authors": [a["name"] for a in cleaned],
                "shares": [a["share_percent"] for a in cleaned],
            },
        )
    return initiative


def _can_edit(actor, initiative) -> bool:
    return permissions.is_unit_staff(actor, initiative.unit) or permissions.is_author(actor, initiative)


def initiative_file_add(*, actor, initiative, uploaded_file) -> InitiativeFile:
    """Attach a document (the description, the proof of its effect) while the initiative is not
    yet reviewed; checked like a dossier's files (dossiers.files)."""
    try:
        sniffed = sniff(uploaded_file, max_bytes=MAX_FILE_BYTES)
    except FileRejected as error:
        raise ValidationError({"file": [str(error)]}) from None
    with transaction.atomic():
        initiative = _lock(initiative)
        _require(_can_edit(actor, initiative), _("Only its authors or the unit's staff add files."))
        if initiative.state not in (S.REGISTERED, S.SUBMITTED):
            raise TransitionNotAllowed(_("Files are added before the council reviews the initiative."))
        row = InitiativeFile(
            initiative=initiative,
            original_name=sniffed.name,
            content_type=sniffed.content_type,
            size=sniffed.size,
            sha256=sniffed.sha256,
            uploaded_by=actor,
        )
        row.file.save(uploaded_file.name, uploaded_file, save=False)
        stored, storage = row.file.name, row.file.storage
        try:
            row.save()
            audit.record(
                actor=actor,
                action="initiative.file_add",
                target=initiative,
                data={"file_id": row.pk, "name": row.original_name, "size": row.size, "sha256": row.sha256},
            )
        except Exception:
            storage.delete(stored)
            raise
    return row


def initiative_submit(*, actor, initiative) -> Initiative:
    """The unit head sends a registered initiative to the initiative council for review."""
    with transaction.atomic():
        initiative = _lock(initiative)
        _require(
            permissions.is_unit_head(actor, initiative.unit),
            _("Only the unit's head submits initiatives for review."),
        )
        if initiative.state != S.REGISTERED:
            raise TransitionNotAllowed(
                _("This initiative is %(state)s: only a registered one is submitted.")
                % {"state": initiative.get_state_display().lower()}
            )
        initiative.state = S.SUBMITTED
        initiative.submitted_at = timezone.now()
        initiative.save(update_fields=["state", "submitted_at"])
        audit.record(
            actor=actor, action="initiative.submit", target=initiative, data={"year": initiative.year}
        )
    return initiative


def initiative_withdraw(*, actor, initiative) -> Initiative:
    """Its authors or the unit's staff withdraw it before the council takes it up."""
    with transaction.atomic():
        initiative = _lock(initiative)
        _require(_can_edit(actor, initiative), _("Only its authors or the unit's staff withdraw it."))
        if initiative.state not in (S.REGISTERED, S.SUBMITTED):
            raise TransitionNotAllowed(_("Once under review, an initiative is no longer withdrawn."))
        before = initiative.state
        initiative.state = S.WITHDRAWN
        initiative.save(update_fields=["state"])
        audit.record(actor=actor, action="initiative.withdraw", target=initiative, data={"from": before})
    return initiative


# --- the council ---------------------------------------------------------------------------------


def council_set_up(*, actor, unit, name, members) -> InitiativeCouncil:
    """The unit head sets up (or recomposes) the unit's initiative council: `members` is a list
    of (user, role) with exactly one chair and one secretary."""
    _require(permissions.is_unit_head(actor, unit), _("Only the unit's head sets up its initiative council."))
    limits.require_text("name", name, limits.TITLE)
    roles = [role for _user, role in members]
    errors = []
    if not (name or "").strip():
        raise ValidationError({"name": [_("This field is required.")]})
    if roles.count(InitiativeCouncilRole.CHAIR) != 1 or roles.count(InitiativeCouncilRole.SECRETARY) != 1:
        errors.append(_("The council has one chair and one secretary."))
    if len({u.pk for u, _r in members}) != len(members):
        errors.append(_("A person sits on the council once."))
    if len(members) < 3:
        errors.append(_("The council has at least three members."))
    if errors:
        raise ValidationError({"members": errors})
    with transaction.atomic():
        council, _created = InitiativeCouncil.objects.select_for_update().get_or_create(
            unit=unit, defaults={"name": name.strip()}
        )
        if council.meetings.filter(state=InitiativeMeetingState.VOTING).exists():
            raise TransitionNotAllowed(_("The council is voting: recompose it after the close."))
        council.name = name.strip()
        council.save(update_fields=["name"])
        council.members.all().delete()
        InitiativeCouncilMember.objects.bulk_create(
            [InitiativeCouncilMember(council=council, user=u, role=r) for u, r in members]
        )
        audit.record(
            actor=actor,
            action="initiative_council.set_up",
            target=council,
            data={"name": council.name, "members": [[u.get_username(), str(r)] for u, r in members]},
        )
    return council


def _lock_meeting(meeting) -> InitiativeMeeting:
    return InitiativeMeeting.objects.select_for_update().select_related("council__unit").get(pk=meeting.pk)


def meeting_schedule(*, actor, council, held_on, place, initiatives) -> InitiativeMeeting:
    """The chair or secretary convenes the council on the unit's submitted initiatives; they are
    then under review. A secret ballot: the meeting gets its key now (approvals.sealing)."""
    _require(
        permissions.is_council_officer(actor, council),
        _("Only the council's chair or secretary convenes it."),
    )
    limits.require_text("place", place, limits.PLACE)
    if not (place or "").strip():
        raise ValidationError({"place": [_("This field is required.")]})
    if not initiatives:
        raise ValidationError({"initiatives": [_("Put at least one initiative on the agenda.")]})
    key_id, public_key = sealing.new_key()
    try:
        with transaction.atomic():
            locked = list(
                Initiative.objects.select_for_update()
                .filter(pk__in=[i.pk for i in initiatives])
                .order_by("pk")
            )
            wrong = [i for i in locked if i.unit_id != council.unit_id or i.state != S.SUBMITTED]
            if wrong or len(locked) != len({i.pk for i in initiatives}):
                raise TransitionNotAllowed(
                    _("Only the unit's initiatives submitted for review go on the agenda: %(names)s.")
                    % {"names": ", ".join(str(i) for i in wrong)}
                )
            meeting = InitiativeMeeting.objects.create(
                council=council,
                held_on=held_on,
                place=place.strip(),
                created_by=actor,
                ballot_key_id=key_id,
                ballot_public_key=public_key,
            )
            InitiativeAgendaItem.objects.bulk_create(
                [InitiativeAgendaItem(meeting=meeting, initiative=i) for i in locked]
            )
            Initiative.objects.filter(pk__in=[i.pk for i in locked]).update(state=S.UNDER_REVIEW)
            audit.record(
                actor=actor,
                action="initiative_meeting.schedule",
                target=meeting,
                data={
                    "held_on": held_on.isoformat(),
                    "place": meeting.place,
                    "initiative_ids": [i.pk for i in locked],
                },
            )
    except Exception:
        sealing.destroy_key(key_id)
        raise
    return meeting


def meeting_open_voting(*, actor, meeting, present) -> InitiativeMeeting:
    """Record who is present and open the vote: a quorum of the council's fraction (two thirds by
    default) of ALL its members must be present. Members who are authors of an initiative on the
    agenda are recused from it automatically."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        council = meeting.council
        _require(
            permissions.is_council_officer(actor, council),
            _("Only the council's chair or secretary opens the vote."),
        )
        if meeting.state != InitiativeMeetingState.SCHEDULED:
            raise TransitionNotAllowed(_("The vote of this meeting is already open or closed."))
        member_ids = set(council.members.values_list("user_id", flat=True))
        present_ids = {u.pk for u in present}
        if not present_ids <= member_ids:
            raise ValidationError({"present": [_("Only the council's members are recorded as present.")]})
        total = len(member_ids)
        needed = quorum_needed(total, council.quorum_numerator, council.quorum_denominator)
        if len(present_ids) < needed:
            raise ValidationError(
                {
                    "present": [
                        _(
                            "No quorum: %(present)d of the %(total)d members are present; at least %(needed)d are needed."
                        )
                        % {"present": len(present_ids), "total": total, "needed": needed}
                    ]
                }
            )
        meeting.present.set(present_ids)
        items = list(meeting.agenda.prefetch_related("initiative__authors"))
        recusals = [
            InitiativeRecusal(item=item, member_id=a.person_id)
            for item in items
            for a in item.initiative.authors.all()
            if a.person_id in member_ids
        ]
        InitiativeRecusal.objects.bulk_create(recusals)
        meeting.state = InitiativeMeetingState.VOTING
        meeting.members_total = total
        meeting.opened_at = timezone.now()
        meeting.save(update_fields=["state", "members_total", "opened_at"])
        audit.record(
            actor=actor,
            action="initiative_meeting.open_voting",
            target=meeting,
            data={
                "members_total": total,
                "present": sorted(present_ids),
                "recused": sorted([r.item.initiative_id, r.member_id] for r in recusals),
            },
        )
    return meeting


def ballot_cast(*, actor, meeting, initiative, choice) -> InitiativeParticipation:
    """A present member votes on one initiative, secretly and once. The participation is written
    and audited without the choice; the choice is sealed to the meeting's key and is opened only
    at the close, in shuffled order (shared/notes/ballot-secrecy.md)."""
    if choice not in CHOICES:
        raise ValidationError({"choice": [_("Choose agree or disagree.")]})
    try:
        item = InitiativeAgendaItem.objects.select_related("meeting").get(
            meeting=meeting, initiative=initiative
        )
    except InitiativeAgendaItem.DoesNotExist:
        raise ValidationError(
            {"initiative": [_("This initiative is not on the meeting's agenda.")]}
        ) from None
    if item.meeting.ballot_public_key is None:
        raise TransitionNotAllowed(_("This meeting has no ballot key."))
    sealed = sealing.seal(
        item.meeting.ballot_public_key, meeting_id=meeting.pk, item_id=item.pk, choice=choice
    )
    try:
        with transaction.atomic():
            meeting = _lock_meeting(meeting)
            if meeting.state != InitiativeMeetingState.VOTING:
                raise TransitionNotAllowed(_("The vote is not open."))
            if not meeting.present.filter(pk=actor.pk).exists():
                raise PermissionDenied(_("You are not recorded as present at this meeting."))
            if InitiativeRecusal.objects.filter(item=item, member=actor).exists():
                raise PermissionDenied(
                    _("You are an author of “%(title)s”: you do not vote on it.") % {"title": initiative}
                )
            participation = InitiativeParticipation.objects.create(item=item, member=actor)
            InitiativeSealedBallot.objects.create(item=item, sealed=sealed)
            audit.record(
                actor=actor,
                action="initiative_meeting.participate",
                target=meeting,
                data={"initiative_id": initiative.pk, "member": actor.get_username()},
            )
    except IntegrityError:
        raise TransitionNotAllowed(
            _("You have already voted on “%(title)s”; a secret ballot cannot be changed.")
            % {"title": initiative}
        ) from None
    return participation


def votes_needed(members_total, council) -> int:
    """The fewest votes for that pass: more than the threshold fraction of all members."""
    return members_total * council.threshold_numerator // council.threshold_denominator + 1


def passes(votes_for, members_total, council) -> bool:
    """More than threshold_numerator/threshold_denominator of ALL the council's members."""
    return votes_for * council.threshold_denominator > members_total * council.threshold_numerator


def meeting_close(*, actor, meeting) -> InitiativeMeeting:
    """Close the vote: open every sealed ballot in this one transaction, write the plain ballots
    shuffled with random keys, delete the sealed rows, count, and destroy the key after commit.
    An initiative passes with more than half of ALL members (the council's threshold); one that
    does not is not recognised."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        council = meeting.council
        _require(
            permissions.is_council_officer(actor, council),
            _("Only the council's chair or secretary closes the vote."),
        )
        if meeting.state != InitiativeMeetingState.VOTING:
            raise TransitionNotAllowed(_("The vote is not open."))
        items = list(meeting.agenda.select_related("initiative"))
        sealed = list(
            InitiativeSealedBallot.objects.filter(item__meeting=meeting).values_list("item_id", "sealed")
        )
        cast = {}
        for item_id in InitiativeParticipation.objects.filter(item__meeting=meeting).values_list(
            "item_id", flat=True
        ):
            cast[item_id] = cast.get(item_id, 0) + 1
        boxes = {}
        for item_id, _blob in sealed:
            boxes[item_id] = boxes.get(item_id, 0) + 1
        if boxes != cast:
            raise TransitionNotAllowed(
                _(
                    "A ballot box does not hold one ballot per member who voted: do not close; report it to the inspectors."
                )
            )
        ballots = []
        try:
            opener = sealing.Opener(meeting.ballot_key_id) if sealed else None
            for item_id, blob in sealed:
                choice, _comment = opener.open(blob, meeting_id=meeting.pk, item_id=item_id)
                if choice not in CHOICES:
                    raise sealing.SealError("not a choice")
                ballots.append(InitiativeBallot(item_id=item_id, choice=choice))
        except sealing.SealError:
            raise TransitionNotAllowed(_("The sealed ballots of this meeting cannot be opened.")) from None
        _shuffle(ballots)
        InitiativeBallot.objects.bulk_create(ballots)
        InitiativeSealedBallot.objects.filter(item__meeting=meeting).delete()
        results = {}
        for item in items:
            item.votes_for = sum(1 for b in ballots if b.item_id == item.pk and b.choice == VoteChoice.AGREE)
            item.votes_against = sum(
                1 for b in ballots if b.item_id == item.pk and b.choice == VoteChoice.DISAGREE
            )
            ok = passes(item.votes_for, meeting.members_total, council)
            item.result = InitiativeResult.PASSED if ok else InitiativeResult.FAILED
            results[str(item.initiative_id)] = [item.votes_for, item.votes_against, item.result]
        InitiativeAgendaItem.objects.bulk_update(items, ["votes_for", "votes_against", "result"])
        Initiative.objects.filter(
            pk__in=[i.initiative_id for i in items if i.result == InitiativeResult.FAILED]
        ).update(state=S.NOT_RECOGNISED)
        meeting.state = InitiativeMeetingState.CLOSED
        meeting.closed_at = timezone.now()
        meeting.save(update_fields=["state", "closed_at"])
        key_id = meeting.ballot_key_id
        transaction.on_commit(lambda: sealing.destroy_key(key_id))
        audit.record(
            actor=actor,
            action="initiative_meeting.close",
            target=meeting,
            data={
                "members_total": meeting.members_total,
                "threshold": [council.threshold_numerator, council.threshold_denominator],
                "results": results,
            },
        )
    return meeting


def initiative_recognise(
    *, actor, initiative, decision_number, decision_date, effect_scope, signer_position=""
) -> InitiativeRecognition:
    """The unit head recognises, by decision, an initiative its council passed (Nghị định
    13/2012/NĐ-CP, Điều 6), with the scope it has effect in."""
    limits.require_texts(
        {"decision_number": (decision_number, 64), "signer_position": (signer_position, limits.PLACE)}
    )
    errors = {}
    if not (decision_number or "").strip():
        errors["decision_number"] = [_("This field is required.")]
    if effect_scope not in EffectScope.values:
        errors["effect_scope"] = [_("Choose the scope of effect.")]
    if decision_date is None or decision_date > timezone.localdate():
        errors["decision_date"] = [_("The decision's date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        initiative = _lock(initiative)
        _require(
            permissions.is_unit_head(actor, initiative.unit),
            _("Only the unit's head recognises initiatives."),
        )
        if initiative.state != S.UNDER_REVIEW:
            raise TransitionNotAllowed(
                _("This initiative is %(state)s: only one under review is recognised.")
                % {"state": initiative.get_state_display().lower()}
            )
        item = (
            InitiativeAgendaItem.objects.filter(
                initiative=initiative, meeting__state=InitiativeMeetingState.CLOSED
            )
            .order_by("-meeting__closed_at")
            .first()
        )
        if item is None or item.result != InitiativeResult.PASSED:
            raise TransitionNotAllowed(_("The initiative council has not passed this initiative."))
        if decision_date < item.meeting.held_on:
            raise ValidationError({"decision_date": [_("The decision comes after the council's meeting.")]})
        recognition = InitiativeRecognition.objects.create(
            initiative=initiative,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            signer=actor,
            signer_position=(signer_position or actor.position or "").strip(),
            effect_scope=effect_scope,
            meeting=item.meeting,
        )
        initiative.state = S.RECOGNISED
        initiative.save(update_fields=["state"])
        audit.record(
            actor=actor,
            action="initiative.recognise",
            target=initiative,
            data={
                "decision_number": recognition.decision_number,
                "decision_date": decision_date.isoformat(),
                "effect_scope": effect_scope,
                "meeting_id": item.meeting_id,
            },
        )
    return recognition
