from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    """The emulation year's plan and registrations: the titles and initiatives units and people register for at the start of the year, and the check that a proposal was registered."""

    name = "emulation"
    verbose_name = _("Emulation")

    def ready(self):
        from dossiers.reference_data import register_reference_seeder

        from .reference_data import seed_registration_requirements

        register_reference_seeder(seed_registration_requirements)
