from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The pages anyone may read without an account: published decisions, the nominees under public
    notice with the form to object, certificate verification. Only what is published is shown."""

    name = "public"
    verbose_name = _("Public pages")
