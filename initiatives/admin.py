"""Initiatives, their council, meetings and recognitions are written by their services (each with
its audit event): the admin shows them read-only. Ballots are never shown here."""

from django.contrib import admin

from org.audited_admin import ReadOnlyAdmin

from .models import (
    Initiative,
    InitiativeCouncil,
    InitiativeCouncilMember,
    InitiativeMeeting,
    InitiativeRecognition,
)


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year", "state", "registered_at"]
    list_select_related = ["unit"]
    list_filter = ["year", "state"]
    search_fields = ["title"]


@admin.register(InitiativeCouncil)
class InitiativeCouncilAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "threshold_numerator", "threshold_denominator"]
    list_select_related = ["unit"]


@admin.register(InitiativeCouncilMember)
class InitiativeCouncilMemberAdmin(ReadOnlyAdmin):
    list_display = ["council", "user", "role"]
    list_select_related = ["council", "user"]


@admin.register(InitiativeMeeting)
class InitiativeMeetingAdmin(ReadOnlyAdmin):
    list_display = ["council", "held_on", "place", "state", "members_total"]
    list_select_related = ["council"]
    exclude = ["ballot_public_key"]


@admin.register(InitiativeRecognition)
class InitiativeRecognitionAdmin(ReadOnlyAdmin):
    list_display = ["decision_number", "initiative", "decision_date", "effect_scope", "signer"]
    list_select_related = ["initiative", "signer"]
