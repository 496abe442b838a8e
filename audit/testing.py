"""Test support for the append-only audit table.

The table's triggers refuse UPDATE, DELETE and TRUNCATE, and so refuse the flush with which
`TransactionTestCase` (pytest-django's `transactional_db`) empties the database after each test:
on PostgreSQL flush is one TRUNCATE of every table and fails even when the table is empty.
Here the guard is lifted for that flush only, or for a test that tampers on purpose.

Suite-wide, in tests/conftest.py: `pytest_plugins = ["audit.testing"]` (autouse hook below).
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

# pg_trigger.tgenabled → the clause that puts a trigger back as it was.
_PG_ENABLE = {"A": "ENABLE ALWAYS TRIGGER", "O": "ENABLE TRIGGER", "R": "ENABLE REPLICA TRIGGER"}


@contextmanager
def audit_guard_lifted(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within the block the audit table accepts UPDATE, DELETE and TRUNCATE; then it is restored.

    The triggers are read from the catalogue, so the guard comes back exactly as the migrations
    left it, and a database without them (e.g. `--no-migrations`) is left alone.
    """
    from .models import AuditEvent

    connection = connections[using]
    db_table = AuditEvent._meta.db_table
    table = connection.ops.quote_name(db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgenabled FROM pg_trigger "
                "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal",
                [db_table],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {connection.ops.quote_name(name)}")
        elif connection.vendor == "sqlite":
            # SQLite cannot disable a trigger: drop it and recreate it from its stored CREATE.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [db_table],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        else:
            triggers = []
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, state in triggers:
                if connection.vendor == "sqlite":
                    cursor.execute(state)
                elif state in _PG_ENABLE:
                    quoted = connection.ops.quote_name(name)
                    cursor.execute(f"ALTER TABLE {table} {_PG_ENABLE[state]} {quoted}")


_PATCHED = pytest.StashKey[bool]()


def lift_guard_for_flushes(config: pytest.Config) -> None:
    """From now to the end of the session, every `TransactionTestCase` flush lifts the guard.

    Session-long on purpose: pytest tears a test's fixtures down in an order this module does
    not control, and the patch must still hold when pytest-django's teardown flushes.
    """
    if config.stash.get(_PATCHED, False):
        return
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        with ExitStack() as stack:
            for alias in self._databases_names(include_mirrors=False):
                stack.enter_context(audit_guard_lifted(alias))
            flush(self)

    patch = pytest.MonkeyPatch()
    patch.setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)
    config.add_cleanup(patch.undo)
    config.stash[_PATCHED] = True


@pytest.fixture(scope="session", autouse=True)
def audit_guard_lifted_for_flush(pytestconfig) -> None:
    """Autouse where this module is a plugin: every transactional test's flush may empty the
    audit table, whether it asks for `transactional_db`, `live_server`, is marked
    `django_db(transaction=True)` or is a `TransactionTestCase`."""
    lift_guard_for_flushes(pytestconfig)


@pytest.fixture
def audit_transactional_db(pytestconfig, transactional_db) -> None:
    """`transactional_db` whose teardown flush may empty the audit table; for a conftest that
    does not load the autouse hook above."""
    lift_guard_for_flushes(pytestconfig)
