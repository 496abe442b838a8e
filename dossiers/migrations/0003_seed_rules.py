"""Seed the rules as data (document kinds, award types with dated rules, base salary)."""

from django.db import migrations

from dossiers.reference_data import seed_award_reference_data


def seed(apps, schema_editor):
    seed_award_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
