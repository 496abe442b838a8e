from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    """Emulation clusters and blocs (cụm, khối thi đua): member units, the rotating leader, criteria, self- and cross-scoring, review, ranking and the cluster's proposals."""

    name = "clusters"
    verbose_name = _("Clusters")
