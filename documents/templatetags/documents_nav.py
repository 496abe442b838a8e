"""{% issue_nav user as keeps_records %}: whether the menu offers the records clerk's list."""

from django import template

register = template.Library()


@register.simple_tag
def issue_nav(user) -> bool:
    from org.models import Role
    from org.scopes import scopes_for

    return bool(
        getattr(user, "is_authenticated", False)
        and any(scope.role == Role.RECORDS_CLERK for scope in scopes_for(user))
    )
