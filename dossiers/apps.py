from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        post_migrate.connect(_sync_groups, dispatch_uid="dossiers.sync_role_groups")
        # A dissolved unit's open dossiers go on at its successor (org.reorganisation).
        from . import reorganisation  # noqa: F401


def _sync_groups(sender, **kwargs):
    # After the last app migrates, when every permission row exists.
    if sender.name != "audit":
        return
    from org.roles import sync_role_groups

    from .permissions import ROLE_PERMISSIONS

    sync_role_groups(ROLE_PERMISSIONS)
