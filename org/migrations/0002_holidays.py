"""Public holidays of Vietnam (Bộ luật Lao động 2019, Điều 112, and the yearly notices of the
Ministry of Labour / Home Affairs on Tết and compensating days), 2025–2027, as editable data."""

import datetime as dt

from django.db import migrations, models

HOLIDAYS = {
    2025: [("01-01", "Tết Dương lịch"), *[(f"01-{d}", "Tết Nguyên đán") for d in range(25, 32)],
           ("02-01", "Tết Nguyên đán"), ("02-02", "Tết Nguyên đán"), ("04-07", "Giỗ Tổ Hùng Vương"),
           ("04-30", "Ngày Giải phóng miền Nam"), ("05-01", "Quốc tế Lao động"), ("05-02", "Nghỉ bù"),
           ("09-01", "Quốc khánh"), ("09-02", "Quốc khánh")],
    2026: [("01-01", "Tết Dương lịch"), *[(f"02-{d}", "Tết Nguyên đán") for d in range(14, 23)],
           ("04-27", "Giỗ Tổ Hùng Vương (nghỉ bù)"), ("04-30", "Ngày Giải phóng miền Nam"),
           ("05-01", "Quốc tế Lao động"), ("09-01", "Quốc khánh"), ("09-02", "Quốc khánh")],
    2027: [("01-01", "Tết Dương lịch"), *[(f"02-{d:02d}", "Tết Nguyên đán") for d in range(4, 11)],
           ("04-16", "Giỗ Tổ Hùng Vương"), ("04-30", "Ngày Giải phóng miền Nam"),
           ("05-03", "Quốc tế Lao động (nghỉ bù)"), ("09-02", "Quốc khánh"), ("09-03", "Quốc khánh")],
}


def seed(apps, schema_editor):
    Holiday = apps.get_model("org", "Holiday")
    for year, days in HOLIDAYS.items():
        for month_day, name in days:
            month, day = map(int, month_day.split("-"))
            Holiday.objects.get_or_create(date=dt.date(year, month, day), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Holiday",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField(unique=True, verbose_name="date")),
                ("name", models.CharField(max_length=128, verbose_name="name")),
            ],
            options={"verbose_name": "public holiday", "verbose_name_plural": "public holidays", "ordering": ["date"]},
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
