"""`{% register_nav user as keeps_register %}`: whether the menu offers the register of outgoing
documents (its records clerk, the body's chair, an inspector, an administrator). From the roles
the page has already loaded: no query of its own."""

from django import template

from ..models import Role
from ..register_selectors import READERS_IN_UNIT
from ..scopes import scopes_for

register = template.Library()


@register.simple_tag
def register_nav(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(s.role in READERS_IN_UNIT | {Role.INSPECTOR} for s in scopes_for(user))
