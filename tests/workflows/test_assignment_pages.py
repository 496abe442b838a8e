"""The assignment on the pages and in the API: the leader's queue (assign control, load table),
the specialist's "assigned to me", the dossier page's assignee, /api/…/assign/ and
/api/standing-load/."""

import pytest
from django.urls import reverse

from approvals.models import DossierAssignment
from approvals.permissions import APPRAISE_PERMISSION
from dossiers.models import Dossier, DossierState
from org.models import Role
from tests import factories as f
from tests.api.helpers import english_client
from workflows import services as wf
from workflows.flows import DossierFlow

from .conftest import in_appraisal, new_dossier, parked

S = DossierState


@pytest.fixture
def body(people):
    w = people
    w.leader = f.user_with_role(Role.STANDING_LEADER, w.commune, username="leader", full_name="Lê Văn Lãnh")
    w.spec_1 = f.user_with_role(Role.STANDING_OFFICER, w.commune, username="spec1", full_name="Phạm Thu Hà")
    w.spec_2 = f.user_with_role(Role.STANDING_OFFICER, w.commune, username="spec2", full_name="Vũ Minh An")
    return w


def test_leader_assigns_from_the_queue_and_sees_the_load(client, body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    client.force_login(w.leader)
    page = client.get(reverse("standing-queue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="specialist-load"' in html and 'data-testid="assign-form"' in html
    assert {r.user.username for r in page.context["loads"][0]["rows"]} == {"officer", "spec1", "spec2"}

    response = client.post(
        reverse("dossier-assign", args=[dossier.pk]),
        {"assignee": w.spec_1.pk, "next": reverse("standing-queue")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("standing-queue")
    assert DossierAssignment.objects.get(dossier=dossier).assignee == w.spec_1
    loads = {
        r.user.username: r.open_count
        for r in client.get(reverse("standing-queue")).context["loads"][0]["rows"]
    }
    assert loads["spec1"] == 1 and loads["spec2"] == 0


def test_a_reassignment_without_reason_is_refused_on_the_page(client, body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)
    client.force_login(w.leader)
    response = client.post(
        reverse("dossier-assign", args=[dossier.pk]), {"assignee": w.spec_2.pk}, follow=True
    )
    assert "Hãy nêu lý do giao hồ sơ cho chuyên viên khác." in response.content.decode()
    assert DossierAssignment.objects.get(ended_at__isnull=True).assignee == w.spec_1


def test_an_officer_cannot_assign_on_the_page(client, body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    client.force_login(w.spec_1)
    response = client.post(reverse("dossier-assign", args=[dossier.pk]), {"assignee": w.spec_1.pk})
    assert response.status_code == 403
    assert not DossierAssignment.objects.exists()


def test_specialist_sees_assigned_to_me_and_the_dossier_page_names_the_assignee(client, body):
    w = body
    mine = in_appraisal(w, new_dossier(w))
    other = in_appraisal(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=mine, assignee=w.spec_1)
    wf.dossier_assign(actor=w.leader, dossier=other, assignee=w.spec_2)
    client.force_login(w.spec_1)
    page = client.get(reverse("standing-queue"), {"holder": "assigned_me"})
    assert [row.dossier.pk for row in page.context["page"].object_list] == [mine.pk]
    assert "Được giao cho tôi" in page.content.decode()
    assert "loads" not in page.context  # the load table is the leader's

    detail = client.get(reverse("dossier-detail", args=[other.pk]))
    assert detail.context["assignment"].assignee == w.spec_2
    assert detail.context["assign_form"] is None
    assert "Vũ Minh An" in detail.content.decode()
    assert "accept" not in detail.context["actions"]


def test_my_tasks_leaves_out_dossiers_assigned_to_others(client, body):
    w = body
    d1, d2 = parked(w, DossierFlow.appraise, S.SUBMITTED, 2, reviewing_unit=w.commune)
    wf.dossier_assign(actor=w.leader, dossier=d1, assignee=w.spec_2)
    client.force_login(w.spec_1)
    rows = client.get(reverse("my-tasks")).context["page"].object_list
    assert {row.dossier.pk for row in rows} == {d2.pk}
    client.force_login(w.leader)
    rows = client.get(reverse("my-tasks")).context["page"].object_list
    assert {row.dossier.pk for row in rows} == {d1.pk, d2.pk}


def test_my_tasks_says_to_whom_each_dossier_is_assigned(client, body):
    """The specialist's own list marks the dossier the leader gave her; the leader's names the
    specialist it went to, and nobody is told "nobody yet" of an assigned dossier."""
    w = body
    d1, d2 = parked(w, DossierFlow.appraise, S.SUBMITTED, 2, reviewing_unit=w.commune)
    wf.dossier_assign(actor=w.leader, dossier=d1, assignee=w.spec_1)
    client.force_login(w.spec_1)
    page = client.get(reverse("my-tasks"))
    rows = {row.dossier.pk: row for row in page.context["page"].object_list}
    assert rows[d1.pk].assignment.assignee == w.spec_1 and rows[d2.pk].assignment is None
    html = page.content.decode()
    assert html.count("Được giao cho tôi") == 1 and html.count('data-testid="not-taken"') == 1
    client.force_login(w.leader)
    html = client.get(reverse("my-tasks")).content.decode()
    assert "Đã giao cho Phạm Thu Hà" in html


def test_leader_page_offers_the_appraisal_of_a_task_the_assignee_holds(client, body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_1)
    client.force_login(w.leader)
    detail = client.get(reverse("dossier-detail", args=[dossier.pk]))
    assert {"accept", "return", "reject"} <= detail.context["actions"].allowed
    assert detail.context["assign_form"] is not None


def test_leader_queue_costs_the_same_queries_for_more_rows(client, body, django_assert_num_queries):
    w = body

    def count(n):
        for d in parked(
            w, DossierFlow.appraise, S.IN_APPRAISAL, n, reviewing_unit=w.commune, owner=w.officer
        ):
            wf.dossier_assign(actor=w.leader, dossier=d, assignee=w.spec_1)
        client.force_login(w.leader)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("standing-queue")).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(10)


def test_api_assign_reassign_and_load(body):
    w = body
    dossier = in_appraisal(w, new_dossier(w))
    api = english_client()
    api.force_authenticate(w.leader)
    url = f"/api/dossiers/{dossier.pk}/assign/"
    response = api.post(url, {"assignee": w.spec_1.pk}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["assignee"]["username"] == "spec1"
    response = api.post(url, {"assignee": w.spec_2.pk}, format="json")
    assert response.status_code == 400 and "reason" in response.data
    response = api.post(url, {"assignee": w.spec_2.pk, "reason": "Cân đối khối lượng"}, format="json")
    assert response.status_code == 200 and response.data["reason"] == "Cân đối khối lượng"
    d = Dossier.objects.get(pk=dossier.pk)
    assert w.spec_2.has_perm(APPRAISE_PERMISSION, d) and not w.spec_1.has_perm(APPRAISE_PERMISSION, d)

    load = api.get("/api/standing-load/")
    assert load.status_code == 200
    rows = {r["specialist"]["username"]: (r["open"], r["overdue"]) for r in load.data[0]["specialists"]}
    assert rows == {"officer": (0, 0), "spec1": (0, 0), "spec2": (1, 0)}

    api.force_authenticate(w.spec_1)
    assert api.post(url, {"assignee": w.spec_1.pk, "reason": "x"}, format="json").status_code == 403
    assert api.get("/api/standing-load/").data == []
    api.force_authenticate(w.head_b)
    assert api.post(url, {"assignee": w.spec_1.pk}, format="json").status_code == 404
