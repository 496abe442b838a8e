"""Closing the vote: the tally over ALL members, the thresholds, the quotas, and nothing after."""

import pytest
from django.core.exceptions import PermissionDenied

from approvals import meeting_services as ms
from approvals.meeting_selectors import meeting_minutes
from approvals.models import AgendaResult, Ballot, MeetingState
from dossiers.models import NomineeOutcome
from org.errors import TransitionNotAllowed
from tests import factories as f

from .conftest import in_council, open_with, schedule
from .helpers import last_event, unchanged_after


def vote_all(w, meeting, nominee, agree, disagree=0):
    voters = iter(w.members)
    for choice, n in (("agree", agree), ("disagree", disagree)):
        for _ in range(n):
            ms.ballot_cast(actor=next(voters), meeting=meeting, nominee=nominee, choice=choice)


@pytest.mark.parametrize(
    ("award", "kind", "agree", "result"),
    [
        ("giay-khen", "individual", 5, AgendaResult.PASSED),  # 5/9 > half of all members
        ("giay-khen", "individual", 4, AgendaResult.FAILED),  # 4 of 6 present, but 4/9 of all
        ("chien-si-thi-dua-cap-tinh", "individual", 9, AgendaResult.PASSED),  # ≥ 90 %: 9/9
        ("chien-si-thi-dua-cap-tinh", "individual", 8, AgendaResult.FAILED),  # 88.9 %
        ("co-thi-dua-cap-tinh", "collective", 8, AgendaResult.PASSED),  # ≥ 80 %: 88.9 %
        ("co-thi-dua-cap-tinh", "collective", 7, AgendaResult.FAILED),  # 77.8 %
    ],
)
def test_thresholds_count_all_members_of_the_council(cw, award, kind, agree, result):
    dossier = in_council(cw, award=award, kind=kind)
    meeting = open_with(cw, schedule(cw, [dossier]))
    nominee = dossier.agenda_nominees[0]
    vote_all(cw, meeting, nominee, agree, disagree=min(1, 9 - agree))

    results = ms.meeting_close(actor=cw.cchair, meeting=meeting, conclusion="Hội đồng thống nhất đề nghị.")

    assert results == {
        dossier.pk: {
            nominee.pk: {
                "votes_for": agree,
                "votes_against": min(1, 9 - agree),
                "abstentions": 0,
                "members_total": 9,
            }
        }
    }
    assert meeting.agenda.get().result == result
    event = last_event()
    assert (event.action, event.actor, event.data["results"][str(nominee.pk)]["result"]) == (
        "meeting.close",
        "cchair",
        result,
    )


def test_the_percentage_is_of_all_members_even_when_few_are_present(cw, dossier):
    meeting = open_with(cw, schedule(cw, [dossier]), present=cw.members[:6])
    vote_all(cw, meeting, dossier.agenda_nominees[0], agree=4, disagree=2)
    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    row = meeting_minutes(meeting).results[0]

    assert (row.votes_for, row.votes_against, row.not_voting, row.members_total, str(row.percent_for)) == (
        4,
        2,
        3,
        9,
        "44.44",
    )
    assert row.result == AgendaResult.FAILED


@pytest.mark.parametrize("who", ["secretary", "member", "vice", "chair"])
def test_only_the_chairperson_closes(cw, voting, who):
    unchanged_after(
        lambda: ms.meeting_close(actor=getattr(cw, who), meeting=voting), PermissionDenied, "chairperson"
    )


def test_the_vice_chair_closes_a_meeting_they_chair(cw, dossier):
    meeting = open_with(cw, schedule(cw, [dossier], chairperson=cw.vice))
    unchanged_after(lambda: ms.meeting_close(actor=cw.cchair, meeting=meeting), PermissionDenied)
    ms.meeting_close(actor=cw.vice, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED and meeting.closed_by == cw.vice


def test_nothing_can_be_cast_or_changed_after_the_close(cw, dossier, voting):
    first, second = dossier.agenda_nominees
    ms.ballot_cast(actor=cw.member, meeting=voting, nominee=first, choice="agree")
    ms.meeting_close(actor=cw.cchair, meeting=voting)
    closed = "closed"

    unchanged_after(
        lambda: ms.ballot_cast(actor=cw.vice, meeting=voting, nominee=first, choice="agree"),
        TransitionNotAllowed,
        closed,
    )
    unchanged_after(
        lambda: ms.ballot_cast(actor=cw.member, meeting=voting, nominee=first, choice="disagree"),
        TransitionNotAllowed,
        closed,
    )
    unchanged_after(
        lambda: ms.written_vote_cast(
            actor=cw.vice,
            meeting=voting,
            votes={first.pk: {"choice": "agree"}, second.pk: {"choice": "agree"}},
        ),
        TransitionNotAllowed,
        closed,
    )
    unchanged_after(
        lambda: ms.recusal_declare(actor=cw.vice, meeting=voting, nominee=second, note="x"),
        TransitionNotAllowed,
        closed,
    )
    unchanged_after(
        lambda: ms.meeting_attendance_record(actor=cw.secretary, meeting=voting, present=cw.members[:3]),
        TransitionNotAllowed,
    )
    unchanged_after(lambda: ms.meeting_open_voting(actor=cw.secretary, meeting=voting), TransitionNotAllowed)
    unchanged_after(
        lambda: ms.meeting_close(actor=cw.cchair, meeting=voting), TransitionNotAllowed, "already closed"
    )


def test_open_voting_after_close_cannot_be_changed_either(cw, dossier):
    meeting = open_with(cw, schedule(cw, [dossier], secret_ballot=False))
    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")
    ms.meeting_close(actor=cw.cchair, meeting=meeting)
    unchanged_after(
        lambda: ms.ballot_cast(
            actor=cw.member, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="disagree"
        ),
        TransitionNotAllowed,
    )


def test_the_tally_equals_a_recount_of_the_ballots(cw):
    dossier = in_council(cw, nominees=3)
    meeting = open_with(cw, schedule(cw, [dossier], allow_abstention=True))
    for i, member in enumerate(cw.members):
        for j, nominee in enumerate(dossier.agenda_nominees):
            ms.ballot_cast(
                actor=member,
                meeting=meeting,
                nominee=nominee,
                choice=["agree", "disagree", "abstain"][(i + j) % 3],
            )

    results = ms.meeting_close(actor=cw.cchair, meeting=meeting)[dossier.pk]

    for item in meeting.agenda.all():
        ballots = list(Ballot.objects.filter(item=item).values_list("choice", flat=True))
        r = results[item.nominee_id]
        assert (r["votes_for"], r["votes_against"], r["abstentions"]) == tuple(
            ballots.count(c) for c in ("agree", "disagree", "abstain")
        )


# --- quotas -----------------------------------------------------------------------------------


def test_over_quota_nominees_are_ranked_by_votes_and_the_rest_fail(cw):
    """Quota: 3 individuals in the campaign, one already voted in elsewhere: 2 places left for the
    3 nominees that reach the threshold; the one with the fewest votes is over quota."""
    f.quota(cw.campaign, 3, nominee_kind="individual")
    earlier = in_council(cw, unit=cw.school_b)
    type(earlier.agenda_nominees[0]).objects.filter(pk=earlier.agenda_nominees[0].pk).update(
        outcome=NomineeOutcome.VOTED_IN
    )
    type(earlier).objects.filter(pk=earlier.pk).update(state="council_voted")
    dossier = in_council(cw, nominees=4)
    meeting = open_with(cw, schedule(cw, [dossier]))
    a, b, c, d = dossier.agenda_nominees
    vote_all(cw, meeting, a, 6, 3)
    vote_all(cw, meeting, b, 9)
    vote_all(cw, meeting, c, 7, 2)
    vote_all(cw, meeting, d, 3, 6)  # below the threshold

    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    items = {i.nominee_id: i for i in meeting.agenda.all()}
    assert [(items[n.pk].result, items[n.pk].rank) for n in (b, c, a, d)] == [
        (AgendaResult.PASSED, 1),
        (AgendaResult.PASSED, 2),
        (AgendaResult.OVER_QUOTA, 3),
        (AgendaResult.FAILED, None),
    ]
    assert meeting_minutes(meeting).over_quota == [a.name]


def test_quotas_by_award_type_and_kind_both_apply(cw):
    f.quota(cw.campaign, 1, award_type=f.award("giay-khen"))
    dossier = in_council(cw, nominees=2)
    other = in_council(cw, award="chien-si-thi-dua-co-so")
    meeting = open_with(cw, schedule(cw, [dossier, other]))
    first, second = dossier.agenda_nominees
    vote_all(cw, meeting, first, 8, 1)
    vote_all(cw, meeting, second, 8)  # ties on votes for; fewer against ranks first
    vote_all(cw, meeting, other.agenda_nominees[0], 9)

    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    results = dict(meeting.agenda.values_list("nominee_id", "result"))
    assert results == {
        second.pk: AgendaResult.PASSED,
        first.pk: AgendaResult.OVER_QUOTA,
        other.agenda_nominees[0].pk: AgendaResult.PASSED,
    }
