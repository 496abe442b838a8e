"""Background work of documents (Celery; in-process when no broker is configured, as in tests)."""

from celery import shared_task
from celery.signals import worker_process_init

from . import rendering, services


@worker_process_init.connect
def warm_up(**kwargs):
    """Each worker process loads WeasyPrint and its fonts once and checks the Vietnamese font
    before its first task, so a host without fonts-liberation2 says so at start-up."""
    rendering.ensure_fonts()


@shared_task(name="documents.certificates_for_decision", ignore_result=True)
def certificates_for_decision(batch_id: int) -> None:
    """Make the certificates of a decision and their ZIP (services.certificate_batch_run)."""
    services.certificate_batch_run(batch_id=batch_id)
