"""Writes to the organisation: the unit tree, role assignments, council memberships, accounts and
their API tokens, each audited."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit

from .auth import new_token_key, token_digest
from .models import ApiToken, CouncilMembership, RoleAssignment, Unit, User, role_group
from .scopes import COUNCIL_ROLE_TO_ROLE, forget_scopes


def _may_change_units(actor) -> bool:
    return actor == "system" or (hasattr(actor, "has_perm") and actor.has_perm("org.change_unit"))


def _path_ids(unit) -> set[int]:
    return {int(i) for i in unit.path.strip("/").split("/") if i}


def unit_move(*, actor, unit, new_parent) -> Unit:
    """Move `unit`, with everything under it, under `new_parent` (None: to the top of the tree).

    The materialised paths of the unit and of all its descendants change in the same
    transaction, so "this unit and everything under it" stays one prefix filter. Refused: a
    move under the unit itself or one of its descendants (a cycle), under a dissolved unit,
    a tree too deep for the paths, and a "move" to the parent it already has.
    """
    with transaction.atomic():
        if not _may_change_units(actor):
            raise PermissionDenied(_("You may not change the unit tree."))
        # Lock the unit and the new parent's whole chain of ancestors: a concurrent move of one
        # of them cannot then slip the new parent under this unit behind our back.
        chain = {unit.pk}
        if new_parent is not None:
            chain |= _path_ids(Unit.objects.get(pk=new_parent.pk))
        locked = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=chain).order_by("pk")}
        unit = locked[unit.pk]
        new_parent = locked[new_parent.pk] if new_parent is not None else None
        if new_parent is not None and not chain >= _path_ids(new_parent):
            raise ValidationError({"parent": _("The unit tree changed meanwhile: try again.")})
        if unit.parent_id == (new_parent.pk if new_parent else None):
            where = _("under %(parent)s") % {"parent": new_parent} if new_parent else _("at the top")
            raise ValidationError(
                {"parent": _("%(unit)s is already %(where)s.") % {"unit": unit, "where": where}}
            )
        problem = unit.move_problem(new_parent)
        if problem:
            raise ValidationError({"parent": problem})
        old_parent_id, old_path = unit.parent_id, unit.path
        new_path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
        Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
        moved = Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
        unit.parent, unit.path = new_parent, new_path
        audit.record(
            actor=actor,
            action="unit.move",
            target=unit,
            data={
                "unit": unit.name,
                "old_parent_id": old_parent_id,
                "new_parent_id": new_parent.pk if new_parent else None,
                "old_path": old_path,
                "new_path": new_path,
                "units_moved": moved,
            },
        )
    return unit


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


def api_token_issue(*, actor) -> ApiToken:
    """A new API token for `actor`, who has just proved who they are (username and password),
    valid API_TOKEN_TTL_DAYS. Only its digest is kept, so the key is returned once (on the
    returned object's `key`) and a token already held cannot be handed out again: the new one
    replaces it. An event either way, since a token is a lasting credential: the audit shows who
    holds one, since when and until when."""
    with transaction.atomic():
        if not getattr(actor, "is_authenticated", False) or not actor.is_active:
            raise PermissionDenied(_("Only an active account gets an API token."))
        replaced = ApiToken.objects.filter(user=actor).delete()[0] > 0
        key = new_token_key()
        now = timezone.now()
        token = ApiToken.objects.create(
            user=actor,
            digest=token_digest(key),
            prefix=key[:8],
            created=now,
            expires=now + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        token.key = key
        audit.record(
            actor=actor,
            action="auth.token_issue",
            target=actor,
            data={"new": not replaced, "prefix": token.prefix, "expires": token.expires.isoformat()},
        )
    return token


def api_token_revoke(*, actor, user) -> None:
    """Revoke `user`'s API token: they may revoke their own, an administrator anyone's (the
    model permission to delete tokens). Refused when there is none to revoke."""
    with transaction.atomic():
        if not (actor == user or (hasattr(actor, "has_perm") and actor.has_perm("org.delete_apitoken"))):
            raise PermissionDenied(_("You may revoke only your own API token."))
        token = ApiToken.objects.select_for_update().filter(user=user).first()
        if token is None:
            raise ValidationError(_("%(user)s holds no API token.") % {"user": user.get_username()})
        token.delete()
        audit.record(
            actor=actor,
            action="auth.token_revoke",
            target=user,
            data={"prefix": token.prefix, "expired": token.is_expired},
        )


def signin_unlock(*, actor, username, address=None) -> int:
    """Lift the sign-in lockout of `username` (from `address` only, when given) before its
    cool-off ends: the standing body or an administrator, after checking who is asking (the
    permission to delete django-axes' access attempts). Returns how many counts were cleared."""
    from axes.models import AccessAttempt

    with transaction.atomic():
        if not (
            actor == "system" or (hasattr(actor, "has_perm") and actor.has_perm("axes.delete_accessattempt"))
        ):
            raise PermissionDenied(_("You may not unlock sign-ins."))
        attempts = AccessAttempt.objects.filter(username=username)
        if address:
            attempts = attempts.filter(ip_address=address)
        cleared = attempts.delete()[0]
        if not cleared:
            raise ValidationError(
                _("No failed sign-ins are counted for %(username)s.") % {"username": username}
            )
        user = User.objects.filter(username=username).first()
        audit.record(
            actor=actor,
            action="auth.unlock",
            object_type=User._meta.label_lower,
            object_id=user.pk if user else "",
            scope=audit.scope_of(user),
            data={"username": username, "address": address or "", "cleared": cleared},
        )
    return cleared
