"""Legal grounds as data: each cited in full, in the usual order (the law organising the issuing
body first, then laws, decrees, circulars, then the local plans and decisions, by date), once."""

import datetime as dt

import pytest

from dossiers import legal
from dossiers.models import AwardRule, CampaignGround, LegalGround, RuleGround
from tests import factories as f

pytestmark = pytest.mark.django_db

LOCAL_GOVERNMENT = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
LAW = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
DECREE = (
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết "
    "một số điều của Luật Thi đua, khen thưởng;"
)
PLAN = (
    "Căn cứ Kế hoạch số 19/KH-HĐTĐKT ngày 28 tháng 4 năm 2021 của Hội đồng Thi đua - Khen thưởng "
    "quận Long Biên về tổ chức phong trào thi đua “Sáng kiến, sáng tạo Thủ đô” giai đoạn 2021 - 2025;"
)
OLD_PLAN = (
    "Căn cứ Kế hoạch số 04/KH-UBND ngày 22 tháng 01 năm 2021 của Ủy ban nhân dân quận Long Biên "
    "về công tác thi đua, khen thưởng giai đoạn 2021 - 2025;"
)


def ground(number):
    return LegalGround.objects.get(number=number)


def test_a_law_is_cited_by_its_name_and_date_a_decree_by_number_date_issuer_and_subject(world):
    assert ground("06/2022/QH15").citation == LAW
    assert ground("152/2025/NĐ-CP").citation == DECREE
    assert ground("19/KH-HĐTĐKT").citation == PLAN
    assert str(ground("152/2025/NĐ-CP")) == "Nghị định số 152/2025/NĐ-CP"


def test_a_day_below_ten_and_january_and_february_take_a_leading_zero():
    assert legal.date_words(dt.date(2021, 1, 2)) == "ngày 02 tháng 01 năm 2021"
    assert legal.date_words(dt.date(2025, 6, 16)) == "ngày 16 tháng 6 năm 2025"


def test_every_rule_era_rests_on_the_law_and_its_decree(world):
    numbers = {
        rule.valid_from: [link.ground.number for link in RuleGround.objects.filter(rule=rule)]
        for rule in AwardRule.objects.filter(award_type=f.award("giay-khen"))
    }
    assert numbers == {
        dt.date(2024, 1, 1): ["06/2022/QH15", "98/2023/NĐ-CP"],
        dt.date(2025, 7, 1): ["06/2022/QH15", "152/2025/NĐ-CP"],
    }


def test_grounds_are_ordered_and_deduplicated_whatever_order_they_are_attached_in(world):
    campaign = world.campaign
    # Attached in the wrong order, the law twice (by the rule and by the campaign).
    for position, number in enumerate(["19/KH-HĐTĐKT", "06/2022/QH15", "04/KH-UBND"]):
        CampaignGround.objects.create(campaign=campaign, ground=ground(number), position=position)
    rules = [f.award("giay-khen").rule_on(world.today), f.award("lao-dong-tien-tien").rule_on(world.today)]

    grounds = legal.grounds_for(campaign=campaign, rules=rules, on=world.today)

    assert [g.citation for g in grounds] == [LOCAL_GOVERNMENT, LAW, DECREE, OLD_PLAN, PLAN]
    # Without a day, no law organising the issuing body (a unit's tờ trình).
    assert legal.grounds_for(campaign=campaign, rules=rules)[0].number == "06/2022/QH15"


def test_the_law_organising_the_body_is_the_one_in_force_that_day(world):
    assert [g.number for g in legal.grounds_for(on=dt.date(2025, 3, 1))] == ["77/2015/QH13"]
    assert [g.number for g in legal.grounds_for(on=dt.date(2025, 7, 1))] == ["72/2025/QH15"]


def test_free_text_is_kept_only_for_what_has_no_ground_rows(world):
    campaign = world.campaign
    campaign.legal_basis = "Kế hoạch số 19/KH-HĐTĐKT; Luật Thi đua, khen thưởng số 06/2022/QH15"
    campaign.save()
    rule = f.award("giay-khen").rule_on(world.today)

    lines = legal.citations(campaign=campaign, rules=[rule])
    # The campaign has no rows: its own plan is cited from the text, the law (a row of the rule) once.
    assert lines == [LAW, DECREE, "Căn cứ Kế hoạch số 19/KH-HĐTĐKT;"]

    CampaignGround.objects.create(campaign=campaign, ground=ground("19/KH-HĐTĐKT"))
    assert legal.citations(campaign=campaign, rules=[rule]) == [LAW, DECREE, PLAN]


def test_a_ground_of_a_pinned_rule_is_never_changed(world, complete_draft):
    from django.core.exceptions import ValidationError

    from dossiers import services

    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    rule = complete_draft.nominee.award_type.rule_on(world.today)
    with pytest.raises(ValidationError):
        RuleGround.objects.create(rule=rule, ground=ground("19/KH-HĐTĐKT"))
    with pytest.raises(ValidationError):
        RuleGround.objects.filter(rule=rule).first().delete()
