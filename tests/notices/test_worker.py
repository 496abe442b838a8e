"""With a broker (REDIS_URL), an act leaves its notices to a Celery worker, which relays the audit
chain's new events into notices: the request that acted neither waits for them nor talks to the
broker. Here on the machine's real Redis with a real worker: the relay makes each event's notices
once, however often it runs; an act done while the broker is down loses none; and the sweep makes
those of an event the relay passed over, once."""

import datetime as dt
import io
import threading
import uuid
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.app import TestApp, setup_default_app
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.management import call_command
from django.db import connections

from audit.models import AuditEvent
from notices import services as notices
from notices.models import Notice, NoticedEvent
from notices.services import notices_for_event, notices_relay, notices_sweep
from notices.tasks import relay_notices
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


def test_with_a_broker_a_worker_relays_the_act_into_its_notices(submitted_event):
    dossier, submit = submitted_event
    with celery_on(REDIS) as app:
        event = submit()

        # The act is committed; the request made no notice and sent the broker nothing.
        assert not Notice.objects.exists() and not NoticedEvent.objects.exists()
        assert queued(app) == 0

        relay_notices.apply_async()  # as beat sends it every few seconds
        with worker(app, tasks=2):  # the relay, then the notices' emails
            pass

    assert told() == {"officer": [SUBMITTED.format(dossier.title)]}
    assert mailed() == ["officer"]
    assert NoticedEvent.objects.filter(seq=event.seq).exists()


def test_the_relay_run_again_makes_no_second_notice(submitted_event, people):
    dossier, submit = submitted_event
    with celery_on(REDIS):
        submit()
        assert notices_relay() == 1
        assert notices_relay() == 0  # nothing new since
        assert notices_for_event(AuditEvent.objects.get(action="dossier.submit")) == []

        # The next acts are relayed from where the last one stopped, in the chain's order.
        workflow_services.appraisal_receive(actor=people.officer, dossier=dossier)
        workflow_services.appraisal_accept(actor=people.officer, dossier=dossier)
        assert notices_relay() == 1  # receiving tells nobody; the acceptance is relayed
        assert notices_relay() == 0

    assert Notice.objects.filter(text=SUBMITTED.format(dossier.title)).count() == 1


def test_an_act_done_while_the_broker_is_down_loses_no_notice(submitted_event):
    dossier, submit = submitted_event
    with celery_on("redis://127.0.0.1:1/0"):  # nothing listens there
        event = submit()  # the act does not need the broker

        assert not Notice.objects.exists()
        # Once the broker is back, beat's next relay makes them (here by hand, as cron would).
        out = io.StringIO()
        call_command("relay_notices", stdout=out)
        assert out.getvalue().strip() == "1 events relayed, 0 swept"

    assert told() == {"officer": [SUBMITTED.format(dossier.title)]}
    assert NoticedEvent.objects.filter(seq=event.seq).exists()


def test_an_event_whose_notices_fail_does_not_hold_up_the_next(submitted_event, people, monkeypatch, caplog):
    dossier, submit = submitted_event
    NoticedEvent.objects.create(seq=AuditEvent.objects.order_by("seq").last().seq)  # the draft's
    with celery_on(REDIS):
        submitted = submit()
        workflow_services.appraisal_receive(actor=people.officer, dossier=dossier)
        workflow_services.appraisal_accept(actor=people.officer, dossier=dossier)
        made = notices.notices_for_event

        def failing_on_the_submission(event, target=None):
            if event.seq == submitted.seq:
                raise RuntimeError("the recipients could not be read")
            return made(event, target)

        monkeypatch.setattr(notices, "notices_for_event", failing_on_the_submission)
        assert notices_relay() == 2

    accepted = AuditEvent.objects.get(action="dossier.accept")
    assert NoticedEvent.objects.filter(seq=accepted.seq).exists()
    assert not NoticedEvent.objects.filter(seq=submitted.seq).exists()
    assert any(f"event {submitted.seq}: its notices failed" in r.getMessage() for r in caplog.records)

    # The sweep makes the passed-over event's notices, once its grace period is over.
    monkeypatch.setattr(notices, "notices_for_event", made)
    assert notices_sweep(now=submitted.ts + dt.timedelta(minutes=3)) == 1
    assert SUBMITTED.format(dossier.title) in told()["officer"]


def test_a_new_database_relays_only_its_recent_events(submitted_event):
    _, submit = submitted_event
    with celery_on(REDIS):
        event = submit()
        # Nothing is marked yet: only the events of the last minutes are new to the relay.
        assert notices_relay(now=event.ts + notices.RELAY_FIRST_WITHIN + dt.timedelta(seconds=1)) == 0
        assert not Notice.objects.exists()
        assert notices_relay(now=event.ts + dt.timedelta(minutes=1)) == 1
    assert Notice.objects.count() == 1


def test_the_sweep_makes_the_notices_of_a_passed_over_event_once(submitted_event, people):
    dossier, submit = submitted_event
    earlier = AuditEvent.objects.order_by("seq").last()  # the draft's, before any mark existed
    with celery_on(REDIS):
        event = submit()  # its relay failed (the test never runs it)
    later = event.ts + dt.timedelta(minutes=3)  # the event's time is the database's clock

    assert notices_sweep(now=later) == 0  # no event is marked yet: nothing to sweep from
    NoticedEvent.objects.create(seq=earlier.seq)  # the marks began before the passed-over event

    assert notices_sweep(now=event.ts + dt.timedelta(minutes=1)) == 0  # the relay may still come
    assert notices_sweep(now=later) == 1
    assert told() == {"officer": [SUBMITTED.format(dossier.title)]}

    assert notices_sweep(now=later) == 0
    assert notices_for_event(event) == []
    assert Notice.objects.count() == 1


def test_beat_relays_the_notices_every_two_seconds_and_sweeps_every_five_minutes():
    from django.conf import settings

    from notices.tasks import sweep_notices

    relay = settings.CELERY_BEAT_SCHEDULE["notices-relay"]
    assert relay["task"] == relay_notices.name
    assert relay["schedule"] == settings.NOTICES_RELAY_SECONDS == 2.0
    # A run no worker took within a few intervals is dropped: the next one relays its events.
    assert relay["options"]["expires"] == 10.0
    sweep = settings.CELERY_BEAT_SCHEDULE["notices-sweep"]
    assert sweep["task"] == sweep_notices.name
    assert sweep["schedule"].minute == set(range(0, 60, 5))
