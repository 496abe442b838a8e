from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """The council meeting's pages, API and forms; its rules and data are approvals'."""

    name = "meetings"
    verbose_name = _("Council meetings")
