from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Council, CouncilMembership, Holiday, RoleAssignment, Unit, User
from .services import council_member_add, role_assign, role_end, unit_move, user_create, user_update


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent", "grants_awards", "is_active"]
    list_filter = ["level", "grants_awards", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "successor"]

    def save_model(self, request, obj, form, change):
        # A new parent is a move: through the service, which carries the subtree along and
        # records it (the form's clean() already refused an invalid one).
        if change and "parent" in form.changed_data:
            unit_move(actor=request.user, unit=obj, new_parent=obj.parent)
        obj.save()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
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
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    inlines = [CouncilMembershipInline]


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "council", "council_role", "start", "end"]
    list_filter = ["council", "council_role"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["council", "user", "council_role", "start", "end"] if obj else []

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
class HolidayAdmin(admin.ModelAdmin):
    """Public holidays and compensating days off: the working-day calendar of every deadline
    (org.calendar). The government fixes Tết and the days in lieu each year; edit them here."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
