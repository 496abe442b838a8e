"""Admin screens for the rules (award types, dated rules, base salary, campaigns and quotas).

Dossiers appear read-only: their state and contents change only through the services (the
workflow pages and the API), never by editing a row here (shared/notes/fsm-and-guardian.md).
"""

from django.contrib import admin

from .models import (
    Attachment,
    AwardRule,
    AwardType,
    BaseSalary,
    Campaign,
    CampaignQuota,
    DocumentKind,
    Dossier,
    Nominee,
    RuleDocument,
)


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "scope"]
    search_fields = ["name", "code"]


class RuleDocumentInline(admin.TabularInline):
    model = RuleDocument
    extra = 1


@admin.register(AwardRule)
class AwardRuleAdmin(admin.ModelAdmin):
    list_display = [
        "award_type",
        "valid_from",
        "valid_to",
        "deciding_level",
        "threshold_kind",
        "threshold_percent",
        "simplified",
    ]
    list_filter = ["award_type", "deciding_level", "simplified"]
    inlines = [RuleDocumentInline]


class AwardRuleInline(admin.StackedInline):
    model = AwardRule
    extra = 0
    show_change_link = True
    fields = [
        "valid_from",
        "valid_to",
        "legal_basis",
        "nominee_kinds",
        "deciding_level",
        "threshold_kind",
        "threshold_percent",
    ]


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [AwardRuleInline]


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    list_display = ["amount", "valid_from", "valid_to", "legal_basis"]


class CampaignQuotaInline(admin.TabularInline):
    model = CampaignQuota
    extra = 1


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "organizer", "period_start", "period_end", "submission_deadline"]
    search_fields = ["name"]
    filter_horizontal = ["award_types"]
    inlines = [CampaignQuotaInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NomineeInline(admin.TabularInline):
    model = Nominee
    fields = ["name", "kind", "award_type", "outcome", "removed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "campaign", "state", "submitted_at", "updated_at"]
    list_filter = ["state", "campaign"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "campaign"]
    inlines = [NomineeInline]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "dossier", "kind", "nominee", "version", "size", "sha256"]
    list_select_related = ["dossier", "kind", "nominee"]
