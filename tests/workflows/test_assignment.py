"""Assignment inside the standing body (issue 11, item 5): the leader assigns a received dossier
to a specialist, who alone (with the leader) appraises it; the grant is a django-guardian
per-object permission, moved on reassignment in the same transaction as the audit event."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals import assignment_selectors
from approvals.models import DossierAssignment
from approvals.permissions import APPRAISE_PERMISSION, can_appraise
from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from org.calendar import WorkingCalendar
from org.errors import TransitionNotAllowed
from org.models import Role
from tests import factories as f
from workflows import services as wf
from workflows.flows import DossierFlow

from .conftest import fresh, in_appraisal, new_dossier, open_steps, parked, submitted

S = DossierState


@pytest.fixture
def body(world):
    """The commune's standing body: its leader and two more specialists besides `officer`."""
    w = world
    w.leader = f.user_with_role(Role.STANDING_LEADER, w.commune, username="leader", full_name="Lê Văn Lãnh")
    w.spec_1 = f.user_with_role(Role.STANDING_OFFICER, w.commune, username="spec1", full_name="Phạm Thu Hà")
    w.spec_2 = f.user_with_role(Role.STANDING_OFFICER, w.commune, username="spec2", full_name="Vũ Minh An")
    return w


def test_leader_assigns_a_received_dossier_and_the_assignee_gets_the_guardian_grant(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    assignment = wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)

    assert assignment.assignee == w.spec_1 and assignment.ended_at is None
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert w.spec_1.has_perm(APPRAISE_PERMISSION, dossier)
    assert not w.spec_2.has_perm(APPRAISE_PERMISSION, dossier)
    assert not w.spec_1.has_perm(APPRAISE_PERMISSION)  # a per-object grant, never model-wide
    event = AuditEvent.objects.filter(action="dossier.assign").get()
    assert event.object_id == str(dossier.pk) and event.data["assignee"] == "spec1"
    # The task the officer had taken on receiving it passes to the assignee.
    assert open_steps(dossier) == [("appraise", STATUS.ASSIGNED)]
    assert Task.objects.get(flow_task=DossierFlow.appraise, status=STATUS.ASSIGNED).owner == w.spec_1


def test_reassignment_needs_a_reason_and_takes_the_grant_from_the_old_assignee(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)

    with pytest.raises(ValidationError) as refused:
        wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_2)
    assert "reason" in refused.value.message_dict
    assert DossierAssignment.objects.get(ended_at__isnull=True).assignee == w.spec_1

    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_2, reason="Chuyên viên Hà nghỉ phép")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert not w.spec_1.has_perm(APPRAISE_PERMISSION, dossier)
    assert w.spec_2.has_perm(APPRAISE_PERMISSION, dossier)
    rows = list(DossierAssignment.objects.filter(dossier=dossier).order_by("pk"))
    assert [(r.assignee, r.ended_at is None) for r in rows] == [(w.spec_1, False), (w.spec_2, True)]
    event = AuditEvent.objects.filter(action="dossier.reassign").get()
    assert event.data == {
        **event.data,
        "assignee": "spec2",
        "previous_assignee": "spec1",
        "reason": "Chuyên viên Hà nghỉ phép",
    }
    with pytest.raises(PermissionDenied, match="assigned to Vũ Minh An"):
        wf.appraisal_accept(actor=w.spec_1, dossier=dossier)


def test_a_non_assignee_officer_is_refused_by_name_and_nothing_changes(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)
    events = AuditEvent.objects.count()

    for act in (
        lambda: wf.appraisal_accept(actor=w.officer, dossier=dossier),
        lambda: wf.appraisal_return(actor=w.officer, dossier=dossier, items=["Bổ sung biên bản"]),
        lambda: wf.appraisal_reject(actor=w.officer, dossier=dossier, reasons="Không đủ điều kiện"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            act()
        assert "This dossier is assigned to Phạm Thu Hà" in str(refused.value)
    assert fresh(dossier).state == S.IN_APPRAISAL
    assert AuditEvent.objects.count() == events
    assert not can_appraise(w.officer, fresh(dossier))


def test_the_assignee_appraises(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)
    wf.appraisal_accept(actor=w.spec_1, dossier=dossier)
    assert fresh(dossier).state == S.IN_COUNCIL


def test_the_leader_may_still_act_on_a_task_the_assignee_holds(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)
    wf.appraisal_return(actor=w.leader, dossier=dossier, items=["Bổ sung biên bản họp"])
    assert fresh(dossier).state == S.RETURNED


def test_an_assigned_dossier_not_yet_received_waits_for_its_assignee(body):
    w = body
    dossier = submitted(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_2)
    with pytest.raises(PermissionDenied, match="assigned to Vũ Minh An"):
        wf.appraisal_receive(actor=w.officer, dossier=dossier)
    wf.appraisal_receive(actor=w.spec_2, dossier=dossier)
    assert fresh(dossier).state == S.IN_APPRAISAL


def test_an_unassigned_dossier_stays_open_to_every_officer(body):
    """A small body has one officer and no leader: nothing waits for an assignment."""
    w = body
    dossier = in_appraisal(w, new_dossier(w))  # received by `officer`, assigned to nobody
    wf.appraisal_accept(actor=w.officer, dossier=dossier)
    assert fresh(dossier).state == S.IN_COUNCIL


def test_only_the_leader_assigns_and_only_to_a_specialist_of_the_body_active_today(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    with pytest.raises(PermissionDenied, match="leader of the standing body"):
        wf.dossier_assign(actor=w.officer, dossier=dossier, assignee=w.spec_1)
    with pytest.raises(ValidationError) as refused:
        wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.chair)
    assert "assignee" in refused.value.message_dict
    gone = f.UserFactory(username="gone")
    f.role_assign(
        actor="system",
        user=gone,
        role=Role.STANDING_OFFICER,
        unit=w.commune,
        start=dt.date(2020, 1, 1),
        end=w.today - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=gone)
    province_leader = f.user_with_role(Role.STANDING_LEADER, w.province, username="province_leader")
    with pytest.raises(PermissionDenied):
        wf.dossier_assign(actor=province_leader, dossier=dossier, assignee=w.spec_1)
    assert not DossierAssignment.objects.exists()


def test_a_dossier_past_the_standing_body_cannot_be_assigned(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    wf.appraisal_accept(actor=w.officer, dossier=dossier)
    with pytest.raises(TransitionNotAllowed):
        wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)


def test_load_counts_open_and_overdue_dossiers_per_specialist(body, django_assert_num_queries):
    w = body
    recent = parked(w, DossierFlow.appraise, S.IN_APPRAISAL, 3, reviewing_unit=w.commune)
    old = parked(w, DossierFlow.appraise, S.IN_APPRAISAL, 2, reviewing_unit=w.commune)
    Dossier.objects.filter(pk__in=[d.pk for d in old]).update(
        submitted_at=timezone.now() - dt.timedelta(days=60)
    )
    done = parked(w, DossierFlow.decide, S.AWAITING_DECISION, 1, reviewing_unit=w.commune)
    for d in recent[:2] + old:
        wf.dossier_assign(actor=w.leader, dossier=d, assignee=w.spec_1)
    wf.dossier_assign(actor=w.leader, dossier=recent[2], assignee=w.spec_2)
    # Assigned while open, then moved on: no longer the specialist's load.
    DossierAssignment.objects.create(dossier=done[0], assignee=w.spec_2, assigned_by=w.leader)
    calendar = WorkingCalendar()

    with django_assert_num_queries(1):
        load = assignment_selectors.specialist_load(unit=w.commune, calendar=calendar)
    assert sorted((r.user.username, r.open_count, r.overdue_count) for r in load) == [
        ("officer", 0, 0),
        ("spec1", 4, 2),
        ("spec2", 1, 0),
    ]
    assert "leader" not in {r.user.username for r in load}


def test_load_costs_the_same_queries_for_more_specialists(body, django_assert_num_queries):
    w = body
    for i in range(6):
        user = f.user_with_role(Role.STANDING_OFFICER, w.commune, username=f"extra{i}")
        (d,) = parked(w, DossierFlow.appraise, S.IN_APPRAISAL, 1, reviewing_unit=w.commune)
        wf.dossier_assign(actor=w.leader, dossier=d, assignee=user)
    with django_assert_num_queries(2):  # the holidays, then the table
        load = assignment_selectors.specialist_load(unit=w.commune)
    assert len(load) == 9 and sum(r.open_count for r in load) == 6
