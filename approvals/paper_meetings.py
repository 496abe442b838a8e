"""A council meeting held outside the engine, recorded afterwards from its signed minutes.

Councils still meet in a room and vote on paper. The council's secretary then records that
meeting as it happened: the council, the dossiers before it, when and where, who chaired, who was
present (out of the council's members on that date), who did not vote on whom (conflicts of
interest), how many absent members voted in writing, each nominee's votes for, against and
abstaining, the conclusion, and the signed minutes (biên bản) as a PDF.

It is checked against the council's REAL size on the meeting date, with the same rules as a
meeting held in the engine (approvals.meeting_services; DOMAIN.md, step 5; Luật TĐKT 2022 and
Nghị định 152/2025/NĐ-CP on the councils):
- the council is its members on the meeting date (council_members_on), not a number typed in;
- a quorum of members present: the strictest fraction of the nominees' pinned rules;
- no more votes on a nominee than members entitled to vote on them (all members but those
  recused), nor than the members who could have voted (present and not recused, plus the
  written votes); no negative numbers; written votes only from absent members;
- the meeting has been held: its date is not in the future;
- thresholds over ALL members (approvals.services.passes_threshold), then the campaign's quotas
  as the close applies them.

The result is a CouncilMeeting marked `recorded_from_paper`, already closed, with its agenda
filled in, its roll and its recusals: the same rows a closed meeting has, without ballots (the
papers stay with the minutes). workflows.council hands its results over to each dossier in the
same transaction, exactly as when a meeting is closed in the engine.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit import services as audit
from dossiers.files import PDF, FileRejected, sniff
from dossiers.models import DossierState, Nominee, NomineeOutcome
from org import limits
from org.models import CouncilRole

from . import meeting_permissions as perms
from .meeting_permissions import automatic_recusal
from .meeting_services import (
    _apply_quotas,
    check_agenda,
    council_members_on,
    quorum_needed,
    strictest_quorum,
    take_minutes_number,
)
from .models import (
    AgendaItem,
    AgendaResult,
    Attendance,
    AttendanceStatus,
    CouncilMeeting,
    MeetingState,
    Recusal,
    RecusalReason,
)
from .services import passes_threshold

S = DossierState
O = NomineeOutcome
M = MeetingState
VOTE_KEYS = ("votes_for", "votes_against", "abstentions")


def _pk(value):
    return getattr(value, "pk", value)


def _count(value) -> int | None:
    """A count as given (an int, or digits); None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _check_minutes(minutes) -> dict:
    """The signed minutes: a real PDF, through the same checks as a dossier's attachments."""
    if not minutes:
        raise ValidationError({"minutes": [_("Attach the signed minutes of the meeting (PDF).")]})
    try:
        sniffed = sniff(minutes, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except FileRejected as exc:
        if not _looks_like_pdf(minutes):
            # Not a PDF at all: say what this field takes, not every type an attachment may be.
            raise ValidationError({"minutes": [_("The signed minutes must be a PDF file.")]}) from None
        raise ValidationError({"minutes": [str(exc.args[0])]}) from None
    if sniffed.content_type != PDF:
        raise ValidationError({"minutes": [_("The signed minutes must be a PDF file.")]})
    return {
        "name": sniffed.name,
        "size": sniffed.size,
        "sha256": sniffed.sha256,
    }


def _looks_like_pdf(upload) -> bool:
    """Whether the upload starts like a PDF (so a refusal of it is about the PDF itself)."""
    try:
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
    except (AttributeError, OSError, ValueError):
        return False
    return b"%PDF-" in head


def nominees_before(dossiers) -> list[Nominee]:
    """The eligible nominees of these dossiers, the ones a paper meeting gives votes for."""
    return list(
        Nominee.objects.current()
        .filter(dossier__in=dossiers, outcome=O.ELIGIBLE)
        .select_related("award_type")
        .order_by("dossier_id", "pk")
    )


def paper_meeting_record(
    *,
    actor,
    council,
    held_at,
    place,
    chairperson,
    dossiers,
    present,
    counts,
    minutes,
    recusals=None,
    written_votes=0,
    conclusion="",
    title="",
    secret_ballot=True,
    secretary=None,
    ended_at=None,
    absence_reasons=None,
) -> CouncilMeeting:
    """The council's secretary records a meeting the council held on paper, closed, with its
    tally. Refused as a whole, before anything is written, when any rule is broken.

    `present`: the members present (users or ids); `recusals`: {nominee_id: [member, …]} who did
    not vote on that nominee (besides those who never vote on them: the nominee, a member of the
    nominated collective); `counts`: {nominee_id: {"votes_for", "votes_against", "abstentions"}}
    for every eligible nominee of the dossiers; `written_votes`: how many absent members voted in
    writing; `minutes`: the signed minutes, a PDF upload; `ended_at`: when the meeting ended, as
    its minutes say (optional: the minutes print no end time without it); `absence_reasons`:
    {member (user or id): why they were absent}, as the minutes say, only for absent members.
    """
    if not perms.can_schedule_meeting(actor, council):
        raise PermissionDenied(
            _("Only the secretary of %(council)s may record its meetings.") % {"council": council}
        )
    place, title, conclusion = (place or "").strip(), (title or "").strip(), (conclusion or "").strip()
    limits.require_texts(
        {
            "place": (place, limits.PLACE),
            "title": (title, limits.TITLE),
            "conclusion": (conclusion, limits.LONG_TEXT),
        }
    )
    secretary = secretary or actor
    absence = {_pk(m): (text or "").strip() for m, text in (absence_reasons or {}).items()}
    absence = {m: text for m, text in absence.items() if text}
    limits.require_lines("absence_reasons", absence.values(), limit=limits.SHORT_TEXT)
    errors = {}
    if not place:
        errors["place"] = [_("Say where the meeting took place.")]
    if held_at is None:
        errors["held_at"] = [_("Say when the meeting took place.")]
    elif held_at > timezone.now():
        errors["held_at"] = [
            _("A meeting is recorded once it has been held: %(date)s is in the future.")
            % {"date": date_format(timezone.localtime(held_at), "d/m/Y H:i")}
        ]
    if ended_at is not None and held_at is not None and not held_at < ended_at <= timezone.now():
        errors["ended_at"] = [_("The meeting ends after it began, and no later than now.")]
    if not dossiers:
        errors["dossiers"] = [_("Put at least one dossier on the agenda.")]
    written = _count(written_votes)
    if written is None or written < 0:
        errors["written_votes"] = [_("The number of written votes must be a whole number, 0 or more.")]
    try:
        minutes_facts = _check_minutes(minutes)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if held_at is None or written is None:
        raise ValidationError(errors)
    # Every other problem is collected with these (the file's among them): all told at once.
    written = max(written, 0)
    with transaction.atomic():
        day = timezone.localtime(held_at).date()
        roll = council_members_on(council, day)
        members = {m.user_id: m for m in roll}
        total = len(roll)
        if (
            chairperson is None
            or members.get(_pk(chairperson)) is None
            or members[_pk(chairperson)].council_role not in (CouncilRole.CHAIR, CouncilRole.VICE_CHAIR)
        ):
            errors["chairperson"] = [
                _("The chairperson must be the chair or a vice-chair of the council on the meeting date.")
            ]
        if (
            members.get(_pk(secretary)) is None
            or members[_pk(secretary)].council_role != CouncilRole.SECRETARY
        ):
            errors["secretary"] = [
                _("The meeting's secretary must be the council's secretary on the meeting date.")
            ]
        present_ids = {_pk(p) for p in present or []}
        strangers = present_ids - set(members)
        if strangers:
            errors["present"] = [
                _("Only members of the council on the meeting date can be present: %(ids)s is not one.")
                % {"ids": ", ".join(str(i) for i in sorted(strangers, key=str))}
            ]
        elif chairperson is not None and _pk(chairperson) in members and _pk(chairperson) not in present_ids:
            errors["present"] = [_("The chairperson must be among the members present.")]
        if set(absence) - set(members):
            errors["absence_reasons"] = [
                _("A reason for absence is given only for a member of the council on the meeting date.")
            ]
        elif set(absence) & present_ids:
            errors["absence_reasons"] = [
                _("%(name)s is marked present: a reason for absence is for a member who is absent.")
                % {"name": members[uid].user.get_full_name() or members[uid].user.get_username()}
                for uid in sorted(set(absence) & present_ids)
            ]

        locked, nominees, problems = check_agenda(secretary=actor, council=council, dossiers=dossiers)
        if problems:
            errors["dossiers"] = problems
            # The nominees of dossiers not before the council are not counted here.
            raise ValidationError(errors)

        numerator, denominator = strictest_quorum(n.rule for n in nominees)
        needed = quorum_needed(total, numerator, denominator)
        if len(present_ids) < needed:
            errors["present"] = [
                _(
                    "No quorum: %(present)d of the %(total)d members are present; at least %(needed)d "
                    "(%(numerator)d/%(denominator)d of all members) must be."
                )
                % {
                    "present": len(present_ids),
                    "total": total,
                    "needed": needed,
                    "numerator": numerator,
                    "denominator": denominator,
                }
            ]
        absent = total - len(present_ids)
        if written > absent:
            errors["written_votes"] = [
                _("%(written)d written votes, but only %(absent)d members were absent.")
                % {"written": written, "absent": absent}
            ]

        by_id = {n.pk: n for n in nominees}
        declared = {}
        recusal_problems = []
        for nominee_id, people in (recusals or {}).items():
            nominee_id = _count(nominee_id)
            if nominee_id not in by_id:
                recusal_problems.append(_("Nominee %(id)s is not on the agenda.") % {"id": nominee_id})
                continue
            for person in people or []:
                if _pk(person) not in members:
                    recusal_problems.append(
                        _("%(id)s is not a member of the council on the meeting date.") % {"id": _pk(person)}
                    )
                    continue
                declared.setdefault(nominee_id, set()).add(_pk(person))
        if recusal_problems:
            errors["recusals"] = recusal_problems
        recused = {}  # {nominee_id: {member_id: reason}}
        for n in nominees:
            reasons = {uid: RecusalReason.CONFLICT for uid in declared.get(n.pk, ())}
            for uid, m in members.items():
                reason = automatic_recusal(m.user, n)
                if reason:
                    reasons[uid] = reason
            recused[n.pk] = reasons

        given = {}
        count_problems = []
        for key in counts or {}:
            if _count(key) not in by_id:
                count_problems.append(_("Nominee %(id)s is not on the agenda.") % {"id": key})
        counts = {_count(k): v for k, v in (counts or {}).items()}
        for n in nominees:
            row = counts.get(n.pk)
            if row is None:
                count_problems.append(_("Give the votes for %(name)s.") % {"name": n})
                continue
            votes = [_count(row.get(k, 0)) for k in VOTE_KEYS]
            if any(v is None or v < 0 for v in votes):
                count_problems.append(
                    _("The votes for %(name)s must be whole numbers, 0 or more.") % {"name": n}
                )
                continue
            entitled = total - len(recused[n.pk])
            could = len(present_ids - set(recused[n.pk])) + written
            if sum(votes) > entitled:
                count_problems.append(
                    _(
                        "%(name)s: %(votes)d votes, but the council has %(total)d members on the meeting "
                        "date and %(recused)d did not vote on this nominee: at most %(entitled)d."
                    )
                    % {
                        "name": n,
                        "votes": sum(votes),
                        "total": total,
                        "recused": len(recused[n.pk]),
                        "entitled": entitled,
                    }
                )
            elif sum(votes) > could:
                count_problems.append(
                    _(
                        "%(name)s: %(votes)d votes, but only %(could)d members could vote on this nominee "
                        "(present and not recused, plus the written votes)."
                    )
                    % {"name": n, "votes": sum(votes), "could": could}
                )
            else:
                given[n.pk] = votes
        if count_problems:
            errors["counts"] = count_problems
        if errors:
            raise ValidationError(errors)

        allow_abstention = any(v[2] for v in given.values())
        meeting = CouncilMeeting.objects.create(
            council=council,
            title=title or _("Meeting of %(council)s (recorded from paper minutes)") % {"council": council},
            scheduled_at=held_at,
            place=place,
            chairperson_id=_pk(chairperson),
            secretary_id=_pk(secretary),
            secret_ballot=secret_ballot,
            allow_abstention=allow_abstention,
            state=M.CLOSED,
            members_total=total,
            quorum_numerator=numerator,
            quorum_denominator=denominator,
            conclusion=conclusion,
            created_by=actor,
            opened_at=held_at,
            started_at=held_at,
            ended_at=ended_at,
            closed_at=timezone.now(),
            closed_by=actor,
            recorded_from_paper=True,
            written_votes=written,
        )
        items = []
        for position, n in enumerate(nominees, 1):
            votes = given[n.pk]
            passed = passes_threshold(n.rule, votes[0], total)
            items.append(
                AgendaItem(
                    meeting=meeting,
                    dossier=n.dossier,
                    nominee=n,
                    position=position,
                    votes_for=votes[0],
                    votes_against=votes[1],
                    abstentions=votes[2],
                    recused=len(recused[n.pk]),
                    result=AgendaResult.PASSED if passed else AgendaResult.FAILED,
                )
            )
        ties = _apply_quotas(meeting, items)
        if ties:
            names = {n.pk: n for n in nominees}
            raise ValidationError(
                {
                    "counts": [
                        _(
                            "%(names)s tie at the line of the campaign's quota (%(places)d places "
                            "left): the council resolves a tie by a run-off or the chair's decision; "
                            "hold this vote in the engine."
                        )
                        % {"names": ", ".join(str(names[i]) for i in t["nominees"]), "places": t["places"]}
                        for t in ties
                    ]
                }
            )
        items = AgendaItem.objects.bulk_create(items)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    meeting=meeting,
                    member_id=uid,
                    council_role=m.council_role,
                    status=AttendanceStatus.PRESENT if uid in present_ids else AttendanceStatus.ABSENT,
                    absence_reason=absence.get(uid, ""),
                )
                for uid, m in members.items()
            ]
        )
        Recusal.objects.bulk_create(
            [
                Recusal(item=item, member_id=uid, reason=reason)
                for item in items
                for uid, reason in sorted(recused[item.nominee_id].items())
            ]
        )
        meeting.minutes_file.save(f"bien-ban-{meeting.pk}.pdf", minutes, save=False)
        stored_name, storage = meeting.minutes_file.name, meeting.minutes_file.storage
        try:
            meeting.save(update_fields=["minutes_file"])
            take_minutes_number(meeting, actor, ended=ended_at or held_at)
            audit.record(
                actor=actor,
                action="meeting.record_paper",
                target=meeting,
                data={
                    "council_id": council.pk,
                    "title": meeting.title,
                    "held_at": held_at.isoformat(),
                    "place": place,
                    "chairperson": members[_pk(chairperson)].user.get_username(),
                    "secretary": members[_pk(secretary)].user.get_username(),
                    "secret_ballot": secret_ballot,
                    "dossiers": [d.pk for d in locked],
                    "members_total": total,
                    "quorum": f"{numerator}/{denominator}",
                    "present": sorted(members[uid].user.get_username() for uid in present_ids),
                    "absent": sorted(
                        m.user.get_username() for uid, m in members.items() if uid not in present_ids
                    ),
                    "absence_reasons": {
                        members[uid].user.get_username(): text for uid, text in sorted(absence.items())
                    },
                    "written_votes": written,
                    "conclusion": conclusion,
                    "minutes": minutes_facts,
                    "results": {
                        str(i.nominee_id): {
                            "for": i.votes_for,
                            "against": i.votes_against,
                            "abstain": i.abstentions,
                            "recused": sorted(
                                members[uid].user.get_username() for uid in recused[i.nominee_id]
                            ),
                            "result": i.result,
                            "rank": i.rank,
                        }
                        for i in items
                    },
                },
            )
        except Exception:
            storage.delete(stored_name)
            raise
    return meeting
