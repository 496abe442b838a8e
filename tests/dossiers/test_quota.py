"""What counts against a campaign's quota is said once, on CampaignQuota: `matches(nominee)` for a
nominee in hand and `nominee_filter()` for counting in the database. Both must say the same."""

import pytest

from dossiers.models import Nominee
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_rule_in_hand_and_the_rule_in_the_database_agree(world):
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    other_campaign = f.DossierFactory(
        unit=world.school_a, campaign=f.CampaignFactory(organizer=world.commune), created_by=world.staff_a
    )
    giay_khen, chien_si = f.award("giay-khen"), f.award("chien-si-thi-dua-co-so")
    nominees = [
        f.NomineeFactory(dossier=dossier, kind="individual", award_type=giay_khen),
        f.NomineeFactory(dossier=dossier, kind="collective", award_type=giay_khen),
        f.NomineeFactory(dossier=dossier, kind="individual", award_type=chien_si),
    ]
    elsewhere = f.NomineeFactory(dossier=other_campaign, kind="individual", award_type=giay_khen)
    quotas = {
        "award type": f.quota(world.campaign, 1, award_type=giay_khen),
        "kind": f.quota(world.campaign, 1, nominee_kind="individual"),
        "both": f.quota(world.campaign, 1, nominee_kind="individual", award_type=giay_khen),
    }
    expected = {
        "award type": [True, True, False],
        "kind": [True, False, True],
        "both": [True, False, False],
    }

    for name, quota in quotas.items():
        assert [quota.matches(n) for n in nominees] == expected[name], name
        counted = set(Nominee.objects.filter(quota.nominee_filter()).values_list("pk", flat=True))
        assert counted == {n.pk for n in nominees if quota.matches(n)}, name
        assert elsewhere.pk not in counted  # another campaign's nominees never count
