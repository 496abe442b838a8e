"""The demo shows the award history: recorded awards, an eligibility override on a draft that
stays submittable, and the campaign's plans cited as legal grounds."""

import pytest
from django.core.management import call_command

from dossiers import legal
from dossiers.history import award_history, nominee_eligibility
from dossiers.models import AwardRecord, Campaign, EligibilityOverride


@pytest.mark.calendar
def test_the_demo_has_history_an_override_and_grounds(db):
    call_command("seed_demo")

    assert AwardRecord.objects.filter(voided_at__isnull=True).count() >= 6
    override = EligibilityOverride.objects.select_related("nominee__dossier").get()
    nominee = override.nominee
    assert nominee.dossier.state == "draft" and "Gia Thụy" in override.reason
    [result] = nominee_eligibility(nominee)
    assert not result.met and result.passes and len(result.found) == 2
    assert [e.award_name for e in award_history(nominee)] == ["Chiến sĩ thi đua cơ sở"] * 2

    campaign = Campaign.objects.filter(ground_links__isnull=False).distinct().get()
    numbers = [g.number for g in legal.grounds_for(campaign=campaign)]
    assert numbers == ["04/KH-UBND", "19/KH-HĐTĐKT"]
