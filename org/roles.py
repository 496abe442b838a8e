"""The role groups and the model permissions each carries. Object scope is checked separately
(org.scopes); a group's permission alone never opens another unit's data."""

from django.contrib.auth.models import Group, Permission

from .models import Role


def sync_role_groups(grants: dict[str, list[str]]) -> None:
    """Create a group per role and give it exactly the permissions listed (`app.codename`).

    Idempotent; run after every migrate so a fresh database and an upgraded one agree.
    """
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = grants.get(role.value, [])
        perms = []
        for name in wanted:
            app_label, codename = name.split(".")
            perms.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
