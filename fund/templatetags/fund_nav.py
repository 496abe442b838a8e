"""`{% fund_nav user as uses_fund %}`: whether the menu offers the award fund (the standing body,
the chair, the records clerk and inspectors; fund.permissions). From the scopes the page has
already loaded: no query of its own."""

from django import template

from ..permissions import may_use_fund

register = template.Library()


@register.simple_tag
def fund_nav(user) -> bool:
    return may_use_fund(user)
