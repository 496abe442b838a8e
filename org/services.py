"""Writes to the organisation: the unit tree, role assignments, council memberships, accounts and
their API tokens, each audited."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import scope_of

from .auth import new_token_key, token_digest
from .models import ApiToken, CouncilMembership, Holiday, RoleAssignment, Unit, User, role_group
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


# --- the admin's writes -----------------------------------------------------------------------
# Every write through the admin goes through a service with its audit event (org.audited_admin).
# Rows without a service of their own (a council's name, a document kind, a group's permissions,
# …) are written by these generic ones: the event is `admin.<app>.<model>.<add|change|delete>`
# and carries the fields before → after, never a password, key, token or secret.

SECRET_WORDS = ("password", "key", "token", "secret")


def _is_secret(name: str) -> bool:
    return any(word in name for word in SECRET_WORDS)


def _plain(value):
    """A field's value as the audit keeps it: JSON without floats."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def row_values(obj) -> dict:
    """{field: value} of a row's own columns, as the audit keeps them (no secrets, no id)."""
    return {
        field.name: _plain(field.value_from_object(obj))
        for field in obj._meta.concrete_fields
        if not field.primary_key and not _is_secret(field.name)
    }


def _require_model_perm(actor, model, action):
    opts = model._meta
    if actor == "system":
        return
    if not actor.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}"):
        refusal = {
            "add": _("You may not add %(what)s."),
            "change": _("You may not change %(what)s."),
            "delete": _("You may not delete %(what)s."),
        }[action]
        raise PermissionDenied(refusal % {"what": opts.verbose_name_plural})


def _row_target(obj, target):
    """Whom the event is about: the row, or `target` when the row's id is itself a secret (an
    API token's key)."""
    if target is not None:
        return {"target": target}
    if _is_secret(obj._meta.pk.name):
        return {"object_type": obj._meta.label_lower, "object_id": ""}
    return {"target": obj}


def _admin_action(obj, verb) -> str:
    return f"admin.{obj._meta.app_label}.{obj._meta.model_name}.{verb}"


def row_save(*, actor, obj, target=None, data=None):
    """Save `obj` as an admin form built it (a new row, or changes to one). The event carries
    every field of a new row, or each changed field before → after; nothing when nothing changed."""
    with transaction.atomic():
        model = type(obj)
        stored = model._base_manager.select_for_update().filter(pk=obj.pk).first() if obj.pk else None
        adding = stored is None
        _require_model_perm(actor, model, "add" if adding else "change")
        before = {} if adding else row_values(stored)
        obj.save()
        after = row_values(obj)
        if adding:
            payload = {"fields": after}
        else:
            payload = {"changes": {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}}
            if not payload["changes"]:
                return obj
        audit.record(
            actor=actor,
            action=_admin_action(obj, "add" if adding else "change"),
            **_row_target(obj, target),
            data={**payload, **(data or {})},
        )
    return obj


def row_delete(*, actor, obj, target=None, data=None) -> None:
    """Delete a row through the admin; the event keeps what it held."""
    with transaction.atomic():
        _require_model_perm(actor, type(obj), "delete")
        values = row_values(obj)
        where = _row_target(obj, target)
        if not _is_secret(obj._meta.pk.name):
            values["label"] = str(obj)
        if where.get("target") is obj:
            # The event names the row by type and id: after the delete it has no id left.
            where = {"object_type": obj._meta.label_lower, "object_id": str(obj.pk), "scope": scope_of(obj)}
        obj.delete()
        audit.record(
            actor=actor,
            action=_admin_action(obj, "delete"),
            **where,
            data={"fields": values, **(data or {})},
        )


def _related_label(item) -> str:
    if isinstance(item, Permission):
        return f"{item.content_type.app_label}.{item.codename}"
    return f"{item.pk}: {item}"


def row_relations_set(*, actor, obj, relations: dict) -> None:
    """Set many-to-many relations of a row ({field name: the related rows}); the event names
    what was added and what was removed (a group's permissions: every permission change is one)."""
    with transaction.atomic():
        _require_model_perm(actor, type(obj), "change")
        changes = {}
        for name, wanted in relations.items():
            manager = getattr(obj, name)
            current = {item.pk: item for item in manager.all()}
            wanted = {item.pk: item for item in wanted}
            added = [wanted[pk] for pk in wanted.keys() - current.keys()]
            removed = [current[pk] for pk in current.keys() - wanted.keys()]
            if not added and not removed:
                continue
            manager.set(list(wanted.values()))
            changes[name] = {
                "added": sorted(_related_label(x) for x in added),
                "removed": sorted(_related_label(x) for x in removed),
            }
        if changes:
            audit.record(
                actor=actor,
                action=_admin_action(obj, "relations"),
                **_row_target(obj, None),
                data={"relations": changes},
            )


# --- public holidays --------------------------------------------------------------------------
# The working-day calendar (org.calendar) reads the holidays afresh for each request or service,
# so a change here counts in the next deadline computed; nothing is cached to invalidate.


def _holiday_event(actor, action, holiday, data):
    audit.record(actor=actor, action=action, target=holiday, data=data, scope="")


def holiday_add(*, actor, date, name) -> Holiday:
    """A public holiday or a compensating day off: every deadline counted in working days moves."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the holiday's name.")})
    with transaction.atomic():
        _require_model_perm(actor, Holiday, "add")
        if Holiday.objects.filter(date=date).exists():
            raise ValidationError(
                {"date": _("%(date)s is already a holiday.") % {"date": date.strftime("%d/%m/%Y")}}
            )
        holiday = Holiday.objects.create(date=date, name=name)
        _holiday_event(actor, "holiday.add", holiday, {"date": date.isoformat(), "name": name})
    return holiday


def holiday_change(*, actor, holiday, date, name) -> Holiday:
    """Move or rename a holiday; the event keeps the day and name before and after."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the holiday's name.")})
    with transaction.atomic():
        _require_model_perm(actor, Holiday, "change")
        stored = Holiday.objects.select_for_update().get(pk=holiday.pk)
        if Holiday.objects.filter(date=date).exclude(pk=holiday.pk).exists():
            raise ValidationError(
                {"date": _("%(date)s is already a holiday.") % {"date": date.strftime("%d/%m/%Y")}}
            )
        before = {"date": stored.date.isoformat(), "name": stored.name}
        stored.date, stored.name = date, name
        stored.save()
        after = {"date": date.isoformat(), "name": name}
        if before != after:
            _holiday_event(actor, "holiday.change", stored, {"before": before, "after": after})
    return stored


def holiday_remove(*, actor, holiday) -> None:
    """The day becomes a working day again (for the deadlines computed from now on)."""
    with transaction.atomic():
        _require_model_perm(actor, Holiday, "delete")
        stored = Holiday.objects.select_for_update().get(pk=holiday.pk)
        data = {"date": stored.date.isoformat(), "name": stored.name}
        _holiday_event(actor, "holiday.remove", stored, data)
        stored.delete()


# --- mergers and splits (org.reorganisation) ---------------------------------------------------


def _require_reorganisation(actor, on_date, legal_basis):
    if not _may_change_units(actor):
        raise PermissionDenied(_("You may not change the unit tree."))
    if on_date is None:
        raise ValidationError({"on_date": _("Give the day the reorganisation takes effect.")})
    if not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": _("Give the legal basis of the reorganisation.")})


def _dissolve(*, actor, unit, successor, on_date, legal_basis, staff=None, dossiers=None, kind) -> dict:
    """Dissolve `unit` into `successor` (see org.reorganisation); `staff` maps user ids and
    `dossiers` dossier ids to another successor (a split). Returns what moved, for the audit."""
    from .reorganisation import HANDOVERS

    staff = staff or {}
    if not unit.is_active or unit.dissolved_on:
        raise ValidationError(_("%(unit)s is already dissolved.") % {"unit": unit})
    Unit.objects.filter(pk=unit.pk).update(is_active=False, dissolved_on=on_date, successor=successor)
    unit.is_active, unit.dissolved_on, unit.successor = False, on_date, successor
    roles_moved = []
    for a in RoleAssignment.objects.active_on(on_date).filter(unit=unit).select_related("user"):
        target = staff.get(a.user_id, successor)
        a.end = on_date - dt.timedelta(days=1) if on_date > a.start else a.start
        a.save(update_fields=["end"])
        RoleAssignment.objects.get_or_create(user=a.user, role=a.role, unit=target, start=on_date)
        forget_scopes(a.user)
        roles_moved.append({"user": a.user.username, "role": a.role, "to_unit_id": target.pk})
    people = list(User.objects.filter(unit=unit))
    for person in people:
        person.unit = staff.get(person.pk, successor)
        person.save(update_fields=["unit"])
    for child in list(Unit.objects.filter(parent=unit)):
        unit_move(actor=actor, unit=child, new_parent=successor)
    handed = []
    for handover in HANDOVERS:
        handed += handover(
            actor=actor, unit=unit, successor=successor, on_date=on_date, mapping=dossiers or {}
        )
    audit.record(
        actor=actor,
        action=f"unit.{kind}",
        target=unit,
        data={
            "unit": unit.name,
            "successor_id": successor.pk,
            "successor": successor.name,
            "on_date": on_date.isoformat(),
            "legal_basis": legal_basis.strip(),
            "roles_moved": roles_moved,
            "people_moved": [p.username for p in people],
            "dossiers_handed_over": handed,
        },
    )
    return {"roles": roles_moved, "dossiers": handed}


def unit_merge(*, actor, sources, into=None, new_unit=None, on_date, legal_basis) -> Unit:
    """Merge `sources` into the existing unit `into`, or into a new unit made from `new_unit`
    (a dict of Unit fields: name, code, level, parent, grants_awards, place_name). Each source
    is dissolved on `on_date` with `into` as its successor (org.reorganisation): its roles and
    people move there, its open dossiers are handed over with an audit record, and its final
    dossiers, awards and documents keep the unit as it was."""
    sources = list(sources or [])
    with transaction.atomic():
        _require_reorganisation(actor, on_date, legal_basis)
        if not sources:
            raise ValidationError({"sources": _("Choose the units that merge.")})
        if (into is None) == (new_unit is None):
            raise ValidationError({"into": _("Merge into one existing unit or into one new unit.")})
        locked = list(Unit.objects.select_for_update().filter(pk__in=[u.pk for u in sources]).order_by("pk"))
        if into is None:
            into = Unit(**new_unit)
            into.full_clean(exclude=["path"])
            into.save()
            audit.record(actor=actor, action="unit.create", target=into, data={"unit": into.name})
        else:
            into = Unit.objects.select_for_update().get(pk=into.pk)
            if not into.is_active or into.dissolved_on:
                raise ValidationError(
                    {"into": _("%(unit)s is dissolved: nothing merges into it.") % {"unit": into}}
                )
        for unit in locked:
            if unit.pk == into.pk or into.is_under(unit):
                raise ValidationError(
                    {"into": _("%(unit)s cannot merge into itself or a unit under it.") % {"unit": unit}}
                )
        for unit in locked:
            _dissolve(
                actor=actor, unit=unit, successor=into, on_date=on_date, legal_basis=legal_basis, kind="merge"
            )
    return into


def unit_split(*, actor, source, into, on_date, legal_basis, staff=None, dossiers=None) -> list:
    """Split `source` into the units `into` (at least two, existing and active). The first is the
    main successor (`source.successor`, followed by the roll-up): everyone and every open dossier
    goes there unless `staff` ({user id: unit}) or `dossiers` ({dossier id: unit}) names another
    of `into`. Roles end the day before and restart in the new unit; final dossiers, awards and
    documents keep the unit as it was."""
    into = list(into or [])
    with transaction.atomic():
        _require_reorganisation(actor, on_date, legal_basis)
        if len(into) < 2:
            raise ValidationError({"into": _("A split needs at least two successor units.")})
        source = Unit.objects.select_for_update().get(pk=source.pk)
        targets = {u.pk for u in into}
        for unit in into:
            unit.refresh_from_db()
            if not unit.is_active or unit.dissolved_on or unit.pk == source.pk or unit.is_under(source):
                raise ValidationError(
                    {
                        "into": _("%(unit)s cannot take over: it is dissolved, the unit itself or under it.")
                        % {"unit": unit}
                    }
                )
        for mapping in (staff or {}, dossiers or {}):
            if any(u.pk not in targets for u in mapping.values()):
                raise ValidationError(
                    {"into": _("People and dossiers go only to the successor units named.")}
                )
        _dissolve(
            actor=actor,
            unit=source,
            successor=into[0],
            on_date=on_date,
            legal_basis=legal_basis,
            staff=staff,
            dossiers=dossiers,
            kind="split",
        )
    return into
