"""Admin screens of the organisation, and of the accounts' groups and permissions.

Every write goes through a service with its audit event (org.audited_admin).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .audited_admin import AuditedAdmin
from .models import Council, CouncilMembership, Holiday, Register, RegisterEntry, RoleAssignment, Unit, User
from .reorganisation_admin import merge_units, split_unit
from .services import (
    council_member_add,
    holiday_add,
    holiday_change,
    holiday_remove,
    role_assign,
    role_end,
    row_delete,
    row_save,
    unit_move,
    user_create,
    user_update,
)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "level", "parent", "grants_awards", "is_active"]
    list_filter = ["level", "grants_awards", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "successor"]
    # Mergers and splits: through org.services, which dissolve, move and audit (org.reorganisation).
    actions = [merge_units, split_unit]

    def save_model(self, request, obj, form, change):
        # A new parent is a move: through the service, which carries the subtree along and
        # records it (the form's clean() already refused an invalid one). The other fields
        # are then saved with their own event.
        if change and "parent" in form.changed_data:
            unit_move(actor=request.user, unit=obj, new_parent=obj.parent)
        row_save(actor=request.user, obj=obj)


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "change password" form: sets the new password on the account and leaves the
    saving to `UserAdmin.log_change`, which goes through the service (the event says that the
    password changed, never the hash)."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user._password_pending = True
        return user


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "position", "is_active"]
    search_fields = ["username", "full_name"]
    list_select_related = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ["full_name", "unit", "position"]}),
    ]
    # Roles are given as role assignments (audited), not by editing groups here.
    readonly_fields = ["groups", "user_permissions", "last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        # Through the services: who may sign in and with which powers (active, staff,
        # superuser) changes only with its audit event.
        if change:
            user_update(actor=request.user, user=obj)
        else:
            user_create(actor=request.user, user=obj)

    change_password_form = AuditedPasswordChangeForm

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        # Right after the password form's save(): the new password goes through the service.
        if getattr(obj, "_password_pending", False):
            del obj._password_pending
            user_update(actor=request.user, user=obj)
        return super().log_change(request, obj, message)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    """Roles change only through the services, so each grant and each end is audited."""

    list_display = ["user", "role", "unit", "start", "end"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "role", "unit", "start"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            role_end(actor=request.user, assignment=obj, end=obj.end)
        else:
            saved = role_assign(
                actor=request.user, user=obj.user, role=obj.role, unit=obj.unit, start=obj.start, end=obj.end
            )
            obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


class CouncilMembershipInline(admin.TabularInline):
    model = CouncilMembership
    extra = 0
    autocomplete_fields = ["user"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ["name", "unit"]
    inlines = [CouncilMembershipInline]


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(AuditedAdmin):
    list_display = ["user", "council", "council_role", "start", "end"]
    list_filter = ["council", "council_role"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["council", "user", "council_role", "start", "end"] if obj else []

    def has_change_permission(self, request, obj=None):
        # A term is added (audited) and shown, never edited here.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = council_member_add(
            actor=request.user,
            council=obj.council,
            user=obj.user,
            council_role=obj.council_role,
            start=obj.start,
            end=obj.end,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    """Public holidays and compensating days off: the working-day calendar of every deadline
    (org.calendar). The government fixes Tết and the days in lieu each year; edit them here."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        if change:
            holiday_change(actor=request.user, holiday=obj, date=obj.date, name=obj.name)
        else:
            obj.pk = holiday_add(actor=request.user, date=obj.date, name=obj.name).pk

    def delete_model(self, request, obj):
        holiday_remove(actor=request.user, holiday=obj)


# Groups carry the model permissions of the roles: a change of a group's permissions is a change
# of what everyone in the role may do, so it is audited like any permission change.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):
    pass


if apps.is_installed("rest_framework.authtoken"):
    # DRF's API tokens, when installed: issued and revoked here with an event about their holder
    # (never the key, which is the token itself); a token never moves to someone else.
    from rest_framework.authtoken.admin import TokenAdmin
    from rest_framework.authtoken.models import TokenProxy

    admin.site.unregister(TokenProxy)

    @admin.register(TokenProxy)
    class AuditedTokenAdmin(AuditedAdmin, TokenAdmin):
        def has_change_permission(self, request, obj=None):
            return obj is None and super().has_change_permission(request, obj)

        def save_model(self, request, obj, form, change):
            row_save(actor=request.user, obj=obj, target=obj.user)

        def delete_model(self, request, obj):
            row_delete(actor=request.user, obj=obj, target=obj.user)


# --- the register of outgoing documents -------------------------------------------------------
# Numbers are given by the issuing services and recorded from paper by the records clerk (its page
# and API, org.register_services): the admin shows them, it never writes one.


class RegisterEntryInline(admin.TabularInline):
    model = RegisterEntry
    extra = 0
    can_delete = False
    fields = ["number", "symbol", "issued_on", "subject", "source", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Register)
class RegisterAdmin(AuditedAdmin):
    list_display = ["unit", "year", "series"]
    list_filter = ["series", "year"]
    search_fields = ["unit__name"]
    readonly_fields = ["unit", "year", "series"]
    inlines = [RegisterEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegisterEntry)
class RegisterEntryAdmin(AuditedAdmin):
    list_display = ["__str__", "register", "issued_on", "subject", "source", "recorded_by"]
    list_filter = ["source", "register__series", "register__year"]
    search_fields = ["symbol", "subject", "register__unit__name"]
    list_select_related = ["register__unit", "recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
