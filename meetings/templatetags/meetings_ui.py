"""The council meetings' link in the navigation bar: shown to the members and the secretary of a
council (the pages decide again what each person may see and do)."""

from django import template

from approvals.meeting_permissions import COUNCIL_ROLES
from org.scopes import roles_of

register = template.Library()


@register.simple_tag
def council_nav(user) -> bool:
    return bool(user.is_authenticated and (roles_of(user) & COUNCIL_ROLES or user.is_superuser))
