"""A signed decision never changes, guarded on the model: when it was signed (`signed_at`), and
the table of the dossiers it covers made explicit (`DecisionDossier`, the same table as before) so
that adding or removing a dossier goes through a manager that can refuse it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0002_council_meetings"),
        ("dossiers", "0004_workflow_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="signed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="digitally signed"
            ),
        ),
        # The table exists already (the implicit table of Decision.dossiers): state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DecisionDossier",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "decision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="approvals.decision"
                            ),
                        ),
                        (
                            "dossier",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="dossiers.dossier"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "approvals_decision_dossiers",
                        "unique_together": {("decision", "dossier")},
                    },
                ),
                migrations.AlterField(
                    model_name="decision",
                    name="dossiers",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="decisions",
                        through="approvals.DecisionDossier",
                        to="dossiers.dossier",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
