"""Template helpers of the web UI: what the navigation bar shows for the signed-in user.

They only mirror dossiers.permissions to show or hide links; the views and services decide.
"""

from django import template

from org.models import Role
from org.scopes import roles_of

from .. import permissions

register = template.Library()


@register.simple_tag
def navigation_for(user) -> dict:
    """The user's roles (labels, the one that decides most first: the header has room for one or
    two, so a chair who also sits on the council reads "Chair" before "Council member") and
    whether to offer "new dossier"."""
    if not user.is_authenticated:
        return {"roles": [], "can_draft": False}
    held = roles_of(user)
    return {
        "roles": [role.label for role in reversed(Role) if role in held],
        "can_draft": bool(permissions.units_user_can_draft_for(user))
        and user.has_perm("dossiers.add_dossier"),
    }
