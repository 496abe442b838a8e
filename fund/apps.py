from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    """The award fund (quỹ thi đua, khen thưởng): each issuing body's yearly budget, the cash each decision charges to it, payments, returns on revocation and the statement."""

    name = "fund"
    verbose_name = _("Fund")
