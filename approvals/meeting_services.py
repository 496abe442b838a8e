"""Every write to a council meeting: scheduling, attendance, opening the vote, ballots (in the room
or in writing), recusals, closing with the tally and the campaign's quotas.

Each function is keyword-only and one transaction: it re-reads the meeting under a row lock,
checks the actor's role and scope (approvals.meeting_permissions), the meeting's state and the
business rules, writes, and appends its audit event. A refusal raises before anything is
written, so the data stays as it was.

Votes do not queue behind one another (ballot_cast): a vote seals its ballot and reads what does
not change while the vote is open before its transaction, then holds the meeting's guard SHARED
(a PostgreSQL advisory lock on the meeting) only for its own checks and writes; every other
change to a meeting (lock_meeting: the close, a member leaving, a recusal …) takes the guard
EXCLUSIVELY first. So the votes of different members run side by side, serialised only by the
audit chain's append, and a vote racing the close is either committed before it (and counted)
or waits for it and is refused; the lock manager queues the close ahead of the votes that
arrive after it. A member votes once per nominee: the unique participation settles a double
click or two tabs (one vote, and "you have already voted" for the other).

The rules (DOMAIN.md, step 5; Luật TĐKT 2022 and Nghị định 152/2025/NĐ-CP on the councils):
- the council is its members on the meeting date (CouncilMembership terms): the roll;
- voting opens only with a quorum of members PRESENT: the strictest fraction among the pinned
  rules of the nominees on the agenda (2/3 by default, 80 % under some local rules); written votes
  count as votes but do not make a member present;
- a member votes once per nominee, agree or disagree (or abstain, when the meeting allows it);
  by secret ballot the vote cannot be changed, in open voting a new vote replaces the earlier one
  until the close;
- a member who is the nominee, belongs to the nominated collective, or declares a conflict of
  interest does not vote on that nominee;
- thresholds count ALL members of the council (approvals.services.passes_threshold), and the
  campaign's quotas cap how many pass: the passing nominees are ranked by their share of the votes
  that could be cast on them, then the rules' priorities (approvals.ranking), and the rest are over
  quota; nominees still equal across a quota's line are a tie the council resolves (a run-off
  round of the same meeting, or the chair's reasoned decision, as the campaign says) before any
  result goes to the dossiers;
- the close checks the quorum again: members who left while the vote was open no longer count,
  and a council without its quorum present does not conclude (the close is refused).

Secrecy (approvals.sealing): a secret vote is written as a Participation (who, on which nominee)
and a SealedBallot (what, encrypted to the meeting's key, whose private half is outside the
database). The close opens them all in one transaction, writes the plain Ballots (and the written
votes' comments, without names) in a shuffled order, deletes the sealed rows and, once committed,
destroys the key: nothing the database keeps, live or dead, links a choice to its voter.
"""

import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from dossiers.models import (
    Campaign,
    CampaignQuota,
    DossierState,
    Nominee,
    NomineeOutcome,
    RankingPriority,
    TieRule,
)
from dossiers.permissions import can_view_dossier
from dossiers.services import QUOTA_STATES, lock_dossier
from org import limits
from org.errors import TransitionNotAllowed
from org.models import CouncilMembership, CouncilRole, RegisterSeries
from org.prepared import PreparedRead
from org.register_numbers import register_take

from . import meeting_permissions as perms
from . import ranking, sealing
from .meeting_permissions import automatic_recusal
from .models import (
    AgendaItem,
    AgendaResult,
    Attendance,
    AttendanceStatus,
    Ballot,
    BallotComment,
    CouncilMeeting,
    CouncilResult,
    MeetingState,
    OpenVote,
    Participation,
    Recusal,
    RecusalReason,
    SealedBallot,
    VoteChoice,
    VoteHow,
    WrittenOpinion,
)
from .services import passes_threshold

S = DossierState
O = NomineeOutcome
M = MeetingState
_shuffle = random.SystemRandom().shuffle


# --- reading under a lock ---------------------------------------------------------------------


# The namespace of the advisory locks that guard a meeting's vote, (MEETING_GUARD, meeting id):
# the two-key form, so it never meets the audit chain's one-key lock. "MEET" in ASCII.
MEETING_GUARD = 0x4D454554


def _guard(meeting_id, *, shared: bool) -> None:
    """Hold the meeting's guard until the transaction ends: shared by the votes, exclusive for
    every other change to the meeting (PostgreSQL; SQLite's IMMEDIATE transactions already
    serialise writers). A statement of its own, so that what is read next is read after it."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [MEETING_GUARD, meeting_id])


def lock_meeting(meeting) -> CouncilMeeting:
    """Take the meeting's guard exclusively (it waits for the votes under way to commit, and the
    votes that arrive after it wait for this transaction), then re-read the meeting under a row
    lock: the changes to a meeting queue on this row."""
    _guard(meeting.pk, shared=False)
    return (
        CouncilMeeting.objects.select_for_update(of=("self",))
        .select_related("council__unit")
        .get(pk=meeting.pk)
    )


MINUTES_SYMBOL = "BB-HĐTĐKT"


def take_minutes_number(meeting, actor, *, ended=None):
    """The minutes' number (…/BB-HĐTĐKT), taken when the meeting closes (or is recorded from
    paper) from the council's own register: the council issues its minutes in its own name, so
    it keeps its own series (Nghị định 30/2020/NĐ-CP, Điều 15, khoản 1; org.registers). Taken
    once: every later rendering of the minutes prints the same number. Runs in the closing
    transaction, before its audit event."""
    day = timezone.localtime(ended or meeting.closed_at or timezone.now()).date()
    return register_take(
        unit=meeting.council.unit,
        year=day.year,
        symbol=MINUTES_SYMBOL,
        subject=meeting.title,
        on=day,
        actor=actor,
        series=RegisterSeries.COUNCIL,
        target=meeting,
    )


def _require(allowed: bool, message: str):
    if not allowed:
        raise PermissionDenied(message)


def _require_state(meeting, *states):
    if meeting.state in states:
        return
    messages = {
        M.SCHEDULED: _("Voting has not been opened yet at this meeting."),
        M.VOTING: _("Voting is open at this meeting: this can no longer be done."),
        M.CLOSED: _("The vote of this meeting is closed: nothing can be cast or changed."),
        M.CANCELLED: _("This meeting has been cancelled."),
    }
    raise TransitionNotAllowed(messages[meeting.state])


def council_members_on(council, day) -> list[CouncilMembership]:
    """The members of the council on `day`, one row a person (their highest council role), in the
    order the minutes list them: chair, vice-chairs, secretary, members."""
    rows = (
        CouncilMembership.objects.active_on(day)
        .filter(council=council)
        .select_related("user__unit")
        .order_by("user__full_name", "user__username", "pk")
    )
    best = {}
    for row in rows:
        kept = best.get(row.user_id)
        if kept is None or CouncilRole.rank(row.council_role) < CouncilRole.rank(kept.council_role):
            best[row.user_id] = row
    return sorted(best.values(), key=lambda m: CouncilRole.rank(m.council_role))


def _sync_automatic_recusals(meeting, items, members) -> list[Recusal]:
    existing = set(Recusal.objects.filter(item__meeting=meeting).values_list("item_id", "member_id"))
    new = []
    for item in items:
        for member in members:
            reason = automatic_recusal(member, item.nominee)
            if reason and (item.pk, member.pk) not in existing:
                new.append(Recusal(item=item, member=member, reason=reason))
    return Recusal.objects.bulk_create(new)


def _items(meeting):
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("nominee__award_type", "nominee__rule", "dossier")
        .order_by("position")
    )


def _item_for(meeting, nominee) -> AgendaItem:
    nominee_id = getattr(nominee, "pk", nominee)
    try:
        return AgendaItem.objects.select_related("nominee").get(meeting=meeting, nominee_id=nominee_id)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"nominee": _("This nominee is not on the agenda of this meeting.")}) from None


def _roll_row(meeting, member) -> Attendance | None:
    return Attendance.objects.select_related("member__unit").filter(meeting=meeting, member=member).first()


def _check_choice(meeting, choice):
    allowed = [VoteChoice.AGREE, VoteChoice.DISAGREE]
    if meeting.allow_abstention:
        allowed.append(VoteChoice.ABSTAIN)
    if choice not in allowed:
        if choice == VoteChoice.ABSTAIN:
            raise ValidationError(
                {"choice": _("This meeting votes agree or disagree: abstention is not allowed.")}
            )
        raise ValidationError({"choice": _("Vote agree or disagree.")})


def _require_voter(meeting, actor, roll_status):
    """`roll_status`: the member's status on the meeting's roll, None when not on it."""
    _require(
        roll_status is not None and perms.can_vote(actor, meeting, {actor.pk}),
        _("Only the members of %(council)s on the meeting date may vote.") % {"council": meeting.council},
    )


def _refuse_recused(item):
    raise PermissionDenied(
        _("You do not vote on %(name)s: conflict of interest (recorded in the minutes).")
        % {"name": item.nominee}
    )


def _seal_ballot(meeting, item, choice, comment=""):
    """Put a secret vote in the nominee's box, sealed to the meeting's key."""
    if meeting.ballot_public_key is None:
        # A meeting convened before ballots were sealed gets its key on its first vote.
        meeting.ballot_key_id, meeting.ballot_public_key = sealing.new_key()
        meeting.save(update_fields=["ballot_key_id", "ballot_public_key"])
    sealed = sealing.seal(
        meeting.ballot_public_key, meeting_id=meeting.pk, item_id=item.pk, choice=choice, comment=comment
    )
    SealedBallot.objects.create(item=item, sealed=sealed)


def _destroy_key_after_commit(meeting):
    key_id = meeting.ballot_key_id
    if key_id is not None:
        transaction.on_commit(lambda: sealing.destroy_key(key_id))


def _open_ballot_box(meeting, items):
    """At the close: open every sealed ballot of the meeting, check each nominee's box holds
    exactly one ballot per secret participation, write the plain ballots and the written votes'
    comments in a shuffled order with random keys, and delete the sealed rows."""
    sealed = list(SealedBallot.objects.filter(item__meeting=meeting).values_list("item_id", "sealed"))
    cast = dict(
        Participation.objects.filter(item__meeting=meeting).values_list("item_id").annotate(n=Count("pk"))
    )
    boxes = {}
    for item_id, _blob in sealed:
        boxes[item_id] = boxes.get(item_id, 0) + 1
    legacy = dict(Ballot.objects.filter(item__meeting=meeting).values_list("item_id").annotate(n=Count("pk")))
    names = {i.pk: i.nominee for i in items}
    wrong = [
        names[item_id]
        for item_id in names
        if boxes.get(item_id, 0) + legacy.get(item_id, 0) != cast.get(item_id, 0)
    ]
    if wrong:
        raise TransitionNotAllowed(
            _(
                "The ballot box of %(names)s does not hold one ballot per member who voted: the "
                "ballots have been tampered with. Do not close; report it to the inspectors."
            )
            % {"names": ", ".join(str(n) for n in wrong)}
        )
    if not sealed:
        return
    allowed = set(VoteChoice.values)
    ballots, comments = [], []
    try:
        opener = sealing.Opener(meeting.ballot_key_id)
        for item_id, blob in sealed:
            choice, comment = opener.open(blob, meeting_id=meeting.pk, item_id=item_id)
            if choice not in allowed:
                raise sealing.SealError("not a choice")
            ballots.append(Ballot(item_id=item_id, choice=choice))
            if comment:
                comments.append(BallotComment(item_id=item_id, comment=comment))
    except sealing.SealError as error:
        message = (
            _("The ballot key of this meeting is missing: its secret ballots cannot be opened.")
            if str(error) == "key missing"
            else _("A sealed ballot of this meeting fails its check: the ballots have been tampered with.")
        )
        raise TransitionNotAllowed(message) from None
    _shuffle(ballots)
    _shuffle(comments)
    Ballot.objects.bulk_create(ballots)
    BallotComment.objects.bulk_create(comments)
    SealedBallot.objects.filter(item__meeting=meeting).delete()


def strictest_quorum(rules) -> tuple[int, int]:
    """The largest quorum fraction among the rules (2/3 when there is none)."""
    best = (2, 3)
    for rule in rules:
        if rule is not None and rule.quorum_numerator * best[1] > best[0] * rule.quorum_denominator:
            best = (rule.quorum_numerator, rule.quorum_denominator)
    return best


def quorum_needed(total, numerator, denominator) -> int:
    """The smallest number of members present that reaches numerator/denominator of `total`."""
    return -(-total * numerator // denominator)


def _no_quorum(present, total, numerator, denominator) -> str | None:
    """Why `present` of `total` members are not a quorum of numerator/denominator, or None."""
    needed = quorum_needed(total, numerator, denominator)
    if present >= needed:
        return None
    return _(
        "No quorum: %(present)d of the %(total)d members are present; at least %(needed)d "
        "(%(numerator)d/%(denominator)d of all members) must be."
    ) % {
        "present": present,
        "total": total,
        "needed": needed,
        "numerator": numerator,
        "denominator": denominator,
    }


# --- scheduling -------------------------------------------------------------------------------


def check_agenda(*, secretary, council, dossiers) -> tuple[list, list[Nominee], list[str]]:
    """The dossiers a meeting of `council` may take (convened here, or held on paper), locked:
    each one the secretary may see (else it is unknown, and nothing of it is told), handled by the
    council's unit, before the council, on no pending meeting, with eligible nominees whose rules
    are pinned. Returns (locked dossiers, their eligible nominees, problems)."""
    locked = [lock_dossier(d) for d in sorted({d.pk: d for d in dossiers}.values(), key=lambda d: d.pk)]
    if any(not can_view_dossier(secretary, d) for d in locked):
        # A dossier the secretary may not see does not exist for them: nothing about it
        # (title, state) may come back in a refusal.
        raise ValidationError({"dossiers": [_("Unknown dossier.")]})
    problems = []
    for d in locked:
        if d.reviewing_unit_id != council.unit_id:
            problems.append(
                _("“%(dossier)s” is not handled by %(unit)s.") % {"dossier": d, "unit": council.unit}
            )
        elif d.state != S.IN_COUNCIL:
            problems.append(
                _("“%(dossier)s” is “%(state)s”: it is not before the council.")
                % {"dossier": d, "state": d.get_state_display()}
            )
    pending = (
        AgendaItem.objects.filter(dossier__in=locked, meeting__state__in=[M.SCHEDULED, M.VOTING, M.TIED])
        .values_list("dossier__title", "meeting__title")
        .distinct()
    )
    problems += [
        _("“%(dossier)s” is already on the agenda of “%(meeting)s”.") % {"dossier": d, "meeting": m}
        for d, m in pending
    ]
    nominees = list(
        Nominee.objects.current()
        .filter(dossier__in=locked, outcome=O.ELIGIBLE)
        .select_related("award_type", "rule", "dossier")
        .order_by("dossier_id", "pk")
    )
    with_nominees = {n.dossier_id for n in nominees}
    problems += [
        _("“%(dossier)s” has no eligible nominee.") % {"dossier": d}
        for d in locked
        if d.pk not in with_nominees
    ]
    problems += [
        _("%(name)s has no rule pinned to their award.") % {"name": n} for n in nominees if n.rule_id is None
    ]
    return locked, nominees, problems


def meeting_schedule(
    *,
    actor,
    council,
    scheduled_at,
    place,
    chairperson,
    secretary,
    dossiers,
    title="",
    secret_ballot=True,
    allow_abstention=False,
) -> CouncilMeeting:
    """The council's secretary convenes a meeting: time, place, chairperson (the council's chair
    or a vice-chair), secretary (the council's secretary), and an agenda of dossiers before this
    council (state in_council, handled by the council's unit) with all their eligible nominees,
    since the council's result is handed over per dossier. Every member of the council on the
    meeting date is invited (the roll); a dossier is on one pending meeting at a time."""
    place, title = (place or "").strip(), (title or "").strip()
    limits.require_texts({"place": (place, limits.PLACE), "title": (title, limits.TITLE)})
    errors = {}
    if not place:
        errors["place"] = [_("Say where the meeting takes place.")]
    if scheduled_at is None:
        errors["scheduled_at"] = [_("Say when the meeting takes place.")]
    if not dossiers:
        errors["dossiers"] = [_("Put at least one dossier on the agenda.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _require(
            perms.can_schedule_meeting(actor, council),
            _("Only the secretary of %(council)s may convene its meetings.") % {"council": council},
        )
        day = timezone.localtime(scheduled_at).date()
        roll = council_members_on(council, day)
        role_of = {m.user_id: m.council_role for m in roll}
        if role_of.get(chairperson.pk) not in (CouncilRole.CHAIR, CouncilRole.VICE_CHAIR):
            errors["chairperson"] = [
                _("The chairperson must be the chair or a vice-chair of the council on the meeting date.")
            ]
        if role_of.get(secretary.pk) != CouncilRole.SECRETARY:
            errors["secretary"] = [
                _("The meeting's secretary must be the council's secretary on the meeting date.")
            ]
        locked, nominees, problems = check_agenda(secretary=actor, council=council, dossiers=dossiers)
        if problems:
            errors["dossiers"] = problems
        if errors:
            raise ValidationError(errors)
        key_id, public_key = sealing.new_key() if secret_ballot else (None, None)
        meeting = CouncilMeeting.objects.create(
            ballot_key_id=key_id,
            ballot_public_key=public_key,
            council=council,
            title=title or _("Meeting of %(council)s") % {"council": council},
            scheduled_at=scheduled_at,
            place=place,
            chairperson=chairperson,
            secretary=secretary,
            secret_ballot=secret_ballot,
            allow_abstention=allow_abstention,
            created_by=actor,
        )
        items = AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, dossier_id=n.dossier_id, nominee=n, position=i)
                for i, n in enumerate(nominees, 1)
            ]
        )
        for item, nominee in zip(items, nominees, strict=True):
            item.nominee = nominee
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, member_id=m.user_id, council_role=m.council_role) for m in roll]
        )
        recusals = _sync_automatic_recusals(meeting, items, [m.user for m in roll])
        audit.record(
            actor=actor,
            action="meeting.schedule",
            target=meeting,
            data={
                "council_id": council.pk,
                "title": meeting.title,
                "scheduled_at": scheduled_at.isoformat(),
                "place": place,
                "chairperson": chairperson.get_username(),
                "secretary": secretary.get_username(),
                "secret_ballot": secret_ballot,
                "allow_abstention": allow_abstention,
                "dossiers": [d.pk for d in locked],
                "nominees": [n.pk for n in nominees],
                "members": [m.user.get_username() for m in roll],
                "recusals": [
                    {"nominee_id": r.item.nominee_id, "member": r.member.get_username(), "reason": r.reason}
                    for r in recusals
                ],
            },
        )
    return meeting


def meeting_cancel(*, actor, meeting, reason) -> CouncilMeeting:
    """The secretary calls off a meeting before its vote opens; its dossiers may be put on
    another meeting. Written votes already cast stay with the cancelled meeting, uncounted."""
    reason = (reason or "").strip()
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(perms.can_run_meeting(actor, meeting), _("Only the meeting's secretary may cancel it."))
        _require_state(meeting, M.SCHEDULED)
        meeting.state, meeting.cancel_reason = M.CANCELLED, reason
        meeting.save(update_fields=["state", "cancel_reason"])
        # The written votes are never counted: their sealed ballots and the key go.
        SealedBallot.objects.filter(item__meeting=meeting).delete()
        _destroy_key_after_commit(meeting)
        audit.record(actor=actor, action="meeting.cancel", target=meeting, data={"reason": reason})
    return meeting


# --- attendance and opening -------------------------------------------------------------------


def meeting_attendance_record(*, actor, meeting, present, absence_reasons=None) -> CouncilMeeting:
    """The secretary records who is present (everyone else on the roll is absent). Also during
    the vote, for a member who arrives late; a member who has voted in the room stays present,
    and the members present stay a quorum.

    `absence_reasons`: {member (user or id): why they are absent}, as the minutes print it
    (Nghị định 30/2020, Phụ lục III: the minutes name the members absent and why). Given, it
    replaces the reasons on the roll; None keeps those of the members still absent. A reason for
    a member marked present is refused, naming them. A member now present has no reason."""
    present_ids = {getattr(p, "pk", p) for p in present}
    reasons = None
    if absence_reasons is not None:
        reasons = {getattr(m, "pk", m): (text or "").strip() for m, text in absence_reasons.items()}
        reasons = {m: text for m, text in reasons.items() if text}
        limits.require_lines("absence_reasons", reasons.values(), limit=limits.SHORT_TEXT)
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(
            perms.can_run_meeting(actor, meeting), _("Only the meeting's secretary may record attendance.")
        )
        _require_state(meeting, M.SCHEDULED, M.VOTING)
        roll = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
        on_roll = {r.member_id for r in roll}
        unknown = present_ids - on_roll
        if unknown:
            raise ValidationError(
                {"present": _("Only members of the council on the meeting date can be present.")}
            )
        if reasons is not None:
            if set(reasons) - on_roll:
                raise ValidationError(
                    {
                        "absence_reasons": _(
                            "A reason for absence is given only for a member of the council on the "
                            "meeting date."
                        )
                    }
                )
            marked_present = [r.member for r in roll if r.member_id in present_ids and r.member_id in reasons]
            if marked_present:
                raise ValidationError(
                    {
                        "absence_reasons": [
                            _(
                                "%(name)s is marked present: a reason for absence is for a member who is absent."
                            )
                            % {"name": m.get_full_name() or m.get_username()}
                            for m in marked_present
                        ]
                    }
                )
        voted_in_room = set(
            Participation.objects.filter(item__meeting=meeting, how=VoteHow.IN_ROOM).values_list(
                "member_id", flat=True
            )
        )
        leaving = [
            r.member
            for r in roll
            if r.member_id in voted_in_room
            and r.member_id not in present_ids
            and r.status != AttendanceStatus.LEFT
        ]
        if leaving:
            raise ValidationError(
                {
                    "present": [
                        _("%(name)s has voted in the meeting: they were present.") % {"name": m}
                        for m in leaving
                    ]
                }
            )
        if meeting.state == M.VOTING:
            # The council votes only with its quorum present (DOMAIN.md, step 5): once the vote
            # is open, the roll may not fall below the quorum frozen at the opening.
            no_quorum = _no_quorum(
                len(present_ids), meeting.members_total, meeting.quorum_numerator, meeting.quorum_denominator
            )
            if no_quorum:
                raise ValidationError({"present": [no_quorum]})
        for r in roll:
            if r.member_id in present_ids:
                r.status = AttendanceStatus.PRESENT
            elif r.status != AttendanceStatus.LEFT:
                r.status = AttendanceStatus.ABSENT
            if r.member_id in present_ids:
                r.absence_reason = ""
            elif reasons is not None:
                r.absence_reason = reasons.get(r.member_id, "")
        Attendance.objects.bulk_update(roll, ["status", "absence_reason"])
        audit.record(
            actor=actor,
            action="meeting.attendance",
            target=meeting,
            data={
                "present": sorted(
                    r.member.get_username() for r in roll if r.status == AttendanceStatus.PRESENT
                ),
                "absent": sorted(
                    r.member.get_username() for r in roll if r.status == AttendanceStatus.ABSENT
                ),
                "absence_reasons": {
                    r.member.get_username(): r.absence_reason for r in roll if r.absence_reason
                },
            },
        )
    return meeting


def meeting_open_voting(*, actor, meeting) -> CouncilMeeting:
    """The secretary opens the vote once attendance is recorded and the quorum is reached: at
    least the strictest quorum fraction of the agenda's pinned rules, of ALL members of the
    council on the meeting date, present. The number of members is frozen here."""
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(perms.can_run_meeting(actor, meeting), _("Only the meeting's secretary may open the vote."))
        _require_state(meeting, M.SCHEDULED)
        roll = _sync_roll(meeting)
        if any(r.status == AttendanceStatus.INVITED for r in roll):
            raise ValidationError(_("Record who is present before opening the vote."))
        items = _items(meeting)
        stale = [
            i
            for i in items
            if i.dossier.state != S.IN_COUNCIL or i.nominee.outcome != O.ELIGIBLE or i.nominee.removed_at
        ]
        if stale:
            raise ValidationError(
                [
                    _("%(name)s is no longer before the council: cancel this meeting and convene another.")
                    % {"name": i.nominee}
                    for i in stale
                ]
            )
        numerator, denominator = strictest_quorum(i.nominee.rule for i in items)
        total = len(roll)
        present = sum(1 for r in roll if r.status == AttendanceStatus.PRESENT)
        needed = quorum_needed(total, numerator, denominator)
        no_quorum = _no_quorum(present, total, numerator, denominator)
        if no_quorum:
            raise ValidationError(no_quorum)
        _sync_automatic_recusals(meeting, items, [r.member for r in roll])
        meeting.state, meeting.opened_at, meeting.members_total = M.VOTING, timezone.now(), total
        meeting.quorum_numerator, meeting.quorum_denominator = numerator, denominator
        # The meeting's business begins with the roll taken and the vote opened: the minutes'
        # start time.
        meeting.started_at = meeting.started_at or meeting.opened_at
        meeting.save(
            update_fields=[
                "state",
                "opened_at",
                "started_at",
                "members_total",
                "quorum_numerator",
                "quorum_denominator",
            ]
        )
        audit.record(
            actor=actor,
            action="meeting.open",
            target=meeting,
            data={
                "members_total": total,
                "present": present,
                "quorum": f"{numerator}/{denominator}",
                "needed": needed,
            },
        )
    return meeting


def _sync_roll(meeting) -> list[Attendance]:
    """The roll again, from the memberships on the meeting date: members added to the council
    since the invitation join it (absent until the secretary marks them), members who left it
    drop out, unless they have already voted in writing (then the meeting must be reconvened)."""
    members = {m.user_id: m for m in council_members_on(meeting.council, meeting.meeting_date)}
    roll = list(Attendance.objects.filter(meeting=meeting).select_related("member__unit"))
    departed = [r for r in roll if r.member_id not in members]
    if departed:
        voted = set(
            Participation.objects.filter(
                item__meeting=meeting, member_id__in=[r.member_id for r in departed]
            ).values_list("member_id", flat=True)
        )
        if voted:
            raise ValidationError(
                _(
                    "A member who voted in writing is no longer on the council: cancel this meeting and convene another."
                )
            )
        Attendance.objects.filter(pk__in=[r.pk for r in departed]).delete()
    known = {r.member_id for r in roll}
    added = Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting, member=m.user, council_role=m.council_role, status=AttendanceStatus.ABSENT
            )
            for uid, m in members.items()
            if uid not in known
        ]
    )
    return [r for r in roll if r.member_id in members] + added


# --- votes ------------------------------------------------------------------------------------


def ballot_cast(*, actor, meeting, nominee, choice) -> Participation:
    """A member present at the meeting votes on one nominee.

    Secret ballot: once, never changed; the participation is recorded and audited without the
    choice, the ballot without the member. Open voting: named, and a new vote before the close
    replaces the earlier one (both audited with the choice), a written one too: the member then
    voted in the room, and their paper's comment is withdrawn with it.

    What cannot change while the vote is open (the meeting, its agenda, the roll, the member's
    role) is read and the ballot sealed before the transaction; inside it, the meeting's guard is
    held shared (other members' votes go on, the close waits) while the meeting's state, the
    member's presence and any recusal are read again, the vote is written and the audit event
    appended last.

    `meeting` is the meeting or its id: the vote reads what it needs itself, in one query (the
    nominee's agenda item with its meeting, council and unit, and the member's place on the roll).
    Raises CouncilMeeting.DoesNotExist for a meeting that does not exist."""
    item = _ballot_item(getattr(meeting, "pk", meeting), nominee, actor)
    meeting = item.meeting
    _require_voter(meeting, actor, item.roll_status)
    _require_state(meeting, M.VOTING)
    _check_choice(meeting, choice)
    _require_present(item.roll_status)
    if automatic_recusal(actor, item.nominee):
        _refuse_recused(item)
    sealed = None
    if meeting.secret_ballot and meeting.ballot_public_key is not None:
        sealed = sealing.seal(
            meeting.ballot_public_key, meeting_id=meeting.pk, item_id=item.pk, choice=choice
        )
    try:
        return _cast(actor, meeting, item, choice, sealed)
    except IntegrityError as error:
        if not _is_second_participation(error):
            raise
        if meeting.secret_ballot:
            raise TransitionNotAllowed(
                _("You have already voted on %(name)s; a secret ballot cannot be changed.")
                % {"name": item.nominee}
            ) from None
    # Open voting, two first votes at once (a double click, two tabs): the other one is in, so
    # this one is a change of it (or nothing, when it is the same choice).
    return _cast(actor, meeting, item, choice, None)


# The item a member votes on with everything the vote checks, in one read compiled once.
_BALLOT_ITEM = PreparedRead(
    lambda *, meeting, nominee, member: (
        AgendaItem.objects.filter(meeting_id=meeting, nominee_id=nominee)
        .select_related("meeting__council__unit", "nominee__collective_unit")
        .annotate(
            roll_status=Subquery(
                Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), member_id=member)
                .order_by()
                .values("status")[:1]
            )
        )
        .order_by()
    ),
    arguments=("meeting", "nominee", "member"),
)


def _ballot_item(meeting_id, nominee, actor) -> AgendaItem:
    """The agenda item a member votes on, with its meeting (council and unit), its nominee and the
    member's status on the roll (`roll_status`, None when not on it): one query. When the nominee
    is not on the agenda, the meeting and the roll are read apart so that the refusals come in the
    same order as on any other path (not a voter, not voting, then not on the agenda)."""
    nominee_id = getattr(nominee, "pk", nominee)
    try:
        found = _BALLOT_ITEM.objects(meeting=int(meeting_id), nominee=int(nominee_id), member=actor.pk)
    except (ValueError, TypeError):
        found = []
    if found:
        return found[0]
    meeting = CouncilMeeting.objects.select_related("council__unit").get(pk=meeting_id)
    row = _roll_row(meeting, actor)
    _require_voter(meeting, actor, row.status if row else None)
    _require_state(meeting, M.VOTING)
    return _item_for(meeting, nominee)


def _require_present(status):
    if status != AttendanceStatus.PRESENT:
        raise PermissionDenied(
            _("You are not recorded as present at this meeting: ask the secretary to record your attendance.")
        )


def _is_second_participation(error) -> bool:
    """The unique participation refused a second vote by the same member on the same nominee
    (PostgreSQL names the constraint, SQLite its columns)."""
    text = str(error)
    return "uniq_participation" in text or "approvals_participation.item_id" in text


# Inside the vote's transaction, under the guard: the meeting's state, the member's presence and
# any recusal, read again.
_VOTE_AGAIN = PreparedRead(
    lambda *, meeting, member, item: (
        Attendance.objects.filter(meeting_id=meeting, member_id=member)
        .annotate(
            recused=Subquery(
                Recusal.objects.filter(item_id=item, member_id=OuterRef("member_id"))
                .order_by()
                .values("reason")[:1]
            )
        )
        .values("meeting__state", "status", "recused")
    ),
    arguments=("meeting", "member", "item"),
)


def _cast(actor, meeting, item, choice, sealed) -> Participation:
    """The vote's transaction: the guard shared, the checks again, the writes, the event."""
    with transaction.atomic():
        if meeting.secret_ballot and sealed is None:
            # A meeting convened before ballots were sealed gets its key on its first vote,
            # under the exclusive guard (once; the votes after it find the key).
            meeting = _give_ballot_key(meeting)
            sealed = sealing.seal(
                meeting.ballot_public_key, meeting_id=meeting.pk, item_id=item.pk, choice=choice
            )
        _guard(meeting.pk, shared=True)
        again = _VOTE_AGAIN.first(meeting=meeting.pk, member=actor.pk, item=item.pk)
        if again is None:  # taken off the roll meanwhile
            _require_present(None)
        state, status, recused = again["meeting__state"], again["status"], again["recused"]
        meeting.state = state
        _require_state(meeting, M.VOTING)
        _require_present(status)
        if recused:
            _refuse_recused(item)
        event = {"meeting_id": meeting.pk, "nominee_id": item.nominee_id, "member": actor.get_username()}
        if meeting.secret_ballot:
            participation = Participation.objects.create(item=item, member=actor, how=VoteHow.IN_ROOM)
            SealedBallot.objects.create(item=item, sealed=sealed)
            audit.record(
                actor=actor,
                action="vote.participate",
                target=meeting,
                data={**event, "how": VoteHow.IN_ROOM},
                case_id=item.dossier_id,
            )
            return participation
        participation = Participation.objects.select_for_update().filter(item=item, member=actor).first()
        if participation is None:
            participation = Participation.objects.create(item=item, member=actor, how=VoteHow.IN_ROOM)
            OpenVote.objects.create(item=item, member=actor, choice=choice)
            audit.record(
                actor=actor,
                action="vote.cast",
                target=meeting,
                data={**event, "how": VoteHow.IN_ROOM, "choice": choice},
                case_id=item.dossier_id,
            )
            return participation
        vote = OpenVote.objects.get(item=item, member=actor)
        came = participation.how == VoteHow.WRITTEN
        if came:
            # A member who voted in writing came after all and votes in the room: that vote
            # replaces their paper, and they were present (the roll keeps them so).
            participation.how = VoteHow.IN_ROOM
            participation.save(update_fields=["how"])
            WrittenOpinion.objects.filter(item=item, member=actor).delete()
        if came or vote.choice != choice:
            before, vote.choice = vote.choice, choice
            vote.save(update_fields=["choice"])
            audit.record(
                actor=actor,
                action="vote.change",
                target=meeting,
                data={**event, "how": VoteHow.IN_ROOM, "from": before, "choice": choice},
                case_id=item.dossier_id,
            )
    return participation


def _give_ballot_key(meeting) -> CouncilMeeting:
    locked = lock_meeting(meeting)
    if locked.ballot_public_key is None:
        locked.ballot_key_id, locked.ballot_public_key = sealing.new_key()
        locked.save(update_fields=["ballot_key_id", "ballot_public_key"])
    return locked


def written_vote_cast(*, actor, meeting, votes) -> list[Participation]:
    """A member who will be absent votes in writing before the vote opens: one paper covering
    every nominee they may vote on, each agree or disagree (or abstain when allowed), each with an
    optional comment that the minutes quote. It counts like a vote cast in the room.

    `votes`: {nominee_id: {"choice": "agree" | "disagree" | "abstain", "comment": str}}.
    """
    votes = {
        int(k): {"choice": v.get("choice"), "comment": (v.get("comment") or "").strip()}
        for k, v in votes.items()
    }
    limits.require_lines("comment", [v["comment"] for v in votes.values()], limit=limits.SHORT_TEXT)
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        roll = _roll_row(meeting, actor)
        _require_voter(meeting, actor, roll.status if roll else None)
        if meeting.state == M.VOTING:
            raise TransitionNotAllowed(
                _("The vote has opened: written votes are taken only before the meeting.")
            )
        _require_state(meeting, M.SCHEDULED)
        if roll.status == AttendanceStatus.PRESENT:
            raise TransitionNotAllowed(_("You are recorded as present: vote in the meeting."))
        items = _items(meeting)
        recused = set(
            Recusal.objects.filter(item__meeting=meeting, member=actor).values_list("item_id", flat=True)
        )
        recused |= {i.pk for i in items if automatic_recusal(roll.member, i.nominee)}
        votable = {i.nominee_id: i for i in items if i.pk not in recused}
        on_agenda = {i.nominee_id: i for i in items}
        problems = [
            _("%(name)s: choose agree or disagree.") % {"name": i.nominee}
            for n, i in votable.items()
            if n not in votes
        ]
        problems += [
            _("Nominee %(id)s is not on the agenda.") % {"id": n} for n in votes if n not in on_agenda
        ]
        problems += [
            _("You do not vote on %(name)s: conflict of interest.") % {"name": on_agenda[n].nominee}
            for n in votes
            if n in on_agenda and n not in votable
        ]
        if problems:
            raise ValidationError({"votes": problems})
        for vote in votes.values():
            _check_choice(meeting, vote["choice"])
        earlier = {p.item_id: p for p in Participation.objects.filter(item__meeting=meeting, member=actor)}
        if earlier and meeting.secret_ballot:
            raise TransitionNotAllowed(
                _("You have already voted in writing; a secret ballot cannot be changed.")
            )
        participations = []
        for nominee_id, vote in votes.items():
            item = votable[nominee_id]
            if item.pk in earlier:
                participations.append(earlier[item.pk])
                OpenVote.objects.filter(item=item, member=actor).update(choice=vote["choice"])
            else:
                participations.append(
                    Participation.objects.create(item=item, member=actor, how=VoteHow.WRITTEN)
                )
                if meeting.secret_ballot:
                    # The comment is sealed with the choice: "Nhất trí…" would give the vote
                    # away; the minutes quote it at the close, without the member's name.
                    _seal_ballot(meeting, item, vote["choice"], vote["comment"])
                    continue
                OpenVote.objects.create(item=item, member=actor, choice=vote["choice"])
            WrittenOpinion.objects.filter(item=item, member=actor).delete()
            if vote["comment"]:
                WrittenOpinion.objects.create(item=item, member=actor, comment=vote["comment"])
        data = {
            "meeting_id": meeting.pk,
            "member": actor.get_username(),
            "how": VoteHow.WRITTEN,
            "nominees": sorted(votes),
        }
        if not meeting.secret_ballot:
            data["choices"] = {str(n): v["choice"] for n, v in votes.items()}
            data["comments"] = {str(n): v["comment"] for n, v in votes.items() if v["comment"]}
        action = "vote.participate" if meeting.secret_ballot else ("vote.change" if earlier else "vote.cast")
        audit.record(actor=actor, action=action, target=meeting, data=data)
    return participations


def recusal_declare(*, actor, meeting, nominee, note, member=None) -> Recusal:
    """A member declares a conflict of interest on a nominee and does not vote on them (or the
    secretary records one announced in the room). Not after the member has voted on them."""
    member = member or actor
    note = (note or "").strip()
    limits.require_text("note", note, limits.SHORT_TEXT)
    if not note:
        raise ValidationError({"note": _("Say what the conflict of interest is.")})
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(
            perms.can_record_recusal_for(actor, meeting, member),
            _("Only the member concerned or the meeting's secretary may record a conflict of interest."),
        )
        _require_state(meeting, M.SCHEDULED, M.VOTING)
        roll = _roll_row(meeting, member)
        if roll is None:
            raise ValidationError(
                {
                    "member": _("%(name)s is not a member of the council on the meeting date.")
                    % {"name": member}
                }
            )
        item = _item_for(meeting, nominee)
        if Recusal.objects.filter(item=item, member=member).exists():
            raise TransitionNotAllowed(_("This conflict of interest is already recorded."))
        if Participation.objects.filter(item=item, member=member).exists():
            raise TransitionNotAllowed(
                _("%(member)s has already voted on %(name)s: the vote stands.")
                % {"member": member, "name": item.nominee}
            )
        recusal = Recusal.objects.create(item=item, member=member, reason=RecusalReason.CONFLICT, note=note)
        audit.record(
            actor=actor,
            action="vote.recuse",
            target=meeting,
            data={
                "meeting_id": meeting.pk,
                "nominee_id": item.nominee_id,
                "member": member.get_username(),
                "note": note,
            },
        )
    return recusal


# --- closing ----------------------------------------------------------------------------------


def tally(meeting) -> dict[int, dict[str, int]]:
    """{item_id: {choice: count}} recounted from the ballots (secret) or the named votes (open)."""
    source = Ballot if meeting.secret_ballot else OpenVote
    counts = {}
    rows = (
        source.objects.filter(item__meeting=meeting).values_list("item_id", "choice").annotate(n=Count("pk"))
    )
    for item_id, choice, n in rows:
        counts.setdefault(item_id, {})[choice] = n
    return counts


def _places_taken(items) -> tuple[list, dict]:
    """The quotas of the campaigns of the items that reached their threshold, and how many places
    of each are already taken outside this agenda: nominees of the campaign already voted in or
    awarded (a nominee forwarded to the next level is counted once, as its forwarded copy)."""
    reached = (AgendaResult.PASSED, AgendaResult.TIED, AgendaResult.OVER_QUOTA)
    campaign_ids = sorted({i.dossier.campaign_id for i in items if i.result in reached})
    if not campaign_ids:
        return [], {}
    # Serialise with other meetings of the same campaigns (their quota counts).
    list(Campaign.objects.select_for_update().filter(pk__in=campaign_ids).values_list("pk", flat=True))
    quotas = list(CampaignQuota.objects.filter(campaign_id__in=campaign_ids).order_by("pk"))
    agenda = [i.nominee_id for i in items]
    taken = {}
    for quota in quotas:
        taken[quota.pk] = (
            Nominee.objects.current()
            .filter(
                quota.nominee_filter(),
                outcome__in=[O.VOTED_IN, O.AWARDED],
                dossier__state__in=QUOTA_STATES,
                forwarded_as__isnull=True,
            )
            .exclude(pk__in=agenda)
            .count()
        )
    return quotas, taken


def _priorities(meeting) -> list[RankingPriority]:
    return list(RankingPriority.objects.in_force_on(meeting.meeting_date).order_by("order", "pk"))


def _apply_quotas(meeting, items) -> list[dict]:
    """Rank the nominees that reached their threshold (approvals.ranking) and give them the
    places of every quota of their campaign that covers them; the rest are over quota, and those
    equal across a quota's line are tied. Returns the ties, each with the campaign's rule."""
    quotas, taken = _places_taken(items)
    ties = ranking.allot(items, quotas, taken, meeting.members_total, _priorities(meeting))
    rules = dict(Campaign.objects.filter(pk__in={t.campaign_id for t in ties}).values_list("pk", "tie_rule"))
    return [t.as_data(rules[t.campaign_id]) for t in ties]


def _agenda(meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("nominee__award_type", "nominee__rule", "dossier")
        .order_by("position")
    )


def _require_quorum_at_close(meeting):
    """The council concludes only with its quorum present (DOMAIN.md, step 5): members who left
    while the vote was open no longer count. Written votes count as votes, not as presence."""
    present = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).count()
    no_quorum = _no_quorum(
        present, meeting.members_total, meeting.quorum_numerator, meeting.quorum_denominator
    )
    if no_quorum:
        raise TransitionNotAllowed(
            _(
                "The vote cannot be closed without a quorum present. %(why)s Record the members "
                "who have come back before closing; the votes cast so far are kept."
            )
            % {"why": no_quorum}
        )


def _count(meeting, items):
    """Open the ballot box (secret ballot), recount, and write each item's votes."""
    if meeting.secret_ballot:
        _open_ballot_box(meeting, items)
        _destroy_key_after_commit(meeting)
    counts = tally(meeting)
    recused = dict(
        Recusal.objects.filter(item__meeting=meeting).values_list("item_id").annotate(n=Count("pk"))
    )
    for item in items:
        c = counts.get(item.pk, {})
        item.votes_for = c.get(VoteChoice.AGREE, 0)
        item.votes_against = c.get(VoteChoice.DISAGREE, 0)
        item.abstentions = c.get(VoteChoice.ABSTAIN, 0)
        item.recused = recused.get(item.pk, 0)


def _results(meeting, items) -> dict[int, dict[int, dict[str, int]]]:
    results = {}
    for item in items:
        results.setdefault(item.dossier_id, {})[item.nominee_id] = {
            "votes_for": item.votes_for,
            "votes_against": item.votes_against,
            "abstentions": item.abstentions,
            "members_total": meeting.members_total,
        }
    return results


def _result_data(items) -> dict:
    return {
        str(i.nominee_id): {
            "for": i.votes_for,
            "against": i.votes_against,
            "abstain": i.abstentions,
            "recused": i.recused,
            "result": i.result,
            "rank": i.rank,
            **({"tiebreak": i.tiebreak} if i.tiebreak else {}),
        }
        for i in items
    }


def _settle(meeting, items, ties, actor):
    """Write the ranking; the meeting is closed when no tie is left, else it waits for the
    council to resolve the ties."""
    AgendaItem.objects.bulk_update(
        items, ["votes_for", "votes_against", "abstentions", "recused", "result", "rank", "tiebreak"]
    )
    meeting.ties = ties
    if ties:
        meeting.state = M.TIED
    else:
        meeting.state, meeting.closed_at, meeting.closed_by = M.CLOSED, timezone.now(), actor
        meeting.ended_at = meeting.closed_at
    meeting.save(
        update_fields=["state", "ties", "closed_at", "closed_by", "conclusion", "tie_reason", "ended_at"]
    )
    if not ties:
        # Before the caller's audit event: the register's lock is always taken before the chain's.
        take_minutes_number(meeting, actor)


def meeting_close(*, actor, meeting, conclusion="") -> dict[int, dict[int, dict[str, int]]]:
    """The chairperson closes the vote: every ballot committed before this moment is counted,
    none after, and only with the quorum still present. Per nominee: votes for, against,
    abstentions, out of ALL members of the council; passed or failed against the nominee's pinned
    threshold, then ranked for the campaign's quotas (approvals.ranking).

    When nominees tie across a quota's line, the meeting waits (state `tied`) for the council to
    resolve it: a run-off round (meeting_runoff_start, then this close on the round) or the chair's
    reasoned decision (meeting_tie_decide); nothing goes to the dossiers until then.

    Closing a run-off round counts its ballots, places the tied nominees by their share of the
    round's votes, and ranks the meeting again: closed when no tie is left, else another round.

    Returns {dossier_id: results} once the meeting's results are final (else {}), each `results`
    in the shape approvals.services.council_result_record takes: {nominee_id: {"votes_for",
    "votes_against", "abstentions", "members_total"}}. workflows.council hands them over in the
    same transaction."""
    conclusion = (conclusion or "").strip()
    limits.require_text("conclusion", conclusion, limits.LONG_TEXT)
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(
            perms.can_close_meeting(actor, meeting),
            _("Only the chairperson of this meeting may close the vote."),
        )
        if meeting.state == M.CLOSED:
            raise TransitionNotAllowed(_("The vote of this meeting is already closed."))
        if meeting.state == M.TIED:
            raise TransitionNotAllowed(
                _("The vote of this meeting is counted: resolve the tie at the quota line.")
            )
        _require_state(meeting, M.VOTING)
        _require_quorum_at_close(meeting)
        items = _agenda(meeting)
        _count(meeting, items)
        if meeting.runoff_of_id:
            return _close_runoff(actor=actor, runoff=meeting, items=items, conclusion=conclusion)
        total = meeting.members_total
        for item in items:
            passed = passes_threshold(item.nominee.rule, item.votes_for, total)
            item.result = AgendaResult.PASSED if passed else AgendaResult.FAILED
        ties = _apply_quotas(meeting, items)
        nominee_of = {i.pk: i.nominee_id for i in items}
        comments = [
            (nominee_of[item_id], comment)
            for item_id, comment in BallotComment.objects.filter(item__meeting=meeting).values_list(
                "item_id", "comment"
            )
        ]
        meeting.conclusion = conclusion
        _settle(meeting, items, ties, actor)
        audit.record(
            actor=actor,
            action="meeting.close",
            target=meeting,
            data={
                "members_total": total,
                "conclusion": conclusion,
                # The written secret votes' comments, opened with the ballots: by nominee, no name.
                "written_comments": {
                    str(item_id): sorted(c for i, c in comments if i == item_id)
                    for item_id in sorted({i for i, _c in comments})
                },
                "results": _result_data(items),
                "ties": ties,
            },
        )
    return {} if ties else _results(meeting, items)


def _dense_places(items, key) -> dict[int, int]:
    """{item pk: place} by `key`, equal keys sharing a place (1, 2, 2, 4)."""
    ranked = sorted(items, key=key)
    places, previous, place = {}, object(), 0
    for index, item in enumerate(ranked, 1):
        if key(item) != previous:
            place, previous = index, key(item)
        places[item.pk] = place
    return places


def _tie_families(items, ties, members_total, priorities):
    """For each tie: (the tie, its tied items, the items ranking equal to them before the
    council's resolution: the ones whose places a resolution renumbers)."""
    by_nominee = {i.nominee_id: i for i in items}
    for tie in ties:
        tied = [by_nominee[n] for n in tie["nominees"] if n in by_nominee]
        if not tied:
            continue
        key = ranking.ranking_key(tied[0], members_total, priorities)
        family = [
            i
            for i in items
            if i.result in (AgendaResult.PASSED, AgendaResult.TIED, AgendaResult.OVER_QUOTA)
            and ranking.ranking_key(i, members_total, priorities) == key
        ]
        yield tie, tied, family


def _close_runoff(*, actor, runoff, items, conclusion):
    """Close a run-off round: its share of votes places the tied nominees among themselves, and
    the meeting it belongs to is ranked again."""
    parent = lock_meeting(runoff.runoff_of)
    parent_items = _agenda(parent)
    priorities = _priorities(parent)
    share = {i.nominee_id: ranking.vote_share(i.votes_for, runoff.members_total, i.recused) for i in items}
    round_places = _dense_places(items, key=lambda i: -share[i.nominee_id])
    for item in items:
        item.rank = round_places[item.pk]
    place_of = {i.nominee_id: round_places[i.pk] for i in items}
    for tie, tied, family in _tie_families(parent_items, parent.ties, parent.members_total, priorities):
        if tie["rule"] != TieRule.RUNOFF:
            continue
        ranking.refine_tiebreaks(family, {i.pk: place_of.get(i.nominee_id, 0) for i in tied})
    ties = _apply_quotas(parent, parent_items)
    final = {i.nominee_id: i.result for i in parent_items}
    for item in items:
        item.result = final[item.nominee_id]
    runoff.conclusion = conclusion
    AgendaItem.objects.bulk_update(
        items, ["votes_for", "votes_against", "abstentions", "recused", "result", "rank"]
    )
    runoff.state, runoff.closed_at, runoff.closed_by = M.CLOSED, timezone.now(), actor
    runoff.save(update_fields=["state", "closed_at", "closed_by", "conclusion"])
    # The parent settles (and takes its minutes' number) before the first audit event.
    _settle(parent, parent_items, ties, actor)
    audit.record(
        actor=actor,
        action="meeting.close",
        target=runoff,
        data={
            "runoff_of": parent.pk,
            "round": runoff.round,
            "members_total": runoff.members_total,
            "conclusion": conclusion,
            "results": _result_data(items),
        },
    )
    audit.record(
        actor=actor,
        action="meeting.tie_resolve",
        target=parent,
        data={"runoff_id": runoff.pk, "results": _result_data(parent_items), "ties": ties},
    )
    return {} if ties else _results(parent, parent_items)


def meeting_runoff_start(*, actor, meeting) -> CouncilMeeting:
    """The chairperson opens a run-off round of a meeting whose close found a tie at a quota's
    line, where the campaign's rule is a run-off: the same council, roll (the members present at
    the close; written votes were for the first round only), frozen number of members and ballot
    (secret or open), only the tied nominees, for the places left. The round opens for votes at
    once, and only with the quorum present; each member's conflicts of interest carry over."""
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(
            perms.can_close_meeting(actor, meeting),
            _("Only the chairperson of this meeting may call a run-off."),
        )
        if meeting.state != M.TIED:
            raise TransitionNotAllowed(_("This meeting has no tie at the quota line to resolve."))
        if meeting.runoffs.filter(state=M.VOTING).exists():
            raise TransitionNotAllowed(_("A run-off round of this meeting is already open."))
        nominees = sorted({n for t in meeting.ties if t["rule"] == TieRule.RUNOFF for n in t["nominees"]})
        if not nominees:
            raise TransitionNotAllowed(
                _("The campaign's rule for this tie is the chair's decision, not a run-off.")
            )
        roll = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
        present = sum(1 for r in roll if r.status == AttendanceStatus.PRESENT)
        no_quorum = _no_quorum(
            present, meeting.members_total, meeting.quorum_numerator, meeting.quorum_denominator
        )
        if no_quorum:
            raise TransitionNotAllowed(no_quorum)
        number = meeting.runoffs.count() + 2
        key_id, public_key = sealing.new_key() if meeting.secret_ballot else (None, None)
        runoff = CouncilMeeting.objects.create(
            runoff_of=meeting,
            round=number,
            ballot_key_id=key_id,
            ballot_public_key=public_key,
            council=meeting.council,
            title=_("%(title)s — run-off round %(round)d") % {"title": meeting.title, "round": number},
            scheduled_at=meeting.scheduled_at,
            place=meeting.place,
            chairperson=meeting.chairperson,
            secretary=meeting.secretary,
            secret_ballot=meeting.secret_ballot,
            allow_abstention=meeting.allow_abstention,
            created_by=actor,
            state=M.VOTING,
            opened_at=timezone.now(),
            members_total=meeting.members_total,
            quorum_numerator=meeting.quorum_numerator,
            quorum_denominator=meeting.quorum_denominator,
        )
        first = {i.nominee_id: i for i in AgendaItem.objects.filter(meeting=meeting, nominee_id__in=nominees)}
        ordered = sorted(first.values(), key=lambda i: i.position)
        items = AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=runoff, dossier_id=i.dossier_id, nominee_id=i.nominee_id, position=p)
                for p, i in enumerate(ordered, 1)
            ]
        )
        Attendance.objects.bulk_create(
            [
                Attendance(
                    meeting=runoff,
                    member=r.member,
                    council_role=r.council_role,
                    status=AttendanceStatus.PRESENT
                    if r.status == AttendanceStatus.PRESENT
                    else AttendanceStatus.ABSENT,
                )
                for r in roll
            ]
        )
        item_of = {i.nominee_id: i for i in items}
        Recusal.objects.bulk_create(
            [
                Recusal(item=item_of[r.item.nominee_id], member_id=r.member_id, reason=r.reason, note=r.note)
                for r in Recusal.objects.filter(item__in=ordered).select_related("item")
            ]
        )
        audit.record(
            actor=actor,
            action="meeting.runoff_open",
            target=runoff,
            data={
                "runoff_of": meeting.pk,
                "round": number,
                "nominees": nominees,
                "places": {
                    str(i): t["places"] for i, t in enumerate(meeting.ties) if t["rule"] == TieRule.RUNOFF
                },
                "present": present,
            },
        )
    return runoff


def meeting_tie_decide(*, actor, meeting, chosen, reason) -> dict[int, dict[int, dict[str, int]]]:
    """Where the campaign's rule gives ties to the chair, the meeting's chairperson decides who of
    the tied nominees take the places left, with a recorded reason (audited, in the minutes):
    exactly as many as there are places in each tie. Returns the final results as meeting_close
    does (workflows.council hands them over)."""
    reason = (reason or "").strip()
    limits.require_text("reason", reason, limits.TEXT)
    chosen = {int(getattr(n, "pk", n)) for n in chosen}
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(
            perms.can_close_meeting(actor, meeting),
            _("Only the chairperson of this meeting may decide a tie."),
        )
        if meeting.state != M.TIED:
            raise TransitionNotAllowed(_("This meeting has no tie at the quota line to resolve."))
        items = _agenda(meeting)
        priorities = _priorities(meeting)
        families = [
            f
            for f in _tie_families(items, meeting.ties, meeting.members_total, priorities)
            if f[0]["rule"] == TieRule.CHAIR
        ]
        if not families:
            raise TransitionNotAllowed(
                _("The campaign's rule for this tie is a run-off vote, not the chair's decision.")
            )
        errors = []
        if not reason:
            errors.append(_("Give the reason for the decision: it is recorded in the minutes."))
        tied_ids = {i.nominee_id for _t, tied, _f in families for i in tied}
        if chosen - tied_ids:
            errors.append(_("Choose only among the tied nominees."))
        for tie, tied, _family in families:
            picked = sum(1 for i in tied if i.nominee_id in chosen)
            if picked != tie["places"]:
                errors.append(
                    _("Choose exactly %(places)d of %(names)s (chosen: %(picked)d).")
                    % {
                        "places": tie["places"],
                        "names": ", ".join(str(i.nominee) for i in tied),
                        "picked": picked,
                    }
                )
        if errors:
            raise ValidationError({"chosen": errors})
        for _tie, tied, family in families:
            ranking.refine_tiebreaks(family, {i.pk: 1 if i.nominee_id in chosen else 2 for i in tied})
        ties = _apply_quotas(meeting, items)
        meeting.tie_reason = "\n".join(x for x in [meeting.tie_reason, reason] if x)
        _settle(meeting, items, ties, actor)
        audit.record(
            actor=actor,
            action="meeting.tie_decide",
            target=meeting,
            data={"chosen": sorted(chosen), "reason": reason, "results": _result_data(items), "ties": ties},
        )
    return {} if ties else _results(meeting, items)


def attendance_leave(*, actor, meeting, member) -> Attendance:
    """The secretary records that a member present has left while the vote is open. Their votes
    cast in the room stand; they no longer count towards the quorum, which the close checks again
    (it is refused without it). Recorded as it happens, even below the quorum: the roll says what
    is true in the room."""
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(
            perms.can_run_meeting(actor, meeting), _("Only the meeting's secretary may record attendance.")
        )
        _require_state(meeting, M.VOTING)
        roll = _roll_row(meeting, member)
        if roll is None or roll.status != AttendanceStatus.PRESENT:
            raise ValidationError({"member": _("%(name)s is not recorded as present.") % {"name": member}})
        roll.status = AttendanceStatus.LEFT
        roll.save(update_fields=["status"])
        present = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).count()
        audit.record(
            actor=actor,
            action="meeting.leave",
            target=meeting,
            data={"member": roll.member.get_username(), "present": present},
        )
    return roll


def meeting_quota_apply(*, actor, meeting) -> list[int]:
    """After the hand-off (which judges each nominee against the threshold only), the nominees
    that passed but are over the campaign's quota are voted out, and their council result says it
    did not pass. Returns their ids. Runs in the closing transaction (workflows.council)."""
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _require(
            perms.can_close_meeting(actor, meeting),
            _("Only the chairperson of this meeting may close the vote."),
        )
        if meeting.state != M.CLOSED:
            raise TransitionNotAllowed(_("The vote of this meeting is not closed yet."))
        over = list(
            AgendaItem.objects.filter(meeting=meeting, result=AgendaResult.OVER_QUOTA).values_list(
                "nominee_id", flat=True
            )
        )
        if not over:
            return []
        if CouncilResult.objects.filter(nominee_id__in=over).count() != len(over):
            raise TransitionNotAllowed(_("The council's results have not been handed over yet."))
        CouncilResult.objects.filter(nominee_id__in=over).update(passed=False)
        Nominee.objects.filter(pk__in=over, outcome=O.VOTED_IN).update(outcome=O.VOTED_OUT)
        audit.record(
            actor=actor, action="meeting.quota_apply", target=meeting, data={"over_quota": sorted(over)}
        )
    return over
