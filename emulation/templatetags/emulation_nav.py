"""`{% emulation_nav user as registers %}`: whether the menu offers "Emulation registration": to
units' emulation officers and heads, the standing body and inspectors. From the scopes the page
has already loaded: no query of its own."""

from django import template

from org.models import Role
from org.scopes import UNIT_ROLES, scopes_for

from ..permissions import STANDING_ROLES

register = template.Library()
ROLES = UNIT_ROLES | STANDING_ROLES | {Role.INSPECTOR}


@register.simple_tag
def emulation_nav(user) -> bool:
    return user.is_authenticated and any(s.role in ROLES for s in scopes_for(user))
