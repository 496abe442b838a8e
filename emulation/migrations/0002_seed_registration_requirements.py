"""Seed the award types that require a registration (emulation.reference_data)."""

from django.db import migrations

from emulation.reference_data import seed_registration_requirements


def seed(apps, schema_editor):
    seed_registration_requirements(apps)


class Migration(migrations.Migration):
    dependencies = [("emulation", "0001_plans_registrations"), ("dossiers", "0003_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
