"""The rulebook's stamp: one row whose token the database itself changes on every write to the
rulebook's tables, so that a process may keep the rulebook between submissions and know, from a
token read with its first query, that what it keeps is still what the tables hold
(dossiers.rulebook).

PostgreSQL: one statement trigger per table (INSERT, UPDATE, DELETE, TRUNCATE), ENABLE ALWAYS so
that `session_replication_role = replica` does not pass it by. SQLite: a row trigger per table
and operation. Each writes a new random token, putting the row back if a flush removed it.
RunPython rather than RunSQL because the SQL differs by backend.
"""

from django.db import migrations, models

PG_FUNCTION = "dossiers_rulebook_changed"
# The models whose tables make up the rulebook, and the through table of the conditions' awards.
MODELS = ("AwardType", "DocumentKind", "AwardRule", "RuleDocument", "EligibilityCondition", "BaseSalary")
SQLITE_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _tables(apps, schema_editor):
    tables = [apps.get_model("dossiers", name)._meta.db_table for name in MODELS]
    condition = apps.get_model("dossiers", "EligibilityCondition")
    tables.append(condition._meta.get_field("required_award_types").remote_field.through._meta.db_table)
    return tables


def _stamp(apps, schema_editor):
    return schema_editor.quote_name(apps.get_model("dossiers", "RulebookStamp")._meta.db_table)


def forwards(apps, schema_editor):
    stamp = _stamp(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {stamp} (id, token) VALUES (1, gen_random_uuid()::text)
                    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
                RETURN NULL;
            END
            $$
            """,
            params=None,
        )
        for table in _tables(apps, schema_editor):
            trigger = schema_editor.quote_name(f"{table}_rulebook")
            quoted = schema_editor.quote_name(table)
            schema_editor.execute(
                f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
                params=None,
            )
            schema_editor.execute(f"ALTER TABLE {quoted} ENABLE ALWAYS TRIGGER {trigger}", params=None)
        schema_editor.execute(
            f"INSERT INTO {stamp} (id, token) VALUES (1, gen_random_uuid()::text)", params=None
        )
    elif vendor == "sqlite":
        # An UPDATE, then an INSERT only when the row is missing: a statement's own conflict
        # clause (INSERT OR IGNORE, as Django adds to a many-to-many) overrides its triggers'
        # ones, so an INSERT OR REPLACE here would be ignored.
        new = "lower(hex(randomblob(16)))"
        for table in _tables(apps, schema_editor):
            for operation in SQLITE_OPERATIONS:
                schema_editor.execute(
                    f'CREATE TRIGGER "{table}_rulebook_{operation.lower()}" AFTER {operation} ON "{table}" '
                    f"BEGIN UPDATE {stamp} SET token = {new} WHERE id = 1; "
                    f"INSERT INTO {stamp} (id, token) SELECT 1, {new} "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {stamp} WHERE id = 1); END",
                    params=None,
                )
        schema_editor.execute(
            f"INSERT INTO {stamp} (id, token) VALUES (1, lower(hex(randomblob(16))))", params=None
        )
    else:
        raise NotImplementedError(f"no rulebook stamp for {vendor}")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in _tables(apps, schema_editor):
        if vendor == "postgresql":
            trigger = schema_editor.quote_name(f"{table}_rulebook")
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {trigger} ON {schema_editor.quote_name(table)}", params=None
            )
        else:
            for operation in SQLITE_OPERATIONS:
                schema_editor.execute(
                    f'DROP TRIGGER IF EXISTS "{table}_rulebook_{operation.lower()}"', params=None
                )
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()", params=None)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0017_central_level_resistance")]

    operations = [
        migrations.CreateModel(
            name="RulebookStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=36, verbose_name="token")),
            ],
            options={"verbose_name": "rulebook stamp", "verbose_name_plural": "rulebook stamps"},
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
