"""Make the audit table append-only in the database itself, not only in the code.

PostgreSQL: a raising function behind a row trigger (UPDATE, DELETE) and a statement trigger
(TRUNCATE), both ENABLE ALWAYS so that `session_replication_role = replica` cannot bypass them.
SQLite: BEFORE UPDATE and BEFORE DELETE triggers (SQLite has no TRUNCATE).
RunPython rather than RunSQL because the SQL differs by backend (shared/notes/audit-chain.md).
"""

from django.db import migrations

MESSAGE = "audit events are append-only"
PG_FUNCTION = "audit_event_append_only"
PG_ROW_TRIGGER = "audit_event_no_update_delete"
PG_TRUNCATE_TRIGGER = "audit_event_no_truncate"
SQLITE_TRIGGERS = {"audit_event_no_update": "UPDATE", "audit_event_no_delete": "DELETE"}


def _table(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    return schema_editor.quote_name(model._meta.db_table)


def forwards(apps, schema_editor):
    table = _table(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the function body holds a "%" that psycopg would take for a placeholder.
        schema_editor.execute(
            f"""
            CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """,
            params=None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {PG_ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            params=None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {PG_TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
            params=None,
        )
        for trigger in (PG_ROW_TRIGGER, PG_TRUNCATE_TRIGGER):
            schema_editor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger}", params=None)
    elif vendor == "sqlite":
        for trigger, operation in SQLITE_TRIGGERS.items():
            schema_editor.execute(
                f"CREATE TRIGGER {trigger} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
                params=None,
            )
    else:
        raise NotImplementedError(f"no append-only guard for {vendor}")


def backwards(apps, schema_editor):
    table = _table(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for trigger in (PG_ROW_TRIGGER, PG_TRUNCATE_TRIGGER):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}", params=None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()", params=None)
    elif vendor == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
