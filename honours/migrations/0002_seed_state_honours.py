"""Seed the state honours and the long-service and resistance awards (2026-12-06): their document
kinds and dated rules, decided at the central level (Luật TĐKT 2022; Nghị định 152/2025/NĐ-CP)."""

from django.db import migrations

from honours.reference_data import seed_honours_reference_data


def seed(apps, schema_editor):
    seed_honours_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("honours", "0001_initial"), ("dossiers", "0017_central_level_resistance")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
