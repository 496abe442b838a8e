"""Writes to the organisation: role assignments and council memberships, each audited."""

from django.db import transaction
from django.utils import timezone

from audit import services as audit

from .models import CouncilMembership, RoleAssignment, role_group
from .scopes import COUNCIL_ROLE_TO_ROLE, forget_scopes


def role_assign(*, actor, user, role, unit, start=None, end=None) -> RoleAssignment:
    """Give `user` the role in `unit` (its scope), and the role's model permissions (its group)."""
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user, role=role, unit=unit, start=start or timezone.localdate(), end=end
        )
        user.groups.add(role_group(role))
        forget_scopes(user)
        audit.record(
            actor=actor,
            action="role.assign",
            target=assignment,
            data={
                "user": user.username,
                "role": role,
                "unit_id": unit.pk,
                "unit": unit.name,
                "start": assignment.start.isoformat(),
                "end": end.isoformat() if end else None,
            },
        )
    return assignment


def role_end(*, actor, assignment, end=None) -> RoleAssignment:
    """End a role assignment (kept as history). The group goes when no other assignment needs it."""
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        assignment.end = end or timezone.localdate()
        assignment.save(update_fields=["end"])
        still_held = (
            RoleAssignment.objects.active_on(timezone.localdate())
            .filter(user=assignment.user, role=assignment.role)
            .exclude(pk=assignment.pk)
            .exists()
        )
        if not still_held and assignment.end < timezone.localdate():
            assignment.user.groups.remove(role_group(assignment.role))
        forget_scopes(assignment.user)
        audit.record(
            actor=actor,
            action="role.end",
            target=assignment,
            data={
                "user": assignment.user.username,
                "role": assignment.role,
                "unit_id": assignment.unit_id,
                "end": assignment.end.isoformat(),
            },
        )
    return assignment


def council_member_add(*, actor, council, user, council_role, start=None, end=None) -> CouncilMembership:
    with transaction.atomic():
        membership = CouncilMembership.objects.create(
            council=council,
            user=user,
            council_role=council_role,
            start=start or timezone.localdate(),
            end=end,
        )
        user.groups.add(role_group(COUNCIL_ROLE_TO_ROLE[council_role]))
        forget_scopes(user)
        audit.record(
            actor=actor,
            action="council.member_add",
            target=membership,
            data={
                "council_id": council.pk,
                "user": user.username,
                "council_role": council_role,
                "start": membership.start.isoformat(),
                "end": end.isoformat() if end else None,
            },
        )
    return membership
