from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    """The inspectors' workspace over the audit chain: search, timelines, chain status, evidence."""

    name = "inspection"
    verbose_name = _("Inspection")
