"""Ranking at the council's close: the share of the votes that could be cast (a recusal neither
helps nor hurts), the rules' priorities, ties at a quota's line resolved by the council (a run-off
round or the chair's reasoned decision), never by the agenda's order; and the quorum at the close."""

import pytest
from django.core.exceptions import ValidationError

from approvals import meeting_services as ms
from approvals.meeting_selectors import meeting_minutes
from approvals.models import AgendaResult, CouncilMeeting, MeetingState
from dossiers.models import Campaign, RankingPriority, TieRule
from org.errors import TransitionNotAllowed
from tests import factories as f
from tests.council.conftest import in_council, open_with, schedule
from tests.council.helpers import last_event, unchanged_after

pytestmark = pytest.mark.django_db


def vote(meeting, nominee, agree, disagree=()):
    for member in agree:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice="agree")
    for member in disagree:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice="disagree")


def results(meeting):
    return dict(meeting.agenda.values_list("nominee_id", "result"))


def test_a_recusal_neither_helps_nor_hurts_in_ranking(c11):
    f.quota(c11.campaign, 1, nominee_kind="individual")
    dossier = in_council(c11, nominees=2)
    recused, plain = dossier.agenda_nominees
    meeting = schedule(c11, [dossier])
    conflicted = c11.members[-1]
    ms.recusal_declare(actor=conflicted, meeting=meeting, nominee=recused, note="Vợ của đối tượng")
    open_with(c11, meeting)
    others = [m for m in c11.members if m != conflicted]
    vote(meeting, recused, others[:9], others[9:])  # 9 of the 10 who could vote
    vote(meeting, plain, c11.members[:9], c11.members[9:])  # 9 of 11

    ms.meeting_close(actor=c11.cchair, meeting=meeting)

    items = {i.nominee_id: i for i in meeting.agenda.all()}
    assert (items[recused.pk].result, items[recused.pk].rank) == (AgendaResult.PASSED, 1)
    assert (items[plain.pk].result, items[plain.pk].rank) == (AgendaResult.OVER_QUOTA, 2)
    assert items[recused.pk].recused == 1


def test_a_recusal_never_lets_a_nominee_pass_its_threshold(c11):
    # Chiến sĩ thi đua cấp tỉnh: ≥ 90 % of ALL members. 9 of the 10 who could vote is 90 % of
    # them, but 9/11 = 81.8 % of the council: it does not pass.
    dossier = in_council(c11, award="chien-si-thi-dua-cap-tinh")
    nominee = dossier.agenda_nominees[0]
    meeting = schedule(c11, [dossier])
    conflicted = c11.members[-1]
    ms.recusal_declare(actor=conflicted, meeting=meeting, nominee=nominee, note="Cùng đơn vị công tác")
    open_with(c11, meeting)
    others = [m for m in c11.members if m != conflicted]
    vote(meeting, nominee, others[:9], others[9:])

    ms.meeting_close(actor=c11.cchair, meeting=meeting)

    assert results(meeting) == {nominee.pk: AgendaResult.FAILED}


def _tie_at_the_line(w, rule=TieRule.RUNOFF):
    """Quota 2 individuals; A passes clearly, B, C and D tie for the one place left."""
    Campaign.objects.filter(pk=w.campaign.pk).update(tie_rule=rule)
    f.quota(w.campaign, 2, nominee_kind="individual")
    dossier = in_council(w, nominees=4)
    meeting = open_with(w, schedule(w, [dossier]))
    a, b, c, d = dossier.agenda_nominees
    vote(meeting, a, w.members)
    for n in (b, c, d):
        vote(meeting, n, w.members[:7], w.members[7:])
    ms.meeting_close(actor=w.cchair, meeting=meeting, conclusion="Hội đồng bỏ phiếu lại.")
    meeting.refresh_from_db()
    return meeting, (a, b, c, d)


def test_a_tie_at_the_line_is_recorded_and_nothing_is_decided_by_the_agenda_order(cw):
    meeting, (a, b, c, d) = _tie_at_the_line(cw)

    assert meeting.state == MeetingState.TIED
    assert meeting.ties == [{"nominees": [b.pk, c.pk, d.pk], "places": 1, "rule": "runoff"}]
    assert results(meeting) == {
        a.pk: AgendaResult.PASSED,
        b.pk: AgendaResult.TIED,
        c.pk: AgendaResult.TIED,
        d.pk: AgendaResult.TIED,
    }
    assert sorted(meeting.agenda.values_list("rank", flat=True)) == [1, 2, 2, 2]
    assert last_event().data["ties"] == meeting.ties
    minutes = meeting_minutes(meeting)
    assert minutes.ties == [{"names": [b.name, c.name, d.name], "places": 1, "rule": "runoff"}]
    unchanged_after(
        lambda: ms.meeting_close(actor=cw.cchair, meeting=meeting), TransitionNotAllowed, "resolve the tie"
    )


def test_a_runoff_round_decides_among_the_tied_for_the_places_left(cw):
    meeting, (a, b, c, d) = _tie_at_the_line(cw)

    runoff = ms.meeting_runoff_start(actor=cw.cchair, meeting=meeting)

    assert (runoff.runoff_of_id, runoff.round, runoff.state) == (meeting.pk, 2, MeetingState.VOTING)
    assert sorted(runoff.agenda.values_list("nominee_id", flat=True)) == [b.pk, c.pk, d.pk]
    unchanged_after(
        lambda: ms.ballot_cast(actor=cw.cchair, meeting=runoff, nominee=a, choice="agree"),
        ValidationError,
        "not on the agenda",
    )
    vote(runoff, c, cw.members[:8], cw.members[8:])
    vote(runoff, b, cw.members[:6], cw.members[6:])
    vote(runoff, d, cw.members[:5], cw.members[5:])

    final = ms.meeting_close(actor=cw.cchair, meeting=runoff)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED and meeting.ties == []
    assert results(meeting) == {
        a.pk: AgendaResult.PASSED,
        c.pk: AgendaResult.PASSED,
        b.pk: AgendaResult.OVER_QUOTA,
        d.pk: AgendaResult.OVER_QUOTA,
    }
    # The results that go to the dossiers are the first round's votes, over all members.
    assert final[a.dossier_id][c.pk] == {
        "votes_for": 7,
        "votes_against": 2,
        "abstentions": 0,
        "members_total": 9,
    }
    event = last_event()
    assert (event.action, event.object_id, event.data["runoff_id"]) == (
        "meeting.tie_resolve",
        str(meeting.pk),
        runoff.pk,
    )


def test_a_runoff_that_ties_again_calls_for_another(cw):
    meeting, (a, b, c, d) = _tie_at_the_line(cw)
    runoff = ms.meeting_runoff_start(actor=cw.cchair, meeting=meeting)
    vote(runoff, b, cw.members[:6], cw.members[6:])
    vote(runoff, c, cw.members[:6], cw.members[6:])
    vote(runoff, d, cw.members[:2], cw.members[2:])

    assert ms.meeting_close(actor=cw.cchair, meeting=runoff) == {}

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.TIED
    assert meeting.ties == [{"nominees": [b.pk, c.pk], "places": 1, "rule": "runoff"}]
    assert results(meeting)[d.pk] == AgendaResult.OVER_QUOTA
    second = ms.meeting_runoff_start(actor=cw.cchair, meeting=meeting)
    assert second.round == 3
    assert sorted(second.agenda.values_list("nominee_id", flat=True)) == [b.pk, c.pk]
    vote(second, b, cw.members[:4], cw.members[4:])
    vote(second, c, cw.members[:5], cw.members[5:])
    ms.meeting_close(actor=cw.cchair, meeting=second)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    assert [n for n, r in results(meeting).items() if r == AgendaResult.PASSED] == [a.pk, c.pk]


def test_the_chair_decides_a_tie_with_a_recorded_reason_where_the_rule_says_so(cw):
    meeting, (a, b, c, d) = _tie_at_the_line(cw, rule=TieRule.CHAIR)
    assert meeting.ties[0]["rule"] == "chair"
    unchanged_after(
        lambda: ms.meeting_runoff_start(actor=cw.cchair, meeting=meeting),
        TransitionNotAllowed,
        "chair's decision",
    )
    unchanged_after(
        lambda: ms.meeting_tie_decide(
            actor=cw.cchair, meeting=meeting, chosen=[b, c], reason="Thành tích nổi bật"
        ),
        ValidationError,
        "Choose exactly 1",
    )
    unchanged_after(
        lambda: ms.meeting_tie_decide(actor=cw.cchair, meeting=meeting, chosen=[b], reason=" "),
        ValidationError,
        "Give the reason",
    )
    unchanged_after(
        lambda: ms.meeting_tie_decide(actor=cw.secretary, meeting=meeting, chosen=[b], reason="Lý do"),
        Exception,
        "chairperson",
    )

    final = ms.meeting_tie_decide(
        actor=cw.cchair, meeting=meeting, chosen=[d], reason="Có sáng kiến được áp dụng toàn phường."
    )

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    assert meeting.tie_reason == "Có sáng kiến được áp dụng toàn phường."
    assert results(meeting)[d.pk] == AgendaResult.PASSED
    assert {results(meeting)[b.pk], results(meeting)[c.pk]} == {AgendaResult.OVER_QUOTA}
    assert set(final[a.dossier_id]) == {a.pk, b.pk, c.pk, d.pk}
    event = last_event()
    assert (event.action, event.actor, event.data["chosen"], event.data["reason"]) == (
        "meeting.tie_decide",
        "cchair",
        [d.pk],
        "Có sáng kiến được áp dụng toàn phường.",
    )


def test_a_priority_in_the_rules_breaks_a_tie_before_any_runoff(cw):
    RankingPriority.objects.all().delete()
    RankingPriority.objects.create(
        criterion="woman", order=1, valid_from="2025-07-01", legal_basis="Luật TĐKT 2022; NĐ 152/2025/NĐ-CP"
    )
    f.quota(cw.campaign, 1, nominee_kind="individual")
    man = in_council(cw, sex="male").agenda_nominees[0]
    woman = in_council(cw, sex="female").agenda_nominees[0]
    meeting = open_with(cw, schedule(cw, [man.dossier, woman.dossier]))
    for n in (man, woman):
        vote(meeting, n, cw.members[:7], cw.members[7:])

    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    assert results(meeting) == {woman.pk: AgendaResult.PASSED, man.pk: AgendaResult.OVER_QUOTA}


def test_the_close_refuses_without_a_quorum_present(cw):
    dossier = in_council(cw)
    meeting = open_with(cw, schedule(cw, [dossier]))
    vote(meeting, dossier.agenda_nominees[0], cw.members)
    # 6 of 9 is the quorum (2/3): four members leave while the vote is open.
    for member in cw.members[-4:]:
        ms.attendance_leave(actor=cw.secretary, meeting=meeting, member=member)

    unchanged_after(
        lambda: ms.meeting_close(actor=cw.cchair, meeting=meeting),
        TransitionNotAllowed,
        "5 of the 9 members are present; at least 6",
    )

    ms.meeting_attendance_record(actor=cw.secretary, meeting=meeting, present=cw.members[:6])
    ms.meeting_close(actor=cw.cchair, meeting=meeting)
    assert CouncilMeeting.objects.get(pk=meeting.pk).state == MeetingState.CLOSED
    assert results(meeting) == {dossier.agenda_nominees[0].pk: AgendaResult.PASSED}


def test_the_minutes_of_a_dossier_state_the_runoff_that_resolved_its_tie(cw):
    from documents.contexts import minutes_context

    meeting, (a, b, c, d) = _tie_at_the_line(cw)
    runoff = ms.meeting_runoff_start(actor=cw.cchair, meeting=meeting)
    vote(runoff, c, cw.members[:8], cw.members[8:])
    vote(runoff, b, cw.members[:6], cw.members[6:])
    vote(runoff, d, cw.members[:5], cw.members[5:])
    ms.meeting_close(actor=cw.cchair, meeting=runoff)

    lines = minutes_context(a.dossier)["tie_lines"]

    assert lines == [
        f"Bỏ phiếu lại (vòng 2) giữa các trường hợp bằng phiếu: {b.name}: 6 tán thành, 3 không tán "
        f"thành (thứ 2); {c.name}: 8 tán thành, 1 không tán thành (thứ 1); {d.name}: 5 tán thành, "
        "4 không tán thành (thứ 3)."
    ]
