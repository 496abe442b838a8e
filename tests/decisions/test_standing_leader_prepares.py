"""The standing body's leader prepares a decision draft as its officers do."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from approvals import services as approvals
from approvals.models import DecisionDraft
from audit.models import AuditEvent
from org.models import Role
from tests import factories as f
from tests.workflows.conftest import awaiting_decision, new_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(people):
    return f.user_with_role(Role.STANDING_LEADER, people.commune, username="lanhdao.tdkt")


def test_the_standing_bodys_leader_opens_the_page_and_prepares_a_draft(people, leader, client):
    w = people
    dossiers = [awaiting_decision(w, new_dossier(w)) for _ in range(2)]
    client.force_login(leader)
    page = client.get(reverse("decision-prepare"))
    html = page.content.decode()
    assert page.status_code == 200 and "prepare-button" in html and "preview-button" not in html
    done = client.post(
        reverse("decision-prepare"),
        {"decision-dossiers": [d.pk for d in dossiers], "decision-title": "Về việc tặng Giấy khen"},
    )
    assert done.status_code == 302
    draft = DecisionDraft.objects.get()
    assert draft.prepared_by == leader and draft.issuer == w.commune
    assert sorted(d.pk for d in draft.dossiers.all()) == sorted(d.pk for d in dossiers)
    assert AuditEvent.objects.filter(action="decision.draft_prepare", actor=leader.username).count() == 1


def test_the_leader_of_another_bodys_standing_body_may_not_prepare(people):
    w = people
    other = f.user_with_role(Role.STANDING_LEADER, w.province, username="province_leader")
    dossier = awaiting_decision(w, new_dossier(w))
    with pytest.raises(PermissionDenied):
        approvals.decision_draft_prepare(actor=other, dossiers=[dossier], title="x")
    assert DecisionDraft.objects.count() == 0
