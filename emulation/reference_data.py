"""The award types that require a registration in the year's plan, seeded as rules as data.

Luật Thi đua, khen thưởng 2022 (06/2022/QH15, in force 1/1/2024), Điều 12: a title is granted on
the basis of a registration to compete (đăng ký tham gia thi đua); which titles a province asks
to be registered at the start of the year is its own rule (local rule), so these rows are data with
their dates and legal basis, never code.
"""

import datetime as dt

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 12 (căn cứ xét tặng danh hiệu thi đua: có đăng ký tham gia thi đua)"
LOCAL = "quy định về công tác thi đua, khen thưởng của địa phương (đăng ký thi đua đầu năm)"

REQUIRED_CODES = (
    "chien-si-thi-dua-co-so",
    "chien-si-thi-dua-cap-tinh",
    "tap-the-lao-dong-xuat-sac",
    "co-thi-dua-cap-tinh",
)
FROM = dt.date(2024, 1, 1)


def seed_registration_requirements(apps) -> None:
    """Create the missing requirements (idempotent); `apps` is a migration's registry or the live one."""
    AwardType = apps.get_model("dossiers", "AwardType")
    Requirement = apps.get_model("emulation", "RegistrationRequirement")
    for award in AwardType.objects.filter(code__in=REQUIRED_CODES):
        Requirement.objects.get_or_create(
            award_type=award, valid_from=FROM, defaults={"legal_basis": f"{LAW}; {LOCAL}."}
        )
