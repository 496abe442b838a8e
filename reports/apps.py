from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics (the Ministry's forms and the offices' own), the dashboard, the award register's
    search and Excel in and out: pages over the layers below, which they read and never change
    except through those layers' services."""

    name = "reports"
    verbose_name = _("Reports")
