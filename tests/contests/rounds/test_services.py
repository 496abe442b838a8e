"""The rounds through their services: the flow's tasks move with the contest's state, refuse the
wrong person, a conflicted juror is refused, changes are audited, the close needs every score or a
reason, and the appraisal round's close chooses the finalists (a tie at the line goes through)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from contests import round_selectors
from contests.models import ContestState, EntryState, Round, RoundKind, Score
from contests.round_services import round_close, round_start, scores_save
from org.errors import TransitionNotAllowed

from .builders import conflict, make_contest, score_all

pytestmark = pytest.mark.django_db
A, F = RoundKind.APPRAISAL, RoundKind.FINAL

# Juror score = v1/10 × 40 + v2/20 × 60: (8, 16) → 80, (7, 14) → 70, (10, 10) → 70, (6, 12) → 60.
TIE_AT_LINE = {0: (8, 16), 1: (7, 14), 2: (10, 10), 3: (6, 12)}


def open_tasks(contest):
    return sorted(
        t.flow_task.name
        for t in Task.objects.filter(
            process__contestprocess__contest=contest, status__in=(STATUS.NEW, STATUS.ASSIGNED)
        )
    )


def test_flow_tasks_move_with_the_state_and_refuse_the_wrong_person(cw, world):
    contest = cw.contest
    assert open_tasks(contest) == ["receive_entries"]
    with pytest.raises(PermissionDenied):
        round_start(actor=cw.users[0], contest=contest, kind=A)  # a juror is not the organiser
    with pytest.raises(PermissionDenied):
        round_start(actor=world.head_a, contest=contest, kind=A)
    with pytest.raises(TransitionNotAllowed):
        round_close(actor=cw.organiser, contest=contest, kind=A)  # not open yet
    round_start(actor=cw.organiser, contest=contest, kind=A)
    contest.refresh_from_db()
    assert contest.state == ContestState.APPRAISAL
    assert open_tasks(contest) == ["appraisal"]
    with pytest.raises(TransitionNotAllowed):
        round_start(actor=cw.organiser, contest=contest, kind=A)  # a double click

    score_all(cw, A, {j: TIE_AT_LINE for j in range(3)})
    with pytest.raises(PermissionDenied):
        round_close(actor=cw.users[0], contest=contest, kind=A)
    round_close(actor=cw.organiser, contest=contest, kind=A)
    assert open_tasks(contest) == ["finalists"]
    contest.refresh_from_db()
    assert contest.state == ContestState.APPRAISAL

    round_start(actor=cw.organiser, contest=contest, kind=F)
    contest.refresh_from_db()
    assert contest.state == ContestState.FINAL and open_tasks(contest) == ["final"]
    score_all(cw, F, {j: {0: (9, 8), 1: (7, 7), 2: (8, 8)} for j in range(3)})
    round_close(actor=cw.organiser, contest=contest, kind=F)
    assert open_tasks(contest) == ["rank_and_decide"]
    scores = {e.title: e.final_score for e in contest.entries.filter(state=EntryState.FINALIST)}
    # (9/10 × 50 + 8/10 × 50) = 85; 70; 80
    assert scores == {
        "Sản phẩm dự thi 1": D("85.00"),
        "Sản phẩm dự thi 2": D("70.00"),
        "Sản phẩm dự thi 3": D("80.00"),
    }
    actions = list(AuditEvent.objects.filter(action__startswith="round.").values_list("action", flat=True))
    assert actions.count("round.open") == 2 and actions.count("round.close") == 2


def test_appraisal_waits_for_the_entries_deadline(world):
    cw = make_contest(world, deadline=world.today + dt.timedelta(days=1))
    with pytest.raises(TransitionNotAllowed, match="appraisal round opens on that day or later"):
        round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    assert open_tasks(cw.contest) == ["receive_entries"]


def test_a_conflicted_juror_is_refused_and_never_blocks_the_close(cw):
    conflict(cw.jurors[1], cw.entries[0], cw.organiser, reason="Đơn vị nơi giám khảo công tác")
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    with pytest.raises(PermissionDenied, match=r"conflict of interest.*Đơn vị nơi giám khảo công tác"):
        scores_save(
            actor=cw.users[1],
            entry=cw.entries[0],
            kind=A,
            values={cw.appraisal[0].pk: "8", cw.appraisal[1].pk: "16"},
        )
    assert not Score.objects.filter(juror=cw.jurors[1], entry=cw.entries[0]).exists()
    table = {j: dict(TIE_AT_LINE) for j in range(3)}
    del table[1][0]
    score_all(cw, A, table)
    round_close(actor=cw.organiser, contest=cw.contest, kind=A)  # no reason needed
    cw.entries[0].refresh_from_db()
    assert cw.entries[0].appraisal_score == D("80.00")


def test_changes_are_audited_with_old_and_new_values(cw):
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    c1, c2 = cw.appraisal
    scores_save(actor=cw.users[0], entry=cw.entries[0], kind=A, values={c1.pk: "8", c2.pk: "15.5"})
    scores_save(actor=cw.users[0], entry=cw.entries[0], kind=A, values={c1.pk: "8", c2.pk: "15.5"})  # same
    scores_save(actor=cw.users[0], entry=cw.entries[0], kind=A, values={c1.pk: "8.25", c2.pk: "15.5"})
    events = list(AuditEvent.objects.filter(action__startswith="score.").order_by("pk"))
    assert [e.action for e in events] == ["score.enter", "score.enter", "score.change"]
    assert events[2].data["old"] == "8.00" and events[2].data["new"] == "8.25"
    assert events[2].data["entry"] == cw.entries[0].pk and events[2].data["criterion"] == c1.pk
    assert events[0].scope == cw.contest.organizer.path
    assert Score.objects.filter(juror=cw.jurors[0]).count() == 2


def test_scores_are_checked(cw):
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    c1, c2 = cw.appraisal
    with pytest.raises(ValidationError) as refused:
        scores_save(actor=cw.users[0], entry=cw.entries[0], kind=A, values={c1.pk: "11", c2.pk: "1.234"})
    assert set(refused.value.message_dict) == {f"criterion_{c1.pk}", f"criterion_{c2.pk}"}
    with pytest.raises(ValidationError):
        scores_save(actor=cw.users[0], entry=cw.entries[0], kind=A, values={c1.pk: "5"})
    with pytest.raises(PermissionDenied):
        scores_save(actor=cw.organiser, entry=cw.entries[0], kind=A, values={c1.pk: "5", c2.pk: "5"})
    with pytest.raises(TransitionNotAllowed, match="Only the finalists"):
        f1, f2 = cw.final
        round_ = Round.objects.create(contest=cw.contest, kind=F, opened_at=cw.contest.created_at)
        scores_save(actor=cw.users[0], entry=cw.entries[0], kind=F, values={f1.pk: "5", f2.pk: "5"})
    round_.delete()
    assert not Score.objects.exists()


def test_close_refused_with_missing_scores_then_allowed_with_a_reason(cw):
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    table = {0: TIE_AT_LINE, 1: TIE_AT_LINE, 2: {0: (1, 1), 1: (1, 1)}}  # juror 3 scored half
    score_all(cw, A, table)
    with pytest.raises(ValidationError) as refused:
        round_close(actor=cw.organiser, contest=cw.contest, kind=A)
    message = refused.value.message_dict["reason"][0]
    assert "Giám khảo 3: Sản phẩm dự thi 3; Sản phẩm dự thi 4" in message
    assert Round.objects.get(kind=A).closed_at is None
    round_close(actor=cw.organiser, contest=cw.contest, kind=A, reason="Giám khảo 3 ốm, vắng mặt")
    closed = Round.objects.get(kind=A)
    assert closed.close_reason == "Giám khảo 3 ốm, vắng mặt"
    assert list(closed.excluded_jurors.all()) == [cw.jurors[2]]
    # Juror 3's (1, 1) on entries 1 and 2 does not count: every entry is judged by jurors 1 and 2.
    cw.entries[0].refresh_from_db()
    assert cw.entries[0].appraisal_score == D("80.00")
    event = AuditEvent.objects.get(action="round.close")
    assert event.data["excluded_jurors"] == [cw.jurors[2].pk] and event.data["reason"]
    with pytest.raises(TransitionNotAllowed, match="closed"):
        scores_save(actor=cw.users[2], entry=cw.entries[2], kind=A, values={c.pk: "5" for c in cw.appraisal})


def test_trimmed_mean_and_weights_on_close(world):
    cw = make_contest(world, aggregation="trimmed_mean", entries=2, finalists=1)
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    # Entry 1: 77.00, 90.00, 50.00 → trimmed 77.00 (mean would be 72.33).
    # Entry 2: (7.25, 13.33) → 68.99; (6, 12) → 60.00; (9.5, 19.99) → 38 + 59.97 = 97.97 → 68.99.
    score_all(
        cw,
        A,
        {
            0: {0: (8, 15), 1: ("7.25", "13.33")},
            1: {0: (9, 18), 1: (6, 12)},
            2: {0: (5, 10), 1: ("9.5", "19.99")},
        },
    )
    round_close(actor=cw.organiser, contest=cw.contest, kind=A)
    first, second = (cw.contest.entries.get(pk=e.pk) for e in cw.entries)
    assert (first.appraisal_score, second.appraisal_score) == (D("77.00"), D("68.99"))
    assert (first.state, second.state) == (EntryState.FINALIST, EntryState.ELIMINATED)
    aggregates = round_selectors.criterion_aggregates(Round.objects.get(kind=A))
    assert aggregates[first.pk][cw.appraisal[0].pk] == D("8.00")  # 8, 9, 5 → 8


def test_finalists_with_a_tie_at_the_line(cw):
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    score_all(cw, A, {j: TIE_AT_LINE for j in range(3)})
    round_close(actor=cw.organiser, contest=cw.contest, kind=A)
    states = {e.title: (e.state, e.appraisal_score) for e in cw.contest.entries.all()}
    assert states == {
        "Sản phẩm dự thi 1": (EntryState.FINALIST, D("80.00")),
        "Sản phẩm dự thi 2": (EntryState.FINALIST, D("70.00")),
        "Sản phẩm dự thi 3": (EntryState.FINALIST, D("70.00")),
        "Sản phẩm dự thi 4": (EntryState.ELIMINATED, D("60.00")),
    }
    close = AuditEvent.objects.get(action="round.close")
    assert close.data["tie_at_line"] is True and close.data["places"] == 2
    assert AuditEvent.objects.filter(action="entry.finalist").count() == 3
    assert AuditEvent.objects.filter(action="entry.eliminate").count() == 1


def test_a_juror_sees_only_their_own_scores_before_the_close(cw):
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    score_all(cw, A, {0: {0: (8, 16)}, 1: {0: (2, 2)}})
    round_ = Round.objects.get(kind=A)
    mine = {row.entry.pk: row.scores for row in round_selectors.my_entries(round_, cw.jurors[0])}
    assert mine.pop(cw.entries[0].pk) == {cw.appraisal[0].pk: D("8.00"), cw.appraisal[1].pk: D("16.00")}
    assert mine == {e.pk: {} for e in cw.entries[1:]}
    progress = {p.juror.pk: (p.scored, p.expected) for p in round_selectors.progress(round_)}
    assert progress == {cw.jurors[0].pk: (1, 4), cw.jurors[1].pk: (1, 4), cw.jurors[2].pk: (0, 4)}


def test_a_cancelled_contest_leaves_no_task_open(cw):
    from contests.round_services import contest_process_cancel

    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    contest_process_cancel(cw.contest)
    assert open_tasks(cw.contest) == []
    cw.contest.process.refresh_from_db()
    assert cw.contest.process.status == STATUS.CANCELED
