"""`{% honours_nav user as proposes_honours %}`: whether the menu offers the state honours (the
province's standing body, chair and inspector). From the scopes the page has already loaded."""

from django import template

from org.scopes import scopes_for

from ..permissions import READ_ROLES

register = template.Library()


@register.simple_tag
def honours_nav(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # A province is a root of the unit tree: its path is one segment.
    return any(s.role in READ_ROLES and s.unit_path.strip("/").count("/") == 0 for s in scopes_for(user))
