"""The database verifier reads raw rows and hashes them on a fast path; it must reach exactly the
verdict of the contract's plain reading (export, then RFC 8785 for every event)."""

import datetime as dt
import hashlib

import pytest
import rfc8785
from django.db import transaction

from audit.chain import GENESIS_HASH, compute_hash, event_dict
from audit.models import AuditEvent
from audit.selectors import chain_rows, events_exported, exported
from audit.services import record
from audit.testing import audit_guard_lifted
from audit.verify import verify_database, verify_events

from .chains import append_events, contract_hash

pytestmark = pytest.mark.django_db


def _plain_verdict():
    """The contract read literally: every exported event hashed with rfc8785 itself."""
    previous, count = GENESIS_HASH, 0
    for event in events_exported():
        body = {k: v for k, v in event.items() if k != "hash"}
        try:
            recomputed = hashlib.sha256(rfc8785.dumps(body)).hexdigest()
        except rfc8785.CanonicalizationError:
            recomputed = None
        if event["seq"] != count + 1 or event["prev_hash"] != previous or recomputed != event["hash"]:
            return False, count + 1
        previous, count = event["hash"], count + 1
    return True, None


def _insert(seq, prev_hash, *, ts, data, actor="system", scope="", roles=""):
    """Store an event as a careful forger would: hashed the way the contract says."""
    event = event_dict(
        seq=seq,
        ts=ts,
        actor=actor,
        action="x.test",
        object_type="x",
        object_id=str(seq),
        data=data,
        prev_hash=prev_hash,
        actor_roles=roles.split(",") if roles else (),
        scope=scope,
    )
    try:
        hash_ = compute_hash(event)
    except ValueError:
        hash_ = "e" * 64
    AuditEvent.objects.create(
        seq=seq,
        ts=ts,
        actor=actor,
        actor_roles=roles,
        action="x.test",
        object_type="x",
        object_id=str(seq),
        data=data,
        scope=scope,
        prev_hash=prev_hash,
        hash=hash_,
    )
    return hash_


def test_the_database_verdict_is_the_export_verdict_for_a_good_chain(world, complete_draft):
    result = verify_database()

    assert result.ok and result.count == AuditEvent.objects.count()
    assert str(result) == str(verify_events(events_exported()))
    assert _plain_verdict() == (True, None)


def test_rows_read_raw_are_the_events_the_orm_reads(world, complete_draft):
    raw = list(events_exported())
    orm = [exported(e) for e in AuditEvent.objects.order_by("seq")]

    assert raw == orm


def test_an_event_stored_on_the_exact_second_is_read_with_six_zero_microseconds():
    ts = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    _insert(1, GENESIS_HASH, ts=ts, data={})

    (row,) = chain_rows()
    assert row[1] == "2026-01-02T03:04:05.000000Z"
    assert verify_database().ok


@pytest.mark.parametrize(
    "data",
    [
        {"score": 1.0},  # a float: RFC 8785 writes 1
        {"score": 2.5e-7},
        {"emoji": {"😀": 1, "\ue000": 2}},  # keys sorted by UTF-16
        {"text": "Ngôi sao ⭐ và 🏅"},
    ],
)
def test_values_off_the_fast_path_are_judged_by_rfc8785(data):
    ts = dt.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
    first = _insert(1, GENESIS_HASH, ts=ts, data={"ok": True})
    _insert(2, first, ts=ts, data=data)

    assert verify_database().ok
    assert _plain_verdict() == (True, None)


def test_an_integer_rfc8785_refuses_is_a_fault_not_a_hash():
    ts = dt.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
    first = _insert(1, GENESIS_HASH, ts=ts, data={})
    _insert(2, first, ts=ts, data={"n": 2**60})

    result = verify_database()

    assert (result.ok, result.fault_seq) == (False, 2)
    assert result.message.startswith("cannot canonicalise")
    assert _plain_verdict() == (False, 2)


def test_a_float_swapped_for_an_equal_integer_is_not_a_change_under_the_contract():
    # 1.0 and 1 are the same JSON number and RFC 8785 writes both as 1: the hash still holds.
    # The fast path alone (1.0 → "1.0") would have cried tampering; it must defer to RFC 8785.
    append_events(2, data={"n": 1})
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=2).update(data={"n": 1.0})

    assert verify_database().ok
    assert _plain_verdict() == (True, None)


def test_scope_or_roles_changed_in_the_database_are_caught(world, draft):
    from dossiers.services import dossier_update

    dossier_update(actor=world.staff_a, dossier=draft, title="Một")
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=seq).update(scope="/elsewhere/")
    assert (verify_database().fault_seq, verify_database().message) == (seq, "hash mismatch")
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=seq).update(scope=world.school_a.path, actor_roles="chair")
    assert verify_database().fault_seq == seq


def test_a_scope_emptied_in_the_database_is_caught(world, draft):
    from dossiers.services import dossier_update

    dossier_update(actor=world.staff_a, dossier=draft, title="Một")
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=seq).update(scope="", actor_roles="")

    assert verify_database().fault_seq == seq


def test_the_chain_digest_is_the_sha256_of_the_binary_hashes_in_order():
    events = append_events(4)

    result = verify_database(digest=True)

    expected = hashlib.sha256(b"".join(bytes.fromhex(e.hash) for e in events)).hexdigest()
    assert result.chain_sha256 == expected
    assert verify_events(events_exported(), digest=True).chain_sha256 == expected


def test_reading_spans_several_batches(monkeypatch):
    monkeypatch.setattr("audit.selectors.CHUNK_SIZE", 3)
    with transaction.atomic():
        for n in range(10):
            record(actor="system", action="x.test", object_id=n, data={"n": n})

    assert [row[0] for row in chain_rows()] == list(range(1, 11))
    assert [row[0] for row in chain_rows(since=4, upto=8)] == [5, 6, 7, 8]
    assert verify_database().count == 10
    event = next(events_exported(since=9))
    assert event["hash"] == contract_hash(event)


@pytest.mark.parametrize("stored", ['"text"', "null", "[1, 2]"])
def test_data_that_is_not_a_json_object_is_named_for_what_it_is(stored):
    # (Text that is not JSON at all cannot be stored: jsonb, and SQLite's JSON_VALID check.)
    from django.db import connection

    append_events(2)
    with audit_guard_lifted(), connection.cursor() as cursor:
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        cursor.execute(f"UPDATE audit_auditevent SET data = %s{cast} WHERE seq = 2", [stored])

    result = verify_database()
    assert (result.fault_seq, result.message) == (2, "data is not an object")


def test_verification_outside_a_transaction_prefetches_on_its_own_connection(audit_transactional_db):
    from django.db import connection

    with transaction.atomic():
        for n in range(7):
            record(actor="system", action="x.test", object_id=n)
    assert not connection.in_atomic_block

    import audit.selectors as selectors

    old = selectors.CHUNK_SIZE
    selectors.CHUNK_SIZE = 3
    try:
        result = verify_database()
        early = chain_rows(prefetch=True)
        first = next(early)
        early.close()  # a reader that stops early stops the fetching thread too
    finally:
        selectors.CHUNK_SIZE = old
    assert (result.ok, result.count) == (True, 7)
    assert first[0] == 1


def test_pieces_shared_between_events_never_stand_for_another_events_fields():
    """The verifier encodes (action, actor, roles) and (object type, scope) once and reuses them:
    events that share some of those and differ in the rest still hash as the contract says, and
    a change to any of them on one event is found on that event."""
    combos = [
        ("head_a", ["unit_head"], "/1/2/", "dossiers.dossier", 5),
        ("head_a", ["unit_head", "unit_staff"], "/1/2/", "dossiers.dossier", None),
        ("head_a", ["unit_head"], "/1/3/", "dossiers.nominee", 6),
        ("Người dùng 😀", [], "", "dossiers.dossier", 5),
        ("head_a", ["unit_head"], "/1/2/", "dossiers.dossier", 2**40),
    ]
    for n in range(20):
        actor, roles, scope, object_type, case_id = combos[n % len(combos)]
        with transaction.atomic():
            record(
                actor=actor,
                action="dossier.update",
                object_type=object_type,
                object_id=f"{n}🏅" if n % 7 == 0 else n,
                data={"n": n, "nested": {"ký": "Hồ sơ", "🔑": n}},
                scope=scope,
                actor_roles=roles,
                case_id=case_id,
            )
    assert verify_database().ok
    assert _plain_verdict() == (True, None)

    for column, value in (
        ("actor_roles", "unit_head,unit_staff"),
        ("scope", "/1/2/"),
        ("object_type", "dossiers.dossier"),
    ):
        with audit_guard_lifted():
            original = AuditEvent.objects.filter(seq=18).values_list(column, flat=True).get()
            AuditEvent.objects.filter(seq=18).update(**{column: value})
        result = verify_database()
        assert (result.ok, result.fault_seq) == (False, 18), column
        assert _plain_verdict() == (False, 18)
        with audit_guard_lifted():
            AuditEvent.objects.filter(seq=18).update(**{column: original})
    assert verify_database().ok
