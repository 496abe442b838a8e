"""A decision draft naming no approved nominee is refused as the chair's preview refuses it,
with the same message, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from approvals import services as approvals
from approvals.models import DecisionDraft
from audit.models import AuditEvent
from dossiers.models import Nominee, NomineeOutcome
from tests.workflows.conftest import awaiting_decision, new_dossier

pytestmark = pytest.mark.django_db


def test_a_draft_without_any_approved_nominee_is_refused_and_nothing_is_written(people):
    w = people
    dossier = awaiting_decision(w, new_dossier(w))
    Nominee.objects.filter(dossier=dossier).update(outcome=NomineeOutcome.VOTED_OUT)
    events = AuditEvent.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        approvals.decision_draft_prepare(actor=w.officer, dossiers=[dossier], title="Về việc tặng Giấy khen")
    assert refused.value.messages == [
        "Không có đối tượng nào được thông qua: hãy chọn “Không khen thưởng” đối với hồ sơ này."
    ]
    assert DecisionDraft.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_draft_without_any_approved_nominee_is_refused_on_the_page(people, client):
    w = people
    dossier = awaiting_decision(w, new_dossier(w))
    Nominee.objects.filter(dossier=dossier).update(outcome=NomineeOutcome.VOTED_OUT)
    client.force_login(w.officer)
    page = client.post(
        reverse("decision-prepare"),
        {"decision-dossiers": [dossier.pk], "decision-title": "Về việc tặng Giấy khen"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert page.status_code == 400
    assert "hãy chọn “Không khen thưởng” đối với hồ sơ này" in page.content.decode()
    assert DecisionDraft.objects.count() == 0


def test_one_approved_nominee_among_the_dossiers_is_enough_for_a_draft(people):
    w = people
    empty, full = (awaiting_decision(w, new_dossier(w)) for _ in range(2))
    Nominee.objects.filter(dossier=empty).update(outcome=NomineeOutcome.VOTED_OUT)
    draft = approvals.decision_draft_prepare(
        actor=w.officer, dossiers=[empty, full], title="Về việc tặng Giấy khen"
    )
    assert draft.dossiers.count() == 2
