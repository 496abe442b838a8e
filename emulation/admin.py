"""The plans, registrations and overrides are records written by their services (each with its
audit event): the admin shows them read-only, as it does the requirements, seeded as rules as data."""

from django.contrib import admin

from org.audited_admin import ReadOnlyAdmin

from .models import EmulationPlan, Registration, RegistrationOverride, RegistrationRequirement


@admin.register(EmulationPlan)
class EmulationPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year", "registration_deadline", "state"]
    list_select_related = ["unit"]


@admin.register(RegistrationRequirement)
class RegistrationRequirementAdmin(ReadOnlyAdmin):
    list_display = ["award_type", "valid_from", "valid_to", "legal_basis"]
    list_select_related = ["award_type"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "award_type", "unit", "plan", "registered_at", "withdrawn_at"]
    list_select_related = ["award_type", "unit", "plan"]


@admin.register(RegistrationOverride)
class RegistrationOverrideAdmin(ReadOnlyAdmin):
    list_display = ["nominee", "granted_by", "granted_at"]
    list_select_related = ["nominee", "granted_by"]
