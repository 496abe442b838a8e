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
    """The user's roles (labels, in a stable order) and whether to offer "new dossier"."""
    if not user.is_authenticated:
        return {"roles": [], "can_draft": False}
    held = roles_of(user)
    return {
        "roles": [role.label for role in Role if role in held],
        "can_draft": bool(permissions.units_user_can_draft_for(user))
        and user.has_perm("dossiers.add_dossier"),
    }
