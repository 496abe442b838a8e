"""Demo award history: the campaign's legal grounds as data, awards decided on paper before the
system (recorded by the commune's standing body), and one nominee whose missing year the standing
body overrode with its reason — so a nominee's history, the conditions of its award and an
override all show after `make run`."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from dossiers import services
from dossiers.history_services import award_record_add, eligibility_override_record
from dossiers.models import AwardType, CampaignGround, Dossier, EligibilityCondition, LegalGround, Nominee

from .data import DOSSIERS

# The demo campaign's plans (shared/seeds/003), cited after the law and its decree.
CAMPAIGN_GROUNDS = ["04/KH-UBND", "19/KH-HĐTĐKT"]
ISSUER = "Chủ tịch Ủy ban nhân dân phường Long Biên"
# name, award code, years before this one, decision number
RECORDS = [
    ("Nguyễn Thị Lan", "lao-dong-tien-tien", 3, "2150/QĐ-UBND"),
    ("Nguyễn Thị Lan", "lao-dong-tien-tien", 2, "2204/QĐ-UBND"),
    ("Nguyễn Thị Lan", "lao-dong-tien-tien", 1, "2311/QĐ-UBND"),
    ("Lê Văn Thành", "lao-dong-tien-tien", 2, "2204/QĐ-UBND"),
    ("Lê Văn Thành", "lao-dong-tien-tien", 1, "2311/QĐ-UBND"),
    ("Phạm Minh Đức", "chien-si-thi-dua-co-so", 1, "2312/QĐ-UBND"),
]
# A vice-principal proposed for the provincial title: two of the three years of "Chiến sĩ thi đua
# cơ sở" are in the records, the first was decided at his former school (the override's reason).
CANDIDATE = {
    "name": "Nguyễn Văn Khoa",
    "position": "Phó Hiệu trưởng",
    "sex": "male",
    "date_of_birth": dt.date(1982, 5, 14),
    "hometown": "xã Phù Đổng, huyện Gia Lâm, Hà Nội",
    "id_number": "001082003519",
    "qualifications": "Thạc sĩ Quản lý giáo dục; Trung cấp lý luận chính trị",
    "achievements": (
        "Ba năm liền Chiến sĩ thi đua cơ sở; đề tài “Chuyển đổi số trong quản lý hồ sơ học sinh” "
        "được Hội đồng khoa học thành phố công nhận."
    ),
}


def attach_campaign_grounds(campaign) -> None:
    for position, number in enumerate(CAMPAIGN_GROUNDS):
        CampaignGround.objects.create(
            campaign=campaign, ground=LegalGround.objects.get(number=number), position=position
        )


def _record(officer, unit, name, code, year, number, **identity):
    return award_record_add(
        actor=officer,
        kind="individual",
        unit=unit,
        name=name,
        award_type=AwardType.objects.get(code=code),
        year=year,
        decision_number=number,
        decision_date=dt.date(year, 12, 15),
        issuer=ISSUER,
        **identity,
    )


def seed_demo_history(builder, campaign) -> None:
    officer = builder.users["officer"]
    school = builder.units["ngoclam"]
    this_year = timezone.localdate().year
    for name, code, years_ago, number in RECORDS:
        # Recorded with the identity the demo gave the nominee (matched by ID number, or by name
        # and date of birth).
        nominee = Nominee.objects.filter(dossier__unit=school, name=name).order_by("pk").first()
        identity = {"date_of_birth": nominee.date_of_birth, "id_number": nominee.id_number} if nominee else {}
        _record(officer, school, name, code, this_year - years_ago, number, **identity)

    # The candidate joins ngoclam's complete draft, with his report and his initiative's
    # certification; the standing body records the override, so the draft stays submittable.
    title = next(t for unit, t, _, target in DOSSIERS if unit == "ngoclam" and target == "draft_complete")
    dossier = Dossier.objects.get(unit=school, title=title)
    staff = get_user_model().objects.get(username="unit_staff")
    nominee = services.nominee_add(
        actor=staff,
        dossier=dossier,
        kind="individual",
        award_type=AwardType.objects.get(code="chien-si-thi-dua-cap-tinh"),
        workplace=school.name,
        **CANDIDATE,
    )
    for code, label in (("bao-cao-thanh-tich", "Báo cáo thành tích"), ("sang-kien", "Xác nhận đề tài")):
        builder.attach(dossier, code, staff, school, f"{label} — {nominee.name}", nominee=nominee)
    identity = {"date_of_birth": CANDIDATE["date_of_birth"], "id_number": CANDIDATE["id_number"]}
    for years_ago, number in ((2, "2205/QĐ-UBND"), (1, "2312/QĐ-UBND")):
        _record(
            officer, school, nominee.name, "chien-si-thi-dua-co-so", this_year - years_ago, number, **identity
        )
    condition = EligibilityCondition.objects.get(rule=nominee.award_type.rule_on(timezone.localdate()))
    eligibility_override_record(
        actor=officer,
        nominee=nominee,
        condition=condition,
        reason=(
            f"Năm {this_year - 3} đồng chí được công nhận Chiến sĩ thi đua cơ sở tại Trường THCS Gia Thụy "
            "trước khi điều động về trường (Quyết định số 2149/QĐ-UBND); cơ quan thường trực đã đối chiếu "
            "bản gốc."
        ),
    )
