"""Ballots in the room: secret by default (participation apart from the ballot), open on request;
once per member per nominee; only while the vote is open."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals import meeting_services as ms
from approvals.models import Ballot, OpenVote, Participation, SealedBallot, VoteHow
from org.errors import TransitionNotAllowed

from .conftest import in_council, open_with, schedule
from .helpers import last_event, opened_ballots, unchanged_after


def cast(w, meeting, nominee, choice="agree", who=None):
    return ms.ballot_cast(actor=who or w.member, meeting=meeting, nominee=nominee, choice=choice)


def test_a_secret_ballot_records_participation_apart_from_the_choice(cw, dossier, voting):
    nominee = dossier.agenda_nominees[0]

    cast(cw, voting, nominee, "disagree")

    participation = Participation.objects.get()
    assert (participation.member, participation.item.nominee, participation.how) == (
        cw.member,
        nominee,
        VoteHow.IN_ROOM,
    )
    # Sealed to the meeting's key until the close: nothing in the row says "disagree".
    assert not Ballot.objects.exists()
    (sealed,) = SealedBallot.objects.values_list("sealed", flat=True)
    assert b"disagree" not in bytes(sealed)
    assert opened_ballots(voting) == [(nominee.pk, "disagree", "")]
    event = last_event()
    assert (event.action, event.actor, event.data["nominee_id"]) == ("vote.participate", "member", nominee.pk)
    assert "choice" not in event.data and "disagree" not in str(event.data)


def test_a_member_votes_once_per_nominee_and_a_secret_vote_cannot_change(cw, dossier, voting):
    nominee = dossier.agenda_nominees[0]
    cast(cw, voting, nominee, "agree")

    unchanged_after(lambda: cast(cw, voting, nominee, "disagree"), TransitionNotAllowed, "already voted")
    unchanged_after(lambda: cast(cw, voting, nominee, "agree"), TransitionNotAllowed, "already voted")
    assert SealedBallot.objects.count() == Participation.objects.count() == 1


def test_open_voting_names_the_vote_and_a_change_replaces_it(cw, dossier):
    meeting = open_with(cw, schedule(cw, [dossier], secret_ballot=False))
    nominee = dossier.agenda_nominees[0]

    cast(cw, meeting, nominee, "agree")
    cast(cw, meeting, nominee, "disagree")

    assert list(OpenVote.objects.values_list("member", "choice")) == [(cw.member.pk, "disagree")]
    assert Participation.objects.count() == 1
    assert not Ballot.objects.exists() and not SealedBallot.objects.exists()
    event = last_event()
    assert (event.action, event.data["from"], event.data["choice"]) == ("vote.change", "agree", "disagree")


def test_no_vote_before_the_vote_opens(cw, dossier, meeting):
    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members)
    unchanged_after(
        lambda: cast(cw, meeting, dossier.agenda_nominees[0]), TransitionNotAllowed, "not been opened"
    )


def test_an_absent_member_does_not_vote_in_the_room(cw, dossier, meeting):
    open_with(cw, meeting, present=[m for m in cw.members if m != cw.member])
    unchanged_after(
        lambda: cast(cw, meeting, dossier.agenda_nominees[0]), PermissionDenied, "not recorded as present"
    )


@pytest.mark.parametrize("who", ["officer", "chair", "head_a", "inspector"])
def test_only_members_of_the_council_vote(cw, dossier, voting, who):
    unchanged_after(
        lambda: cast(cw, voting, dossier.agenda_nominees[0], who=getattr(cw, who)), PermissionDenied
    )


def test_abstention_only_where_the_meeting_allows_it(cw, dossier, voting):
    unchanged_after(
        lambda: cast(cw, voting, dossier.agenda_nominees[0], "abstain"),
        ValidationError,
        "abstention is not allowed",
    )
    unchanged_after(lambda: cast(cw, voting, dossier.agenda_nominees[0], "maybe"), ValidationError)
    other = in_council(cw)
    meeting = open_with(cw, schedule(cw, [other], allow_abstention=True))
    cast(cw, meeting, other.agenda_nominees[0], "abstain")
    assert opened_ballots(meeting) == [(other.agenda_nominees[0].pk, "abstain", "")]


def test_a_nominee_not_on_the_agenda(cw, voting):
    stranger = in_council(cw).agenda_nominees[0]
    unchanged_after(lambda: cast(cw, voting, stranger), ValidationError, "not on the agenda")
