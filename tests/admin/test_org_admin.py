"""The organisation's admin: holidays, units, accounts, groups and their permissions, each write
audited (DESIGN.md: every permission change is an event)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from audit.models import AuditEvent
from org.calendar import WorkingCalendar
from org.models import Holiday, Role, RoleAssignment, Unit, User
from tests import factories as f

from .conftest import admin_url, head, new_events, page_data

pytestmark = pytest.mark.django_db


def test_a_holiday_added_in_the_admin_is_audited_and_counts_at_once(site, world):
    friday = dt.date(2026, 6, 12)
    assert WorkingCalendar().add_working_days(dt.date(2026, 6, 11), 1) == friday

    response = site.post(admin_url(Holiday, "add"), {"date": friday.isoformat(), "name": "Nghỉ bù"})

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="holiday.add")
    assert (event.actor, event.data["date"], event.data["name"]) == ("root", "2026-06-12", "Nghỉ bù")
    # No cached calendar to go stale: the next deadline computed skips the new holiday.
    assert WorkingCalendar().add_working_days(dt.date(2026, 6, 11), 1) == dt.date(2026, 6, 15)


def test_moving_a_holiday_keeps_the_day_before_and_after(site, world):
    holiday = Holiday.objects.create(date=dt.date(2026, 6, 12), name="Nghỉ bù")
    url = admin_url(Holiday, "change", holiday.pk)

    assert site.post(url, {**page_data(site, url), "date": "2026-06-19"}).status_code == 302

    event = AuditEvent.objects.get(action="holiday.change")
    assert event.data["before"] == {"date": "2026-06-12", "name": "Nghỉ bù"}
    assert event.data["after"] == {"date": "2026-06-19", "name": "Nghỉ bù"}


def test_a_unit_moved_in_the_admin_goes_through_unit_move(site, world):
    url = admin_url(Unit, "change", world.school_a.pk)
    data = {**page_data(site, url), "parent": world.province.pk, "name": "Trường THCS Ngọc Lâm (chuyển)"}
    since = head()

    assert site.post(url, data).status_code == 302

    events = {e.action: e for e in new_events(since)}
    assert set(events) == {"unit.move", "admin.org.unit.change"}
    assert events["unit.move"].data["new_parent_id"] == world.province.pk
    assert events["admin.org.unit.change"].data["changes"] == {
        "name": ["Trường THCS Ngọc Lâm", "Trường THCS Ngọc Lâm (chuyển)"]
    }


def test_a_users_groups_change_only_with_a_role_and_its_event(site, world):
    user = f.UserFactory(unit=world.school_b)
    url = admin_url(User, "change", user.pk)
    chair = Group.objects.get(name=Role.CHAIR)

    # The account's page shows the groups; a post naming one changes nothing.
    site.post(url, {**page_data(site, url), "groups": [chair.pk]})
    assert not user.groups.exists()

    # A role given in the admin brings its group, with the event.
    since = head()
    response = site.post(
        admin_url(RoleAssignment, "add"),
        {"user": user.pk, "role": Role.UNIT_HEAD, "unit": world.school_b.pk, "start": "2026-03-11"},
    )
    assert response.status_code == 302
    assert list(user.groups.values_list("name", flat=True)) == [Role.UNIT_HEAD]
    (event,) = new_events(since)
    assert (event.action, event.data["user"], event.data["role"]) == (
        "role.assign",
        user.username,
        Role.UNIT_HEAD,
    )


def test_a_groups_permissions_changed_in_the_admin_are_audited(site, world):
    group = Group.objects.get(name=Role.INSPECTOR)
    url = admin_url(Group, "change", group.pk)
    data = page_data(site, url)
    added = Permission.objects.get(codename="delete_dossier")
    data["permissions"] = [*data.get("permissions", []), str(added.pk)]

    assert site.post(url, data).status_code == 302

    event = AuditEvent.objects.get(action="admin.auth.group.relations")
    assert event.data["relations"]["permissions"] == {"added": ["dossiers.delete_dossier"], "removed": []}
    assert group.permissions.filter(pk=added.pk).exists()


def test_a_password_changed_in_the_admin_is_audited_without_the_hash(site, world):
    user = world.head_b
    old_hash = User.objects.get(pk=user.pk).password
    response = site.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Mật-khẩu-mới-2026", "password2": "Mật-khẩu-mới-2026", "set_usable_password": "true"},
    )

    assert response.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert fresh.password != old_hash and fresh.check_password("Mật-khẩu-mới-2026")
    event = AuditEvent.objects.get(action="user.update", object_id=str(user.pk))
    assert event.data["password_changed"] is True
    assert fresh.password not in str(event.data) and old_hash not in str(event.data)
    assert "pbkdf2" not in str(event.data)


def test_the_generic_event_never_carries_a_password(site, world):
    user = f.UserFactory()
    url = admin_url(User, "delete", user.pk)

    assert site.post(url, {"post": "yes"}).status_code == 302

    event = AuditEvent.objects.get(action="admin.org.user.delete")
    assert "password" not in event.data["fields"]
    assert event.data["fields"]["username"] == user.username
