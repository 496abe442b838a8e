"""Reads of council meetings, filtered by who asks; a meeting the user may not see is a 404.

Each page's reads cost a fixed number of queries whatever the number of nominees or members.
`meeting_minutes(meeting)` is the structured biên bản that documents/ renders to PDF.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from dossiers.models import Attachment, Dossier, DossierState, NomineeOutcome, ThresholdKind
from org.models import Council, CouncilRole, Role
from org.scopes import scopes_for
from org.words import rounded_percent

from . import meeting_permissions as perms
from .models import (
    AgendaItem,
    AgendaResult,
    Attendance,
    AttendanceStatus,
    BallotComment,
    CouncilMeeting,
    MeetingState,
    OpenVote,
    Participation,
    Recusal,
    VoteHow,
    WrittenOpinion,
)

M = MeetingState
PENDING = (M.SCHEDULED, M.VOTING, M.TIED)  # tied: its results wait for the tie


# --- lists and access -------------------------------------------------------------------------


def visible_meetings_q(user) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    q = None
    for scope in scopes_for(user):
        if scope.role in perms.READERS:
            part = Q(council__unit_id=scope.unit_id)
        elif scope.role == Role.INSPECTOR:
            part = Q(council__unit__path__startswith=scope.unit_path)
        else:
            continue
        q = part if q is None else q | part
    return q


def meeting_list_for(*, user):
    """Meetings of the councils the user sits on or serves, or inspects; newest first, each
    with its number of nominees and, for a member on its roll, how many they have voted on."""
    q = visible_meetings_q(user)
    if q is None:
        return CouncilMeeting.objects.none()
    return (
        CouncilMeeting.objects.filter(q)
        .select_related("council", "chairperson", "secretary")
        .annotate(
            nominee_count=Count("agenda", distinct=True),
            my_votes=Count(
                "agenda__participations", filter=Q(agenda__participations__member=user), distinct=True
            ),
            on_roll=Count("roll", filter=Q(roll__member=user), distinct=True),
        )
        .order_by("-scheduled_at", "-pk")
    )


def meeting_invitations_for(*, user):
    """The user's invitations: pending meetings with them on the roll (their task list)."""
    return meeting_list_for(user=user).filter(state__in=PENDING, roll__member=user)


def pending_meeting_of(dossier) -> CouncilMeeting | None:
    """The scheduled or voting meeting that has this dossier on its agenda, if any: its council
    result comes from that meeting's close, not from a result typed in by hand."""
    item = (
        AgendaItem.objects.filter(dossier_id=dossier.pk, meeting__state__in=PENDING)
        .select_related("meeting")
        .first()
    )
    return item.meeting if item else None


def access_meeting(*, user, pk) -> CouncilMeeting:
    try:
        meeting = CouncilMeeting.objects.select_related("council__unit", "chairperson", "secretary").get(
            pk=pk
        )
    except (CouncilMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not perms.can_view_meeting(user, meeting):
        raise Http404
    return meeting


def access_live_meeting(*, user, pk) -> CouncilMeeting:
    """A meeting whose live view of who has voted the user may follow: 404 when they may not see
    the meeting at all, 403 when they see it but the live view is not theirs."""
    meeting = access_meeting(user=user, pk=pk)
    if not perms.can_watch_meeting(user, meeting):
        raise PermissionDenied(
            _("The live view of the vote is for the meeting's secretaries, its chairperson and inspectors.")
        )
    return meeting


def access_council_to_convene(*, user, pk) -> Council:
    """A council whose meetings the user convenes: 404 when they may not see the council (as for
    one that does not exist), 403 when they see it but do not convene its meetings."""
    try:
        council = Council.objects.select_related("unit").get(pk=pk)
    except (Council.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not perms.can_view_council(user, council):
        raise Http404
    if not perms.can_schedule_meeting(user, council):
        raise PermissionDenied(
            _("Only the secretary of %(council)s may convene its meetings.") % {"council": council}
        )
    return council


def councils_to_convene(*, user):
    """The councils whose meetings the user may convene (council secretary at their unit)."""
    units = [s.unit_id for s in scopes_for(user) if s.role == Role.COUNCIL_SECRETARY]
    return Council.objects.filter(unit_id__in=units).select_related("unit").order_by("name")


def dossiers_ready_for(*, council):
    """Dossiers before this council (in_council at its unit) not on a pending meeting, each with
    its number of eligible nominees."""
    busy = AgendaItem.objects.filter(meeting__council=council, meeting__state__in=PENDING).values(
        "dossier_id"
    )
    return (
        Dossier.objects.filter(reviewing_unit_id=council.unit_id, state=DossierState.IN_COUNCIL)
        .exclude(pk__in=busy)
        .select_related("unit", "campaign")
        .annotate(
            eligible_count=Count(
                "nominees",
                filter=Q(nominees__outcome=NomineeOutcome.ELIGIBLE, nominees__removed_at__isnull=True),
            )
        )
        .order_by("pk")
    )


# --- the member's page ------------------------------------------------------------------------


@dataclass
class ItemView:
    item: AgendaItem
    attachments: list = field(default_factory=list)
    voted: bool = False
    how: str = ""
    choice: str = ""  # only in open voting, the member's own current vote
    recusal: str = ""  # the reason's label when the member does not vote on this nominee
    comment: str = ""


@dataclass
class MeetingPage:
    meeting: CouncilMeeting
    items: list[ItemView]
    roll: list[Attendance]
    me: Attendance | None
    dossier_attachments: dict

    @property
    def votable_left(self) -> int:
        return sum(1 for i in self.items if not i.voted and not i.recusal)

    @property
    def groups(self) -> list[tuple]:
        """(dossier, its own documents, its nominees' views), in the order of the agenda."""
        groups = []
        for view in self.items:
            if not groups or groups[-1][0].pk != view.item.dossier_id:
                groups.append((view.item.dossier, self.dossier_attachments.get(view.item.dossier_id, []), []))
            groups[-1][2].append(view)
        return groups

    @property
    def present_count(self) -> int:
        return sum(1 for r in self.roll if r.status == AttendanceStatus.PRESENT)


def _current_attachments(dossier_ids):
    """The current version of each (dossier, kind, nominee) slot, one query for all dossiers."""
    seen, per_nominee, per_dossier = set(), {}, {}
    rows = (
        Attachment.objects.filter(dossier_id__in=dossier_ids, detached=False)
        .select_related("kind")
        .order_by("dossier_id", "kind__name", "nominee_id", "-version")
    )
    for a in rows:
        key = (a.dossier_id, a.kind_id, a.nominee_id)
        if key in seen:
            continue
        seen.add(key)
        if a.nominee_id:
            per_nominee.setdefault(a.nominee_id, []).append(a)
        else:
            per_dossier.setdefault(a.dossier_id, []).append(a)
    return per_nominee, per_dossier


def meeting_page(*, user, meeting) -> MeetingPage:
    """The agenda as one member sees it: each nominee with their achievements and documents, and
    the member's own state on it (voted, how, recused). Never anyone else's vote."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("nominee__award_type", "nominee__rule", "dossier__unit")
        .order_by("position")
    )
    roll = list(Attendance.objects.filter(meeting=meeting).select_related("member__unit"))
    roll.sort(key=lambda r: (CouncilRole.rank(r.council_role), r.member.get_full_name()))
    me = next((r for r in roll if r.member_id == user.pk), None)
    per_nominee, per_dossier = _current_attachments({i.dossier_id for i in items})
    views = [ItemView(item=i, attachments=per_nominee.get(i.nominee_id, [])) for i in items]
    if me is not None:
        by_item = {v.item.pk: v for v in views}
        for p in Participation.objects.filter(item__meeting=meeting, member=user):
            by_item[p.item_id].voted, by_item[p.item_id].how = True, p.how
        for r in Recusal.objects.filter(item__meeting=meeting, member=user):
            by_item[r.item_id].recusal = r.get_reason_display()
        if not meeting.secret_ballot:
            for v in OpenVote.objects.filter(item__meeting=meeting, member=user):
                by_item[v.item_id].choice = v.choice
        for w in WrittenOpinion.objects.filter(item__meeting=meeting, member=user):
            by_item[w.item_id].comment = w.comment
        for v in views:
            if not v.recusal:
                reason = perms.automatic_recusal(me.member, v.item.nominee)
                if reason:
                    v.recusal = Recusal(reason=reason).get_reason_display()
    return MeetingPage(meeting=meeting, items=views, roll=roll, me=me, dossier_attachments=per_dossier)


# --- the secretary's live view ----------------------------------------------------------------


@dataclass
class LiveMember:
    attendance: Attendance
    voted: int
    written: bool


@dataclass
class LiveItem:
    item: AgendaItem
    voted: int
    recused: int
    # Open voting only: {choice: count} so far. Never filled for a secret ballot.
    counts: dict = field(default_factory=dict)


@dataclass
class LiveStatus:
    meeting: CouncilMeeting
    members: list[LiveMember]
    items: list[LiveItem]

    @property
    def participations(self) -> int:
        return sum(i.voted for i in self.items)


def meeting_live(*, meeting) -> LiveStatus:
    """Who has voted, on how many nominees, in the room or in writing; per nominee, how many
    have voted. How each voted is shown only in open voting (the secret ballot has no link)."""
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("nominee").order_by("position"))
    roll = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
    roll.sort(key=lambda r: (CouncilRole.rank(r.council_role), r.member.get_full_name()))
    per_member, written, per_item = {}, set(), {}
    for member_id, item_id, how in Participation.objects.filter(item__meeting=meeting).values_list(
        "member_id", "item_id", "how"
    ):
        per_member[member_id] = per_member.get(member_id, 0) + 1
        per_item[item_id] = per_item.get(item_id, 0) + 1
        if how == VoteHow.WRITTEN:
            written.add(member_id)
    recused = dict(
        Recusal.objects.filter(item__meeting=meeting).values_list("item_id").annotate(n=Count("pk"))
    )
    counts = {}
    if not meeting.secret_ballot:
        rows = (
            OpenVote.objects.filter(item__meeting=meeting)
            .values_list("item_id", "choice")
            .annotate(n=Count("pk"))
        )
        for item_id, choice, n in rows:
            counts.setdefault(item_id, {})[choice] = n
    return LiveStatus(
        meeting=meeting,
        members=[LiveMember(r, per_member.get(r.member_id, 0), r.member_id in written) for r in roll],
        items=[LiveItem(i, per_item.get(i.pk, 0), recused.get(i.pk, 0), counts.get(i.pk, {})) for i in items],
    )


# --- the minutes (biên bản) -------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesPerson:
    user_id: int
    username: str
    name: str
    position: str
    council_role: str  # the label, e.g. "Chủ tịch"


@dataclass(frozen=True)
class MinutesAttendance:
    person: MinutesPerson
    present: bool
    voted_in_writing: bool
    absence_reason: str = ""  # as the secretary recorded it; blank for a member present


@dataclass(frozen=True)
class MinutesWrittenOpinion:
    """A written vote's comment. By secret ballot it was sealed with the choice and is quoted
    without its author (member None), in an order that says nothing of who wrote it."""

    member: MinutesPerson | None
    nominee: str
    comment: str


@dataclass(frozen=True)
class MinutesRecusal:
    member: MinutesPerson
    nominee: str
    reason: str  # label
    note: str


@dataclass(frozen=True)
class MinutesResult:
    position: int
    nominee_id: int
    nominee: str
    kind: str
    position_title: str
    workplace: str
    award: str
    dossier_id: int
    dossier: str
    unit: str
    threshold: str  # e.g. "≥ 90 %" or "> 50 %"
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    not_voting: int | None  # members who cast no vote on this nominee (absent, recused, silent)
    members_total: int | None
    percent_for: Decimal | None  # of ALL members, rounded half up to 0.01
    result: str  # "passed" | "failed" | "over_quota" | "" before the close
    result_label: str
    rank: int | None
    # The share of the votes that could be cast on the nominee (members − recused), which ranks
    # it for the campaign's quotas (approvals.ranking), rounded half up to 0.01.
    percent_possible: Decimal | None = None
    recused: int = 0


@dataclass(frozen=True)
class MinutesRunoffResult:
    nominee: str
    votes_for: int | None
    votes_against: int | None
    place: int | None  # among the tied nominees in this round
    result_label: str


@dataclass(frozen=True)
class MinutesRunoff:
    """A run-off round (vòng bỏ phiếu lại) among nominees tied at a quota's line."""

    round: int
    closed_at: datetime | None
    results: list[MinutesRunoffResult]


@dataclass(frozen=True)
class SignatureSlot:
    """A place for a signature on the minutes, filled by documents/ when it signs."""

    capacity: str  # "chairperson" | "secretary" | "member"
    label: str
    person: MinutesPerson


@dataclass(frozen=True)
class Minutes:
    meeting_id: int
    final: bool  # True once the vote is closed: the results are the council's
    council: str
    unit: str
    place_name: str  # for the place-and-date line ("Long Biên, ngày …")
    title: str
    scheduled_at: datetime
    meeting_date: date
    opened_at: datetime | None
    closed_at: datetime | None
    place: str
    chairperson: MinutesPerson
    secretary: MinutesPerson
    secret_ballot: bool
    allow_abstention: bool
    members_total: int
    quorum: str  # "2/3"
    quorum_needed: int | None
    present: list[MinutesAttendance]
    absent: list[MinutesAttendance]
    written_voters: list[MinutesPerson]
    written_opinions: list[MinutesWrittenOpinion]
    recusals: list[MinutesRecusal]
    results: list[MinutesResult]
    passed: list[str]
    failed: list[str]
    over_quota: list[str]
    conclusion: str
    signatures: list[SignatureSlot]
    # Ties at a quota's line still to resolve: [{"names", "places", "rule"}]; the run-off rounds
    # held; the chair's reason when the chair decided a tie.
    ties: list[dict] = field(default_factory=list)
    runoffs: list[MinutesRunoff] = field(default_factory=list)
    tie_reason: str = ""


def _person(user, council_role) -> MinutesPerson:
    return MinutesPerson(
        user_id=user.pk,
        username=user.get_username(),
        name=user.get_full_name(),
        position=user.position,
        council_role=str(CouncilRole(council_role).label) if council_role in CouncilRole.values else "",
    )


def threshold_label(rule) -> str:
    if rule is None:
        return ""
    if rule.threshold_kind == ThresholdKind.PERCENT:
        return f"≥ {rule.threshold_percent} %"
    return _("more than half")


def percent_of(votes, total) -> Decimal | None:
    if votes is None or not total:
        return None
    # Rounded half up, as the minutes write it (5 of 9 → 55,56); whether a nominee passed is decided
    # on the counts, never on this figure.
    return rounded_percent(votes, total)


def meeting_minutes(meeting) -> Minutes:
    """The biên bản of the meeting as data: time, place, chairperson, secretary, present and
    absent members, written opinions, recusals, each nominee's votes with the percentage of ALL
    members and the result, the conclusion, and the signature slots. Seven queries, whatever the
    size of the meeting."""
    meeting = CouncilMeeting.objects.select_related("council__unit", "chairperson", "secretary").get(
        pk=meeting.pk
    )
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("nominee__award_type", "nominee__rule", "dossier__unit")
        .order_by("position")
    )
    roll = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
    roll.sort(key=lambda r: (CouncilRole.rank(r.council_role), r.member.get_full_name()))
    people = {r.member_id: _person(r.member, r.council_role) for r in roll}
    written_ids = set(
        Participation.objects.filter(item__meeting=meeting, how=VoteHow.WRITTEN).values_list(
            "member_id", flat=True
        )
    )
    names = {i.pk: i.nominee.name for i in items}
    opinions = [
        MinutesWrittenOpinion(member=people[w.member_id], nominee=names[w.item_id], comment=w.comment)
        for w in WrittenOpinion.objects.filter(item__meeting=meeting).order_by("item__position", "pk")
        if w.member_id in people
    ]
    position = {i.pk: i.position for i in items}
    opinions += [
        MinutesWrittenOpinion(member=None, nominee=names[item_id], comment=comment)
        for item_id, comment in sorted(
            BallotComment.objects.filter(item__meeting=meeting).values_list("item_id", "comment"),
            key=lambda row: (position[row[0]], row[1]),
        )
    ]
    recusals = [
        MinutesRecusal(
            member=people[r.member_id], nominee=names[r.item_id], reason=r.get_reason_display(), note=r.note
        )
        for r in Recusal.objects.filter(item__meeting=meeting).order_by("item__position", "pk")
        if r.member_id in people
    ]
    final = meeting.state == M.CLOSED
    total = meeting.members_total or len(roll)
    results = []
    for i in items:
        n = i.nominee
        cast = None if i.votes_for is None else i.votes_for + i.votes_against + i.abstentions
        could = total - (i.recused or 0)
        results.append(
            MinutesResult(
                position=i.position,
                nominee_id=n.pk,
                nominee=n.name,
                kind=n.get_kind_display(),
                position_title=n.position,
                workplace=n.workplace,
                award=n.award_type.name,
                dossier_id=i.dossier_id,
                dossier=i.dossier.title,
                unit=i.dossier.unit.name,
                threshold=threshold_label(n.rule),
                votes_for=i.votes_for,
                votes_against=i.votes_against,
                abstentions=i.abstentions,
                not_voting=None if cast is None else total - cast,
                members_total=total if final else None,
                percent_for=percent_of(i.votes_for, total) if final else None,
                result=i.result,
                result_label=str(AgendaResult(i.result).label) if i.result else "",
                rank=i.rank,
                percent_possible=percent_of(i.votes_for, could) if i.votes_for is not None else None,
                recused=i.recused or 0,
            )
        )
    present = [
        MinutesAttendance(people[r.member_id], True, r.member_id in written_ids)
        for r in roll
        if r.status == AttendanceStatus.PRESENT
    ]
    absent = [
        MinutesAttendance(people[r.member_id], False, r.member_id in written_ids, r.absence_reason)
        for r in roll
        if r.status != AttendanceStatus.PRESENT
    ]
    chair = people.get(meeting.chairperson_id) or _person(meeting.chairperson, "")
    secretary = people.get(meeting.secretary_id) or _person(meeting.secretary, "")
    signatures = [
        SignatureSlot("chairperson", _("Chairperson"), chair),
        SignatureSlot("secretary", _("Secretary"), secretary),
        *[
            SignatureSlot("member", _("Member"), a.person)
            for a in present
            if a.person.user_id not in (chair.user_id, secretary.user_id)
        ],
    ]
    numerator, denominator = meeting.quorum_numerator, meeting.quorum_denominator
    return Minutes(
        meeting_id=meeting.pk,
        final=final,
        council=meeting.council.name,
        unit=meeting.council.unit.name,
        place_name=meeting.council.unit.place_name or meeting.council.unit.name,
        title=meeting.title,
        scheduled_at=meeting.scheduled_at,
        meeting_date=meeting.meeting_date,
        opened_at=meeting.opened_at,
        closed_at=meeting.closed_at,
        place=meeting.place,
        chairperson=chair,
        secretary=secretary,
        secret_ballot=meeting.secret_ballot,
        allow_abstention=meeting.allow_abstention,
        members_total=total,
        quorum=f"{numerator}/{denominator}" if denominator else "",
        quorum_needed=-(-total * numerator // denominator) if denominator else None,
        present=present,
        absent=absent,
        written_voters=[people[r.member_id] for r in roll if r.member_id in written_ids],
        written_opinions=opinions,
        recusals=recusals,
        results=results,
        passed=[r.nominee for r in results if r.result == AgendaResult.PASSED],
        failed=[r.nominee for r in results if r.result == AgendaResult.FAILED],
        over_quota=[r.nominee for r in results if r.result == AgendaResult.OVER_QUOTA],
        conclusion=meeting.conclusion,
        signatures=signatures,
        ties=[
            {
                "names": [names[pk] for pk in by_nominee(items, t["nominees"])],
                "places": t["places"],
                "rule": t["rule"],
            }
            for t in meeting.ties
        ],
        runoffs=_runoffs(meeting, items),
        tie_reason=meeting.tie_reason,
    )


def by_nominee(items, nominee_ids) -> list[int]:
    """The agenda items' pks of these nominees, in the order of the agenda."""
    wanted = set(nominee_ids)
    return [i.pk for i in items if i.nominee_id in wanted]


def _runoffs(meeting, items) -> list[MinutesRunoff]:
    # Only a meeting whose close found a tie has run-off rounds: no query for the others.
    if meeting.state != M.TIED and not any(i.tiebreak for i in items):
        return []
    rounds = {}
    rows = (
        AgendaItem.objects.filter(meeting__runoff_of=meeting, meeting__state=M.CLOSED)
        .select_related("meeting", "nominee")
        .order_by("meeting__round", "position")
    )
    for i in rows:
        rounds.setdefault(i.meeting.round, (i.meeting, []))[1].append(
            MinutesRunoffResult(
                nominee=i.nominee.name,
                votes_for=i.votes_for,
                votes_against=i.votes_against,
                place=i.rank,
                result_label=str(AgendaResult(i.result).label) if i.result else "",
            )
        )
    return [MinutesRunoff(round=n, closed_at=m.closed_at, results=r) for n, (m, r) in sorted(rounds.items())]


# --- the ranking at the close (live view, tie page) -------------------------------------------


@dataclass(frozen=True)
class RankingRow:
    result: MinutesResult
    line_above: bool  # a quota's line runs just above this row
    tied: bool


def meeting_ranking(minutes: Minutes) -> list[RankingRow]:
    """The nominees that reached their threshold, in the order the quotas take them (equal ranks
    are tied), with the quota's line drawn above the first one that does not pass."""
    ranked = sorted((r for r in minutes.results if r.rank is not None), key=lambda r: (r.rank, r.position))
    rows, previous = [], None
    for r in ranked:
        line = (
            previous is not None
            and previous.result == AgendaResult.PASSED
            and r.result != AgendaResult.PASSED
        )
        rows.append(RankingRow(result=r, line_above=line, tied=r.result == AgendaResult.TIED))
        previous = r
    return rows
