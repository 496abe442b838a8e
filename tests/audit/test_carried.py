"""A step's events carried to its last statement (audit.services.carried): on PostgreSQL the
INSERT goes with the step's own writes, one round trip fewer; whatever happens, the chain holds
exactly the events of what was done, in order, and verifies."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import carried, record, take_carried
from audit.verify import verify_database

pytestmark = pytest.mark.django_db

CARRIES = connection.vendor == "postgresql"


def append(action: str) -> AuditEvent:
    return record(actor="system", action=action, object_type="x", object_id="1", data={})


def inserts(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditevent"'))


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_an_event_nobody_took_is_inserted_when_the_carry_ends():
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        with carried():
            append("test.one")
            assert AuditEvent.objects.exists() is not CARRIES  # held, not yet written
        assert actions() == ["test.one"]
    assert inserts(ctx) == 1
    assert verify_database().ok


def test_an_event_taken_is_the_callers_to_insert_and_is_not_inserted_again():
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx, carried():
        event = append("test.taken")
        taken = take_carried()
        if CARRIES:
            assert taken == [event]
            assert not event._state.adding
            AuditEvent.objects.bulk_create(taken)  # the caller's statement
        else:
            assert taken == []  # written at once: nothing to carry
        assert take_carried() == []
    assert inserts(ctx) == 1
    assert actions() == ["test.taken"]
    assert verify_database().ok


def test_a_second_event_of_the_step_follows_the_first_in_the_chain():
    with transaction.atomic(), carried():
        first = append("test.first")
        second = append("test.second")
    assert second.seq == first.seq + 1 and second.prev_hash == first.hash
    assert actions() == ["test.first", "test.second"]
    assert verify_database().ok


@pytest.mark.parametrize("undone", [True, False], ids=["rolled-back", "released"])
def test_an_event_inside_a_savepoint_goes_with_it_and_the_carried_one_keeps_its_place(undone):
    with transaction.atomic(), carried():
        append("test.kept")
        try:
            with transaction.atomic():
                append("test.inside")
                assert take_carried() == []  # not inside a savepoint that may still be undone
                if undone:
                    raise RuntimeError
        except RuntimeError:
            pass
        append("test.after")
    inside = [] if undone else ["test.inside"]
    assert actions() == ["test.kept", *inside, "test.after"]
    assert verify_database().ok


def test_an_error_in_the_step_leaves_the_chain_as_it_was():
    record_outside = transaction.atomic()
    with record_outside:
        append("test.before")
    with pytest.raises(RuntimeError), transaction.atomic(), carried():
        append("test.refused")
        raise RuntimeError
    assert actions() == ["test.before"]
    with transaction.atomic(), carried():
        append("test.next")
    assert actions() == ["test.before", "test.next"]
    assert verify_database().ok
