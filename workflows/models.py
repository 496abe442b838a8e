"""The process that carries one dossier through the steps of workflows/flows.py.

viewflow keeps the process and its tasks (who holds which step, since when, done or not); the
dossier keeps its own state (dossiers.models.Dossier, a state machine). The flow moves the
tasks, the services move the state, in one transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from dossiers.models import Dossier


class DossierProcess(Process):
    """One process per dossier, started at its first submission (or when a lower level forwards
    it up). A dossier never has a second one: a returned dossier loops inside its process, and a
    withdrawn or finished one stays finished."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("dossier process")
        verbose_name_plural = _("dossier processes")
        # viewflow adds "manage" when the flow class is built; declared here so the migration
        # state does not depend on whether flows.py was imported.
        default_permissions = ("add", "change", "delete", "view", "manage")

    def __str__(self):
        return f"{self.dossier} (#{self.pk})"
