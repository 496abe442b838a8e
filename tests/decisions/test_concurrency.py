"""A double click, or the chair and the vice-chair signing the same batch at once, on PostgreSQL:
one decision, never two; overlapping batches never deadlock and never decide a dossier twice."""

import pytest
from django.apps import apps as django_apps

from approvals.models import Award, Decision
from dossiers.models import Dossier
from dossiers.reference_data import seed_reference_data
from tests.workflows.conftest import awaiting_decision, new_dossier
from tests.workflows.test_concurrency import at_once
from workflows import services as wf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    seed_reference_data(django_apps)


def test_signing_one_batch_many_times_at_once_makes_one_decision(people):
    w = people
    dossiers = [awaiting_decision(w, new_dossier(w)) for _ in range(3)]
    calls = [
        lambda who=who, capacity=capacity: (
            wf.decision_issue(
                actor=who, dossiers=dossiers, title="Về việc tặng Giấy khen", capacity=capacity
            ).pk
        )
        for who, capacity in [(w.chair, ""), (w.vice_chair, "KT")] * (THREADS // 2)
    ]

    results = at_once(calls)

    assert [r[0] for r in results].count("done") == 1, results
    assert {r[0] for r in results} == {"done", "refused"}, results
    assert Decision.objects.count() == 1
    decision = Decision.objects.get()
    assert decision.dossiers.count() == 3 and Award.objects.count() == 3
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("state", flat=True)) == {
        "decided"
    }


def test_overlapping_batches_at_once_decide_each_dossier_once(people):
    w = people
    a, b, c = (awaiting_decision(w, new_dossier(w)) for _ in range(3))

    results = at_once(
        [
            lambda: wf.decision_issue(actor=w.chair, dossiers=[a, b], title="Đợt 1").pk,
            lambda: wf.decision_issue(actor=w.chair, dossiers=[c, b], title="Đợt 2").pk,
        ]
        * 2
    )

    assert "error" not in {r[0] for r in results}, results
    assert [r[0] for r in results].count("done") == 1, results
    assert Award.objects.count() == 2
    assert Decision.objects.count() == 1
