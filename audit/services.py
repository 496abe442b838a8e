"""Appending to the audit chain.

Every write service in the project calls `record` inside its own `transaction.atomic()`, so the
change and its event commit or roll back together.
"""

from datetime import UTC, datetime

from django.db import connection

from .chain import GENESIS_HASH, compute_hash, event_dict, normalise
from .context import request_context
from .models import AuditEvent

# Key of the PostgreSQL advisory lock that serialises appends (any constant; "TDKT" in ASCII).
CHAIN_LOCK_KEY = 0x54444B54


class AuditOutsideTransaction(RuntimeError):
    """An event was recorded outside a transaction: the change and its record could part."""


def actor_name(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


def _in_callers_transaction() -> bool:
    """True inside an `atomic()` of the code itself, not only the one a `TestCase` wraps tests in.

    Otherwise a service that forgot its `atomic()` would pass its tests and fail in production.
    `_from_testcase` is the mark Django itself reads to tell the two apart (durable atomics).
    """
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _lock_chain_and_now() -> datetime:
    """Serialise appenders and read the time after the lock, so `ts` never goes backwards.

    PostgreSQL: a transaction-scoped advisory lock (no mutable head row, no UPDATE grant needed;
    shared/notes/audit-chain.md). SQLite: the IMMEDIATE transaction already holds the write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s), clock_timestamp()", [CHAIN_LOCK_KEY])
            return cursor.fetchone()[1].astimezone(UTC)
    return datetime.now(UTC)


def record(*, actor, action, target=None, object_type="", object_id="", data=None) -> AuditEvent:
    """Append one event about `target` (or `object_type`/`object_id`) to the chain.

    Call it last in the service's transaction, just before commit: the lock is held from here
    to the commit, so the shorter that span the more writers the chain serves.
    """
    if not _in_callers_transaction():
        raise AuditOutsideTransaction(f"{action}: audit.record must run inside a transaction")
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    payload = normalise(dict(data or {}))
    client = request_context.get()
    if client and "client" not in payload:
        payload["client"] = normalise(client)
    fields = {
        "actor": normalise(actor_name(actor)),
        "action": normalise(action),
        "object_type": normalise(object_type),
        "object_id": normalise(str(object_id)),
        "data": payload,
    }

    # Last, so the lock is held for as short a time as possible (shared/notes/audit-chain.md).
    ts = _lock_chain_and_now()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event = event_dict(seq=seq, ts=ts, prev_hash=prev_hash, **fields)
    return AuditEvent.objects.create(
        seq=seq, ts=ts, prev_hash=prev_hash, hash=compute_hash(event), **fields
    )
