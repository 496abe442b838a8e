"""The inboxes of a province stay cheap (issue 16): their count stops at a cap and says "more
than" past it, and the chair's list counts each dossier's approved nominees for the rows shown."""

from django.urls import reverse
from django.utils import timezone

from dossiers.models import DossierState
from dossiers.paging import CappedPaginator
from tests import factories as f
from workflows.flows import DossierFlow

from .conftest import parked

S = DossierState


def test_the_queue_says_more_than_past_the_cap(client, people, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    parked(people, DossierFlow.appraise, S.SUBMITTED, 5)
    client.force_login(people.officer)

    response = client.get(reverse("standing-queue"))

    assert response.context["page"].paginator.capped
    assert "hơn 3 việc" in response.content.decode()


def test_the_queue_counts_exactly_below_the_cap(client, people, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    parked(people, DossierFlow.appraise, S.SUBMITTED, 5)
    client.force_login(people.officer)

    response = client.get(reverse("standing-queue"))

    assert response.context["page"].paginator.count == 5
    assert not response.context["page"].paginator.capped
    assert "hơn 5" not in response.content.decode()


def test_to_sign_counts_each_dossiers_approved_current_nominees(client, people):
    first, second = parked(people, DossierFlow.decide, S.AWAITING_DECISION, 2)  # 2 voted in each
    f.NomineeFactory(dossier=first, outcome="voted_out")
    f.NomineeFactory(dossier=first, outcome="eligible")
    f.NomineeFactory(dossier=second, outcome="voted_in", removed_at=timezone.now())
    client.force_login(people.chair)

    response = client.get(reverse("to-sign"))

    counts = {row.dossier.pk: row.task.approved_count for row in response.context["page"].object_list}
    assert counts == {first.pk: 3, second.pk: 2}
