from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """Initiatives (sáng kiến): registration, the initiative council's review and vote, recognition by decision, scope of effect and authors."""

    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        # A recognised initiative is part of its authors' history (dossiers sits below: it asks).
        from . import history

        history.register()
