"""Reference data, from DOMAIN.md: document kinds, award types with their dated rules, base salary.

Two rule versions per award: Decree 98/2023 (1/1/2024–30/6/2025) and Decree 152/2025 (from
1/7/2025), so a dossier pinned under the old rules keeps them. Values marked local in DOMAIN.md
(majority thresholds, quorum) are defaults a province edits in the admin.
"""

import datetime as dt
from decimal import Decimal

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15 (hiệu lực 01/01/2024)"
ERAS = [
    (dt.date(2024, 1, 1), dt.date(2025, 6, 30), f"{LAW}; Nghị định 98/2023/NĐ-CP"),
    (dt.date(2025, 7, 1), None, f"{LAW}; Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV"),
]

DOCUMENT_KINDS = [
    ("to-trinh", "Tờ trình đề nghị khen thưởng", "dossier"),
    ("bien-ban", "Biên bản họp Hội đồng TĐKT / biên bản bình xét", "dossier"),
    ("bao-cao-thanh-tich", "Báo cáo thành tích", "nominee"),
    ("sang-kien", "Xác nhận sáng kiến / đề tài nghiên cứu", "nominee"),
    ("xac-nhan-thue", "Xác nhận của cơ quan thuế", "nominee"),
    ("xac-nhan-bhxh", "Xác nhận của cơ quan bảo hiểm xã hội", "nominee"),
]
BASE = ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]
ENTERPRISE = ["xac-nhan-thue", "xac-nhan-bhxh"]
I, C, H = "individual", "collective", "household"
# An initiative or research topic (sáng kiến, đề tài), proposed with its authors.
INITIATIVE = "initiative"
# The awards an initiative may receive (rule data: AwardRule.nominee_kinds).
INITIATIVE_AWARDS = ("giay-khen", "bang-khen-chu-tich-tinh")

# code, name, nominee kinds, deciding level, threshold (kind, %), cash (individual, collective),
# simplified, documents
AWARDS = [
    (
        "lao-dong-tien-tien",
        "Lao động tiên tiến",
        [I],
        "commune",
        ("unit_review", None),
        ("0.3", "0"),
        False,
        BASE,
    ),
    (
        "chien-si-thi-dua-co-so",
        "Chiến sĩ thi đua cơ sở",
        [I],
        "commune",
        ("percent", 80),
        ("1.0", "0"),
        False,
        [*BASE, "sang-kien"],
    ),
    (
        "chien-si-thi-dua-cap-tinh",
        "Chiến sĩ thi đua cấp tỉnh",
        [I],
        "province",
        ("percent", 90),
        ("3.0", "0"),
        False,
        [*BASE, "sang-kien"],
    ),
    (
        "tap-the-lao-dong-tien-tien",
        "Tập thể lao động tiên tiến",
        [C],
        "commune",
        ("unit_review", None),
        ("0", "0.8"),
        False,
        BASE,
    ),
    (
        "tap-the-lao-dong-xuat-sac",
        "Tập thể lao động xuất sắc",
        [C],
        "province",
        ("majority", None),
        ("0", "1.5"),
        False,
        BASE,
    ),
    (
        "co-thi-dua-cap-tinh",
        "Cờ thi đua cấp tỉnh",
        [C],
        "province",
        ("percent", 80),
        ("0", "8.0"),
        False,
        BASE,
    ),
    (
        "giay-khen",
        "Giấy khen",
        [I, C, H, INITIATIVE],
        "commune",
        ("majority", None),
        ("0.3", "0.6"),
        False,
        BASE,
    ),
    # Luật TĐKT 2022: the director (Giám đốc) of a state enterprise awards a Giấy khen to its own
    # staff and collectives; decided at the enterprise (a unit of level "enterprise" that grants awards).
    (
        "giay-khen-giam-doc",
        "Giấy khen của Giám đốc doanh nghiệp",
        [I, C],
        "enterprise",
        ("majority", None),
        ("0.3", "0.6"),
        False,
        BASE,
    ),
    (
        "giay-khen-dot-xuat",
        "Giấy khen (đột xuất, thủ tục đơn giản)",
        [I, C, H],
        "commune",
        ("majority", None),
        ("0.3", "0.6"),
        True,
        ["to-trinh", "bao-cao-thanh-tich"],
    ),
    (
        "bang-khen-chu-tich-tinh",
        "Bằng khen của Chủ tịch UBND tỉnh",
        [I, C, H, INITIATIVE],
        "province",
        ("majority", None),
        ("1.0", "3.0"),
        False,
        BASE,
    ),
]


# The reference data of the apps above (the state honours' award types, the titles that need a
# registration): each app's AppConfig.ready() registers its seeder, so that `seed_reference_data`
# restores every app's rows after a test flush, whatever ran before.
REFERENCE_SEEDERS: list = []


def register_reference_seeder(seeder) -> None:
    if seeder not in REFERENCE_SEEDERS:
        REFERENCE_SEEDERS.append(seeder)


def seed_reference_data(apps) -> None:
    """Every app's reference data (idempotent), for `seed_demo` and the tests after a flush: the
    award rules here, then the seeders the apps above registered. Their own migrations seed them
    the first time; this restores what a flush emptied."""
    seed_award_reference_data(apps)
    for seeder in REFERENCE_SEEDERS:
        seeder(apps)


def seed_award_reference_data(apps) -> None:
    """Create what is missing (idempotent). `apps` is a migration's historical registry or the
    live one, so the migration and `seed_demo` (after a test flush) share one source."""
    DocumentKind = apps.get_model("dossiers", "DocumentKind")
    AwardType = apps.get_model("dossiers", "AwardType")
    AwardRule = apps.get_model("dossiers", "AwardRule")
    RuleDocument = apps.get_model("dossiers", "RuleDocument")
    BaseSalary = apps.get_model("dossiers", "BaseSalary")

    kinds = {}
    for code, name, scope in DOCUMENT_KINDS:
        kinds[code], _ = DocumentKind.objects.get_or_create(
            code=code, defaults={"name": name, "scope": scope}
        )
    for code, name, nominee_kinds, level, (tkind, tpct), (ci, cc), simplified, docs in AWARDS:
        award, _ = AwardType.objects.get_or_create(code=code, defaults={"name": name})
        for valid_from, valid_to, basis in ERAS:
            rule, created = AwardRule.objects.get_or_create(
                award_type=award,
                valid_from=valid_from,
                defaults=dict(
                    valid_to=valid_to,
                    legal_basis=basis,
                    nominee_kinds=nominee_kinds,
                    deciding_level=level,
                    threshold_kind=tkind,
                    threshold_percent=tpct,
                    quorum_numerator=2,
                    quorum_denominator=3,
                    public_notice_days=0,
                    simplified=simplified,
                    cash_individual=Decimal(ci),
                    cash_collective=Decimal(cc),
                ),
            )
            if created:
                for doc in docs:
                    RuleDocument.objects.create(rule=rule, kind=kinds[doc])
                if level == "commune" and not simplified:
                    for doc in ENTERPRISE:
                        RuleDocument.objects.create(rule=rule, kind=kinds[doc], enterprise_only=True)
    BaseSalary.objects.get_or_create(
        valid_from=dt.date(2023, 7, 1),
        defaults={
            "valid_to": dt.date(2024, 6, 30),
            "amount": 1_800_000,
            "legal_basis": "Nghị định 24/2023/NĐ-CP",
        },
    )
    BaseSalary.objects.get_or_create(
        valid_from=dt.date(2024, 7, 1),
        defaults={"amount": 2_340_000, "legal_basis": "Nghị định 73/2024/NĐ-CP"},
    )
    seed_legal_grounds(apps)


# Legal grounds as data (dossiers.LegalGround): kind, number, date of issue, issuer, subject, in
# force from / until, organises the issuing body (cited first). Laws are cited by name and date.
GROUNDS = [
    (
        "law",
        "77/2015/QH13",
        dt.date(2015, 6, 19),
        "Quốc hội",
        "Tổ chức chính quyền địa phương",
        dt.date(2016, 1, 1),
        dt.date(2025, 6, 15),
        True,
    ),
    (
        "law",
        "72/2025/QH15",
        dt.date(2025, 6, 16),
        "Quốc hội",
        "Tổ chức chính quyền địa phương",
        dt.date(2025, 6, 16),
        None,
        True,
    ),
    (
        "law",
        "06/2022/QH15",
        dt.date(2022, 6, 15),
        "Quốc hội",
        "Thi đua, khen thưởng",
        dt.date(2024, 1, 1),
        None,
        False,
    ),
    (
        "decree",
        "98/2023/NĐ-CP",
        dt.date(2023, 12, 31),
        "Chính phủ",
        "quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        dt.date(2024, 1, 1),
        dt.date(2025, 6, 30),
        False,
    ),
    (
        "decree",
        "152/2025/NĐ-CP",
        dt.date(2025, 6, 14),
        "Chính phủ",
        "quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
        dt.date(2025, 7, 1),
        None,
        False,
    ),
    # The seeds' plans (shared/seeds/003): the campaign "Sáng kiến, sáng tạo Thủ đô".
    (
        "plan",
        "04/KH-UBND",
        dt.date(2021, 1, 22),
        "Ủy ban nhân dân quận Long Biên",
        "về công tác thi đua, khen thưởng giai đoạn 2021 - 2025",
        None,
        None,
        False,
    ),
    (
        "plan",
        "19/KH-HĐTĐKT",
        dt.date(2021, 4, 28),
        "Hội đồng Thi đua - Khen thưởng quận Long Biên",
        "về tổ chức phong trào thi đua “Sáng kiến, sáng tạo Thủ đô” giai đoạn 2021 - 2025",
        None,
        None,
        False,
    ),
]
# The grounds of each rule era (ERAS above), by number.
ERA_GROUNDS = {
    dt.date(2024, 1, 1): ["06/2022/QH15", "98/2023/NĐ-CP"],
    dt.date(2025, 7, 1): ["06/2022/QH15", "152/2025/NĐ-CP"],
}
# Conditions on the award history, only where the law states them plainly:
# award code, required award codes, over the last N years, in at least K of them, the period's own
# year counts, description, legal basis.
CONDITIONS = [
    (
        "chien-si-thi-dua-cap-tinh",
        ["chien-si-thi-dua-co-so"],
        3,
        3,
        True,
        "03 lần liên tục đạt danh hiệu “Chiến sĩ thi đua cơ sở”",
        "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 22",
    ),
]


def seed_legal_grounds(apps) -> None:
    """Legal grounds, attached to the rules of each era, and the history conditions (idempotent).
    Skipped when the registry predates these models (the data migration 0003 runs before them)."""
    try:
        LegalGround = apps.get_model("dossiers", "LegalGround")
        RuleGround = apps.get_model("dossiers", "RuleGround")
        EligibilityCondition = apps.get_model("dossiers", "EligibilityCondition")
    except LookupError:
        return
    AwardRule = apps.get_model("dossiers", "AwardRule")
    AwardType = apps.get_model("dossiers", "AwardType")
    grounds = {}
    for kind, number, issued, issuer, subject, valid_from, valid_to, organises in GROUNDS:
        grounds[number], _ = LegalGround.objects.get_or_create(
            kind=kind,
            number=number,
            defaults=dict(
                issued_on=issued,
                issuer=issuer,
                subject=subject,
                valid_from=valid_from,
                valid_to=valid_to,
                organises_issuer=organises,
            ),
        )
    for valid_from, numbers in ERA_GROUNDS.items():
        for rule in AwardRule.objects.filter(valid_from=valid_from):
            if RuleGround.objects.filter(rule=rule).exists():
                continue
            for position, number in enumerate(numbers):
                RuleGround.objects.create(rule=rule, ground=grounds[number], position=position)
    types = {t.code: t for t in AwardType.objects.all()}
    for code, required, years, times, with_year, description, basis in CONDITIONS:
        if code not in types:
            continue
        for rule in AwardRule.objects.filter(award_type=types[code]):
            condition, created = EligibilityCondition.objects.get_or_create(
                rule=rule,
                description=description,
                defaults=dict(
                    years=years,
                    times=times,
                    include_period_year=with_year,
                    valid_from=rule.valid_from,
                    valid_to=rule.valid_to,
                    legal_basis=basis,
                ),
            )
            if created:
                condition.required_award_types.set([types[c] for c in required if c in types])
