"""Jurors scoring at once on PostgreSQL, over real connections: every score stored once, none
lost, a double click saves once; a score racing the close either lands before it and counts, or
is refused, never stored after the close."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from audit.models import AuditEvent
from contests.models import Round, RoundKind, Score
from contests.round_services import round_close, round_start, scores_save
from org.errors import TransitionNotAllowed

from .builders import make_contest, score_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
A = RoundKind.APPRAISAL


def at_once(calls):
    """Each call in its own thread and connection, all released together: [(outcome, value)]."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            with translation.override("en"):
                results[i] = ("done", call())
        except TransitionNotAllowed as exc:
            results[i] = ("refused", exc.message)
        except Exception as exc:  # anything else is a defect the test reports
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_jurors_scoring_at_once_store_every_score_once(world):
    cw = make_contest(world)
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    c1, c2 = cw.appraisal
    calls = [
        lambda user=user, entry=entry, n=n: len(
            scores_save(actor=user, entry=entry, kind=A, values={c1.pk: f"{n}.5", c2.pk: "12"})
        )
        for n, user in enumerate(cw.users, start=5)
        for entry in cw.entries
    ] * 2  # every save twice at the same moment: a double click

    results = at_once(calls)

    assert {r[0] for r in results} == {"done"}, results
    # Each (juror, entry) pair: one of its two saves wrote both criteria, the other found them saved.
    assert sorted(r[1] for r in results) == [0] * 12 + [2] * 12
    assert Score.objects.count() == 3 * 4 * 2
    assert AuditEvent.objects.filter(action="score.enter").count() == 3 * 4 * 2
    for n, juror in enumerate(cw.jurors, start=5):
        values = set(Score.objects.filter(juror=juror, criterion=c1).values_list("value", flat=True))
        assert [str(v) for v in values] == [f"{n}.50"]


@pytest.mark.parametrize("attempt", range(3))
def test_a_score_racing_the_close_counts_or_is_refused(world, attempt):
    cw = make_contest(world, name=f"Hội thi lần {attempt}")
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    full = {e: (5, 10) for e in range(4)}
    score_all(cw, A, {0: full, 1: full, 2: {e: (5, 10) for e in range(3)}})  # juror 3 lacks entry 4
    c1, c2 = cw.appraisal
    late = cw.entries[3]

    results = at_once(
        [
            lambda: (
                round_close(actor=cw.organiser, contest=cw.contest, kind=A, reason="Hết thời hạn chấm").pk
            ),
            lambda: len(
                scores_save(actor=cw.users[2], entry=late, kind=A, values={c1.pk: "10", c2.pk: "20"})
            ),
        ]
    )

    assert results[0][0] == "done", results
    closed = Round.objects.get(contest=cw.contest, kind=A)
    stored = Score.objects.filter(juror=cw.jurors[2], entry=late).count()
    late.refresh_from_db()
    if results[1][0] == "done":  # before the close: it counts, nobody is left out
        assert stored == 2 and not closed.excluded_jurors.exists()
        assert str(late.appraisal_score) == "66.67"  # (50 + 50 + 100) / 3
    else:  # after: refused, juror 3 left out of every entry
        assert results[1][0] == "refused" and "closed" in results[1][1], results
        assert stored == 0 and list(closed.excluded_jurors.all()) == [cw.jurors[2]]
        assert str(late.appraisal_score) == "50.00"
    assert Score.objects.filter(round=closed, updated_at__gt=closed.closed_at).count() == 0
