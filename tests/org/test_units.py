"""The unit tree: a unit moves, with everything under it, only through org.services.unit_move, which
keeps the materialised paths right, refuses cycles and other invalid moves, and is audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from org.models import Unit, UnitLevel
from org.services import unit_move
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


def path_of(unit):
    return Unit.objects.values_list("path", flat=True).get(pk=unit.pk)


def nothing_written(call, world):
    paths = dict(Unit.objects.values_list("pk", "path"))
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    events = AuditEvent.objects.count()
    with pytest.raises((ValidationError, PermissionDenied)) as info:
        call()
    assert dict(Unit.objects.values_list("pk", "path")) == paths
    assert dict(Unit.objects.values_list("pk", "parent_id")) == parents
    assert AuditEvent.objects.count() == events
    return info.value


def test_moving_a_unit_carries_its_whole_subtree(world, admin):
    child = f.UnitFactory(parent=world.school_a)
    grandchild = f.UnitFactory(parent=child)

    moved = unit_move(actor=admin, unit=world.school_a, new_parent=world.province)

    assert moved.path == path_of(world.school_a) == f"{world.province.path}{world.school_a.pk}/"
    assert Unit.objects.get(pk=world.school_a.pk).parent == world.province
    assert path_of(child) == f"{moved.path}{child.pk}/"
    assert path_of(grandchild) == f"{moved.path}{child.pk}/{grandchild.pk}/"
    assert list(Unit.objects.get(pk=grandchild.pk).ancestors_and_self()) == [
        world.province,
        world.school_a,
        child,
        grandchild,
    ]
    # Other branches stay where they were.
    assert path_of(world.school_b) == f"{world.commune.path}{world.school_b.pk}/"


def test_the_move_is_one_audit_event_with_the_old_and_new_place(world, admin):
    child = f.UnitFactory(parent=world.school_a)
    old_path = world.school_a.path

    unit_move(actor=admin, unit=world.school_a, new_parent=world.province)

    event = AuditEvent.objects.get(action="unit.move")
    assert (event.actor, event.object_type, event.object_id) == ("root", "org.unit", str(world.school_a.pk))
    assert event.data["old_parent_id"] == world.commune.pk
    assert event.data["new_parent_id"] == world.province.pk
    assert event.data["old_path"] == old_path
    assert event.data["new_path"] == f"{world.province.path}{world.school_a.pk}/"
    assert event.data["units_moved"] == 2  # the unit and its child
    assert event.scope == path_of(world.school_a)
    assert path_of(child).startswith(event.data["new_path"])


def test_a_unit_moves_to_the_top_of_the_tree(world, admin):
    unit_move(actor=admin, unit=world.school_a, new_parent=None)

    assert path_of(world.school_a) == f"/{world.school_a.pk}/"
    assert Unit.objects.get(pk=world.school_a.pk).parent is None


def test_a_unit_cannot_move_under_itself(world, admin):
    error = nothing_written(
        lambda: unit_move(actor=admin, unit=world.commune, new_parent=world.commune), world
    )
    assert "cannot be its own parent" in str(error)


def test_a_unit_cannot_move_under_its_descendant(world, admin):
    grandchild = f.UnitFactory(parent=world.school_a)

    for below in (world.school_a, grandchild):
        error = nothing_written(
            lambda b=below: unit_move(actor=admin, unit=world.commune, new_parent=b), world
        )
        assert error.message_dict["parent"] == [
            f"{below.name} is under {world.commune.name}: a unit cannot move under itself."
        ]


def test_a_move_to_the_same_parent_is_refused(world, admin):
    error = nothing_written(
        lambda: unit_move(actor=admin, unit=world.school_a, new_parent=world.commune), world
    )
    assert "already under" in str(error)


def test_nothing_moves_under_a_dissolved_unit(world, admin):
    Unit.objects.filter(pk=world.office.pk).update(is_active=False, dissolved_on=dt.date(2025, 7, 1))
    office = Unit.objects.get(pk=world.office.pk)

    error = nothing_written(lambda: unit_move(actor=admin, unit=world.school_a, new_parent=office), world)
    assert "dissolved" in str(error)


def test_a_tree_too_deep_for_its_paths_is_refused(world, admin):
    Unit.objects.filter(pk=world.office.pk).update(path=world.office.path.rjust(254, "/"))
    office = Unit.objects.get(pk=world.office.pk)

    error = nothing_written(lambda: unit_move(actor=admin, unit=world.school_a, new_parent=office), world)
    assert "too deep" in str(error)


def test_only_who_may_change_units_moves_them(world):
    nothing_written(
        lambda: unit_move(actor=world.head_a, unit=world.school_a, new_parent=world.province), world
    )


def test_saving_a_unit_with_another_parent_is_refused(world):
    unit = Unit.objects.get(pk=world.school_a.pk)
    unit.parent = world.province

    with pytest.raises(ValidationError, match="unit_move"):
        unit.save()
    assert path_of(world.school_a) == f"{world.commune.path}{world.school_a.pk}/"


def test_saving_a_stale_copy_keeps_the_paths_of_the_tree(world, admin):
    stale = Unit.objects.get(pk=world.school_a.pk)
    unit_move(actor=admin, unit=world.commune, new_parent=None)

    stale.name = "Trường THCS Ngọc Lâm (mới)"
    stale.save()

    assert path_of(stale) == f"/{world.commune.pk}/{world.school_a.pk}/"


def test_a_new_unit_takes_its_place_under_its_parent(world):
    unit = Unit.objects.create(name="Trường mới", code="TM", level=UnitLevel.SCHOOL, parent=world.commune)

    assert path_of(unit) == unit.path == f"{world.commune.path}{unit.pk}/"


def admin_form(admin_client, unit):
    url = reverse("admin:org_unit_change", args=[unit.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["grants_awards"] = "on" if unit.grants_awards else ""
    data["is_active"] = "on"
    return url, {k: v for k, v in data.items() if v != ""}


def test_the_admin_moves_a_unit_through_the_service(admin_client, world):
    child = f.UnitFactory(parent=world.school_a)
    url, data = admin_form(admin_client, world.school_a)
    data.update(parent=world.province.pk, name="Trường THCS Ngọc Lâm (chuyển)")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(pk=world.school_a.pk)
    assert (unit.parent, unit.name) == (world.province, "Trường THCS Ngọc Lâm (chuyển)")
    assert path_of(child) == f"{world.province.path}{world.school_a.pk}/{child.pk}/"
    assert AuditEvent.objects.filter(action="unit.move", object_id=str(unit.pk)).count() == 1


def test_the_admin_shows_a_refused_move_on_the_form(admin_client, world):
    url, data = admin_form(admin_client, world.commune)
    data["parent"] = world.school_a.pk

    response = admin_client.post(url, data)

    assert response.status_code == 200
    # The admin speaks Vietnamese (the default language), so the message on the form does too.
    assert (
        "không thể chuyển một đơn vị vào dưới chính nó"
        in response.context["adminform"].form.errors["parent"][0]
    )
    assert Unit.objects.get(pk=world.commune.pk).parent == world.province
    assert not AuditEvent.objects.filter(action="unit.move").exists()


def test_editing_a_unit_without_moving_it_is_no_move(admin_client, world):
    url, data = admin_form(admin_client, world.school_a)
    data["name"] = "Trường THCS Ngọc Lâm (đổi tên)"

    assert admin_client.post(url, data).status_code == 302
    assert not AuditEvent.objects.filter(action="unit.move").exists()
    assert path_of(world.school_a) == f"{world.commune.path}{world.school_a.pk}/"
