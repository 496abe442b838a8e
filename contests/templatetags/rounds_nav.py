"""`{% scoring_nav user as scores %}`: whether the menu offers "Contest scoring": to the organisers'
standing bodies (from the scopes already loaded, no query) and to a juror holding no role (an
expert from outside the offices, asked only then so role holders' pages keep their query count;
a juror holding a role reaches the scoring from the contest's page)."""

from django import template

from org.scopes import scopes_for

from ..permissions import ORGANISER_ROLES

register = template.Library()


@register.simple_tag
def scoring_nav(user) -> bool:
    if not user.is_authenticated:
        return False
    scopes = scopes_for(user)
    if user.is_superuser or any(s.role in ORGANISER_ROLES for s in scopes):
        return True
    if scopes:
        return False
    cache = user.__dict__
    if "_sits_on_a_jury" not in cache:
        cache["_sits_on_a_jury"] = user.juries.exists()
    return cache["_sits_on_a_jury"]
