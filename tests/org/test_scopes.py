"""Who holds which role where, and what that lets them see."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from dossiers.models import DossierState
from dossiers.permissions import can_view_dossier
from org.models import Role, RoleAssignment
from org.scopes import roles_of, scopes_for
from org.services import role_assign, role_end
from tests import factories as f


def test_unit_tree_paths_follow_the_parents(world):
    assert world.school_a.path == f"{world.province.path}{world.commune.pk}/{world.school_a.pk}/"
    assert world.school_a.deciding_unit() == world.commune
    assert world.commune.deciding_unit() == world.commune
    assert list(world.school_a.ancestors_and_self()) == [world.province, world.commune, world.school_a]


def test_role_assignment_is_audited_and_gives_the_group(world):
    user = f.UserFactory()
    before = AuditEvent.objects.count()
    role_assign(actor=world.head_a, user=user, role=Role.UNIT_STAFF, unit=world.school_b)
    assert user.groups.filter(name="unit_staff").exists()
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.actor, event.data["user"], event.data["role"]) == (
        "role.assign",
        "head_a",
        user.username,
        "unit_staff",
    )


@pytest.mark.calendar
def test_ended_role_no_longer_gives_scope(world):
    assignment = RoleAssignment.objects.get(user=world.head_b)
    role_end(actor="system", assignment=assignment, end=timezone.localdate() - dt.timedelta(days=1))
    assert scopes_for(type(world.head_b).objects.get(pk=world.head_b.pk)) == []
    assert AuditEvent.objects.order_by("-seq").first().action == "role.end"


def test_council_membership_is_a_scope(world):
    assert roles_of(world.member) == {Role.COUNCIL_MEMBER}
    assert scopes_for(world.member)[0].unit_id == world.commune.pk


@pytest.mark.parametrize(
    ("who", "state", "visible"),
    [
        ("staff_a", DossierState.DRAFT, True),
        ("head_a", DossierState.DRAFT, True),
        ("head_b", DossierState.DRAFT, False),
        ("head_b", DossierState.SUBMITTED, False),
        ("officer", DossierState.DRAFT, False),
        ("officer", DossierState.SUBMITTED, True),
        ("member", DossierState.SUBMITTED, True),
        ("inspector", DossierState.DRAFT, False),
        ("inspector", DossierState.WITHDRAWN, True),  # withdrawn after its submission
    ],
)
def test_who_sees_a_dossier(world, who, state, visible):
    submitted_at = None if state == DossierState.DRAFT else timezone.now()
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=state,
        submitted_at=submitted_at,
    )
    assert can_view_dossier(getattr(world, who), dossier) is visible


def test_reviewer_of_another_commune_sees_nothing(world):
    other_commune = f.UnitFactory(level="commune", parent=world.province, grants_awards=True)
    stranger = f.user_with_role(Role.STANDING_OFFICER, other_commune)
    dossier = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, state="submitted"
    )
    assert not can_view_dossier(stranger, dossier)
