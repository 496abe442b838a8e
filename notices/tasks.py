from celery import shared_task


@shared_task(name="notices.make_notices", acks_late=True, ignore_result=True)
def make_notices(event_seq):
    """The notices of one audit event (notices.services.on_event_recorded). Acknowledged once
    made: a worker that dies first leaves the message to another, and the event's mark makes its
    notices once whoever makes them."""
    from audit.models import AuditEvent

    from .services import notices_for_event

    event = AuditEvent.objects.filter(seq=event_seq).first()
    return len(notices_for_event(event)) if event is not None else 0


@shared_task(name="notices.sweep")
def sweep_notices():
    """Every few minutes (settings.CELERY_BEAT_SCHEDULE): the notices of events whose message was
    lost."""
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
