"""The workflow's part of the navigation bar, and amounts of money as the page's language writes
them. What a user may do on a dossier is not decided here: selectors.dossier_actions."""

from django import template
from django.utils.translation import get_language

from dossiers.permissions import units_user_can_draft_for
from org.models import Role
from org.scopes import roles_of

register = template.Library()


@register.simple_tag
def workflow_nav(user) -> dict:
    """Which inboxes the navigation bar offers (their pages decide again what they list)."""
    if not user.is_authenticated:
        return {}
    roles = roles_of(user)
    return {
        "tasks": True,
        "queue": bool(roles & {Role.STANDING_OFFICER, Role.STANDING_LEADER}),
        "to_sign": Role.CHAIR in roles,
        "unit": bool(units_user_can_draft_for(user)),
    }


@register.filter
def vnd(amount) -> str:
    """An amount of đồng with its thousands grouped as the page's language writes them
    (710.000 in Vietnamese, 710,000 in English)."""
    try:
        grouped = f"{int(amount):,}"
    except (TypeError, ValueError):
        return ""
    return grouped.replace(",", ".") if get_language() == "vi" else grouped
