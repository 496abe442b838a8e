from django.db import migrations, models

import approvals.meetings


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0003_decision_signed_at_and_dossiers_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="councilmeeting",
            name="recorded_from_paper",
            field=models.BooleanField(default=False, verbose_name="recorded from paper minutes"),
        ),
        migrations.AddField(
            model_name="councilmeeting",
            name="minutes_file",
            field=models.FileField(
                blank=True, upload_to=approvals.meetings.minutes_path, verbose_name="signed minutes"
            ),
        ),
        migrations.AddField(
            model_name="councilmeeting",
            name="written_votes",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="written votes"),
        ),
    ]
