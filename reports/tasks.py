"""Background work of reports (Celery; in-process when no broker is configured, as in tests)."""

from celery import shared_task


@shared_task(name="reports.run_export", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_export(job_id: int) -> None:
    """Write a long list's xlsx with its progress (list_exports.export_run)."""
    from .list_exports import export_run

    export_run(job_id=job_id)


@shared_task(name="reports.exports_cleanup", ignore_result=True)
def exports_cleanup() -> int:
    """Hourly (Celery beat, settings.CELERY_BEAT_SCHEDULE): remove exported files past their
    keeping time, and previewed imports nobody confirmed."""
    from .list_exports import exports_cleanup as cleanup

    return cleanup()
