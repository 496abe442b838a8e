"""A meeting driven in random order by anyone, checked step by step against a model of the rules.

`MeetingModel` is a small, independent statement of DOMAIN.md's step 5, written from the rules and
the meeting's data (its roll, roles, agenda, pinned rules), never by asking the services. For every
attempt by any actor (members present or absent, recused members, the secretary, the chairperson,
a unit head, the deciding chair, a member of another council), before the opening, below or above
the quorum, during the vote and after the close, it predicts whether the service must accept or
refuse it and, when it refuses, which rules are broken (each rule has its kind of refusal:
PermissionDenied for who may act, TransitionNotAllowed for when, ValidationError for what). Each
step goes through the real service and asserts:

- accepted exactly when the model accepts; a refusal is of the kind of a rule the step breaks, and
  changes no row at all;
- after every step the database says what the model says: the meeting's state, the roll, the
  recusals (automatic and declared), who voted on which nominee, and what (the named votes in open
  voting; each nominee's ballot box, without names, by secret ballot);
- one participation per member per nominee, never from a recused member; by secret ballot as many
  ballots as participations and no named vote, in open voting the reverse; after the close nothing
  changes; the tally is the recount of the ballots;
- at the close, the counts per nominee (for, against, abstentions, out of ALL members) and whether
  each passed are the model's, and the quorum still holds.
"""

import datetime as dt
import math
import sys
from collections import Counter
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from approvals import meeting_services as ms
from approvals import sealing
from approvals.models import (
    AgendaItem,
    AgendaResult,
    Attendance,
    AttendanceStatus,
    Ballot,
    CouncilMeeting,
    MeetingState,
    OpenVote,
    Participation,
    Recusal,
    SealedBallot,
    VoteHow,
)
from dossiers.models import AwardRule, Nominee, NomineeKind, ThresholdKind
from org.errors import TransitionNotAllowed
from org.models import User
from tests import factories as f

from .conftest import in_council
from .helpers import snapshot

REFUSALS = (PermissionDenied, ValidationError, TransitionNotAllowed)
AGREE, DISAGREE, ABSTAIN = "agree", "disagree", "abstain"

# The people: 0-8 are the council's nine members (chair, vice-chair, secretary, six members, as
# tests/council/conftest.py builds them); 9-11 are not on this council.
CHAIR, VICE, SECRETARY, NOMINATED_MEMBER, COLLECTIVE_MEMBER = 0, 1, 2, 3, 8
UNIT_HEAD, DECIDING_CHAIR, OTHER_COUNCIL = 9, 10, 11
ROLL = frozenset(range(9))
# The agenda: nominees 0 and 1 (Giấy khen: 0 is member 3 in person, 1 is the collective member 8
# works in) and 2 (Chiến sĩ thi đua cơ sở); nominee 3 is before the council but not on this meeting.
AGENDA = frozenset(range(3))
OFF_AGENDA = 3

ACTOR = st.integers(min_value=0, max_value=11)
MEMBER = st.integers(min_value=0, max_value=8)
NOMINEE = st.sampled_from([0, 1, 2, 0, 1, 2, OFF_AGENDA])
CHOICE = st.sampled_from([AGREE, DISAGREE, ABSTAIN, "maybe", AGREE])
# The quorum each rule pins (DOMAIN.md: at least 2/3 of all members; some local rules ask 80 % for
# award reviews); the usual one at both ends, where the search often draws.
COMMENDATION_QUORUM = st.sampled_from([(2, 3), (1, 2), (2, 3)])
EMULATION_QUORUM = st.sampled_from([(2, 3), (3, 4), (4, 5), (1, 1), (2, 3)])
PERCENT = st.sampled_from([50, 80, 60, 90, 50])

# The meeting's states in the model; "attended" is a scheduled meeting whose roll has been called.
SCHEDULED, ATTENDED, VOTING, CLOSED, CANCELLED = "scheduled", "attended", "voting", "closed", "cancelled"
STORED_STATE = {
    SCHEDULED: MeetingState.SCHEDULED,
    ATTENDED: MeetingState.SCHEDULED,
    VOTING: MeetingState.VOTING,
    CLOSED: MeetingState.CLOSED,
    CANCELLED: MeetingState.CANCELLED,
}


class MeetingModel:
    """What DOMAIN.md (step 5) says a meeting accepts, over plain sets.

    Each prediction names the rules the step breaks, each with its kind of refusal; none means the
    step must be accepted. An actor with no standing for the step at all (not on the roll, not the
    meeting's secretary or chairperson) is refused for who they are, whatever else is wrong."""

    def __init__(self, *, chairperson, secret, abstention, quorums, thresholds, person, collective):
        self.chairperson, self.secretary = chairperson, SECRETARY
        self.secret, self.abstention = secret, abstention
        # The strictest quorum among the agenda's pinned rules; never below 2/3 (DOMAIN.md, step 5).
        self.quorum = max([Fraction(2, 3), *(Fraction(n, d) for n, d in quorums)])
        self.needed = math.ceil(len(ROLL) * self.quorum)
        self.thresholds = thresholds  # nominee -> (threshold kind, percent)
        self.person = person  # nominee -> the member who is the nominee
        self.collective = collective  # nominee -> the members who belong to the nominated collective
        self.state = SCHEDULED
        self.called = False  # whether the secretary has recorded who is present
        self.present = set()
        self.declared = set()  # (member, nominee): conflicts of interest declared
        self.votes = {}  # (member, nominee) -> the choice that counts
        self.in_room = set()  # members who have cast a vote in the room

    # --- what the model knows ---

    def recused(self, member, nominee) -> bool:
        return (
            (member, nominee) in self.declared
            or self.person.get(nominee) == member
            or member in self.collective.get(nominee, ())
        )

    def recusals(self):
        return {(m, n) for m in ROLL for n in AGENDA if self.recused(m, n)}

    def votable(self, member):
        return {n for n in AGENDA if not self.recused(member, n)}

    def has_voted(self, member) -> bool:
        return any((member, n) in self.votes for n in AGENDA)

    def _choice_broken(self, choice) -> bool:
        return choice not in ((AGREE, DISAGREE, ABSTAIN) if self.abstention else (AGREE, DISAGREE))

    # --- predictions: {the rule the step breaks: the kind of refusal}, empty to accept ---

    def attendance(self, actor, present):
        if actor != self.secretary:
            return {"only the meeting's secretary calls the roll": PermissionDenied}
        broken = {}
        if self.state not in (SCHEDULED, ATTENDED, VOTING):
            broken[f"the meeting is {self.state}"] = TransitionNotAllowed
        if present - ROLL:
            broken["only members on the roll are present"] = ValidationError
        if self.in_room - present:
            broken["who voted in the room was present"] = ValidationError
        if self.state == VOTING and len(present & ROLL) < self.needed:
            broken["the vote goes on only with a quorum"] = ValidationError
        return broken

    def open_voting(self, actor):
        if actor != self.secretary:
            return {"only the meeting's secretary opens the vote": PermissionDenied}
        if self.state not in (SCHEDULED, ATTENDED):
            return {f"the meeting is {self.state}": TransitionNotAllowed}
        if not self.called:
            return {"the roll is called first": ValidationError}
        if len(self.present) < self.needed:
            return {"no quorum": ValidationError}
        return {}

    def ballot(self, actor, nominee, choice):
        if actor not in ROLL:
            return {"not on the council": PermissionDenied}
        broken = {}
        if self.state != VOTING:
            broken[f"the meeting is {self.state}"] = TransitionNotAllowed
        if nominee not in AGENDA:
            broken["not on the agenda"] = ValidationError
        if self._choice_broken(choice):
            broken["not a choice of this meeting"] = ValidationError
        if actor not in self.present:
            broken["not present"] = PermissionDenied
        if nominee in AGENDA and self.recused(actor, nominee):
            broken["recused"] = PermissionDenied
        if self.secret and (actor, nominee) in self.votes:
            broken["a secret ballot is cast once"] = TransitionNotAllowed
        return broken

    def written(self, actor, paper):
        if actor not in ROLL:
            return {"not on the council": PermissionDenied}
        broken = {}
        if self.state not in (SCHEDULED, ATTENDED):
            broken[f"the meeting is {self.state}"] = TransitionNotAllowed
        if actor in self.present:
            broken["present: votes in the room"] = TransitionNotAllowed
        if set(paper) != self.votable(actor):
            broken["one paper, on every nominee the member votes on"] = ValidationError
        if any(self._choice_broken(c) for c in paper.values()):
            broken["not a choice of this meeting"] = ValidationError
        if self.secret and self.has_voted(actor):
            broken["a secret paper is cast once"] = TransitionNotAllowed
        return broken

    def recusal(self, actor, member, nominee):
        if actor != self.secretary and not (actor == member and actor in ROLL):
            return {"the member concerned declares it, or the meeting's secretary": PermissionDenied}
        broken = {}
        if self.state not in (SCHEDULED, ATTENDED, VOTING):
            broken[f"the meeting is {self.state}"] = TransitionNotAllowed
        if member not in ROLL:
            broken["not on the roll"] = ValidationError
        if nominee not in AGENDA:
            broken["not on the agenda"] = ValidationError
        elif self.recused(member, nominee):
            broken["recorded already"] = TransitionNotAllowed
        elif (member, nominee) in self.votes:
            broken["the vote stands"] = TransitionNotAllowed
        return broken

    def close(self, actor):
        if actor != self.chairperson:
            return {"only the meeting's chairperson closes the vote": PermissionDenied}
        return {} if self.state == VOTING else {f"the meeting is {self.state}": TransitionNotAllowed}

    def cancel(self, actor, reason):
        broken = {} if reason else {"say why": ValidationError}
        if actor != self.secretary:
            broken["only the meeting's secretary cancels it"] = PermissionDenied
        if self.state not in (SCHEDULED, ATTENDED):
            broken[f"the meeting is {self.state}"] = TransitionNotAllowed
        return broken

    # --- the result ---

    def tally(self, nominee):
        told = [c for (m, n), c in self.votes.items() if n == nominee and m in ROLL]
        return told.count(AGREE), told.count(DISAGREE), told.count(ABSTAIN)

    def passes(self, nominee) -> bool:
        """Thresholds count ALL members of the council, not only those present or voting."""
        share = Fraction(self.tally(nominee)[0], len(ROLL))
        kind, percent = self.thresholds[nominee]
        return share >= Fraction(percent, 100) if kind == ThresholdKind.PERCENT else share > Fraction(1, 2)


def machine_for(w, people):
    class Meeting(RuleBasedStateMachine):
        """One meeting of the nine-member council on three nominees of two dossiers."""

        @initialize(
            secret=st.booleans(),
            abstention=st.booleans(),
            chairperson=st.sampled_from([CHAIR, VICE]),
            quorums=st.tuples(COMMENDATION_QUORUM, EMULATION_QUORUM),
            percent=PERCENT,
            writers=st.sets(MEMBER, min_size=1, max_size=3),
            writers_come=st.booleans(),
            absent=st.sets(MEMBER, max_size=2),
            start=st.sampled_from([VOTING, ATTENDED, SCHEDULED, VOTING, ATTENDED, VOTING]),
            choices=st.lists(st.sampled_from([AGREE, DISAGREE]), min_size=3, max_size=3),
        )
        def convene(
            self,
            secret,
            abstention,
            chairperson,
            quorums,
            percent,
            writers,
            writers_come,
            absent,
            start,
            choices,
        ):
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            self.writes, self._snapshot, self._stored = 0, (None, None), (None, None)
            self.frozen = None  # every row, as the close (or the cancellation) left it
            commendation = in_council(w, nominees=2)
            emulation = in_council(w, nominees=1, award="chien-si-thi-dua-co-so")
            elsewhere = in_council(w, nominees=1)
            nominees = [*commendation.agenda_nominees, *emulation.agenda_nominees, *elsewhere.agenda_nominees]
            Nominee.objects.filter(pk=nominees[0].pk).update(person=people[NOMINATED_MEMBER])
            Nominee.objects.filter(pk=nominees[1].pk).update(
                kind=NomineeKind.COLLECTIVE, name=w.school_a.name
            )
            User.objects.filter(pk=people[COLLECTIVE_MEMBER].pk).update(unit=w.school_a)
            # The two pinned rules (Giấy khen, majority; Chiến sĩ thi đua cơ sở, a percentage).
            for nominee, (numerator, denominator) in zip((nominees[0], nominees[2]), quorums, strict=True):
                AwardRule.objects.filter(pk=nominee.rule_id).update(
                    quorum_numerator=numerator, quorum_denominator=denominator
                )
            AwardRule.objects.filter(pk=nominees[2].rule_id).update(threshold_percent=percent)
            self.nominees = nominees
            self.meeting = ms.meeting_schedule(
                actor=w.secretary,
                council=w.council,
                scheduled_at=timezone.now() + dt.timedelta(hours=1),
                place="Hội trường",
                chairperson=people[chairperson],
                secretary=w.secretary,
                dossiers=[commendation, emulation],
                secret_ballot=secret,
                allow_abstention=abstention,
            )
            self.people_at = {p.pk: i for i, p in enumerate(people)}
            at = {n.pk: i for i, n in enumerate(nominees)}
            self.nominee_at = {
                item: at[n]
                for item, n in AgendaItem.objects.filter(meeting=self.meeting).values_list("pk", "nominee_id")
            }
            # The model reads the agenda's pinned rules as stored, and knows who is whom.
            pinned = {
                at[n]: rule
                for n, *rule in AgendaItem.objects.filter(meeting=self.meeting).values_list(
                    "nominee_id",
                    "nominee__rule__quorum_numerator",
                    "nominee__rule__quorum_denominator",
                    "nominee__rule__threshold_kind",
                    "nominee__rule__threshold_percent",
                )
            }
            self.model = MeetingModel(
                chairperson=chairperson,
                secret=secret,
                abstention=abstention,
                quorums=[(numerator, denominator) for numerator, denominator, *_ in pinned.values()],
                thresholds={n: (kind, percent) for n, (*_, kind, percent) in pinned.items()},
                person={0: NOMINATED_MEMBER},
                collective={1: {COLLECTIVE_MEMBER}},
            )
            event(f"quorum {self.model.needed} of 9")
            # Most runs start further on, so that they reach the vote, with written votes cast.
            for writer in sorted(writers):
                self.do_written(writer, dict(zip(sorted(self.model.votable(writer)), choices, strict=False)))
            if start != SCHEDULED:
                # Those who voted in writing stay away, or come to the meeting after all; a run
                # that starts at the vote has its quorum (the rules try the roll without it).
                away = sorted(absent | (set() if writers_come else writers))
                if start == VOTING:
                    away = away[: len(ROLL) - self.model.needed]
                self.do_attendance(SECRETARY, ROLL - set(away))
            if start == VOTING:
                self.do_open(SECRETARY)

        def teardown(self):
            if not hasattr(self, "savepoint"):
                return  # the run ended before the meeting was convened
            try:
                # A run that is still voting ends with the chairperson's close, so that every
                # run's tally is checked against the model (unless a step has failed already).
                model = getattr(self, "model", None)
                if model is not None and model.state == VOTING and sys.exc_info()[0] is None:
                    self.close(by_chairperson=True, other=None)
                    event("closed at the end")
            finally:
                transaction.set_rollback(True)
                self.savepoint.__exit__(None, None, None)

        # --- one step: the service against the model ---

        def check(self, what, predicted, call):
            """Run the service; it must do what the model predicts. True when it went through."""
            # A step the model accepts must go through, so its rows are compared only on refusal.
            before = self.snapshot() if predicted else None
            try:
                self.result = call()
            except REFUSALS as refusal:
                assert predicted, f"{what}: the model accepts it, the service refused: {refusal!r}"
                assert type(refusal) in predicted.values(), f"{what}: {refusal!r}, the model says {predicted}"
                assert snapshot() == before, f"{what}: refused, but rows changed"
                event(f"{what}: refused ({type(refusal).__name__})")
                return False
            self.writes += 1
            assert not predicted, f"{what}: the model refuses it ({predicted}), the service accepted it"
            event(f"{what}: accepted")
            return True

        # Rows change only through a step the service accepts (a refusal is checked to change
        # none), so what was read since the last accepted step is still what is stored.

        def snapshot(self):
            if self._snapshot[0] != self.writes:
                self._snapshot = (self.writes, snapshot())
            return self._snapshot[1]

        def rows(self, model, *fields):
            return model.objects.filter(item__meeting=self.meeting).values_list(*fields)

        def stored(self):
            """The meeting's rows, by the model's numbers for people and nominees."""
            if self._stored[0] != self.writes:
                people_at, nominee_at = self.people_at, self.nominee_at
                self._stored = (
                    self.writes,
                    SimpleNamespace(
                        state=CouncilMeeting.objects.values_list("state", flat=True).get(pk=self.meeting.pk),
                        roll={
                            people_at[m]: status
                            for m, status in Attendance.objects.filter(meeting=self.meeting).values_list(
                                "member_id", "status"
                            )
                        },
                        recusals=[
                            (people_at[m], nominee_at[i])
                            for i, m in self.rows(Recusal, "item_id", "member_id")
                        ],
                        participations=[
                            (people_at[m], nominee_at[i], how)
                            for i, m, how in self.rows(Participation, "item_id", "member_id", "how")
                        ],
                        # The ballots as counted: opened at the close, sealed until then.
                        ballots=[(nominee_at[i], c) for i, c in self.rows(Ballot, "item_id", "choice")]
                        + [(nominee_at[i], c) for i, c in self.sealed_choices()],
                        plain=Ballot.objects.filter(item__meeting=self.meeting).count(),
                        sealed=SealedBallot.objects.filter(item__meeting=self.meeting).count(),
                        open_votes=[
                            (people_at[m], nominee_at[i], c)
                            for i, m, c in self.rows(OpenVote, "item_id", "member_id", "choice")
                        ],
                    ),
                )
            return self._stored[1]

        def sealed_choices(self):
            """[(item_id, choice)] of the sealed ballots, opened with the meeting's key."""
            key_id = CouncilMeeting.objects.values_list("ballot_key_id", flat=True).get(pk=self.meeting.pk)
            rows = list(self.rows(SealedBallot, "item_id", "sealed"))
            if not rows:
                return []
            opener = sealing.Opener(key_id)
            return [(i, opener.open(blob, meeting_id=self.meeting.pk, item_id=i)[0]) for i, blob in rows]

        def do_attendance(self, actor, present):
            if self.check(
                "attendance",
                self.model.attendance(actor, present),
                lambda: ms.meeting_attendance_record(
                    actor=people[actor], meeting=self.meeting, present=[people[i] for i in present]
                ),
            ):
                self.model.present, self.model.called = set(present), True
                if self.model.state == SCHEDULED:
                    self.model.state = ATTENDED

        def do_open(self, actor):
            if self.check(
                "open",
                self.model.open_voting(actor),
                lambda: ms.meeting_open_voting(actor=people[actor], meeting=self.meeting),
            ):
                self.model.state = VOTING

        def do_written(self, actor, paper):
            votes = {self.nominees[n].pk: {"choice": c, "comment": ""} for n, c in paper.items()}
            if self.check(
                "written",
                self.model.written(actor, paper),
                lambda: ms.written_vote_cast(actor=people[actor], meeting=self.meeting, votes=votes),
            ):
                self.model.votes.update({(actor, n): c for n, c in paper.items()})

        def do_cast(self, actor, nominee, choice):
            if self.check(
                "ballot",
                self.model.ballot(actor, nominee, choice),
                lambda: ms.ballot_cast(
                    actor=people[actor], meeting=self.meeting, nominee=self.nominees[nominee], choice=choice
                ),
            ):
                self.model.votes[(actor, nominee)] = choice
                self.model.in_room.add(actor)

        # --- rules: anyone may try anything at any time ---

        @rule(
            actor=st.one_of(st.just(SECRETARY), ACTOR),
            order=st.permutations(sorted(ROLL)),
            count=st.integers(min_value=4, max_value=9),
            voters_stay=st.booleans(),
            extra=ACTOR,
        )
        def attendance(self, actor, order, count, voters_stay, extra):
            present = set(order[:count])
            if voters_stay:
                present |= self.model.in_room
            if extra >= UNIT_HEAD and count < 6:
                present.add(extra)  # someone who is not on the council, marked present
            self.do_attendance(actor, present)

        @rule(actor=st.one_of(st.just(SECRETARY), ACTOR))
        def open_voting(self, actor):
            self.do_open(actor)

        @rule(order=st.permutations(sorted(ROLL)), off=st.sampled_from([-1, 0, -2, 1, -1]))
        def the_secretary_calls_the_roll_at_the_quorum(self, order, off):
            """The roll just short of the quorum, at it or just above (those who voted in the room
            first), then the secretary tries to open the vote."""
            count = min(max(self.model.needed + off, 0), len(ROLL))
            voters = sorted(self.model.in_room)
            present = (voters + [m for m in order if m not in self.model.in_room])[:count]
            self.do_attendance(SECRETARY, set(present))
            self.do_open(SECRETARY)

        @rule(actor=ACTOR, nominee=NOMINEE, choice=CHOICE)
        def cast(self, actor, nominee, choice):
            self.do_cast(actor, nominee, choice)

        @rule(
            why=st.sampled_from(
                ["not present", "recused", "not on the council", "a secret ballot is cast once", "any"]
            ),
            pick=st.integers(min_value=0, max_value=99),
            choice=CHOICE,
        )
        def a_vote_the_rules_refuse(self, why, pick, choice):
            """On purpose, a vote the model refuses now, for that one reason when there is one
            (so that each check of the service is tried alone), or for any."""
            refused = {
                (actor, nominee): set(self.model.ballot(actor, nominee, choice))
                for actor in range(len(people))
                for nominee in sorted(AGENDA)
            }
            refused = {step: reasons for step, reasons in refused.items() if reasons}
            alone = [step for step, reasons in refused.items() if reasons == {why}] or list(refused)
            if alone:
                self.do_cast(*alone[pick % len(alone)], choice)

        @rule(
            why=st.sampled_from(
                ["present: votes in the room", "a secret paper is cast once", "not on the council", "any"]
            ),
            pick=st.integers(min_value=0, max_value=99),
            choice=st.sampled_from([AGREE, DISAGREE]),
        )
        def a_paper_the_rules_refuse(self, why, pick, choice):
            """On purpose, a written vote (on every nominee the member votes on) that the model
            refuses now, for that one reason when there is one, or for any."""
            papers = {actor: dict.fromkeys(self.model.votable(actor), choice) for actor in range(len(people))}
            refused = {actor: set(self.model.written(actor, paper)) for actor, paper in papers.items()}
            refused = {actor: reasons for actor, reasons in refused.items() if reasons}
            alone = [actor for actor, reasons in refused.items() if reasons == {why}] or list(refused)
            if alone:
                actor = alone[pick % len(alone)]
                self.do_written(actor, papers[actor])

        @precondition(lambda self: self.model.state == VOTING)
        @rule(
            nominees=st.sets(st.sampled_from(sorted(AGENDA)), min_size=1),
            choices=st.lists(st.sampled_from([AGREE, DISAGREE, ABSTAIN, AGREE]), min_size=27, max_size=27),
        )
        def a_round_of_votes(self, nominees, choices):
            """Every member recorded present votes on some nominees, one after the other (by secret
            ballot, those who have not voted on them yet: the other rules try again)."""
            for member in sorted(self.model.present):
                for nominee in sorted(nominees):
                    if not (self.model.secret and (member, nominee) in self.model.votes):
                        self.do_cast(member, nominee, choices[member * len(AGENDA) + nominee])

        @rule(
            actor=ACTOR,
            whole=st.sampled_from([True, True, True, False]),
            nominees=st.sets(st.integers(min_value=0, max_value=OFF_AGENDA)),
            choices=st.lists(CHOICE, min_size=4, max_size=4),
        )
        def written(self, actor, whole, nominees, choices):
            # Mostly a paper on every nominee the member votes on; sometimes any set of nominees.
            covered = sorted(self.model.votable(actor) if whole and actor in ROLL else nominees)
            self.do_written(actor, {n: choices[n] for n in covered})

        @rule(actor=st.one_of(st.just(SECRETARY), ACTOR), own=st.booleans(), member=ACTOR, nominee=NOMINEE)
        def recuse(self, actor, own, member, nominee):
            member = actor if own else member
            if self.check(
                "recusal",
                self.model.recusal(actor, member, nominee),
                lambda: ms.recusal_declare(
                    actor=people[actor],
                    meeting=self.meeting,
                    nominee=self.nominees[nominee],
                    note="Xung đột lợi ích",
                    **({} if own else {"member": people[member]}),
                ),
            ):
                self.model.declared.add((member, nominee))

        @rule(by_chairperson=st.booleans(), other=ACTOR)
        def close(self, by_chairperson, other):
            actor = self.model.chairperson if by_chairperson else other
            if self.check(
                "close",
                self.model.close(actor),
                lambda: ms.meeting_close(actor=people[actor], meeting=self.meeting),
            ):
                self.model.state = CLOSED
                self.frozen = snapshot()
                self.the_result_is_the_models(self.result)

        @rule(actor=ACTOR, reason=st.sampled_from(["", "Chủ tọa vắng mặt"]))
        def cancel(self, actor, reason):
            if self.check(
                "cancel",
                self.model.cancel(actor, reason),
                lambda: ms.meeting_cancel(actor=people[actor], meeting=self.meeting, reason=reason),
            ):
                self.model.state = CANCELLED
                self.frozen = snapshot()

        def the_result_is_the_models(self, results):
            """The counts out of ALL members, and who passed, are the model's; the quorum holds."""
            model = self.model
            assert len(model.present) >= model.needed
            meeting = CouncilMeeting.objects.get(pk=self.meeting.pk)
            assert Fraction(meeting.quorum_numerator, meeting.quorum_denominator) == model.quorum
            assert meeting.roll.filter(status=AttendanceStatus.PRESENT).count() >= model.needed
            expected = {}
            for n in sorted(AGENDA):
                votes_for, votes_against, abstentions = model.tally(n)
                expected.setdefault(self.nominees[n].dossier_id, {})[self.nominees[n].pk] = {
                    "votes_for": votes_for,
                    "votes_against": votes_against,
                    "abstentions": abstentions,
                    "members_total": len(ROLL),
                }
            assert results == expected
            stored = {
                i.nominee_id: (i.result, i.recused) for i in AgendaItem.objects.filter(meeting=self.meeting)
            }
            for n in AGENDA:
                result = AgendaResult.PASSED if model.passes(n) else AgendaResult.FAILED
                recused = sum(model.recused(m, n) for m in ROLL)
                assert stored[self.nominees[n].pk] == (result, recused)
                event(f"nominee {n}: {result}")

        # --- invariants ---

        @invariant()
        def the_database_is_the_model(self):
            model, stored = self.model, self.stored()
            assert stored.state == STORED_STATE[model.state]
            if not model.called:
                assert stored.roll == dict.fromkeys(ROLL, AttendanceStatus.INVITED)
            else:
                assert stored.roll == {
                    m: AttendanceStatus.PRESENT if m in model.present else AttendanceStatus.ABSENT
                    for m in ROLL
                }
            assert set(stored.recusals) == model.recusals()
            assert {(m, n) for m, n, _ in stored.participations} == set(model.votes)
            assert {m for m, _, how in stored.participations if how == VoteHow.IN_ROOM} == model.in_room
            if model.secret:
                assert Counter(stored.ballots) == Counter((n, c) for (_, n), c in model.votes.items())
            else:
                assert {(m, n): c for m, n, c in stored.open_votes} == model.votes

        @invariant()
        def one_participation_per_member_per_nominee(self):
            stored = self.stored()
            pairs = [(m, n) for m, n, _ in stored.participations]
            assert len(pairs) == len(set(pairs))
            assert not set(stored.recusals) & set(pairs)

        @invariant()
        def a_ballot_for_every_participation(self):
            stored = self.stored()
            participations = Counter(n for _, n, _ in stored.participations)
            if self.model.secret:
                assert Counter(n for n, _ in stored.ballots) == participations
                assert not stored.open_votes
            else:
                assert Counter(n for _, n, _ in stored.open_votes) == participations
                assert not stored.ballots

        @invariant()
        def ballots_are_sealed_until_the_close_and_opened_by_it(self):
            stored = self.stored()
            if self.model.state == CLOSED:
                assert stored.sealed == 0
            else:
                assert stored.plain == 0

        @invariant()
        def nothing_changes_after_the_close(self):
            if self.frozen is not None:
                assert snapshot() == self.frozen

        @invariant()
        def the_tally_is_the_recount(self):
            if self.model.state != CLOSED:
                return
            recount = ms.tally(self.meeting)
            for item in AgendaItem.objects.filter(meeting=self.meeting):
                counted = (item.votes_for, item.votes_against, item.abstentions)
                assert counted == tuple(
                    recount.get(item.pk, {}).get(c, 0) for c in (AGREE, DISAGREE, ABSTAIN)
                )

    return Meeting


@pytest.mark.xdist_group("council-stateful")
def test_a_meeting_in_any_order_does_what_the_rules_say(cw):
    other_council = f.council_for(cw.province)
    people = [
        *cw.members,
        cw.head_a,
        cw.chair,
        f.council_member(other_council, "member", username="tinh", full_name="Ủy viên Hội đồng tỉnh"),
    ]
    run_state_machine_as_test(
        machine_for(cw, people),
        settings=settings(
            max_examples=150,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,  # the same runs on every machine, so CI is reproducible
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
