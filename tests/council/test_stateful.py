"""A meeting driven in random order (attendance, opening, written votes, ballots, recusals, the
close) never breaks its invariants:

- one participation per member per nominee, never from a member who does not vote on it;
- by secret ballot, as many ballots as participations on each nominee (and no named vote); in
  open voting, one named vote per participation (and no anonymous ballot);
- a refused step changes nothing; after the close nothing changes at all;
- the tally equals a recount of the ballots, and the votes the members were told were taken.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from approvals import meeting_services as ms
from approvals.models import AgendaItem, Ballot, MeetingState, OpenVote, Participation, Recusal
from org.errors import TransitionNotAllowed

from .conftest import in_council
from .helpers import snapshot

REFUSALS = (PermissionDenied, ValidationError, TransitionNotAllowed)
CHOICES = st.sampled_from(["agree", "disagree", "abstain"])
MEMBER = st.integers(min_value=0, max_value=8)
NOMINEE = st.integers(min_value=0, max_value=2)


def machine_for(w):
    class Meeting(RuleBasedStateMachine):
        """One meeting of the nine-member council on three nominees, the first of whom is a
        member (who may not vote on themselves)."""

        @initialize(
            secret=st.booleans(),
            abstention=st.booleans(),
            start=st.sampled_from(["scheduled", "attended", "voting", "voting"]),
            absent=st.sets(MEMBER, max_size=3),
        )
        def convene(self, secret, abstention, start, absent):
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            dossier = in_council(w, nominees=3)
            type(dossier.agenda_nominees[0]).objects.filter(pk=dossier.agenda_nominees[0].pk).update(
                person=w.members[3]
            )
            self.nominees = dossier.agenda_nominees
            self.meeting = ms.meeting_schedule(
                actor=w.secretary,
                council=w.council,
                scheduled_at=timezone.now() + dt.timedelta(hours=1),
                place="Hội trường",
                chairperson=w.cchair,
                secretary=w.secretary,
                dossiers=[dossier],
                secret_ballot=secret,
                allow_abstention=abstention,
            )
            self.secret = secret
            self.expected = {}  # (member index, nominee index) -> the choice that counts
            self.frozen = None  # the snapshot taken at the close
            # Start some runs further on, so that most of them reach the vote.
            if start != "scheduled":
                present = [m for i, m in enumerate(w.members) if i not in absent]
                ms.meeting_attendance_record(actor=w.secretary, meeting=self.meeting, present=present)
            if start == "voting":
                ms.meeting_open_voting(actor=w.secretary, meeting=self.meeting)

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def attempt(self, call):
            """Run a step; a refusal must leave every row as it was. True when it went through."""
            before = snapshot()
            try:
                call()
            except REFUSALS:
                assert snapshot() == before
                return False
            return True

        @rule(present=st.sets(MEMBER, min_size=5))
        def attendance(self, present):
            self.attempt(
                lambda: ms.meeting_attendance_record(
                    actor=w.secretary, meeting=self.meeting, present=[w.members[i] for i in present]
                )
            )

        @rule()
        def open_voting(self):
            self.attempt(lambda: ms.meeting_open_voting(actor=w.secretary, meeting=self.meeting))

        @rule(member=MEMBER, nominee=NOMINEE, choice=CHOICES)
        def cast(self, member, nominee, choice):
            done = self.attempt(
                lambda: ms.ballot_cast(
                    actor=w.members[member],
                    meeting=self.meeting,
                    nominee=self.nominees[nominee],
                    choice=choice,
                )
            )
            if done:
                event("cast")
                assert self.secret is False or (member, nominee) not in self.expected
                self.expected[(member, nominee)] = choice

        @rule(member=MEMBER, choices=st.lists(CHOICES, min_size=3, max_size=3))
        def written(self, member, choices):
            votes = {n.pk: {"choice": c, "comment": ""} for n, c in zip(self.nominees, choices, strict=True)}
            if member == 3:
                votes.pop(self.nominees[0].pk)  # they do not vote on themselves
            done = self.attempt(
                lambda: ms.written_vote_cast(actor=w.members[member], meeting=self.meeting, votes=votes)
            )
            if done:
                for index, choice in enumerate(choices):
                    if not (member == 3 and index == 0):
                        self.expected[(member, index)] = choice

        @rule(member=MEMBER, nominee=NOMINEE)
        def recuse(self, member, nominee):
            self.attempt(
                lambda: ms.recusal_declare(
                    actor=w.members[member],
                    meeting=self.meeting,
                    nominee=self.nominees[nominee],
                    note="Xung đột lợi ích",
                )
            )

        @rule()
        def close(self):
            if self.attempt(lambda: ms.meeting_close(actor=w.cchair, meeting=self.meeting)):
                self.frozen = snapshot()
                event("closed")

        # --- invariants ---

        def rows(self, model):
            return model.objects.filter(item__meeting=self.meeting)

        @invariant()
        def one_participation_per_member_per_nominee(self):
            pairs = list(self.rows(Participation).values_list("item__position", "member_id"))
            assert len(pairs) == len(set(pairs)) == len(self.expected)
            recused = set(self.rows(Recusal).values_list("item__position", "member_id"))
            assert not recused & set(pairs)

        @invariant()
        def a_ballot_for_every_participation(self):
            participations = dict(self.rows(Participation).values_list("item_id").annotate(n=Count("pk")))
            votes = self.rows(Ballot if self.secret else OpenVote)
            assert dict(votes.values_list("item_id").annotate(n=Count("pk"))) == participations
            assert not self.rows(OpenVote if self.secret else Ballot).exists()

        @invariant()
        def nothing_changes_after_the_close(self):
            if self.frozen is not None:
                assert snapshot() == self.frozen

        @invariant()
        def the_tally_is_the_recount(self):
            if self.frozen is None:
                return
            self.meeting.refresh_from_db()
            assert self.meeting.state == MeetingState.CLOSED
            recount = ms.tally(self.meeting)
            for item in AgendaItem.objects.filter(meeting=self.meeting):
                told = [c for (m, n), c in self.expected.items() if n == item.position - 1]
                counted = (item.votes_for, item.votes_against, item.abstentions)
                assert counted == tuple(
                    recount.get(item.pk, {}).get(c, 0) for c in ("agree", "disagree", "abstain")
                )
                assert counted == tuple(told.count(c) for c in ("agree", "disagree", "abstain"))

    return Meeting


@pytest.mark.xdist_group("council-stateful")
def test_a_meeting_in_any_order_keeps_its_invariants(cw):
    run_state_machine_as_test(
        machine_for(cw),
        settings=settings(
            max_examples=50,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
