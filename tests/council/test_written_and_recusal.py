"""Written votes of absent members, and recusal of members with a conflict of interest."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals import meeting_services as ms
from approvals.meeting_selectors import meeting_minutes
from approvals.models import (
    AgendaResult,
    Ballot,
    Participation,
    Recusal,
    RecusalReason,
    SealedBallot,
    VoteHow,
    WrittenOpinion,
)
from audit.models import AuditEvent
from org.errors import TransitionNotAllowed

from .conftest import in_council, open_with, schedule
from .helpers import last_event, opened_ballots, unchanged_after


def paper(dossier, choice="agree", **comments):
    return {
        n.pk: {"choice": choice, "comment": comments.get(f"n{i}", "")}
        for i, n in enumerate(dossier.agenda_nominees)
    }


def test_a_written_vote_counts_like_a_vote_in_the_room_and_the_minutes_say_so(cw, dossier, meeting):
    absent = cw.others[0]
    ms.written_vote_cast(
        actor=absent, meeting=meeting, votes=paper(dossier, n0="Thành tích tiêu biểu, đồng ý.")
    )
    present = [m for m in cw.members if m != absent]
    open_with(cw, meeting, present=present)
    for member in present[:4]:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")

    results = ms.meeting_close(actor=cw.cchair, meeting=meeting)

    assert results[dossier.pk][dossier.agenda_nominees[0].pk] == {
        "votes_for": 5,
        "votes_against": 0,
        "abstentions": 0,
        "members_total": 9,
    }
    minutes = meeting_minutes(meeting)
    assert [p.username for p in minutes.written_voters] == [absent.username]
    assert [a.person.username for a in minutes.absent] == [absent.username] and minutes.absent[
        0
    ].voted_in_writing
    # By secret ballot the comment was sealed with the choice and is quoted without a name.
    assert [(o.member, o.comment) for o in minutes.written_opinions] == [
        (None, "Thành tích tiêu biểu, đồng ý.")
    ]
    assert minutes.results[0].result == AgendaResult.PASSED  # 5 of 9 > half
    assert not WrittenOpinion.objects.exists()
    (close,) = AuditEvent.objects.filter(action="meeting.close")
    assert close.data["written_comments"] == {
        str(dossier.agenda_nominees[0].pk): ["Thành tích tiêu biểu, đồng ý."]
    }
    assert "Thành tích tiêu biểu" not in str(
        list(AuditEvent.objects.exclude(action="meeting.close").values_list("data", flat=True))
    )


def test_in_open_voting_a_written_comment_keeps_its_author(cw, dossier):
    meeting = schedule(cw, [dossier], secret_ballot=False)
    absent = cw.others[0]
    ms.written_vote_cast(actor=absent, meeting=meeting, votes=paper(dossier, n0="Đồng ý."))
    present = [m for m in cw.members if m != absent]
    open_with(cw, meeting, present=present)
    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    minutes = meeting_minutes(meeting)
    assert [(o.member.username, o.comment) for o in minutes.written_opinions] == [
        (absent.username, "Đồng ý.")
    ]


def test_the_written_vote_is_secret_too(cw, dossier, meeting):
    ms.written_vote_cast(actor=cw.others[0], meeting=meeting, votes=paper(dossier, "disagree"))

    assert set(Participation.objects.values_list("how", flat=True)) == {VoteHow.WRITTEN}
    assert not Ballot.objects.exists() and SealedBallot.objects.count() == 2
    assert opened_ballots(meeting) == sorted((n.pk, "disagree", "") for n in dossier.agenda_nominees)
    event = last_event()
    assert event.action == "vote.participate" and "disagree" not in str(event.data)


def test_a_secret_written_comment_is_sealed_with_the_choice_and_never_named(cw, dossier, meeting):
    """ "Nhất trí…" next to a member's name would give their vote away: the comment of a secret
    written vote is stored nowhere in clear before the close, and never with the member."""
    ms.written_vote_cast(actor=cw.others[0], meeting=meeting, votes=paper(dossier, n0="Nhất trí đề nghị."))

    assert not WrittenOpinion.objects.exists()
    # The whole comment, not two letters of it: random ciphertext holds any two bytes now and then.
    clear = "Nhất trí đề nghị.".encode()
    assert all(clear not in bytes(s) for s in SealedBallot.objects.values_list("sealed", flat=True))
    event = last_event()
    assert "Nhất trí" not in str(event.data) and "comments" not in event.data
    assert (dossier.agenda_nominees[0].pk, "agree", "Nhất trí đề nghị.") in opened_ballots(meeting)


def test_a_written_paper_covers_every_nominee_the_member_may_vote_on(cw, dossier, meeting):
    incomplete = {dossier.agenda_nominees[0].pk: {"choice": "agree"}}
    err = unchanged_after(
        lambda: ms.written_vote_cast(actor=cw.member, meeting=meeting, votes=incomplete), ValidationError
    )
    assert "choose agree or disagree" in str(err)


def test_no_written_vote_once_voting_has_opened_or_from_a_member_present(cw, dossier, meeting):
    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members[:8])
    unchanged_after(
        lambda: ms.written_vote_cast(actor=cw.cchair, meeting=meeting, votes=paper(dossier)),
        TransitionNotAllowed,
        "present",
    )
    ms.meeting_open_voting(actor=cw.secretary, meeting=meeting)
    unchanged_after(
        lambda: ms.written_vote_cast(actor=cw.members[8], meeting=meeting, votes=paper(dossier)),
        TransitionNotAllowed,
        "only before the meeting",
    )


def test_a_written_vote_is_cast_once_and_not_again_in_the_room(cw, dossier, meeting):
    ms.written_vote_cast(actor=cw.member, meeting=meeting, votes=paper(dossier))
    unchanged_after(
        lambda: ms.written_vote_cast(actor=cw.member, meeting=meeting, votes=paper(dossier)),
        TransitionNotAllowed,
    )
    open_with(cw, meeting)  # the member came after all
    unchanged_after(
        lambda: ms.ballot_cast(
            actor=cw.member, meeting=meeting, nominee=dossier.agenda_nominees[1], choice="agree"
        ),
        TransitionNotAllowed,
        "already voted",
    )


def test_open_voting_lets_a_written_paper_be_replaced_before_the_meeting(cw, dossier):
    meeting = schedule(cw, [dossier], secret_ballot=False)
    ms.written_vote_cast(actor=cw.member, meeting=meeting, votes=paper(dossier, "agree"))
    ms.written_vote_cast(actor=cw.member, meeting=meeting, votes=paper(dossier, "disagree"))
    open_with(cw, meeting, present=cw.members[1:] if cw.members[0] != cw.member else cw.members)
    results = ms.meeting_close(actor=cw.cchair, meeting=meeting)
    assert {r["votes_against"] for r in results[dossier.pk].values()} == {1}
    assert {r["votes_for"] for r in results[dossier.pk].values()} == {0}


def test_a_written_voter_who_came_and_voted_in_the_room_was_present(cw, dossier):
    """Open voting: a member who voted in writing, then came and changed their vote in the room,
    voted in the room. The roll cannot mark them absent afterwards, and the minutes do not quote
    the comment of the paper their vote replaced."""
    meeting = schedule(cw, [dossier], secret_ballot=False)
    came = cw.others[0]
    ms.written_vote_cast(actor=came, meeting=meeting, votes=paper(dossier, "agree", n0="Đồng ý."))
    open_with(cw, meeting)
    nominee = dossier.agenda_nominees[0]

    ms.ballot_cast(actor=came, meeting=meeting, nominee=nominee, choice="disagree")

    assert Participation.objects.get(item__nominee=nominee, member=came).how == VoteHow.IN_ROOM
    event = last_event()
    assert (event.action, event.data["how"], event.data["from"], event.data["choice"]) == (
        "vote.change",
        VoteHow.IN_ROOM,
        "agree",
        "disagree",
    )
    unchanged_after(
        lambda: ms.meeting_attendance_record(
            actor=cw.secretary, meeting=meeting, present=[m for m in cw.members if m != came]
        ),
        ValidationError,
        "has voted in the meeting",
    )
    minutes = meeting_minutes(meeting)
    assert came.username not in [a.person.username for a in minutes.absent]
    assert not minutes.written_opinions


# --- recusal ----------------------------------------------------------------------------------


def test_a_member_who_is_the_nominee_does_not_vote_on_themselves(cw):
    dossier = in_council(cw, person=cw.member, name=cw.member.full_name)
    meeting = open_with(cw, schedule(cw, [dossier]))
    nominee = dossier.agenda_nominees[0]

    unchanged_after(
        lambda: ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=nominee, choice="agree"),
        PermissionDenied,
        "conflict of interest",
    )
    minutes = meeting_minutes(meeting)
    assert [(r.member.username, r.nominee) for r in minutes.recusals] == [("member", nominee.name)]
    assert Recusal.objects.get().reason == RecusalReason.NOMINEE


def test_a_member_of_the_nominated_collective_does_not_vote_on_it(cw):
    cw.others[1].unit = cw.school_a
    cw.others[1].save()
    dossier = in_council(cw, kind="collective", name="  trường THCS  Ngọc Lâm ")
    meeting = open_with(cw, schedule(cw, [dossier]))

    unchanged_after(
        lambda: ms.ballot_cast(
            actor=cw.others[1], meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree"
        ),
        PermissionDenied,
    )
    assert list(Recusal.objects.values_list("member", "reason")) == [
        (cw.others[1].pk, RecusalReason.COLLECTIVE)
    ]


def test_a_declared_conflict_keeps_the_member_from_voting_and_is_in_the_minutes(cw, dossier, voting):
    nominee = dossier.agenda_nominees[1]
    ms.recusal_declare(actor=cw.vice, meeting=voting, nominee=nominee, note="Người thân của đối tượng")

    unchanged_after(
        lambda: ms.ballot_cast(actor=cw.vice, meeting=voting, nominee=nominee, choice="agree"),
        PermissionDenied,
    )
    ms.ballot_cast(actor=cw.vice, meeting=voting, nominee=dossier.agenda_nominees[0], choice="agree")
    assert last_event().action == "vote.participate"
    recusal = meeting_minutes(voting).recusals[0]
    assert (recusal.member.username, recusal.note) == ("vice", "Người thân của đối tượng")


def test_a_conflict_is_declared_before_voting_on_that_nominee(cw, dossier, voting):
    nominee = dossier.agenda_nominees[0]
    ms.ballot_cast(actor=cw.vice, meeting=voting, nominee=nominee, choice="agree")
    unchanged_after(
        lambda: ms.recusal_declare(actor=cw.vice, meeting=voting, nominee=nominee, note="x"),
        TransitionNotAllowed,
        "vote stands",
    )


@pytest.mark.parametrize("who", ["member", "cchair"])
def test_only_the_member_or_the_secretary_records_a_conflict(cw, dossier, voting, who):
    actor = getattr(cw, who)
    unchanged_after(
        lambda: ms.recusal_declare(
            actor=actor, meeting=voting, nominee=dossier.agenda_nominees[0], note="x", member=cw.vice
        ),
        PermissionDenied,
    )
    ms.recusal_declare(
        actor=cw.secretary,
        meeting=voting,
        nominee=dossier.agenda_nominees[0],
        note="Tuyên bố tại cuộc họp",
        member=cw.vice,
    )
    assert Recusal.objects.get().member == cw.vice


def test_a_recused_member_still_counts_among_all_members(cw):
    """The threshold is over ALL members: a recusal does not shrink the council (90 % of 9 needs all 9)."""
    dossier = in_council(cw, award="chien-si-thi-dua-cap-tinh", person=cw.member)
    meeting = open_with(cw, schedule(cw, [dossier]))
    for member in cw.members:
        if member != cw.member:
            ms.ballot_cast(actor=member, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")

    results = ms.meeting_close(actor=cw.cchair, meeting=meeting)

    assert results[dossier.pk][dossier.agenda_nominees[0].pk]["votes_for"] == 8
    minutes = meeting_minutes(meeting)
    assert (minutes.results[0].result, str(minutes.results[0].percent_for)) == (AgendaResult.FAILED, "88.89")
