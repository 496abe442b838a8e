"""Celery application. Without REDIS_URL, tasks run in-process (settings: CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
app = Celery("tdkt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How often beat looks for batches of certificates whose worker died (documents.services): a
# batch is stale once its lease (DOCUMENTS_BATCH_LEASE_SECONDS) has expired, so this bounds how
# long a crash holds the certificates up, beyond the lease.
RECOVER_STALE_BATCHES_EVERY = 60.0


@app.on_after_configure.connect
def schedule_recovery(sender, **kwargs):
    """Next to the schedule of settings.CELERY_BEAT_SCHEDULE (the audit checkpoint)."""
    sender.add_periodic_task(
        RECOVER_STALE_BATCHES_EVERY,
        sender.signature("documents.recover_stale_batches"),
        name="documents-recover-stale-batches",
    )
