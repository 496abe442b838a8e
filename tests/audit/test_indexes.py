"""On PostgreSQL, every filter an inspector searches the chain by, and a dossier's timeline, reads an
index in the newest-first (or oldest-first) order it pages in, never the whole table; and an
append costs two round trips (lock and head together, then the insert)."""

import datetime as dt

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from audit.selectors import case_q, event_search
from audit.services import record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EVENTS = 20_000
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


RARE = range(100, 140)  # a unit and a kind of event seen only long ago: the worst case of a
# newest-first scan, which would walk back through the whole chain to find them


@pytest.fixture
def large_chain():
    """A table the size where plans matter (the hashes are not checked here)."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            seq=n,
            ts=START + dt.timedelta(minutes=n),
            actor=f"user{n % 300}",
            action="rare.act" if n in RARE else f"kind{n % 40}.act{n % 3}",
            object_type="dossiers.dossier",
            object_id=str(n % 2000),
            data={"n": n},
            scope="/9/99/" if n in RARE else f"/1/{n % 20}/{n % 200}/",
            case_id=n % 2000 if n % 4 else None,
            prev_hash=f"{n - 1:064x}",
            hash=f"{n:064x}",
        )
        for n in range(1, EVENTS + 1)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("ANALYZE audit_casebackfill")


def plan(queryset) -> str:
    return queryset.explain()


def test_dates_find_the_same_events_as_the_times_alone(large_chain):
    since, until = START + dt.timedelta(days=3), START + dt.timedelta(days=4)
    found = list(event_search(since=since, until=until).values_list("seq", flat=True))
    assert found == list(
        AuditEvent.objects.filter(ts__gte=since, ts__lt=until).order_by("-seq").values_list("seq", flat=True)
    )
    assert len(found) == 24 * 60
    assert not event_search(since=START + dt.timedelta(days=999)).exists()
    assert event_search(until=START + dt.timedelta(days=999)).count() == EVENTS


@pytest.mark.parametrize(
    ("name", "query", "index"),
    [
        (
            "a dossier's events",
            lambda: AuditEvent.objects.filter(case_q(7)).order_by("seq"),
            "audit_case_seq_idx",
        ),
        ("by actor", lambda: event_search(actor="user7")[:51], "audit_actor_seq_idx"),
        ("by action", lambda: event_search(action="kind7.act1")[:51], "audit_action_seq_idx"),
        ("by action prefix", lambda: event_search(action="rare.")[:51], "audit_action_seq_idx"),
        ("by unit subtree", lambda: event_search(scopes=["/9/"])[:51], "audit_scope_seq_idx"),
        (
            "by dates, long ago",
            lambda: event_search(since=START + dt.timedelta(days=3), until=START + dt.timedelta(days=4))[:51],
            "audit_ts_idx",
        ),
    ],
)
def test_each_search_reads_its_index(large_chain, name, query, index):
    text = plan(query())
    assert "Seq Scan on audit_auditevent" not in text, f"{name}:\n{text}"
    assert index in text, f"{name}:\n{text}"


def test_a_dossiers_events_past_and_present_are_one_query_on_both_indexes(large_chain):
    from audit.models import CaseBackfill

    CaseBackfill.objects.bulk_create(CaseBackfill(seq=n, case_id=7) for n in (4, 8, 12))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_casebackfill")
    seqs = list(AuditEvent.objects.filter(case_q(7)).order_by("seq").values_list("seq", flat=True))
    assert seqs[:4] == [4, 7, 8, 12]
    assert seqs == sorted({4, 8, 12} | {n for n in range(1, EVENTS + 1) if n % 2000 == 7 and n % 4})
    text = plan(AuditEvent.objects.filter(case_q(7)).order_by("seq"))
    # The few backfilled seqs are read once, then both lookups go by index.
    assert "Seq Scan on audit_auditevent" not in text and "audit_case_seq_idx" in text, text
    assert "audit_auditevent_pkey" in text, text


def test_an_append_is_two_round_trips_when_the_caller_knows_roles_scope_and_case(django_assert_num_queries):
    for n in range(3):
        with transaction.atomic(), django_assert_num_queries(2) as captured:
            event = record(
                actor="system",
                action="dossier.submit",
                object_type="dossiers.dossier",
                object_id=str(n),
                actor_roles=["unit_head"],
                scope="/1/",
                case_id=n,
            )
        assert event.seq == n + 1
    lock, insert = (q["sql"] for q in captured.captured_queries)
    assert "pg_advisory_xact_lock" in lock and "ORDER BY seq DESC LIMIT 1" in lock
    assert insert.startswith("INSERT INTO")
