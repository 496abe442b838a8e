"""Unit mergers and splits (the 2025 reorganisation): the old units are dissolved with their
successor, roles and people move on, open dossiers are handed over with an audit record, and
history keeps the unit as it was; a report on the new unit rolls the old ones up."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.models import Award
from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from org import services
from org.models import Role, RoleAssignment, Unit, UnitLevel
from org.reorganisation import units_rolled_up
from org.scopes import forget_scopes, has_role_in
from tests import factories as f

pytestmark = pytest.mark.django_db
S = DossierState
BASIS = "Nghị quyết số 1656/NQ-UBTVQH15 ngày 16/6/2025 về sắp xếp đơn vị hành chính"


@pytest.fixture
def admin(world):
    return f.user_with_role(Role.ADMIN, world.province, username="admin", is_superuser=True)


@pytest.fixture
def history(world):
    """A decided dossier of school A with its award (signed by the commune), and a draft of school B."""
    w = world
    w.decided = f.DossierFactory(
        unit=w.school_a,
        campaign=w.campaign,
        created_by=w.staff_a,
        state=S.DECIDED,
        unit_name_at_submission=w.school_a.name,
    )
    nominee = f.NomineeFactory(dossier=w.decided, outcome="awarded")
    decision = f.decision(w.commune, w.chair, dossiers=[w.decided])
    Award.objects.create(decision=decision, nominee=nominee, amount=700_000)
    w.open = f.DossierFactory(unit=w.school_b, campaign=w.campaign, created_by=w.head_b)
    return w


def test_a_merger_keeps_history_and_the_new_unit_rolls_the_old_ones_up(history, admin):
    w = history
    on = w.today

    new = services.unit_merge(
        actor=admin,
        sources=[w.school_a, w.school_b],
        new_unit={
            "name": "Trường Liên cấp Long Biên",
            "code": "LCLB",
            "level": UnitLevel.SCHOOL,
            "parent": w.commune,
        },
        on_date=on,
        legal_basis=BASIS,
    )

    for old in (w.school_a, w.school_b):
        old.refresh_from_db()
        assert (old.is_active, old.dissolved_on, old.successor) == (False, on, new)
    # History: the decided dossier, its award and the decision keep the old unit and its name.
    decided = Dossier.objects.select_related("unit").get(pk=w.decided.pk)
    assert (decided.unit, decided.unit.name, decided.unit_name_at_submission) == (
        w.school_a,
        "Trường THCS Ngọc Lâm",
        "Trường THCS Ngọc Lâm",
    )
    assert Award.objects.get(nominee__dossier=decided).decision.issuer == w.commune
    # The open dossier goes on at the new unit, recorded.
    assert Dossier.objects.get(pk=w.open.pk).unit == new
    handover = AuditEvent.objects.get(action="dossier.unit_handover", object_id=str(w.open.pk))
    assert (handover.data["from_unit_id"], handover.data["to_unit_id"]) == (w.school_b.pk, new.pk)
    # Roles end the day before and start at the new unit on the day.
    old_role = RoleAssignment.objects.get(user=w.staff_a, unit=w.school_a)
    assert old_role.end == on - dt.timedelta(days=1)
    assert RoleAssignment.objects.filter(user=w.staff_a, unit=new, role=Role.UNIT_STAFF, start=on).exists()
    forget_scopes(w.staff_a)
    assert has_role_in(w.staff_a, {Role.UNIT_STAFF}, new) and not has_role_in(
        w.staff_a, {Role.UNIT_STAFF}, w.school_a
    )
    # The roll-up: a report on the new unit counts the old units' dossiers and awards.
    units = units_rolled_up(new, on=on)
    assert set(units) == {new, w.school_a, w.school_b}
    assert Dossier.objects.filter(unit__in=units).count() == 2
    assert Award.objects.filter(nominee__dossier__unit__in=units).count() == 1
    # The commune's roll-up holds everything, before and after.
    assert set(units_rolled_up(w.commune, on=on)) >= {new, w.school_a, w.school_b}
    # Before the day, the old units were not yet rolled up into the new one.
    assert set(units_rolled_up(new, on=on - dt.timedelta(days=1))) == {new}
    events = AuditEvent.objects.filter(action="unit.merge").order_by("seq")
    assert [e.data["unit"] for e in events] == ["Trường THCS Ngọc Lâm", "Trường Tiểu học Gia Thụy"]
    assert all(e.data["legal_basis"] == BASIS for e in events)


def test_a_chain_of_mergers_rolls_up_to_the_last_successor(world, admin):
    w = world
    middle = f.UnitFactory(name="Trường A-B", parent=w.commune)
    last = f.UnitFactory(name="Trường A-B-C", parent=w.commune)
    services.unit_merge(actor=admin, sources=[w.school_a], into=middle, on_date=w.today, legal_basis=BASIS)
    services.unit_merge(actor=admin, sources=[middle], into=last, on_date=w.today, legal_basis=BASIS)
    assert set(units_rolled_up(last)) == {last, middle, w.school_a}


def test_a_split_hands_people_and_open_dossiers_over_as_mapped(world, admin):
    w = world
    north = f.UnitFactory(name="Trường Bắc", parent=w.commune)
    south = f.UnitFactory(name="Trường Nam", parent=w.commune)
    first = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
    second = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)

    services.unit_split(
        actor=admin,
        source=w.school_a,
        into=[north, south],
        on_date=w.today,
        legal_basis=BASIS,
        staff={w.head_a.pk: south},
        dossiers={second.pk: south},
    )

    w.school_a.refresh_from_db()
    assert (w.school_a.is_active, w.school_a.successor) == (False, north)
    assert Dossier.objects.get(pk=first.pk).unit == north
    assert Dossier.objects.get(pk=second.pk).unit == south
    assert RoleAssignment.objects.filter(user=w.staff_a, unit=north, start=w.today).exists()
    assert RoleAssignment.objects.filter(
        user=w.head_a, unit=south, role=Role.UNIT_HEAD, start=w.today
    ).exists()
    assert AuditEvent.objects.filter(action="unit.split", object_id=str(w.school_a.pk)).count() == 1


def test_refusals_change_nothing(world, admin):
    w = world
    north = f.UnitFactory(name="Trường Bắc", parent=w.commune)
    with pytest.raises(PermissionDenied):
        services.unit_merge(
            actor=w.head_a, sources=[w.school_a], into=north, on_date=w.today, legal_basis=BASIS
        )
    with pytest.raises(ValidationError, match="legal basis"):
        services.unit_merge(actor=admin, sources=[w.school_a], into=north, on_date=w.today, legal_basis=" ")
    with pytest.raises(ValidationError, match="at least two"):
        services.unit_split(actor=admin, source=w.school_a, into=[north], on_date=w.today, legal_basis=BASIS)
    with pytest.raises(ValidationError, match="itself"):
        services.unit_merge(
            actor=admin, sources=[w.commune], into=w.school_a, on_date=w.today, legal_basis=BASIS
        )
    assert Unit.objects.filter(is_active=False).count() == 0
    assert not AuditEvent.objects.filter(action__in=["unit.merge", "unit.split"]).exists()


def test_the_administrator_merges_from_the_units_list(world, admin, client):
    w = world
    north = f.UnitFactory(name="Trường Bắc", parent=w.commune)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)
    data = {"action": "merge_units", "_selected_action": [w.school_a.pk, w.school_b.pk]}
    page = client.post("/admin/org/unit/", data)
    assert page.status_code == 200 and "Trường THCS Ngọc Lâm" in page.content.decode()

    done = client.post(
        "/admin/org/unit/",
        {**data, "apply": "1", "into": north.pk, "on_date": w.today.isoformat(), "legal_basis": BASIS},
    )

    assert done.status_code == 302
    assert set(Unit.objects.filter(successor=north).values_list("pk", flat=True)) == {
        w.school_a.pk,
        w.school_b.pk,
    }
    assert AuditEvent.objects.filter(action="unit.merge", actor="admin").count() == 2
