"""A campaign's cap on proposals per unit (seed 002: at most 3 entries per unit) is checked at
submission across the unit's dossiers in the campaign; its quotas cap awards, not proposals."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from dossiers import services
from dossiers.models import Campaign, Dossier, DossierState
from tests import factories as f

pytestmark = pytest.mark.django_db


def _cap(world, cap):
    Campaign.objects.filter(pk=world.campaign.pk).update(max_nominees_per_unit=cap)


def _submitted(world, unit, n, state=DossierState.SUBMITTED):
    dossier = f.DossierFactory(unit=unit, campaign=world.campaign, created_by=world.staff_a, state=state)
    for _i in range(n):
        f.NomineeFactory(dossier=dossier)
    return dossier


def test_a_unit_over_the_cap_is_refused_with_the_count(complete_draft, world):
    _cap(world, 3)
    _submitted(world, world.school_a, 3)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert info.value.messages == [
        "The campaign accepts at most 3 nominees from each unit: Trường THCS Ngọc Lâm has already "
        "submitted 3, this dossier adds 1."
    ]
    assert Dossier.objects.get(pk=complete_draft.pk).state == DossierState.DRAFT
    assert AuditEvent.objects.count() == before


def test_the_cap_counts_only_the_units_own_live_dossiers(complete_draft, world):
    _cap(world, 3)
    _submitted(world, world.school_a, 2)
    _submitted(world, world.school_a, 5, state=DossierState.DRAFT)
    _submitted(world, world.school_a, 5, state=DossierState.WITHDRAWN)
    _submitted(world, world.school_b, 9)  # another unit's proposals never count
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert Dossier.objects.get(pk=complete_draft.pk).state == DossierState.SUBMITTED


def test_without_a_cap_units_propose_past_the_quota(complete_draft, world):
    f.quota(world.campaign, 1, nominee_kind="individual")
    _submitted(world, world.school_b, 4)
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert Dossier.objects.get(pk=complete_draft.pk).state == DossierState.SUBMITTED
