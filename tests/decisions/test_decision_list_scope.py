"""The decisions a user sees are those covering (or revoking a decision covering) a dossier they
may see: each once, however many of their dossiers it covers, and never another unit's."""

import pytest

from approvals.models import Decision, DecisionKind
from dossiers.models import DossierState
from tests import factories as f
from workflows.selectors import decisions_for

pytestmark = pytest.mark.django_db


def decision(world, number, dossiers, **extra):
    d = Decision.objects.create(
        issuer=world.commune,
        year=2026,
        number=number,
        title=f"Quyết định {number}",
        signed_on=world.today,
        signed_by=world.chair,
        **extra,
    )
    d.dossiers.set(dossiers)
    return d


def dossier(world, unit):
    return f.DossierFactory(
        unit=unit, campaign=world.campaign, created_by=world.staff_a, state=DossierState.DECIDED
    )


def test_a_decision_covering_several_of_my_dossiers_is_listed_once(world):
    mine = [dossier(world, world.school_a) for _ in range(3)]
    both = decision(world, 1, [*mine, dossier(world, world.school_b)])
    assert list(decisions_for(user=world.head_a)) == [both]


def test_another_units_decision_is_not_mine_but_its_revocation_of_mine_is(world):
    mine, theirs = dossier(world, world.school_a), dossier(world, world.school_b)
    awarded = decision(world, 1, [mine])
    decision(world, 2, [theirs])
    revocation = decision(world, 3, [], kind=DecisionKind.REVOCATION, revokes=awarded)
    assert set(decisions_for(user=world.head_a)) == {awarded, revocation}
    assert decisions_for(user=world.head_b).count() == 1
