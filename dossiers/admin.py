"""Admin screens for the rules (award types, dated rules, base salary, campaigns and quotas).

Dossiers appear read-only: their state and contents change only through the services (the
workflow pages and the API), never by editing a row here (shared/notes/fsm-and-guardian.md).
"""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from org.audited_admin import AuditedAdmin
from org.audited_admin import ReadOnlyAdmin as BaseReadOnlyAdmin

from .history_services import award_record_add
from .models import (
    Attachment,
    AwardRecord,
    AwardRule,
    AwardType,
    BaseSalary,
    Campaign,
    CampaignGround,
    CampaignQuota,
    DocumentKind,
    Dossier,
    EligibilityCondition,
    EligibilityOverride,
    LegalGround,
    Nominee,
    RankingPriority,
    RuleDocument,
    RuleGround,
)
from .services import RULE_TERMS, base_salary_set, rule_publish


@admin.register(DocumentKind)
class DocumentKindAdmin(AuditedAdmin):
    list_display = ["name", "code", "scope"]
    search_fields = ["name", "code"]


class RuleDocumentInline(admin.TabularInline):
    model = RuleDocument
    extra = 1

    # The documents of a rule already applied are part of it: shown, never changed.
    def has_add_permission(self, request, obj=None):
        return obj is None or obj.pinned_until() is None

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.pinned_until() is None

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.pinned_until() is None


class RuleGroundInline(RuleDocumentInline):
    """The legal grounds a rule rests on, in order: part of the rule once applied."""

    model = RuleGround
    autocomplete_fields = ["ground"]
    verbose_name = _("legal ground")
    verbose_name_plural = _("legal grounds")


class EligibilityConditionInline(RuleDocumentInline):
    model = EligibilityCondition
    extra = 0
    filter_horizontal = ["required_award_types"]


@admin.register(AwardRule)
class AwardRuleAdmin(AuditedAdmin):
    """A new rule is published (dossiers.services.rule_publish): a new row in force from a date,
    with its legal basis, which closes the one before. A rule a nominee pinned is read-only."""

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
    inlines = [RuleDocumentInline, RuleGroundInline, EligibilityConditionInline]

    def get_exclude(self, request, obj=None):
        # A new rule runs until the next one is published (which closes it).
        return ["valid_to"] if obj is None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pinned_until() is not None:
            return [f.name for f in obj._meta.concrete_fields if not f.primary_key]
        return []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        last = obj.pinned_until() if obj is not None else None
        if last is None:
            return fieldsets
        note = _(
            "Dossiers were received under this rule (the last on %(date)s): it is never changed "
            "nor deleted. To change the rules, add a new rule of this award in force from a later "
            "date; it closes this one the day before."
        ) % {"date": date_format(last, "d/m/Y")}
        (name, options), *rest = fieldsets
        return [(name, {**options, "description": format_html('<p class="pinned-note">{}</p>', note)}), *rest]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.pinned_until() is None)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # A new rule is published once its documents are known (save_related).

    def save_related(self, request, form, formsets, change):
        if change:
            return super().save_related(request, form, formsets, change)
        obj = form.instance
        documents = [
            (row["kind"], row.get("enterprise_only", False))
            for formset in formsets
            for row in formset.cleaned_data
            if row and row.get("kind") and not row.get("DELETE")
        ]
        published = rule_publish(
            actor=request.user,
            award_type=obj.award_type,
            valid_from=obj.valid_from,
            legal_basis=obj.legal_basis,
            required_documents=documents,
            **{f: getattr(obj, f) for f in RULE_TERMS},
        )
        obj.pk, obj.valid_to = published.pk, published.valid_to
        for formset in formsets:
            # Published with the rule above, not saved row by row (the admin's log reads these).
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class AwardRuleInline(admin.StackedInline):
    """The rules of an award, for reading; each opens on its own page (new ones are added there)."""

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
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AwardType)
class AwardTypeAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [AwardRuleInline]


@admin.register(BaseSalary)
class BaseSalaryAdmin(AuditedAdmin):
    """A new base salary is set from a later date (dossiers.services.base_salary_set), closing
    the one before; one that has been in force is read-only (it may have priced awards)."""

    list_display = ["amount", "valid_from", "valid_to", "legal_basis"]

    def get_exclude(self, request, obj=None):
        # A new base salary runs until the next one is set (which closes it).
        return ["valid_to"] if obj is None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.in_use():
            return ["amount", "valid_from", "valid_to", "legal_basis"]
        return []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.in_use():
            return fieldsets
        note = _(
            "This base salary has been in force: awards may have been priced with it, so it is "
            "never changed nor deleted. Add a new base salary from a later date; it closes this "
            "one the day before."
        )
        (name, options), *rest = fieldsets
        return [(name, {**options, "description": format_html('<p class="pinned-note">{}</p>', note)}), *rest]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.in_use())

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        salary = base_salary_set(
            actor=request.user, amount=obj.amount, valid_from=obj.valid_from, legal_basis=obj.legal_basis
        )
        obj.pk, obj.valid_to = salary.pk, salary.valid_to


class CampaignQuotaInline(admin.TabularInline):
    model = CampaignQuota
    extra = 1


class CampaignGroundInline(admin.TabularInline):
    model = CampaignGround
    extra = 1
    autocomplete_fields = ["ground"]
    verbose_name = _("legal ground")
    verbose_name_plural = _("legal grounds")


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["name", "organizer", "period_start", "period_end", "submission_deadline"]
    search_fields = ["name"]
    filter_horizontal = ["award_types"]
    inlines = [CampaignQuotaInline, CampaignGroundInline]


@admin.register(RankingPriority)
class RankingPriorityAdmin(AuditedAdmin):
    list_display = ["__str__", "order", "valid_from", "valid_to", "legal_basis"]


class ReadOnlyAdmin(BaseReadOnlyAdmin):
    pass


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


@admin.register(LegalGround)
class LegalGroundAdmin(AuditedAdmin):
    """Laws, decrees, circulars, plans and decisions the rules and campaigns cite in full."""

    list_display = ["__str__", "kind", "issued_on", "issuer", "valid_from", "valid_to", "organises_issuer"]
    list_filter = ["kind", "organises_issuer"]
    search_fields = ["number", "subject", "issuer"]
    readonly_fields = ["citation"]

    @admin.display(description=_("citation"))
    def citation(self, obj):
        return obj.citation if obj.pk else ""


@admin.register(EligibilityCondition)
class EligibilityConditionAdmin(AuditedAdmin):
    list_display = ["description", "rule", "years", "times", "valid_from", "valid_to", "legal_basis"]
    list_select_related = ["rule__award_type"]
    filter_horizontal = ["required_award_types"]


@admin.register(AwardRecord)
class AwardRecordAdmin(AuditedAdmin):
    """Awards decided outside the engine. Added here through the service; corrected and voided
    on their own pages, where the reason is asked (never deleted)."""

    list_display = [
        "name",
        "award_name",
        "year",
        "decision_number",
        "decision_date",
        "issuer",
        "unit",
        "voided_at",
    ]
    list_filter = ["year", "award_type"]
    search_fields = ["name", "id_number", "decision_number"]
    list_select_related = ["award_type", "unit"]
    autocomplete_fields = ["person", "unit", "collective_unit"]
    exclude = ["recorded_by", "voided_at", "void_reason"]

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in form.cleaned_data if hasattr(obj, name)}
        award_record_add(actor=request.user, **fields)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EligibilityOverride)
class EligibilityOverrideAdmin(ReadOnlyAdmin):
    list_display = ["nominee", "condition", "granted_by", "granted_at"]
    list_select_related = ["nominee", "condition", "granted_by"]
