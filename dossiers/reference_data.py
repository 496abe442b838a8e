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
    ("giay-khen", "Giấy khen", [I, C, H], "commune", ("majority", None), ("0.3", "0.6"), False, BASE),
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
        [I, C, H],
        "province",
        ("majority", None),
        ("1.0", "3.0"),
        False,
        BASE,
    ),
]


def seed_reference_data(apps) -> None:
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
