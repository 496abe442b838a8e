"""A step's events carried to its last statement (audit.services.carried): on PostgreSQL the
INSERT goes with the step's own writes, one round trip fewer; whatever happens, the chain holds
exactly the events of what was done, in order, and verifies."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import carried, lock_ahead, record, take_carried
from audit.verify import verify_database
from org.statements import write_together

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


def write_with_lock_ahead() -> bool:
    """A step's last write before its event, sending the chain's lock and head read after it
    (as dossiers.services.save_dossiers does); whether it could."""
    ahead = lock_ahead()
    if ahead is None:
        return False
    user = get_user_model().objects.get(username="writer")
    write_together(updates=[(get_user_model().objects.filter(pk=user.pk), {"first_name": "An"})], then=ahead)
    return True


@pytest.fixture(autouse=True)
def writer(django_user_model):
    return django_user_model.objects.create(username="writer")


def test_the_head_read_with_the_steps_write_is_the_one_its_event_follows():
    append_alone = transaction.atomic()
    with append_alone:
        append("test.before")
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx, carried():
        assert write_with_lock_ahead() is CARRIES
        event = append("test.step")
    sqls = [q["sql"] for q in ctx.captured_queries]
    reads = [
        sql for sql in sqls if "pg_advisory_xact_lock" in sql or 'FROM "audit_auditevent" ORDER BY' in sql
    ]
    assert len(reads) == 1, sqls  # with the write on PostgreSQL; on its own elsewhere
    assert ("UPDATE" in reads[0]) is CARRIES
    assert actions() == ["test.before", "test.step"]
    assert event.seq == 2
    assert verify_database().ok


def test_no_head_is_read_ahead_where_it_could_not_be_used():
    assert lock_ahead() is None  # no step carrying its events
    with transaction.atomic(), carried():
        append("test.held")
        assert lock_ahead() is None  # an event already held: its own head comes first
    with transaction.atomic(), carried(), transaction.atomic():
        assert lock_ahead() is None  # a savepoint since the carry


def test_a_head_read_ahead_is_not_used_by_an_event_inside_a_savepoint():
    with transaction.atomic(), carried():
        write_with_lock_ahead()
        with transaction.atomic():
            append("test.inside")
        append("test.after")  # reads the head again: the one read ahead is gone
    assert actions() == ["test.inside", "test.after"]
    assert verify_database().ok
