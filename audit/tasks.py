"""Scheduled work of the audit trail (Celery beat: settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="audit.checkpoint")
def checkpoint() -> dict:
    """Sign today's head of the chain (daily). Fails loudly, and signs nothing, if the chain
    does not verify or no longer extends the last checkpoint."""
    from .services import checkpoint_create

    signed, path = checkpoint_create(actor="system")
    return {"seq": signed["seq"], "hash": signed["hash"], "file": str(path)}
