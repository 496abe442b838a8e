"""Data the reports keep: the lists exported in the background (reports.list_exports)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def export_path(job, filename):
    # A random part: the name of someone's export is never guessed from its number.
    return f"exports/{job.owner_id}/{uuid.uuid4().hex}-{filename}"


class ExportJob(models.Model):
    """A list exported to xlsx in the background because it is long: who asked, which list with
    which filters (read again, as its owner, when the job runs), how far it is, and its file,
    which only its owner downloads and which is removed after settings.EXPORT_KEEP_HOURS."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    list_name = models.CharField(_("list"), max_length=32)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ExportState.choices, default=ExportState.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set when the clean-up removed the file: the job stays, saying so.
    expired_at = models.DateTimeField(_("file removed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.list_name} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(self.done * 100 // self.total, 100)

    @property
    def download_name(self) -> str:
        """The file's name without its folder and random part."""
        return self.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]

    @property
    def finished(self) -> bool:
        return self.state in (ExportState.DONE, ExportState.FAILED)
