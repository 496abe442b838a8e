import datetime

import django.core.validators
from django.db import migrations, models

# Luật TĐKT 2022 and Nghị định 152/2025/NĐ-CP: in equal conditions, women are given priority.
PRIORITIES = [
    {
        "criterion": "woman",
        "min_women_percent": None,
        "order": 1,
        "valid_from": datetime.date(2025, 7, 1),
        "legal_basis": (
            "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 152/2025/NĐ-CP: ưu tiên "
            "cá nhân nữ khi có thành tích, điều kiện như nhau."
        ),
    },
    {
        "criterion": "women_share",
        "min_women_percent": 70,
        "order": 2,
        "valid_from": datetime.date(2025, 7, 1),
        "legal_basis": (
            "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 152/2025/NĐ-CP: ưu tiên "
            "tập thể có tỷ lệ nữ từ 70% trở lên khi có thành tích, điều kiện như nhau."
        ),
    },
]


def seed(apps, schema_editor):
    RankingPriority = apps.get_model("dossiers", "RankingPriority")
    for row in PRIORITIES:
        RankingPriority.objects.get_or_create(criterion=row["criterion"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0008_forwarding_attachment_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="max_nominees_per_unit",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="at most nominees per unit",
            ),
        ),
        migrations.AddField(
            model_name="campaign",
            name="tie_rule",
            field=models.CharField(
                choices=[
                    ("runoff", "A run-off vote among the tied nominees"),
                    ("chair", "The chair decides, with a recorded reason"),
                ],
                default="runoff",
                max_length=16,
                verbose_name="tie at the quota line",
            ),
        ),
        migrations.AddField(
            model_name="nominee",
            name="women_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="share of women (%)",
            ),
        ),
        migrations.CreateModel(
            name="RankingPriority",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="in force from")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="in force until")),
                ("legal_basis", models.TextField(max_length=2000, verbose_name="legal basis")),
                (
                    "criterion",
                    models.CharField(
                        choices=[
                            ("woman", "A woman (individual nominee)"),
                            ("women_share", "A collective with at least the given share of women"),
                        ],
                        max_length=16,
                        verbose_name="criterion",
                    ),
                ),
                (
                    "min_women_percent",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="at least this share of women (%)",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=1, verbose_name="order")),
            ],
            options={
                "verbose_name": "ranking priority",
                "verbose_name_plural": "ranking priorities",
                "ordering": ["order", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("criterion", "women_share"), _negated=True),
                            models.Q(("min_women_percent__gte", 1), ("min_women_percent__lte", 100)),
                            _connector="OR",
                        ),
                        name="women_share_priority_has_percent",
                    )
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
