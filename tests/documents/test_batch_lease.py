"""A batch of certificates that a crash interrupted is found stale by its lease and resumed, once,
reusing what was made; a live lease is never taken; a batch that keeps failing stops, says why,
and a new one may be asked for; the page and the API say what happened.

A crashed worker is simulated in-process by an exception no `except Exception` catches (as a
kill leaves no chance to clean up), after some certificates; its lease is then expired on the
database's clock, the one every worker shares. tests/documents/test_batch_crash.py kills a real
worker process."""

import datetime as dt
import io
import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models.functions import Now
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Award
from audit.models import AuditEvent
from audit.verify import verify_database
from config.celery import app as celery_app
from documents import services, tasks
from documents.models import BatchState, CertificateBatch, CertificateBatchItem, GeneratedDocument
from documents.models import GeneratedKind as K
from org.models import User


class Killed(BaseException):
    """What a kill -9 leaves: nothing after it runs, no handler sees it."""


@pytest.fixture
def crash_after(monkeypatch):
    """`crash_after(n)`: the worker dies as it starts certificate n + 1 (n made and committed)."""
    real = services.document_render

    def arm(made: int):
        calls = {"n": 0}

        def render(**kwargs):
            calls["n"] += 1
            if calls["n"] > made:
                raise Killed
            return real(**kwargs)

        monkeypatch.setattr(services, "document_render", render)
        return calls

    yield arm
    monkeypatch.setattr(services, "document_render", real)


def start(world, decided) -> CertificateBatch:
    """Ask for the batch without running it (its message is left in the queue)."""
    return services.certificate_batch_start(actor=world.chair, decision=decided)


def crashed_run(batch, crash_after, made: int) -> CertificateBatch:
    crash_after(made)
    with pytest.raises(Killed):
        services.certificate_batch_run(batch_id=batch.pk)
    return CertificateBatch.objects.with_lease().get(pk=batch.pk)


def expire_lease(batch):
    CertificateBatch.objects.filter(pk=batch.pk).update(leased_until=Now() - dt.timedelta(seconds=1))


def actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="certificate_batch.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def certificates_per_award(decision) -> dict[int, int]:
    return {
        award.pk: GeneratedDocument.objects.filter(kind=K.CERTIFICATE, award=award).count()
        for award in Award.objects.filter(decision=decision)
    }


def zip_names(batch) -> list[str]:
    with batch.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read())).namelist()


def test_a_stale_lease_is_reclaimed_and_the_batch_resumes_reusing_what_was_made(
    decided, world, crash_after, django_capture_on_commit_callbacks
):
    batch = crashed_run(start(world, decided), crash_after, made=2)
    assert (batch.state, batch.done, batch.attempts, batch.interrupted) == (BatchState.RUNNING, 2, 1, False)
    # While the lease runs, the recovery leaves it alone: the worker may only be slow.
    assert services.certificate_batches_recover() == []

    expire_lease(batch)
    crash_after(10**6)  # the next worker does not die
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificate_batches_recover() == [(batch.pk, "retried")]

    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total, batch.attempts, batch.resumed_from) == (
        BatchState.DONE,
        3,
        3,
        2,
        2,
    )
    assert certificates_per_award(decided) == {a.pk: 1 for a in Award.objects.filter(decision=decided)}
    assert CertificateBatchItem.objects.filter(batch=batch).count() == 3
    assert zip_names(batch) == ["001-nguyen-thi-lan.pdf", "002-le-van-thanh.pdf", "003-to-ngu-van.pdf"]
    assert actions() == ["certificate_batch.start", "certificate_batch.retry", "certificate_batch.finish"]
    retry = AuditEvent.objects.get(action="certificate_batch.retry")
    assert retry.actor == "system"
    assert (retry.data["reason"], retry.data["done"], retry.data["attempts"]) == ("lease_expired", 2, 1)
    finish = AuditEvent.objects.get(action="certificate_batch.finish")
    assert (finish.data["reused"], finish.data["attempts"], finish.data["count"]) == (2, 2, 3)
    # Three certificates, three renderings: none made twice.
    assert AuditEvent.objects.filter(action="document.generate").count() == 3
    assert verify_database().ok


def test_a_live_lease_is_not_stolen(decided, world, crash_after):
    batch = crashed_run(start(world, decided), crash_after, made=1)
    token = batch.worker_token
    crash_after(10**6)
    # A second worker (the same message delivered twice) finds the batch held and does nothing.
    services.certificate_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.worker_token, batch.attempts, batch.done) == (BatchState.RUNNING, token, 1, 1)
    assert GeneratedDocument.objects.filter(kind=K.CERTIFICATE).count() == 1
    # Of two claims on a free batch, one wins.
    CertificateBatch.objects.filter(pk=batch.pk).update(state=BatchState.PENDING, worker_token="")
    first, second = services._claim(batch.pk, "a" * 32), services._claim(batch.pk, "b" * 32)
    assert first is not None and second is None
    assert CertificateBatch.objects.get(pk=batch.pk).worker_token == "a" * 32


def test_a_worker_whose_lease_was_taken_commits_nothing_more(decided, world, monkeypatch):
    """Fencing: a worker thought dead (its lease expired, another took the batch) stops at its
    next certificate; what it was making is not committed and it writes no ZIP."""
    batch = start(world, decided)
    real = services.document_render

    def slow_then_overtaken(**kwargs):
        document = real(**kwargs)
        CertificateBatch.objects.filter(pk=batch.pk).update(worker_token="c" * 32)  # another's now
        return document

    monkeypatch.setattr(services, "document_render", slow_then_overtaken)
    services.certificate_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.worker_token, batch.file.name) == (BatchState.RUNNING, "c" * 32, "")
    # The first certificate committed before the takeover; the run stopped before a second one.
    assert GeneratedDocument.objects.filter(kind=K.CERTIFICATE).count() == 1
    assert "certificate_batch.finish" not in actions()


def test_the_next_request_resumes_a_stale_batch_instead_of_returning_it_forever(
    decided, world, crash_after, django_capture_on_commit_callbacks
):
    batch = crashed_run(start(world, decided), crash_after, made=1)
    expire_lease(batch)
    crash_after(10**6)
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=world.chair.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("documents_api:batch-start", args=[decided.pk]))
    assert response.status_code == 202 and response.json()["id"] == batch.pk
    body = api.get(reverse("documents_api:batch-detail", args=[batch.pk])).json()
    assert (body["id"], body["state"], body["done"], body["attempts"], body["resumed_from"]) == (
        batch.pk,
        "done",
        3,
        2,
        1,
    )
    assert body["interrupted"] is False and body["download_url"]
    assert CertificateBatch.objects.count() == 1
    assert AuditEvent.objects.get(action="certificate_batch.retry").actor == "chair"


def test_a_batch_stuck_before_leases_existed_is_resumed(decided, world, django_capture_on_commit_callbacks):
    """The state the crash left in the field: running at 0/3, no lease at all."""
    batch = CertificateBatch.objects.create(
        decision=decided, requested_by=world.chair, total=3, state=BatchState.RUNNING
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.certificate_batch_start(actor=world.chair, decision=decided)
    assert again.pk == batch.pk
    again.refresh_from_db()
    assert (again.state, again.done) == (BatchState.DONE, 3)


def test_a_redelivered_task_takes_over_only_an_expired_lease(decided, world, crash_after):
    batch = crashed_run(start(world, decided), crash_after, made=1)
    crash_after(10**6)
    tasks.certificates_for_decision.delay(batch.pk)  # the broker hands the message back: too soon
    assert CertificateBatch.objects.get(pk=batch.pk).state == BatchState.RUNNING
    expire_lease(batch)
    tasks.certificates_for_decision.delay(batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.attempts, batch.done) == (BatchState.DONE, 2, 3)
    assert AuditEvent.objects.get(action="certificate_batch.retry").data["reason"] == "redelivered"
    assert actions().count("certificate_batch.finish") == 1


def test_a_batch_that_keeps_dying_fails_after_three_attempts_and_a_new_one_can_be_asked_for(
    decided, world, crash_after, django_capture_on_commit_callbacks
):
    batch = start(world, decided)
    for made in (1, 0, 0):
        crashed_run(batch, crash_after, made=made)
        expire_lease(batch)
        if CertificateBatch.objects.get(pk=batch.pk).attempts < 3:
            assert services.certificate_batches_recover() == [(batch.pk, "retried")]
    assert services.certificate_batches_recover() == [(batch.pk, "failed")]
    batch.refresh_from_db()
    assert (batch.state, batch.attempts, batch.done) == (BatchState.FAILED, 3, 1)
    assert batch.error.startswith("Stopped after 3 attempts, at 1 of 3 certificates: the worker stopped")
    assert actions() == [
        "certificate_batch.start",
        "certificate_batch.retry",
        "certificate_batch.retry",
        "certificate_batch.fail",
    ]
    assert AuditEvent.objects.get(action="certificate_batch.fail").data["attempts"] == 3

    crash_after(10**6)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_batch_start(actor=world.chair, decision=decided)
    new.refresh_from_db()
    assert new.pk != batch.pk and new.state == BatchState.DONE
    # The certificate the failed batch made is the one the new batch ships: not made twice.
    assert certificates_per_award(decided) == {a.pk: 1 for a in Award.objects.filter(decision=decided)}


def test_a_batch_that_keeps_raising_is_retried_then_fails_with_its_error(
    decided, world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("renderer out of memory")

    monkeypatch.setattr(services, "document_render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        batch = start(world, decided)
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (BatchState.FAILED, 3)
    assert batch.error == (
        "Stopped after 3 attempts, at 0 of 3 certificates: renderer out of memory. "
        "Ask for the certificates again."
    )
    assert actions() == [
        "certificate_batch.start",
        "certificate_batch.retry",
        "certificate_batch.retry",
        "certificate_batch.fail",
    ]
    assert {e.data["reason"] for e in AuditEvent.objects.filter(action="certificate_batch.retry")} == {
        "error"
    }


def test_the_page_and_the_api_say_a_batch_was_interrupted_and_where_it_resumed(
    decided, world, client, crash_after, django_capture_on_commit_callbacks
):
    batch = crashed_run(start(world, decided), crash_after, made=2)
    client.force_login(User.objects.get(pk=world.chair.pk))
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=world.chair.pk))
    url = reverse("certificate-batch-progress", args=[batch.pk])

    def page(language="en") -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get(url).content.decode()

    assert "Interrupted at" not in page() and "Running" in page()
    expire_lease(batch)
    shown = page()
    assert "Interrupted at 2/3: the worker has given no sign of life since" in shown
    assert 'hx-trigger="every 1s"' in shown and "bg-warning" in shown
    assert "Bị gián đoạn ở 2/3: tiến trình xử lý không còn báo hoạt động" in page("vi")  # the UI's language
    detail = api.get(reverse("documents_api:batch-detail", args=[batch.pk])).json()
    assert (detail["state"], detail["interrupted"], detail["done"], detail["attempts"]) == (
        "running",
        True,
        2,
        1,
    )
    assert detail["max_attempts"] == 3 and detail["heartbeat_at"]

    services.certificate_batches_recover()  # sent again; no worker has taken it yet
    assert "Interrupted at 2/3: waiting to resume (attempt 2 of 3)." in page()
    services._claim(batch.pk, "d" * 32)
    assert "Interrupted, resumed at 2/3 (attempt 2 of 3)." in page()
    CertificateBatch.objects.filter(pk=batch.pk).update(worker_token="", state=BatchState.PENDING)
    crash_after(10**6)
    services.certificate_batch_run(batch_id=batch.pk)
    assert "Completed on attempt 3, resumed at 2/3 after an interruption." in page()


def test_the_decision_page_shows_a_failed_batch_with_its_error(decided, world, client):
    CertificateBatch.objects.create(
        decision=decided,
        requested_by=world.chair,
        total=3,
        done=1,
        attempts=3,
        state=BatchState.FAILED,
        error="Stopped after 3 attempts, at 1 of 3 certificates: x. Ask for the certificates again.",
    )
    client.force_login(User.objects.get(pk=world.chair.pk))
    page = client.get(reverse("decision-documents", args=[decided.pk])).content.decode()
    assert 'data-testid="batch-error">Stopped after 3 attempts' in page
    assert 'data-testid="batch-start"' in page  # a new batch may be asked for


def test_recovery_runs_every_minute_and_by_hand(
    decided, world, crash_after, django_capture_on_commit_callbacks
):
    schedule = celery_app.conf.beat_schedule["documents-recover-stale-batches"]
    assert (schedule["task"], schedule["schedule"]) == ("documents.recover_stale_batches", 60.0)
    assert celery_app.tasks["documents.recover_stale_batches"].name == tasks.recover_stale_batches.name
    # The broker gives the message back when its worker dies.
    task = tasks.certificates_for_decision
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)

    batch = crashed_run(start(world, decided), crash_after, made=1)
    out = io.StringIO()
    call_command("recover_stale_batches", stdout=out)
    assert out.getvalue() == "no stale batch\n"
    expire_lease(batch)
    crash_after(10**6)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_stale_batches", stdout=out)
    assert f"batch {batch.pk}: retried" in out.getvalue()
    assert CertificateBatch.objects.get(pk=batch.pk).state == BatchState.DONE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_one_wins(transactional_db, monkeypatch, request):
    """Claims at the same instant, each on its own connection: one holds the batch."""
    import threading

    from django.apps import apps as django_apps
    from django.db import connection

    from dossiers.reference_data import seed_reference_data

    seed_reference_data(django_apps)  # seeded by migration: an earlier transactional test flushed it
    world, decided = request.getfixturevalue("world"), request.getfixturevalue("decided")
    monkeypatch.setattr(services, "_enqueue", lambda batch_id: None)
    batch = start(world, decided)
    barrier, won = threading.Barrier(4), []

    def worker(token):
        try:
            barrier.wait()
            if services._claim(batch.pk, token) is not None:
                won.append(token)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(str(i) * 32,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    batch.refresh_from_db()
    assert (batch.worker_token, batch.attempts, batch.state) == (won[0], 1, BatchState.RUNNING)


def test_asking_again_on_the_page_resumes_the_batch_or_says_why_it_stopped(
    decided, world, client, crash_after
):
    batch = crashed_run(start(world, decided), crash_after, made=1)
    expire_lease(batch)
    client.force_login(User.objects.get(pk=world.chair.pk))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("certificate-batch-start", args=[decided.pk])
    page = client.post(url, follow=True).content.decode()
    assert "The interrupted batch resumes from 1 of 3 certificates." in page
    assert "Interrupted at 1/3: waiting to resume (attempt 2 of 3)." in page

    # Interrupted a third time: asking again says why it stopped; asking once more starts anew.
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.RUNNING, attempts=3, worker_token="x"
    )
    expire_lease(batch)
    page = client.post(url, follow=True).content.decode()
    assert "Stopped after 3 attempts, at 1 of 3 certificates: the worker stopped without finishing" in page
    assert CertificateBatch.objects.get(pk=batch.pk).state == BatchState.FAILED
    page = client.post(url, follow=True).content.decode()
    assert "The certificates are being made." in page
    assert (
        CertificateBatch.objects.filter(decision=decided, state=BatchState.PENDING)
        .exclude(pk=batch.pk)
        .exists()
    )


def test_a_certificate_made_again_since_the_crash_is_the_one_the_resumed_batch_ships(
    decided, world, crash_after, django_capture_on_commit_callbacks
):
    batch = crashed_run(start(world, decided), crash_after, made=2)
    crash_after(10**6)
    first = CertificateBatchItem.objects.get(batch=batch, award__nominee=decided.nominees[0]).document
    nominee = decided.nominees[0]
    nominee.name = "Nguyễn Thị Lan Anh"  # corrected, and the certificate made again by hand
    nominee.save()
    newer = services.document_render(
        actor=world.chair, kind=K.CERTIFICATE, subject=Award.objects.get(nominee=nominee)
    )
    assert newer.version == 2
    expire_lease(batch)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_batches_recover()
    batch.refresh_from_db()
    assert batch.state == BatchState.DONE
    items = CertificateBatchItem.objects.filter(batch=batch)
    assert items.count() == 3 and items.get(award__nominee=nominee).document == newer
    assert first.pk != newer.pk
    assert zip_names(batch)[0] == "001-nguyen-thi-lan-anh.pdf"
