"""`{% statistics_nav user as reads_reports %}`: whether the menu offers the statistical reports
(reports.statistics_permissions). From the scopes the page has already loaded: no query of its own."""

from django import template

from ..statistics_permissions import can_read_reports

register = template.Library()


@register.simple_tag
def statistics_nav(user) -> bool:
    return can_read_reports(user)
