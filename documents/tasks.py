"""Background work of documents (Celery; in-process when no broker is configured, as in tests)."""

from celery import shared_task
from celery.signals import worker_process_init

from . import rendering, services


@worker_process_init.connect
def warm_up(**kwargs):
    """Each worker process loads WeasyPrint and its fonts once and checks the Vietnamese font
    before its first task, so a host without fonts-liberation2 says so at start-up."""
    rendering.ensure_fonts()


# acks_late + reject_on_worker_lost: the message is acknowledged only once the task has returned,
# so when its worker dies (kill -9, a host lost) the broker hands it to another worker. The lease
# on the batch (services.certificate_batch_run) covers the case where the broker loses it too,
# and makes a message delivered twice harmless: only one worker can hold the batch.
@shared_task(
    name="documents.certificates_for_decision",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def certificates_for_decision(batch_id: int) -> None:
    """Make the certificates of a decision and their ZIP (services.certificate_batch_run)."""
    services.certificate_batch_run(batch_id=batch_id)


@shared_task(name="documents.recover_stale_batches", ignore_result=True)
def recover_stale_batches() -> list:
    """Periodic (Celery beat, config/celery.py): send again every batch whose worker has gone
    silent past its lease, or fail it past the limit of attempts."""
    return services.certificate_batches_recover()
