import pytest
from django.db import IntegrityError, connection, transaction

from audit.models import AuditEvent
from audit.testing import audit_guard_lifted

from .chains import append_events, run_verify

pytestmark = pytest.mark.django_db


def _refused():
    # Both backends raise IntegrityError (PostgreSQL: SQLSTATE restrict_violation). The savepoint
    # keeps the test's transaction usable after PostgreSQL aborts the statement.
    return pytest.raises(IntegrityError, match="append-only")


def test_update_of_an_event_is_refused():
    append_events(2)

    with _refused(), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(actor="someone else")

    assert AuditEvent.objects.get(seq=1).actor == "system"


def test_saving_a_changed_event_is_refused():
    (event,) = append_events(1)
    event.action = "dossier.reject"

    with _refused(), transaction.atomic():
        event.save()


def test_delete_of_an_event_is_refused():
    append_events(2)

    with _refused(), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()

    assert AuditEvent.objects.count() == 2


def test_raw_sql_delete_of_every_event_is_refused():
    append_events(2)

    with _refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")

    assert AuditEvent.objects.count() == 2


@pytest.mark.postgres
def test_truncate_of_the_audit_table_is_refused():
    append_events(1)

    with _refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")

    assert AuditEvent.objects.count() == 1


@pytest.mark.postgres
def test_replica_session_role_does_not_bypass_the_guard():
    # Triggers are ENABLE ALWAYS: replication mode would otherwise skip them.
    append_events(1)

    with _refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET actor = 'x'")


def test_lifted_guard_allows_tampering_and_is_restored_after():
    append_events(2)

    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=2).update(actor="tampered")

    assert AuditEvent.objects.get(seq=2).actor == "tampered"
    with _refused(), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(actor="tampered")


def test_insert_remains_allowed():
    append_events(3)

    assert run_verify()[0] == 0


def test_flush_after_a_transactional_test_empties_the_audit_table(audit_transactional_db):
    # Committed for real: the teardown flush (TRUNCATE / DELETE) has rows to remove past the
    # guard. Were the guard not lifted for it, this test would error at teardown.
    append_events(3)

    assert AuditEvent.objects.count() == 3


def test_the_next_transactional_test_starts_from_an_empty_chain(audit_transactional_db):
    assert not AuditEvent.objects.exists()
    append_events(1)
    assert AuditEvent.objects.get().seq == 1
