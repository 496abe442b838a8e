from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    """State honours (khen cao): proposals to the central level assembled from a province's decided dossiers, sent up as a forwarded dossier, and their results when they come back."""

    name = "honours"
    verbose_name = _("Honours")

    def ready(self):
        from dossiers.reference_data import register_reference_seeder

        from .reference_data import seed_honours_reference_data

        register_reference_seeder(seed_honours_reference_data)
