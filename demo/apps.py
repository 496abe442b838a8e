from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo world (`manage.py seed_demo`). Installed by the local and test settings only."""

    name = "demo"
    verbose_name = _("Demo data")
