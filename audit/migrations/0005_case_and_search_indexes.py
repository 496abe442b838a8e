"""The case an event belongs to (`case_id`, hashed when set), a place for the cases of the events
recorded before it (CaseBackfill, filled by the project's own migration), and an index for each
filter of an inspector's search with its newest-first order (case, action, actor, scope, time).

The single-column indexes on `action` and `scope` give way to (action, seq) and (scope, seq),
with the pattern opclass so that a prefix (`LIKE 'dossier.%'`, `LIKE '/1/4/%'`) uses them in
any collation. Altering those fields makes SQLite rebuild the table, which drops the append-only
triggers: they are put back at the end, as in 0003.
"""

import importlib

from django.db import migrations, models


def restore_sqlite_guard(apps, schema_editor):
    importlib.import_module("audit.migrations.0003_scope_roles_indexes").restore_sqlite_guard(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_signin_failures'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_guard, elidable=False),
        migrations.CreateModel(
            name='CaseBackfill',
            fields=[
                ('seq', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='event')),
                ('case_id', models.BigIntegerField(verbose_name='case')),
            ],
            options={
                'verbose_name': 'case of an earlier event',
                'verbose_name_plural': 'cases of earlier events',
                'default_permissions': ('view',),
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='case_id',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(max_length=64, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='scope',
            field=models.CharField(blank=True, default='', max_length=255, verbose_name='scope'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['case_id', 'seq'], name='audit_case_seq_idx'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action', 'seq'], name='audit_action_seq_idx', opclasses=['varchar_pattern_ops', 'int8_ops']),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['scope', 'seq'], name='audit_scope_seq_idx', opclasses=['varchar_pattern_ops', 'int8_ops']),
        ),
        migrations.AddIndex(
            model_name='casebackfill',
            index=models.Index(fields=['case_id', 'seq'], name='audit_backfill_case_seq_idx'),
        ),
        migrations.RunPython(restore_sqlite_guard, migrations.RunPython.noop, elidable=False),
    ]
