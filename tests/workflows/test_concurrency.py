"""Many people on one step at the same moment, on PostgreSQL: one completes it, the others are told
at once ("someone else is completing this task"), nothing is done twice; chairs signing at once
never share a decision number."""

import threading
import time
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import translation
from viewflow.workflow.models import Process

from approvals.models import Decision
from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from dossiers.reference_data import seed_reference_data
from org.errors import TransitionNotAllowed
from org.models import Role
from tests import factories as f
from workflows import services as wf
from workflows.flows import DossierFlow
from workflows.models import DossierProcess

from .conftest import awaiting_decision, in_appraisal, new_dossier, open_steps, steps_done, submitted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 20


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The rules seeded by migration: a transactional test before this one may have flushed them."""
    seed_reference_data(django_apps)


# The flow lock is a row lock on the dossier's process (workflows/locks.py; viewflow's own locks
# lock the same row, through the process class).
PROCESS_TABLES = (Process._meta.db_table, DossierProcess._meta.db_table)


def at_once(calls):
    """Run each call in its own thread, all released together. Per call: (outcome, value, how many
    times it asked for the flow lock, how long it slept)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    real_sleep = time.sleep
    slept = {}  # thread → seconds: a lock that retries sleeps between its attempts

    def recorded_sleep(seconds):
        slept[threading.get_ident()] = slept.get(threading.get_ident(), 0) + seconds
        real_sleep(seconds)

    def run(i, call):
        lock_requests = []

        def count_lock_requests(execute, sql, params, many, context):
            if "FOR UPDATE" in sql and any(f'"{table}"' in sql for table in PROCESS_TABLES):
                lock_requests.append(sql)
            return execute(sql, params, many, context)

        try:
            barrier.wait()
            # The test's language is per thread; so is the connection the wrapper watches.
            with translation.override("en"), connection.execute_wrapper(count_lock_requests):
                outcome = ("done", call())
        except TransitionNotAllowed as exc:
            outcome = ("refused", exc.message)
        except Exception as exc:  # anything else is a defect the test reports
            outcome = ("error", repr(exc))
        finally:
            connection.close()
        results[i] = (*outcome, len(lock_requests), slept.get(threading.get_ident(), 0))

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    with mock.patch("time.sleep", recorded_sleep):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return results


def told_at_once(results) -> bool:
    """Every refused caller asked for the flow lock once at most (refused on its first try, or
    before it, because the step had closed) and never slept: nobody waited through retries
    (viewflow's own locks try five times, sleeping in between)."""
    return all(requests <= 1 and not slept for outcome, _, requests, slept in results if outcome == "refused")


BUSY = "Someone else is completing this task right now. Reload the page in a moment."


def test_twenty_officers_receiving_one_dossier_receive_it_once(people):
    w = people
    officers = [
        f.user_with_role(Role.STANDING_OFFICER, w.commune, username=f"officer_{i}") for i in range(THREADS)
    ]
    d = submitted(w, new_dossier(w))

    results = at_once([lambda o=o: wf.appraisal_receive(actor=o, dossier=d) for o in officers])

    outcomes = [r[0] for r in results]
    assert outcomes.count("done") == 1 and outcomes.count("refused") == THREADS - 1, results
    refusals = {r[1] for r in results if r[0] == "refused"}
    assert all(m == BUSY or m.endswith(" has already received this dossier.") for m in refusals), refusals
    assert told_at_once(results), results
    assert AuditEvent.objects.filter(action="dossier.receive", object_id=str(d.pk)).count() == 1
    assert open_steps(d) == [("appraise", "ASSIGNED")]


def test_twenty_completions_of_one_task_complete_it_once(people):
    w = people
    d = in_appraisal(w, new_dossier(w))

    results = at_once([lambda: wf.appraisal_accept(actor=w.officer, dossier=d)] * THREADS)

    outcomes = [r[0] for r in results]
    assert outcomes.count("done") == 1 and outcomes.count("refused") == THREADS - 1, results
    refusals = {r[1] for r in results if r[0] == "refused"}
    assert refusals <= {
        BUSY,
        "This dossier is “Before the council”: “Appraise the dossier” is not open now.",
        "Someone has just completed this step, or the dossier has moved on. Reload the page.",
    }, refusals
    assert told_at_once(results), results
    assert Dossier.objects.get(pk=d.pk).state == DossierState.IN_COUNCIL
    assert AuditEvent.objects.filter(action="dossier.accept", object_id=str(d.pk)).count() == 1
    assert steps_done(d).count("appraise") == 1 and open_steps(d) == [("council", "NEW")]


def test_chairs_signing_at_once_never_share_a_decision_number(people):
    w = people
    dossiers = [awaiting_decision(w, new_dossier(w)) for _ in range(THREADS)]

    results = at_once(
        [
            lambda d=d: wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen").pk
            for d in dossiers
        ]
    )

    assert [r[0] for r in results] == ["done"] * THREADS, results
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("state", flat=True)) == {
        "decided"
    }


def test_twenty_signatures_of_one_dossier_make_one_decision(people):
    w = people
    d = awaiting_decision(w, new_dossier(w))

    results = at_once(
        [lambda: wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen").symbol] * THREADS
    )

    assert [r[0] for r in results].count("done") == 1, results
    assert Decision.objects.count() == 1 and Decision.objects.get().symbol == "01/QĐ-UBND"
    assert told_at_once(results), results
    assert open_steps(d) == [] and steps_done(d)[-2:] == ["decide", "end"]
    assert DossierFlow.decide.name in steps_done(d)
