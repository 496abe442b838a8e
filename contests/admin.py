"""A contest's rows are records written by its services (each with its audit event): the admin
shows them read-only. A juror's scores are not shown here: they stay within the round's own
pages, which hide them from the other jurors until the round closes."""

from django.contrib import admin

from org.audited_admin import ReadOnlyAdmin

from .models import (
    ConflictOfInterest,
    Contest,
    ContestCertificates,
    Criterion,
    Entry,
    EntryAuthor,
    EntryFile,
    Juror,
    Placing,
    Prize,
    Round,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["round", "name", "weight", "max_score", "position"]


class PrizeInline(ReadOnlyInline):
    model = Prize
    fields = ["entrant_kind", "position", "name", "count", "amount"]


class JurorInline(ReadOnlyInline):
    model = Juror
    fields = ["user", "role"]


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "organizer", "state", "entries_deadline", "created_at"]
    list_select_related = ["organizer"]
    list_filter = ["state", "year"]
    search_fields = ["name", "plan_reference"]
    inlines = [CriterionInline, PrizeInline, JurorInline]


class AuthorInline(ReadOnlyInline):
    model = EntryAuthor
    fields = ["name", "position", "order"]


class EntryFileInline(ReadOnlyInline):
    model = EntryFile
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["title", "contest", "unit", "entrant_kind", "state", "submitted_at"]
    list_select_related = ["contest", "unit"]
    list_filter = ["state", "entrant_kind"]
    search_fields = ["title", "entrant_name", "unit__name"]
    inlines = [AuthorInline, EntryFileInline]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["juror", "entry", "reason", "declared_by", "declared_at"]
    list_select_related = ["juror__user", "entry", "declared_by"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["contest", "kind", "opened_at", "closed_at"]
    list_select_related = ["contest"]


@admin.register(Placing)
class PlacingAdmin(ReadOnlyAdmin):
    list_display = ["contest", "rank", "entry", "prize", "amount"]
    list_select_related = ["contest", "entry", "prize"]


@admin.register(ContestCertificates)
class ContestCertificatesAdmin(ReadOnlyAdmin):
    list_display = ["contest", "version", "count", "sha256", "made_by", "made_at"]
    list_select_related = ["contest", "made_by"]
