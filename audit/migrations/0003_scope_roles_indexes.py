"""Who acted in which role, and where (scope), for the inspector's searches; indexes for them.

Adding a NOT NULL column on SQLite makes Django rebuild the table (create, copy, drop, rename),
and the drop takes the append-only triggers with it: they are put back at the end. PostgreSQL
adds the columns in place (no row is rewritten, so the UPDATE trigger does not fire) and keeps
its triggers.
"""

import importlib

from django.db import migrations, models


def restore_sqlite_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    guard = importlib.import_module("audit.migrations.0002_append_only")
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    for trigger, operation in guard.SQLITE_TRIGGERS.items():
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {trigger} BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{guard.MESSAGE}'); END",
            params=None,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only'),
    ]

    operations = [
        # Unapplying removes the columns (another rebuild on SQLite): this runs last then.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_guard, elidable=False),
        migrations.AddField(
            model_name='auditevent',
            name='actor_roles',
            field=models.CharField(blank=True, default='', max_length=255, verbose_name="actor's roles"),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='scope',
            field=models.CharField(blank=True, db_index=True, default='', max_length=255, verbose_name='scope'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['actor', 'seq'], name='audit_actor_seq_idx'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['ts'], name='audit_ts_idx'),
        ),
        migrations.RunPython(restore_sqlite_guard, migrations.RunPython.noop, elidable=False),
    ]
