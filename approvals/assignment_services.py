"""The standing body's leader assigns a dossier to one of its specialists, or reassigns it.

One transaction each: the assignment row (the previous one ended), the per-object permission
`dossiers.appraise_dossier` (django-guardian) granted to the assignee and revoked from the one
before, and the audit event. The viewflow task follows in workflows.services.dossier_assign.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit import services as audit
from dossiers.models import DossierState
from dossiers.services import lock_dossier
from org import limits
from org.errors import TransitionNotAllowed
from org.models import Role, RoleAssignment

from . import permissions
from .models import DossierAssignment

S = DossierState
# While the dossier is the standing body's: received or to receive, returned (it comes back to
# the same specialist), publicly noticed.
ASSIGNABLE_STATES = (S.SUBMITTED, S.IN_APPRAISAL, S.RETURNED, S.PUBLIC_NOTICE)


def is_specialist(user, unit, day=None) -> bool:
    """A standing body officer (chuyên viên) of `unit` today, with an active account."""
    return (
        user.is_active
        and RoleAssignment.objects.active_on(day or timezone.localdate())
        .filter(user=user, role=Role.STANDING_OFFICER, unit=unit)
        .exists()
    )


def dossier_assign(*, actor, dossier, assignee, reason="") -> DossierAssignment:
    """Giao hồ sơ: the leader of the standing body gives the dossier to a specialist of that body
    (one active today; `assignee` None is refused as not chosen). A reassignment ends the current assignment, takes the permission back from
    the previous assignee, and must say why."""
    reason = (reason or "").strip()
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        if not permissions.can_assign(actor, dossier):
            raise PermissionDenied(
                _("Only the leader of the standing body of %(unit)s may assign this dossier.")
                % {"unit": dossier.reviewing_unit}
            )
        if dossier.state not in ASSIGNABLE_STATES:
            raise TransitionNotAllowed(
                _("This dossier is “%(state)s”: it is no longer the standing body's to assign.")
                % {"state": dossier.get_state_display()}
            )
        if assignee is None:
            raise ValidationError({"assignee": _("Choose a specialist of the standing body.")})
        if not is_specialist(assignee, dossier.reviewing_unit):
            raise ValidationError(
                {
                    "assignee": _("%(name)s is not an officer of the standing body of %(unit)s today.")
                    % {"name": assignee, "unit": dossier.reviewing_unit}
                }
            )
        current = (
            DossierAssignment.objects.select_for_update()
            .filter(dossier=dossier, ended_at__isnull=True)
            .select_related("assignee")
            .first()
        )
        if current is not None:
            if current.assignee_id == assignee.pk:
                raise ValidationError(
                    {"assignee": _("This dossier is already assigned to %(name)s.") % {"name": assignee}}
                )
            if not reason:
                raise ValidationError({"reason": _("Say why the dossier goes to another specialist.")})
            current.ended_at = timezone.now()
            current.save(update_fields=["ended_at"])
            remove_perm(permissions.APPRAISE_PERMISSION, current.assignee, dossier)
        assignment = DossierAssignment.objects.create(
            dossier=dossier,
            assignee=assignee,
            assigned_by=actor,
            reason=reason if current is not None else "",
        )
        assign_perm(permissions.APPRAISE_PERMISSION, assignee, dossier)
        audit.record(
            actor=actor,
            action="dossier.reassign" if current is not None else "dossier.assign",
            target=dossier,
            data={
                "assignee": assignee.get_username(),
                "previous_assignee": current.assignee.get_username() if current is not None else None,
                "reason": assignment.reason,
            },
        )
    dossier.__dict__["_current_assignment"] = assignment
    return assignment
