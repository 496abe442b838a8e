from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from audit.models import AuditEvent
        from audit.services import event_recorded

        from . import services

        # After commit only (audit.services.event_recorded): a refused or rolled-back act
        # notifies nobody, and a failing mail server never undoes an act.
        event_recorded.connect(services.on_event_recorded, sender=AuditEvent, dispatch_uid="notices")
