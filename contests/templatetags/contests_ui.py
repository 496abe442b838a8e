"""`{% contests_nav user as has_contests %}`: whether the menu offers "Contests" (the user organises
one, or holds a unit role through which their unit may enter one; a juror holding no role).

`{% contest_slot "rounds" %}`: the contest page's place for the rounds and the results, rendered
from contests/slot_<name>.html with the page's context when that template exists, else nothing."""

from django import template
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template

from org.scopes import UNIT_ROLES, scopes_for

from ..permissions import ORGANISER_ROLES

register = template.Library()
MENU_ROLES = UNIT_ROLES | ORGANISER_ROLES


@register.simple_tag
def contests_nav(user) -> bool:
    if not user.is_authenticated:
        return False
    scopes = scopes_for(user)
    if user.is_superuser or any(s.role in MENU_ROLES for s in scopes):
        return True
    # A juror from outside the offices (an expert, a union officer) holds no role: only then is
    # the jury asked, so the pages of role holders keep their query count.
    return not scopes and user.juries.exists()


@register.simple_tag(takes_context=True)
def contest_slot(context, name):
    try:
        slot = get_template(f"contests/slot_{name}.html")
    except TemplateDoesNotExist:
        return ""
    return slot.render(context.flatten(), context.get("request"))
