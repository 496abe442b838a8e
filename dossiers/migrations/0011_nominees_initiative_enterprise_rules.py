"""Rule data for nominees: the awards an initiative may receive, and the Giấy khen an enterprise's
director gives to the enterprise's own staff (Luật Thi đua, khen thưởng 2022).

Written out here rather than through dossiers.reference_data, so that later changes there never
change what this migration does."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

INITIATIVE = "initiative"
INITIATIVE_AWARDS = ("giay-khen", "bang-khen-chu-tich-tinh")
LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15 (hiệu lực 01/01/2024)"
ERAS = [
    (dt.date(2024, 1, 1), dt.date(2025, 6, 30), f"{LAW}; Nghị định 98/2023/NĐ-CP"),
    (dt.date(2025, 7, 1), None, f"{LAW}; Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV"),
]
DOCUMENTS = ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]


def forward(apps, schema_editor):
    AwardRule = apps.get_model("dossiers", "AwardRule")
    AwardType = apps.get_model("dossiers", "AwardType")
    DocumentKind = apps.get_model("dossiers", "DocumentKind")
    RuleDocument = apps.get_model("dossiers", "RuleDocument")
    for rule in AwardRule.objects.filter(award_type__code__in=INITIATIVE_AWARDS):
        if INITIATIVE not in rule.nominee_kinds:
            rule.nominee_kinds = [*rule.nominee_kinds, INITIATIVE]
            rule.save(update_fields=["nominee_kinds"])
    if not DocumentKind.objects.filter(code__in=DOCUMENTS).exists():
        return  # a database without the reference data (seed_demo brings it all)
    award, _ = AwardType.objects.get_or_create(
        code="giay-khen-giam-doc", defaults={"name": "Giấy khen của Giám đốc doanh nghiệp"}
    )
    for valid_from, valid_to, basis in ERAS:
        rule, created = AwardRule.objects.get_or_create(
            award_type=award,
            valid_from=valid_from,
            defaults=dict(
                valid_to=valid_to,
                legal_basis=basis,
                nominee_kinds=["individual", "collective"],
                deciding_level="enterprise",
                threshold_kind="majority",
                quorum_numerator=2,
                quorum_denominator=3,
                cash_individual=Decimal("0.3"),
                cash_collective=Decimal("0.6"),
            ),
        )
        if created:
            for code in DOCUMENTS:
                RuleDocument.objects.create(rule=rule, kind=DocumentKind.objects.get(code=code))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0010_history_award_records")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
