from celery import shared_task


@shared_task(name="notices.send_emails")
def send_emails(notice_ids):
    from .services import email_notices

    return email_notices(notice_ids)


@shared_task(name="notices.send_reminders")
def send_reminders():
    """Daily (settings.CELERY_BEAT_SCHEDULE): reminders of time limits and overdue escalations."""
    from .services import reminders_send

    return reminders_send()
