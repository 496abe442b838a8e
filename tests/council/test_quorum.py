"""Attendance and quorum: voting opens only with enough of ALL the council's members present."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals import meeting_services as ms
from approvals.models import AttendanceStatus, MeetingState
from dossiers.models import AwardRule
from org.errors import TransitionNotAllowed

from .conftest import in_council, open_with, schedule
from .helpers import last_event, unchanged_after


def test_attendance_must_be_recorded_before_voting_opens(cw, meeting):
    unchanged_after(
        lambda: ms.meeting_open_voting(actor=cw.secretary, meeting=meeting),
        ValidationError,
        "Record who is present",
    )


def test_voting_does_not_open_below_two_thirds_of_all_members(cw, meeting):
    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members[:5])  # 5 of 9 < 6

    err = unchanged_after(
        lambda: ms.meeting_open_voting(actor=cw.secretary, meeting=meeting), ValidationError
    )

    assert "5 of the 9 members are present; at least 6 (2/3 of all members)" in str(err)


def test_voting_opens_at_two_thirds_and_freezes_the_council(cw, meeting):
    open_with(cw, meeting, present=cw.members[:6])

    meeting.refresh_from_db()
    assert (meeting.state, meeting.members_total, meeting.quorum_numerator, meeting.quorum_denominator) == (
        MeetingState.VOTING,
        9,
        2,
        3,
    )
    assert meeting.roll.filter(status=AttendanceStatus.PRESENT).count() == 6
    event = last_event()
    assert (event.action, event.data["present"], event.data["needed"], event.data["quorum"]) == (
        "meeting.open",
        6,
        6,
        "2/3",
    )


def test_the_strictest_quorum_of_the_agenda_applies(cw):
    strict = in_council(cw, award="chien-si-thi-dua-co-so")
    AwardRule.objects.filter(pk=strict.agenda_nominees[0].rule_id).update(
        quorum_numerator=4, quorum_denominator=5
    )
    meeting = schedule(cw, [in_council(cw), strict])
    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members[:7])  # 7 < 80 % of 9

    err = unchanged_after(
        lambda: ms.meeting_open_voting(actor=cw.secretary, meeting=meeting), ValidationError
    )

    assert "at least 8 (4/5 of all members)" in str(err)
    open_with(cw, meeting, present=cw.members[:8])
    meeting.refresh_from_db()
    assert (meeting.quorum_numerator, meeting.quorum_denominator) == (4, 5)


@pytest.mark.parametrize("who", ["cchair", "member", "vice", "officer"])
def test_only_the_meetings_secretary_records_attendance_and_opens(cw, meeting, who):
    actor = getattr(cw, who)
    unchanged_after(
        lambda: ms.meeting_attendance_record(actor=actor, meeting=meeting, present=cw.members),
        PermissionDenied,
    )
    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members)
    unchanged_after(lambda: ms.meeting_open_voting(actor=actor, meeting=meeting), PermissionDenied)


def test_only_members_on_the_roll_can_be_present(cw, meeting):
    unchanged_after(
        lambda: ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=[cw.officer]),
        ValidationError,
    )


def test_voting_opens_once(cw, voting):
    unchanged_after(lambda: ms.meeting_open_voting(actor=cw.secretary, meeting=voting), TransitionNotAllowed)


def test_once_the_vote_is_open_the_roll_cannot_fall_below_the_quorum(cw, meeting):
    """A council votes with its quorum present: a roll taken during the vote that leaves fewer
    than the quorum frozen at the opening is refused, so the vote is never closed without it."""
    open_with(cw, meeting, present=cw.members[:7])

    err = unchanged_after(
        lambda: ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members[:5]),
        ValidationError,
    )

    assert "5 of the 9 members are present; at least 6 (2/3 of all members)" in str(err)
    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members[:6])
    assert meeting.roll.filter(status=AttendanceStatus.PRESENT).count() == 6


def test_a_late_member_is_marked_present_during_the_vote_but_a_voter_stays_present(cw, dossier, meeting):
    open_with(cw, meeting, present=cw.members[:8])
    late = cw.members[8]
    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members)
    assert meeting.roll.get(member=late).status == AttendanceStatus.PRESENT
    ms.ballot_cast(actor=late, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")

    unchanged_after(
        lambda: ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members[:8]),
        ValidationError,
        "has voted in the meeting",
    )
