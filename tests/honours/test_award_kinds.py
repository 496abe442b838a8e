"""The state honours, long-service and resistance award kinds as rules: decided at the central
level (no chair of the engine decides them), publicly noticed 10 working days, and each with its
own required documents, enforced when the unit submits and again when the province proposes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from approvals.services import decides_here
from dossiers.models import CENTRAL_LEVEL, AwardType
from honours import services
from workflows import services as wf

from .builders import at_chair, draft_for, proposal

pytestmark = pytest.mark.django_db

CENTRAL_AWARDS = [
    "bang-khen-thu-tuong",
    "co-thi-dua-chinh-phu",
    "chien-si-thi-dua-toan-quoc",
    "huan-chuong-lao-dong-hang-ba",
    "huan-chuong-lao-dong-cong-hien",
    "huy-chuong-khang-chien",
]


@pytest.mark.parametrize("code", CENTRAL_AWARDS)
def test_state_honours_are_decided_at_the_central_level_with_ten_days_of_notice(hw, code):
    rule = AwardType.objects.get(code=code).rule_on(dt.date(2026, 3, 11))
    assert rule.deciding_level == CENTRAL_LEVEL and rule.public_notice_days == 10
    assert "152/2025/NĐ-CP" in rule.legal_basis
    assert not decides_here(rule, hw.province)


def test_long_service_needs_the_record_of_service_not_an_achievement_report(hw):
    rule = AwardType.objects.get(code="huan-chuong-lao-dong-cong-hien").rule_on(dt.date(2026, 3, 11))
    codes = {link.kind.code for link in rule.ruledocument_set.all()}
    assert codes == {"to-trinh", "bien-ban", "tom-tat-qua-trinh-cong-tac"}
    d = draft_for(
        hw, award="huan-chuong-lao-dong-cong-hien", procedure="long_service", docs=["to-trinh", "bien-ban"]
    )
    with pytest.raises(ValidationError, match="Bản tóm tắt quá trình công tác"):
        wf.dossier_submit(actor=hw.dept_head, dossier=d)


def test_resistance_needs_the_certification_of_participation(hw):
    d = draft_for(
        hw,
        award="huy-chuong-khang-chien",
        procedure="resistance",
        docs=["to-trinh", "bien-ban", "ban-khai-khang-chien"],
    )
    with pytest.raises(ValidationError, match="Giấy xác nhận tham gia kháng chiến"):
        wf.dossier_submit(actor=hw.dept_head, dossier=d)


def test_a_complete_resistance_dossier_is_proposed(hw):
    d = at_chair(
        hw, draft_for(hw, award="huy-chuong-khang-chien", procedure="resistance", name="Trần Văn Bảy")
    )
    entry = services.proposal_nominee_add(actor=hw.province_officer, proposal=proposal(hw), nominee=d.nominee)
    assert entry.nominee.award_type.code == "huy-chuong-khang-chien"


def test_a_long_service_award_comes_only_from_a_long_service_dossier(hw):
    d = at_chair(hw, draft_for(hw, award="huan-chuong-lao-dong-cong-hien", procedure="achievement"))
    with pytest.raises(ValidationError, match="only in a dossier of the kind “Long service”"):
        services.proposal_nominee_add(actor=hw.province_officer, proposal=proposal(hw), nominee=d.nominee)
