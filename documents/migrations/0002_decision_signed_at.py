"""Decisions whose document was signed before `Decision.signed_at` existed: the time of the first
signature on their decision (or revocation) document."""

from django.db import migrations
from django.db.models import Min


def backfill(apps, schema_editor):
    Decision = apps.get_model("approvals", "Decision")
    Signature = apps.get_model("documents", "Signature")
    first = (
        Signature.objects.filter(
            document__kind__in=["decision", "revocation"], document__decision__isnull=False
        )
        .values("document__decision_id")
        .annotate(at=Min("signed_at"))
    )
    for row in first:
        Decision.objects.filter(pk=row["document__decision_id"], signed_at__isnull=True).update(
            signed_at=row["at"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("approvals", "0003_decision_signed_at_and_dossiers_table"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
