"""The minutes as data (approvals.meeting_selectors.meeting_minutes), for the pages and for the
PDF that documents/ renders."""

import pytest

from approvals import meeting_services as ms
from approvals.meeting_selectors import meeting_minutes, pending_meeting_of

from .conftest import in_council, open_with, schedule

MINUTES_QUERIES = 7  # meeting, agenda, roll, written voters, written opinions (named, sealed), recusals


@pytest.mark.parametrize("n", [2, 12])
def test_the_minutes_cost_the_same_queries_whatever_the_size(cw, django_assert_num_queries, n):
    meeting = open_with(cw, schedule(cw, [in_council(cw, nominees=n)]))
    ms.meeting_close(actor=cw.cchair, meeting=meeting)
    with django_assert_num_queries(MINUTES_QUERIES):
        minutes = meeting_minutes(meeting)
    assert len(minutes.results) == n


def test_the_minutes_record_everything_step_5_asks_for(cw):
    dossier = in_council(cw, nominees=2, award="chien-si-thi-dua-co-so")
    absent, late = cw.others[0], cw.others[1]
    meeting = schedule(cw, [dossier], title="Phiên họp tháng 11")
    first, second = dossier.agenda_nominees
    ms.written_vote_cast(
        actor=absent,
        meeting=meeting,
        votes={first.pk: {"choice": "agree", "comment": "Tiêu biểu"}, second.pk: {"choice": "disagree"}},
    )
    ms.recusal_declare(actor=cw.vice, meeting=meeting, nominee=second, note="Anh ruột")
    open_with(cw, meeting, present=[m for m in cw.members if m not in (absent, late)])
    for member in cw.members:
        if member not in (absent, late):
            ms.ballot_cast(actor=member, meeting=meeting, nominee=first, choice="agree")
            if member != cw.vice:
                ms.ballot_cast(actor=member, meeting=meeting, nominee=second, choice="agree")
    ms.meeting_close(actor=cw.cchair, meeting=meeting, conclusion="Đề nghị công nhận danh hiệu.")

    m = meeting_minutes(meeting)

    assert m.final and (m.title, m.place, m.members_total, m.quorum, m.quorum_needed) == (
        "Phiên họp tháng 11",
        "Hội trường UBND phường Long Biên",
        9,
        "2/3",
        6,
    )
    assert (m.chairperson.username, m.secretary.username) == ("cchair", "secretary")
    assert [a.person.username for a in m.present][:3] == [
        "cchair",
        "vice",
        "secretary",
    ]  # chair, vice-chair, secretary first
    assert {a.person.username: a.voted_in_writing for a in m.absent} == {
        absent.username: True,
        late.username: False,
    }
    # A secret ballot's written comment is quoted without its author.
    assert [(o.member, o.nominee, o.comment) for o in m.written_opinions] == [(None, first.name, "Tiêu biểu")]
    assert [(r.member.username, r.nominee, r.note) for r in m.recusals] == [("vice", second.name, "Anh ruột")]
    a, b = m.results
    assert (a.votes_for, a.votes_against, a.not_voting, str(a.percent_for), a.threshold, a.result) == (
        8,
        0,
        1,
        "88.89",
        "≥ 80 %",
        "passed",
    )
    assert (b.votes_for, b.votes_against, b.not_voting, str(b.percent_for), b.result) == (
        6,
        1,
        2,
        "66.67",
        "failed",
    )
    assert (m.passed, m.failed, m.conclusion) == ([first.name], [second.name], "Đề nghị công nhận danh hiệu.")
    assert [s.capacity for s in m.signatures] == ["chairperson", "secretary"] + ["member"] * 5


def test_a_dossier_on_a_pending_meeting_is_known(cw, dossier, meeting):
    assert pending_meeting_of(dossier) == meeting
    ms.meeting_cancel(actor=cw.secretary, meeting=meeting, reason="Hoãn")
    assert pending_meeting_of(dossier) is None
