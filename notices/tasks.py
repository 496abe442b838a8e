from celery import shared_task


@shared_task(name="notices.relay", ignore_result=True)
def relay_notices():
    """Every few seconds (settings.CELERY_BEAT_SCHEDULE): the notices of the acts recorded since
    the last relay (notices.services.notices_relay)."""
    from .services import notices_relay

    return notices_relay()


@shared_task(name="notices.sweep")
def sweep_notices():
    """Every few minutes (settings.CELERY_BEAT_SCHEDULE): the notices of events the relay passed
    over."""
    from .services import notices_sweep

    return notices_sweep()


@shared_task(name="notices.send_emails")
def send_emails(notice_ids):
    from .services import email_notices

    return email_notices(notice_ids)


@shared_task(name="notices.send_reminders")
def send_reminders():
    """Daily (settings.CELERY_BEAT_SCHEDULE): reminders of time limits and overdue escalations."""
    from .services import reminders_send

    return reminders_send()
