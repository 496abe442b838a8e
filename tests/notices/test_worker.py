"""With a broker (REDIS_URL), an act leaves its notices to a Celery worker: the request that acted
does not wait for them. Here on the machine's real Redis with a real worker: the worker makes them
once, however often the message comes; with the broker down the request makes them itself; and
the sweep makes those of a message the broker lost, once."""

import datetime as dt
import threading
import uuid
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.app import TestApp, setup_default_app
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from audit.models import AuditEvent
from notices.models import Notice, NoticedEvent
from notices.services import notices_for_event, notices_sweep
from notices.tasks import make_notices
from workflows import services as workflow_services

from .helpers import drafted, mailed, told

REDIS = "redis://127.0.0.1:6379/13"
SUBMITTED = "Hồ sơ “{}” đã được trình: hãy tiếp nhận và thẩm định."


@contextmanager
def celery_on(broker_url):
    """The engine's tasks on a Celery app whose broker is `broker_url`, on a queue of this test's
    own (other runs may share the server)."""
    queue = f"notices-test-{uuid.uuid4().hex}"
    app = TestApp(
        config={
            "broker_url": broker_url,
            "result_backend": None,
            "task_always_eager": False,
            "task_default_queue": queue,
            "broker_connection_retry_on_startup": False,
        }
    )
    with setup_default_app(app):
        app.set_current()
        app.set_default()
        app.queue = queue
        try:
            yield app
        finally:
            redis.Redis.from_url(REDIS).delete(queue)


@contextmanager
def worker(app, tasks):
    """A worker on `app` for as long as it takes to run `tasks` tasks (its database connections
    closed after each, as a worker's are)."""
    done = threading.Semaphore(0)

    def finished(**kwargs):
        connections.close_all()
        done.release()

    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
            for _ in range(tasks):
                assert done.acquire(timeout=60), "the worker did not run the task"
    finally:
        task_postrun.disconnect(finished)


def queued(app) -> int:
    return redis.Redis.from_url(REDIS).llen(app.queue)


@pytest.fixture
def submitted_event(transactional_db, people):
    """A complete draft of school A and a function that submits it (committed), giving the
    submission's audit event."""
    dossier = drafted(people)

    def submit():
        workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)
        return AuditEvent.objects.get(action="dossier.submit")

    return dossier, submit


def test_with_a_broker_a_worker_makes_the_notices_the_act_left_to_it(submitted_event):
    dossier, submit = submitted_event
    with celery_on(REDIS) as app:
        event = submit()

        # The act is committed; its notices wait in the queue, not made by the request.
        assert not Notice.objects.exists() and not NoticedEvent.objects.exists()
        assert queued(app) == 1

        with worker(app, tasks=2):  # the notices, then their emails
            pass

    assert told() == {"officer": [SUBMITTED.format(dossier.title)]}
    assert mailed() == ["officer"]
    assert NoticedEvent.objects.filter(seq=event.seq).exists()


def test_a_message_delivered_again_makes_no_second_notice(submitted_event):
    _, submit = submitted_event
    with celery_on(REDIS) as app:
        event = submit()
        make_notices.apply_async((event.seq,))  # as a broker redelivers an unacknowledged message

        with worker(app, tasks=3):
            pass

    assert Notice.objects.count() == 1
    assert mailed() == ["officer"]


def test_with_the_broker_down_the_request_makes_the_notices(submitted_event, people, caplog):
    dossier, submit = submitted_event
    with celery_on("redis://127.0.0.1:1/0"):  # nothing listens there
        event = submit()

        assert told() == {"officer": [SUBMITTED.format(dossier.title)]}
        assert NoticedEvent.objects.filter(seq=event.seq).exists()
        refused = [r for r in caplog.records if "the broker refused" in r.getMessage()]
        assert len(refused) == 1

        # The next acts do not ask the refusing broker again for a while: made at once.
        workflow_services.appraisal_receive(actor=people.officer, dossier=dossier)
        workflow_services.appraisal_accept(actor=people.officer, dossier=dossier)

        assert [r for r in caplog.records if "the broker refused" in r.getMessage()] == refused
        accepted = AuditEvent.objects.get(action="dossier.accept")
        assert NoticedEvent.objects.filter(seq=accepted.seq).exists()
        assert Notice.objects.count() > 1


def test_the_sweep_makes_the_notices_of_a_lost_message_once(submitted_event, people):
    dossier, submit = submitted_event
    earlier = AuditEvent.objects.order_by("seq").last()  # the draft's, before any mark existed
    with celery_on(REDIS) as app:
        event = submit()
        redis.Redis.from_url(REDIS).delete(app.queue)  # the broker restarted and lost it
    later = event.ts + dt.timedelta(minutes=3)  # the event's time is the database's clock

    assert notices_sweep(now=later) == 0  # no event is marked yet: nothing to sweep from
    NoticedEvent.objects.create(seq=earlier.seq)  # the marks began before the lost event

    assert notices_sweep(now=event.ts + dt.timedelta(minutes=1)) == 0  # the worker may still come
    assert notices_sweep(now=later) == 1
    assert told() == {"officer": [SUBMITTED.format(dossier.title)]}

    assert notices_sweep(now=later) == 0
    assert notices_for_event(event) == []
    assert Notice.objects.count() == 1
