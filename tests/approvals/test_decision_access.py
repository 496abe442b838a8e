"""One way to fetch a decision for a user (approvals.selectors.access_decision), used by the
workflow's pages and API and by the documents': who sees what, and what it comes with."""

import datetime as dt

import pytest
from django.http import Http404

from approvals.models import Award, Decision, DecisionKind
from approvals.selectors import access_decision
from tests import factories as f


@pytest.fixture
def decision(world):
    dossiers = [
        f.DossierFactory(
            unit=world.school_a,
            campaign=world.campaign,
            created_by=world.staff_a,
            reviewing_unit=world.commune,
        )
        for _ in range(2)
    ]
    decision = f.decision(world.commune, world.chair)
    decision.dossiers.set(reversed(dossiers))
    for dossier, amount in zip(dossiers, (710_000, 1_060_000), strict=True):
        Award.objects.create(decision=decision, nominee=f.NomineeFactory(dossier=dossier), amount=amount)
    decision.covered = dossiers
    return decision


def test_whoever_sees_a_dossier_it_covers_gets_it_with_its_awards(decision, world):
    got = access_decision(user=world.head_a, pk=decision.pk)

    assert got == decision
    assert got.covered_dossiers == decision.covered  # in the order they were made
    assert sorted(a.amount for a in got.award_list) == [710_000, 1_060_000]
    assert got.total_amount == 1_770_000


@pytest.mark.parametrize("pk", ["nope", None, 10**9])
def test_a_missing_decision_is_a_404(world, pk):
    with pytest.raises(Http404):
        access_decision(user=world.head_a, pk=pk)


def test_anyone_else_gets_a_404_as_if_it_did_not_exist(decision, world):
    with pytest.raises(Http404):
        access_decision(user=world.head_b, pk=decision.pk)


def test_a_revocation_is_seen_through_the_dossiers_of_the_decision_it_revokes(decision, world):
    award = decision.awards.order_by("pk").first()
    revocation = Decision.objects.create(
        issuer=world.commune,
        year=2026,
        number=2,
        kind=DecisionKind.REVOCATION,
        title="Về việc hủy bỏ",
        signed_on=dt.date(2026, 3, 1),
        signed_by=world.chair,
        revokes=decision,
    )
    Award.objects.filter(pk=award.pk).update(revoked_by=revocation)

    got = access_decision(user=world.head_a, pk=revocation.pk)

    assert got.covered_dossiers == decision.covered
    assert [a.pk for a in got.award_list] == [award.pk]  # the awards it revoked
    assert got.total_amount == award.amount
    with pytest.raises(Http404):
        access_decision(user=world.head_b, pk=revocation.pk)
