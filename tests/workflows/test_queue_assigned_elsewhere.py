"""The standing body's queue offers "Receive" only to who may take the dossier: once the leader
has assigned it, another specialist sees whom it is assigned to instead of a button that refuses."""

import pytest
from django.urls import reverse

from dossiers.models import DossierState
from org.models import Role
from tests import factories as f
from workflows import services as wf
from workflows.flows import DossierFlow

from .conftest import parked

S = DossierState


@pytest.fixture
def body(people):
    w = people
    w.leader = f.user_with_role(Role.STANDING_LEADER, w.commune, username="leader", full_name="Lê Văn Lãnh")
    w.spec_1 = f.user_with_role(Role.STANDING_OFFICER, w.commune, username="spec1", full_name="Phạm Thu Hà")
    w.spec_2 = f.user_with_role(Role.STANDING_OFFICER, w.commune, username="spec2", full_name="Vũ Minh An")
    return w


def _row(client, dossier):
    page = client.get(reverse("standing-queue"))
    assert page.status_code == 200
    (row,) = [r for r in page.context["page"].object_list if r.dossier.pk == dossier.pk]
    return row, page.content.decode()


def test_another_specialist_sees_the_assignee_instead_of_receive(client, body):
    w = body
    (dossier,) = parked(w, DossierFlow.appraise, S.SUBMITTED, 1, reviewing_unit=w.commune)
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_2)
    client.force_login(w.spec_1)
    row, html = _row(client, dossier)
    assert row.assigned_elsewhere
    # Who holds it is said once, beside the dossier; the action column says why there is no button.
    held = "Đã giao cho Vũ Minh An"
    assert held in html and html.count("Vũ Minh An") == html.count(held)
    assert 'data-testid="assigned-elsewhere"' in html and "Chỉ người được giao mới nhận" in html
    # Nobody has taken it yet, but it is not nobody's: the holder column does not say "nobody".
    assert 'data-testid="not-taken">Chưa có người nhận<' in html and 'text-muted">Chưa có ai<' not in html
    assert reverse("task-claim", args=[row.task.pk]) not in html
    # The refusal the button would have led to is still there.
    assert client.post(reverse("task-claim", args=[row.task.pk])).status_code == 403


@pytest.mark.parametrize("who", ["spec_2", "leader"])
def test_the_assignee_and_the_leader_still_get_the_button(client, body, who):
    w = body
    (dossier,) = parked(w, DossierFlow.appraise, S.SUBMITTED, 1, reviewing_unit=w.commune)
    wf.dossier_assign(actor=w.leader, dossier=dossier, assignee=w.spec_2)
    client.force_login(getattr(w, who))
    row, html = _row(client, dossier)
    assert not row.assigned_elsewhere
    assert reverse("task-claim", args=[row.task.pk]) in html
    assert 'data-testid="assigned-elsewhere"' not in html


def test_an_unassigned_dossier_is_open_to_every_specialist(client, body):
    w = body
    (dossier,) = parked(w, DossierFlow.appraise, S.SUBMITTED, 1, reviewing_unit=w.commune)
    client.force_login(w.spec_1)
    row, html = _row(client, dossier)
    assert not row.assigned_elsewhere
    assert reverse("task-claim", args=[row.task.pk]) in html
