"""`{% fund_nav user as uses_fund %}`: whether the menu offers the award fund (the standing body,
the chair, the records clerk and inspectors; fund.permissions). From the scopes the page has
already loaded: no query of its own."""

from django import template

from ..permissions import may_use_fund
from ..selectors import decision_fund_for

register = template.Library()


@register.simple_tag
def fund_nav(user) -> bool:
    return may_use_fund(user)


@register.simple_tag
def decision_fund(decision, user):
    """`{% decision_fund decision user as fund_info %}`: the decision's charge and payments for
    the decision's page, for those who read the issuing body's fund (fund.selectors)."""
    return decision_fund_for(user=user, decision=decision)
