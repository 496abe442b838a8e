"""`{% clusters_nav user as uses_clusters %}`: whether the menu offers the emulation clusters and
blocs. From the scopes the page has already loaded: no query of its own."""

from django import template

from org.models import Role
from org.scopes import scopes_for

from ..permissions import MEMBER_ROLES, STANDING_ROLES

register = template.Library()


@register.simple_tag
def clusters_nav(user) -> bool:
    """The province's standing body and inspectors (a unit at the top of the tree), and the staff
    and heads of the units a province groups into clusters and blocs (its communes and
    departments, one level below it)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    for scope in scopes_for(user):
        depth = scope.unit_path.strip("/").count("/") + 1
        if scope.role in STANDING_ROLES | {Role.INSPECTOR} and depth == 1:
            return True
        if scope.role in MEMBER_ROLES and depth == 2:
            return True
    return False
