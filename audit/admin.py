from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: events are appended by services and never changed (the table refuses it too)."""

    list_display = ["seq", "ts", "actor", "action", "object"]
    list_filter = ["action"]
    search_fields = ["=actor", "=object_id", "action"]
    ordering = ["-seq"]
    # COUNT(*) over a table that only grows gets slow; the paginator does without it.
    show_full_result_count = False

    @admin.display(description=_("object"))
    def object(self, event):
        return f"{event.object_type}:{event.object_id}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
