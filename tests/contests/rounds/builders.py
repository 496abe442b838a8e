"""Builders of the rounds' tests and of their audit walk (tests/test_audit_coverage.py): a contest
of the commune on its appraisal round's eve, entries sent, criteria and a jury of three (seed 002:
Ban Giám khảo), the process started as the organiser's opening starts it."""

import datetime as dt
from types import SimpleNamespace

from django.db import transaction

from contests.models import (
    ConflictOfInterest,
    Contest,
    ContestState,
    Criterion,
    EntrantKind,
    Entry,
    EntryState,
    Juror,
    JurorRole,
    RoundKind,
)
from contests.round_services import contest_process_start
from tests import factories as f


def make_contest(world, *, finalists=2, aggregation="mean", entries=4, deadline=None, name=None):
    today = world.today
    contest = Contest.objects.create(
        organizer=world.commune,
        name=name or "Hội thi Sáng kiến cải cách hành chính năm 2026",
        year=2026,
        entries_deadline=deadline or today - dt.timedelta(days=1),
        appraisal_deadline=today + dt.timedelta(days=30),
        final_deadline=today + dt.timedelta(days=60),
        finalists=finalists,
        aggregation=aggregation,
        created_by=world.officer,
    )
    a1 = Criterion.objects.create(
        contest=contest,
        round=RoundKind.APPRAISAL,
        name="Tính mới, sáng tạo",
        weight=40,
        max_score=10,
        position=1,
    )
    a2 = Criterion.objects.create(
        contest=contest,
        round=RoundKind.APPRAISAL,
        name="Hiệu quả áp dụng",
        weight=60,
        max_score=20,
        position=2,
    )
    f1 = Criterion.objects.create(
        contest=contest, round=RoundKind.FINAL, name="Thuyết trình", weight=50, max_score=10, position=1
    )
    f2 = Criterion.objects.create(
        contest=contest, round=RoundKind.FINAL, name="Trả lời câu hỏi", weight=50, max_score=10, position=2
    )
    jurors = []
    for i in range(1, 4):
        user = f.UserFactory(
            username=f"{contest.pk}-giamkhao{i}", full_name=f"Giám khảo {i}", unit=world.commune
        )
        jurors.append(
            Juror.objects.create(
                contest=contest, user=user, role=JurorRole.CHAIR if i == 1 else JurorRole.MEMBER
            )
        )
    units = [world.school_a, world.school_b, world.office, world.school_a]
    made = []
    for i in range(entries):
        made.append(
            Entry.objects.create(
                contest=contest,
                unit=units[i % len(units)],
                title=f"Sản phẩm dự thi {i + 1}",
                entrant_kind=EntrantKind.COLLECTIVE,
                entrant_name=f"Tập thể {i + 1}",
                state=EntryState.SUBMITTED,
                created_by=world.staff_a,
            )
        )
    with transaction.atomic():
        contest.open_entries()
        contest.save()
        contest_process_start(contest)
    return SimpleNamespace(
        contest=contest,
        organiser=world.officer,
        jurors=jurors,
        users=[j.user for j in jurors],
        entries=made,
        appraisal=[a1, a2],
        final=[f1, f2],
        state=ContestState,
    )


def conflict(juror, entry, by, reason="Sản phẩm của đơn vị mình công tác"):
    return ConflictOfInterest.objects.create(juror=juror, entry=entry, reason=reason, declared_by=by)


def score_all(cw, kind, table, entries=None):
    """table: {juror index: {entry index: (v1, v2)}} saved through the service."""
    from contests.round_services import scores_save

    criteria = cw.appraisal if kind == RoundKind.APPRAISAL else cw.final
    for j, per_entry in table.items():
        for e, values in per_entry.items():
            scores_save(
                actor=cw.users[j],
                entry=cw.entries[e],
                kind=kind,
                values={c.pk: str(v) for c, v in zip(criteria, values, strict=True)},
            )


def _contest_in(w, kind):
    """A contest of w's commune with its appraisal round open, or its final open."""
    from contests.round_services import round_close, round_start

    cw = make_contest(w, name=f"Hội thi {kind}")
    round_start(actor=cw.organiser, contest=cw.contest, kind=RoundKind.APPRAISAL)
    if kind == RoundKind.FINAL:
        score_all(cw, RoundKind.APPRAISAL, {j: {e: (5, 10) for e in range(4)} for j in range(3)})
        round_close(actor=cw.organiser, contest=cw.contest, kind=RoundKind.APPRAISAL)
    return cw


def _exercise_start(w, service):
    cw = make_contest(w)
    service(actor=cw.organiser, contest=cw.contest, kind=RoundKind.APPRAISAL)


def _exercise_score(w, service):
    cw = _contest_in(w, RoundKind.APPRAISAL)
    service(
        actor=cw.users[0],
        entry=cw.entries[0],
        kind=RoundKind.APPRAISAL,
        values={c.pk: "5" for c in cw.appraisal},
    )


def _exercise_close(w, service):
    cw = _contest_in(w, RoundKind.APPRAISAL)
    service(actor=cw.organiser, contest=cw.contest, kind=RoundKind.APPRAISAL, reason="Giám khảo vắng mặt")


AUDIT_EXERCISES = {
    "contests.round_services.round_start": _exercise_start,
    "contests.round_services.scores_save": _exercise_score,
    "contests.round_services.round_close": _exercise_close,
}
