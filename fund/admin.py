"""The funds and their ledger are records written by their services (each with its audit event;
the ledger is append-only): the admin shows them read-only."""

from django.contrib import admin

from org.audited_admin import ReadOnlyAdmin

from .models import Fund, FundEntry


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "budget_set", "created_at"]
    list_select_related = ["unit"]
    list_filter = ["year"]


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ["fund", "kind", "amount", "decision", "award", "created_by", "created_at"]
    list_select_related = [
        "fund__unit",
        "decision__issuer",
        "award__nominee",
        "award__decision__issuer",
        "created_by",
    ]
    list_filter = ["kind"]
