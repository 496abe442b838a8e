"""Assignment inside the standing body: its leader (lãnh đạo) gives each received dossier to one of
its specialists (chuyên viên), who appraises it; a reassignment says why.

`DossierAssignment` is the history (one current row per dossier, `ended_at` empty); the power it
gives is a django-guardian per-object permission, `dossiers.appraise_dossier`, granted to the
assignee on the dossier in the direct-FK tables below (shared/notes/fsm-and-guardian.md) and
revoked on reassignment, in the same transaction (approvals.assignment_services).

Rows change only through approvals.assignment_services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from dossiers.models import Dossier
from org import limits

__all__ = ["DossierAssignment", "DossierGroupObjectPermission", "DossierUserObjectPermission"]


class DossierAssignment(models.Model):
    """Giao hồ sơ cho chuyên viên thẩm định."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="assignments")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="dossier_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    # Why the dossier changed hands (required for a reassignment, empty for the first assignment).
    reason = models.TextField(_("reason for reassignment"), max_length=limits.SHORT_TEXT, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "assigned_at", "pk"]
        verbose_name = _("dossier assignment")
        verbose_name_plural = _("dossier assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(ended_at__isnull=True), name="one_current_assignment"
            ),
        ]
        indexes = [models.Index(fields=["assignee", "ended_at"])]

    def __str__(self):
        return f"{self.dossier} → {self.assignee}"


class DossierUserObjectPermission(UserObjectPermissionBase):
    """guardian's per-object grants to a user on a dossier (direct FK: cascades, no casts)."""

    content_object = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("a person's permission on a dossier")
        verbose_name_plural = _("people's permissions on dossiers")


class DossierGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("a group's permission on a dossier")
        verbose_name_plural = _("groups' permissions on dossiers")
