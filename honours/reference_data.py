"""State honours (khen cao) and the long-service and resistance awards as data: their document
kinds, award types and dated rules, seeded by the data migration 0002 (dated 2026-12-06).

Every one of these awards is decided at the central level (CENTRAL_LEVEL): by the President
(orders and medals: Huân chương, Huy chương, the title Chiến sĩ thi đua toàn quốc) or by the Prime
Minister (Bằng khen của Thủ tướng Chính phủ, Cờ thi đua của Chính phủ) — Luật Thi đua, khen thưởng
2022, Điều 79 and 80 (thẩm quyền); a province's council votes to PROPOSE them and its chair signs
the tờ trình (honours.services). The list of nominees is publicly noticed for at least 10 working
days before (Nghị định 152/2025/NĐ-CP; DOMAIN.md, step 4): `public_notice_days` = 10.

Cash is paid by the deciding body's fund, not by the province, so no coefficient is stored here.

Long service (khen thưởng quá trình cống hiến, Luật TĐKT 2022, Điều 44 and 45) asks for a summary
of the nominee's service with the years in each post instead of a yearly achievement report;
resistance (khen thưởng thành tích kháng chiến) asks for the nominee's declaration and the
certification of participation (Nghị định 152/2025/NĐ-CP).
"""

from decimal import Decimal

from dossiers.reference_data import ERAS, seed_legal_grounds

CENTRAL = "central"
I, C, H = "individual", "collective", "household"
# Working days of public notice before the council for state honours (≥ 10).
NOTICE_DAYS = 10

DOCUMENT_KINDS = [
    (
        "tom-tat-qua-trinh-cong-tac",
        "Bản tóm tắt quá trình công tác (số năm giữ từng chức vụ)",
        "nominee",
    ),
    ("ban-khai-khang-chien", "Bản khai thành tích tham gia kháng chiến", "nominee"),
    ("xac-nhan-khang-chien", "Giấy xác nhận tham gia kháng chiến", "nominee"),
]

BASE = ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]
LONG_SERVICE_DOCS = ["to-trinh", "bien-ban", "tom-tat-qua-trinh-cong-tac"]
RESISTANCE_DOCS = ["to-trinh", "bien-ban", "ban-khai-khang-chien", "xac-nhan-khang-chien"]

# code, name, nominee kinds, threshold (kind, %), documents
AWARDS = [
    ("bang-khen-thu-tuong", "Bằng khen của Thủ tướng Chính phủ", [I, C, H], ("majority", None), BASE),
    ("co-thi-dua-chinh-phu", "Cờ thi đua của Chính phủ", [C], ("percent", 80), BASE),
    ("chien-si-thi-dua-toan-quoc", "Chiến sĩ thi đua toàn quốc", [I], ("percent", 90), [*BASE, "sang-kien"]),
    ("huan-chuong-lao-dong-hang-ba", "Huân chương Lao động hạng Ba", [I, C], ("majority", None), BASE),
    ("huan-chuong-lao-dong-hang-nhi", "Huân chương Lao động hạng Nhì", [I, C], ("majority", None), BASE),
    ("huan-chuong-lao-dong-hang-nhat", "Huân chương Lao động hạng Nhất", [I, C], ("majority", None), BASE),
    (
        "huan-chuong-lao-dong-cong-hien",
        "Huân chương Lao động hạng Ba (quá trình cống hiến)",
        [I],
        ("majority", None),
        LONG_SERVICE_DOCS,
    ),
    ("huan-chuong-khang-chien", "Huân chương Kháng chiến", [I, H], ("majority", None), RESISTANCE_DOCS),
    ("huy-chuong-khang-chien", "Huy chương Kháng chiến", [I], ("majority", None), RESISTANCE_DOCS),
]
# The award kinds that belong to one procedure kind only: a nominee proposed for them comes from a
# dossier of that kind (long service: quá trình cống hiến or niên hạn; resistance: kháng chiến).
LONG_SERVICE_AWARDS = ("huan-chuong-lao-dong-cong-hien",)
RESISTANCE_AWARDS = ("huan-chuong-khang-chien", "huy-chuong-khang-chien")
BASIS = "Điều 79, 80 (thẩm quyền quyết định khen thưởng cấp Nhà nước)"


def seed_honours_reference_data(apps) -> None:
    """Create what is missing (idempotent); `apps` is a migration's registry or the live one."""
    DocumentKind = apps.get_model("dossiers", "DocumentKind")
    AwardType = apps.get_model("dossiers", "AwardType")
    AwardRule = apps.get_model("dossiers", "AwardRule")
    RuleDocument = apps.get_model("dossiers", "RuleDocument")
    for code, name, scope in DOCUMENT_KINDS:
        DocumentKind.objects.get_or_create(code=code, defaults={"name": name, "scope": scope})
    kinds = {k.code: k for k in DocumentKind.objects.all()}
    for code, name, nominee_kinds, (tkind, tpct), docs in AWARDS:
        award, _ = AwardType.objects.get_or_create(code=code, defaults={"name": name})
        for valid_from, valid_to, basis in ERAS:
            rule, created = AwardRule.objects.get_or_create(
                award_type=award,
                valid_from=valid_from,
                defaults=dict(
                    valid_to=valid_to,
                    legal_basis=f"{basis}; {BASIS}",
                    nominee_kinds=nominee_kinds,
                    deciding_level=CENTRAL,
                    threshold_kind=tkind,
                    threshold_percent=tpct,
                    quorum_numerator=2,
                    quorum_denominator=3,
                    public_notice_days=NOTICE_DAYS,
                    simplified=False,
                    cash_individual=Decimal(0),
                    cash_collective=Decimal(0),
                ),
            )
            if created:
                for doc in docs:
                    RuleDocument.objects.create(rule=rule, kind=kinds[doc])
    seed_legal_grounds(apps)
