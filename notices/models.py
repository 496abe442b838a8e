"""Notices: what the engine tells a person (in the app, and by email when they want it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """What a notice is about; each person chooses per kind whether it also comes by email."""

    TASK = "task", _("A task for me")
    RETURNED = "returned", _("A dossier returned to my unit")
    OUTCOME = "outcome", _("The outcome of my unit's dossier")
    MEETING = "meeting", _("Council meetings")
    REMINDER = "reminder", _("Deadline reminders")
    ESCALATION = "escalation", _("Overdue steps in my unit")


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]

    def __str__(self):
        return self.text


class NoticePreference(models.Model):
    """A person's choice for one kind: in the app always; by email unless they turned it off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    email = models.BooleanField(_("by email"), default=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="uniq_notice_preference")]

    def __str__(self):
        return f"{self.user} — {self.kind}"


class ReminderSent(models.Model):
    """One row per reminder or escalation sent about a task on a day: the daily run (and anyone
    running it again by hand, or two beat hosts at once) sends each of them once."""

    task_id = models.BigIntegerField()
    day = models.DateField()
    stage = models.CharField(max_length=16)  # "before", "due", "overdue"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_id", "day", "stage"], name="uniq_reminder_per_task_day")
        ]

    def __str__(self):
        return f"{self.task_id} {self.day} {self.stage}"


class NoticedEvent(models.Model):
    """One row per audit event whose notices were made, written in their transaction: whether the
    request made them (no broker), a worker's relay, two relays at once, or the sweep for an event
    the relay passed over, an event's notices are made once; the relay starts after the last."""

    seq = models.BigIntegerField(primary_key=True)  # audit.AuditEvent.seq
    made_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.seq)
