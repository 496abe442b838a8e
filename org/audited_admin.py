"""The admin writes only through services, each with its audit event (DESIGN.md, "Audit trail").

`AuditedAdmin` is the base of every ModelAdmin of the project (tests/admin walks the admin's
registry and proves it): adding, changing and deleting a row, one by one or as a bulk action, its
many-to-many relations and its inline rows, each goes through a service that checks the actor's
permission and appends the event in the same transaction. A ModelAdmin names the service of its
model where there is one (a unit's move, a holiday, a rule, the base salary, an account) by
overriding `save_model` / `delete_model`; everything else goes through the generic services of
org.services (`row_save`, `row_delete`, `row_relations_set`).

A refusal (a rule already applied, a base salary in force, a move that would make a cycle) rolls
the whole form back and comes back to the page as the service's message.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from .errors import TransitionNotAllowed
from .services import row_delete, row_relations_set, row_save

# What a service raises when it refuses; the admin's own PermissionDenied (no permission for the
# page at all) stays a 403.
REFUSALS = (ValidationError, TransitionNotAllowed)


def _messages(exc) -> list[str]:
    return [str(m) for m in (exc.messages if isinstance(exc, ValidationError) else [exc.args[0]])]


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        row_save(actor=request.user, obj=obj)

    def delete_model(self, request, obj):
        row_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action: one service call (and one event) per row, all or
        # nothing.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def save_related(self, request, form, formsets, change):
        relations = {
            field.name: form.cleaned_data[field.name]
            for field in form.instance._meta.many_to_many
            if field.name in form.cleaned_data
        }
        if relations:
            row_relations_set(actor=request.user, obj=form.instance, relations=relations)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.delete_inline(request, obj)
        for obj in instances:
            self.save_inline(request, obj)

    def save_inline(self, request, obj):
        row_save(actor=request.user, obj=obj)

    def delete_inline(self, request, obj):
        row_delete(actor=request.user, obj=obj)

    # A service's refusal: nothing written (the view's transaction rolls back), its message shown.

    def _refused(self, request, exc):
        for message in _messages(exc):
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except REFUSALS as exc:
            if request.method != "POST":
                raise
            return self._refused(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except REFUSALS as exc:
            if request.method != "POST":
                raise
            return self._refused(request, exc)

    def changelist_view(self, request, extra_context=None):
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except REFUSALS as exc:
            if request.method != "POST":
                raise
            return self._refused(request, exc)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: the row changes only through its own pages and services."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def is_audited(model_admin, request) -> bool:
    """Every write of this ModelAdmin goes through a service: it is an AuditedAdmin, or it offers
    `request`'s user (a superuser, to ask it all) no write at all (the audit chain's own page)."""
    if isinstance(model_admin, AuditedAdmin):
        return True
    return not (
        model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
        or model_admin.get_actions(request)
    )
