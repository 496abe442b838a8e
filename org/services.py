"""Writes to the organisation: role assignments, council memberships and accounts, each audited."""

from django.db import transaction
from django.utils import timezone

from audit import services as audit

from .models import CouncilMembership, RoleAssignment, User, role_group
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


# What the audit keeps of an account: who it is, where, and what it may do. Never the password:
# only that it changed.
ACCOUNT_FIELDS = (
    "username",
    "full_name",
    "first_name",
    "last_name",
    "email",
    "unit",
    "position",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _account_value(user, field):
    value = getattr(user, f"{field}_id" if field == "unit" else field)
    return value if isinstance(value, bool | int | str) or value is None else str(value)


def user_create(*, actor, user) -> User:
    """Create an account as the admin's form built it (the password already hashed)."""
    with transaction.atomic():
        user.save()
        audit.record(
            actor=actor,
            action="user.create",
            target=user,
            data={field: _account_value(user, field) for field in ACCOUNT_FIELDS},
        )
    return user


def user_update(*, actor, user) -> User:
    """Save the changes made to an account. The audit keeps each changed field before and after
    (a superuser, staff or active flag is a change of power) and that the password changed."""
    with transaction.atomic():
        before = User.objects.select_for_update().get(pk=user.pk)
        changes = {
            field: [_account_value(before, field), _account_value(user, field)]
            for field in ACCOUNT_FIELDS
            if _account_value(before, field) != _account_value(user, field)
        }
        password_changed = before.password != user.password
        user.save()
        forget_scopes(user)
        if changes or password_changed:
            audit.record(
                actor=actor,
                action="user.update",
                target=user,
                data={"changes": changes, "password_changed": password_changed},
            )
    return user
