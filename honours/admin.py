"""The proposals and their nominees are records written by their services (each with its audit
event): the admin shows them read-only."""

from django.contrib import admin

from org.audited_admin import ReadOnlyAdmin

from .models import HonoursProposal, ProposedNominee


@admin.register(HonoursProposal)
class HonoursProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year", "state", "dispatch_number", "dispatch_date"]
    list_select_related = ["unit"]
    list_filter = ["state", "year"]


@admin.register(ProposedNominee)
class ProposedNomineeAdmin(ReadOnlyAdmin):
    list_display = ["nominee", "proposal", "result", "decision_number", "decision_date"]
    list_select_related = ["nominee", "proposal"]
    list_filter = ["result"]
