"""The menu entry "Initiatives" for those who register, review or read a unit's initiatives."""

from django import template

from initiatives.models import InitiativeCouncilMember
from initiatives.permissions import READERS_OVER
from org.scopes import scopes_for

register = template.Library()


@register.simple_tag
def initiatives_nav(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.unit_id or any(s.role in READERS_OVER for s in scopes_for(user)):
        return True
    return InitiativeCouncilMember.objects.filter(user=user).exists()
