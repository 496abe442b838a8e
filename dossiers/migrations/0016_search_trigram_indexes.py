"""Trigram indexes for the searches that look inside a text (`q` on the dossier lists, the award
register's folded `search_text`): a `LIKE '%…%'` cannot use a b-tree, so at a province's scale it
read every row. PostgreSQL only (pg_trgm, a trusted extension since PostgreSQL 13, so the
database's owner may create it); SQLite keeps scanning, which at its scale is fine.

Each index is on the very expression Django's lookup writes (`UPPER(title::text)` for
`icontains`, `search_text::text` for `contains`), so the planner can match it."""

from django.db import migrations

INDEXES = [
    ("dossier_title_trgm", "dossiers_dossier", '(UPPER("title"::text)) gin_trgm_ops'),
    ("nominee_search_trgm", "dossiers_nominee", '("search_text"::text) gin_trgm_ops'),
    ("awardrecord_search_trgm", "dossiers_awardrecord", '("search_text"::text) gin_trgm_ops'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expression})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0015_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
