"""The revocation form and API ask the day the cash and the certificate must be returned by
(approvals.services.decision_revoke's `return_by`), showing the default: 30 days after signing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Decision
from org.models import User
from tests.api.helpers import english_client
from workflows import services as wf

from .conftest import awaiting_decision, new_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(people):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    return wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")


def test_the_revocation_form_shows_thirty_days_after_today_by_default(people, client, decision):
    client.force_login(people.chair)

    html = client.get(reverse("decision-detail", args=[decision.pk])).content.decode()

    default = timezone.localdate() + dt.timedelta(days=30)
    assert f'name="revoke-return_by" value="{default:%Y-%m-%d}"' in html


def test_the_day_chosen_on_the_page_is_the_revocations(people, client, decision):
    award = decision.awards.get()
    client.force_login(people.chair)
    chosen = timezone.localdate() + dt.timedelta(days=45)

    response = client.post(
        reverse("decision-revoke", args=[decision.pk]),
        {
            "revoke-awards": [award.pk],
            "revoke-reason": "Hồ sơ giả mạo.",
            "revoke-return_by": chosen.isoformat(),
        },
    )

    assert response.status_code == 302
    revocation = Decision.objects.get(revokes=decision)
    assert revocation.return_by == chosen


def test_a_return_day_not_after_the_signing_is_refused_on_the_form_in_vietnamese(people, client, decision):
    award = decision.awards.get()
    client.force_login(people.chair)

    response = client.post(
        reverse("decision-revoke", args=[decision.pk]),
        {
            "revoke-awards": [award.pk],
            "revoke-reason": "Hồ sơ giả mạo.",
            "revoke-return_by": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400
    assert not Decision.objects.filter(revokes=decision).exists()
    assert "phải sau ngày ký quyết định" in response.content.decode()


def test_the_api_takes_the_return_day_or_the_default(people, decision):
    api = english_client()
    api.force_authenticate(User.objects.get(pk=people.chair.pk))
    award = decision.awards.get()
    chosen = timezone.localdate() + dt.timedelta(days=60)

    response = api.post(
        f"/api/decisions/{decision.pk}/revoke/",
        {"awards": [award.pk], "reason": "Hồ sơ giả mạo.", "return_by": chosen.isoformat()},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Decision.objects.get(revokes=decision).return_by == chosen
