"""`{% scoring_nav user has_contests as scores %}`: whether the menu offers "Contest scoring": to the organisers'
standing bodies (from the scopes already loaded, no query) and to a juror holding no role (an
expert from outside the offices: the "Contests" entry's answer for them, so no query of its own;
a juror holding a role reaches the scoring from the contest's page)."""

from django import template

from org.scopes import scopes_for

from ..permissions import ORGANISER_ROLES

register = template.Library()


@register.simple_tag
def scoring_nav(user, has_contests) -> bool:
    """`has_contests`: contests_nav's answer (for a user holding no role, whether they sit on a jury)."""
    if not user.is_authenticated:
        return False
    scopes = scopes_for(user)
    if user.is_superuser or any(s.role in ORGANISER_ROLES for s in scopes):
        return True
    return not scopes and bool(has_contests)
