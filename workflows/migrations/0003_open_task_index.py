"""An index of the open tasks in the order the inboxes show them (oldest first).

viewflow keeps every task a dossier ever had, done ones included (about four a dossier), and its
own indexes are on `status` and on `created` apart: an inbox walked `created` through every done
task to find the few open ones (issue 16). A partial index holds only the open tasks; plain SQL
because the table is viewflow's, and the same statement works on PostgreSQL and SQLite.
"""

from django.db import migrations

OPEN_TASKS = (
    "CREATE INDEX IF NOT EXISTS workflows_open_task_idx ON viewflow_task (created, id) "
    "WHERE status IN ('NEW', 'ASSIGNED')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_audit_case_backfill"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(OPEN_TASKS, reverse_sql="DROP INDEX IF EXISTS workflows_open_task_idx"),
    ]
