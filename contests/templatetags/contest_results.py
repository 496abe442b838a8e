"""`{% may_see_results user contest as ok %}`: whether the contest page links its results (the
same rule as the results page's 404: contests.results_permissions)."""

from django import template

from ..results_permissions import can_view_results

register = template.Library()


@register.simple_tag
def may_see_results(user, contest) -> bool:
    return can_view_results(user, contest)
