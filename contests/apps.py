from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    """Contests (hội thi, seed 002): entries pre-selected by units, a jury's rounds and scores, prizes by rank and the results decision."""

    name = "contests"
    verbose_name = _("Contests")
