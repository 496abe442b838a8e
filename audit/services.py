"""Appending to the audit chain.

Every write service in the project calls `record` inside its own `transaction.atomic()`, so the
change and its event commit or roll back together.

This app knows nothing of the domain. What it needs to know of it comes through three settings,
each the dotted path of a function (all optional):
- `AUDIT_ACTOR_ROLES(user) -> list[str]`: the roles the actor holds as they act;
- `AUDIT_SCOPE_RESOLVER(target) -> str`: the scope of an object when the caller gives none
  (the project answers with the unit path, so an inspector of a unit sees its subtree's events);
- `AUDIT_CASE_RESOLVER(target, object_type=, object_id=, data=) -> int | None`: the case file
  the event belongs to when the caller gives none (the project answers with the dossier's id, so
  that a dossier's timeline is one indexed filter, `case_id = 42`).
"""

import inspect
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .chain import GENESIS_HASH, canonical_json, compute_hash, event_dict, normalise
from .context import request_context
from .models import AuditEvent

# Key of the PostgreSQL advisory lock that serialises appends (any constant; "TDKT" in ASCII).
CHAIN_LOCK_KEY = 0x54444B54

# The largest event the chain takes, in bytes of its canonical JSON. The texts users type are
# bounded where they are typed (org.limits: 10,000 characters at most); the largest legitimate
# events, a long text changed (its before and after) or a decision listing a thousand awards,
# stay well below this. It is a backstop: a bug that tried to put megabytes into the append-only
# chain is refused, never cut short, so what the chain holds is always what was done.
MAX_EVENT_BYTES = 256 * 1024


# Sent once an event's transaction has committed, with `event` (the AuditEvent) and `target` (the
# object it is about, as the act saved it, or None): what happened is then final, so listeners
# above (notices/) may act on it. Never inside the transaction: a listener's failure (a mail
# server down) cannot undo the change, and a change rolled back sends nothing. Listeners' errors
# are logged, not raised (on_commit's `robust`).
event_recorded = Signal()


class AuditOutsideTransaction(RuntimeError):
    """An event was recorded outside a transaction: the change and its record could part."""


class EventTooLarge(ValidationError):
    """An event larger than MAX_EVENT_BYTES: refused with the change it records."""


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


# PostgreSQL: take the lock, then read the time and the head, in ONE round trip: two statements
# in one simple-protocol message (no parameters). The second statement takes its own snapshot
# after the lock is granted (READ COMMITTED: a snapshot per statement), so it sees the event of
# the transaction that held the lock before; one statement would read the head as it was when
# it began, before waiting. The lock key is a constant written into the text.
_LAST_EVENT = f"SELECT seq, hash FROM {AuditEvent._meta.db_table} ORDER BY seq DESC LIMIT 1"  # noqa: S608
_PG_LOCK_AND_HEAD = "".join(
    (
        f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY}); ",
        "SELECT clock_timestamp(), head.seq, head.hash FROM (SELECT 1) AS one ",
        f"LEFT JOIN LATERAL ({_LAST_EVENT}) AS head ON true",
    )
)


def _lock_chain_and_head() -> tuple[datetime, int, str]:
    """Serialise appenders; then the time (after the lock, so `ts` never goes backwards) and the
    chain's head: (ts, next seq, its prev_hash).

    PostgreSQL: a transaction-scoped advisory lock (no mutable head row, no UPDATE grant needed;
    shared/notes/audit-chain.md), with the head read in the same round trip. SQLite: the
    IMMEDIATE transaction already holds the write lock; the head is one query.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_LOCK_AND_HEAD)
            cursor.nextset()
            return _head_from(cursor.fetchone())
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first() or (None, None)
    return _head_from((datetime.now(UTC), *last))


def _head_from(row) -> tuple[datetime, int, str]:
    """(ts, next seq, its prev_hash) from the time and the head's (seq, hash), None on an empty
    chain."""
    ts, seq, prev_hash = row
    ts = ts.astimezone(UTC)
    return (ts, seq + 1, prev_hash) if seq is not None else (ts, 1, GENESIS_HASH)


@lru_cache(maxsize=16)
def _import(path: str):
    return import_string(path)


def hook(setting: str):
    """The function a setting names by dotted path, or None when the setting is empty."""
    path = getattr(settings, setting, "")
    return _import(path) if path else None


def actor_roles_of(actor) -> list[str]:
    """The roles of a user acting now (AUDIT_ACTOR_ROLES); none for `system` or a name."""
    if actor is None or isinstance(actor, str) or not getattr(actor, "is_authenticated", False):
        return []
    resolve = hook("AUDIT_ACTOR_ROLES")
    return sorted(resolve(actor)) if resolve else []


def scope_of(target) -> str:
    """The scope of an object (AUDIT_SCOPE_RESOLVER), "" when nothing says."""
    resolve = hook("AUDIT_SCOPE_RESOLVER")
    return (resolve(target) or "") if resolve and target is not None else ""


def case_of(target, *, object_type="", object_id="", data=None) -> int | None:
    """The case file an event belongs to (AUDIT_CASE_RESOLVER), None when nothing says."""
    resolve = hook("AUDIT_CASE_RESOLVER")
    if resolve is None:
        return None
    case_id = resolve(target, object_type=object_type, object_id=str(object_id), data=data or {})
    return None if case_id is None else int(case_id)


def record(
    *,
    actor,
    action,
    target=None,
    object_type="",
    object_id="",
    data=None,
    scope=None,
    actor_roles=None,
    case_id=None,
) -> AuditEvent:
    """Append one event about `target` (or `object_type`/`object_id`) to the chain.

    `scope` defaults to the target's (AUDIT_SCOPE_RESOLVER); `actor_roles` to the roles the actor
    holds now (AUDIT_ACTOR_ROLES); `case_id` to the case the event belongs to
    (AUDIT_CASE_RESOLVER; a caller that knows it saves the resolver any query). The client's
    address and user agent come from the request (RequestContextMiddleware) into `data["client"]`.

    Call it last in the service's transaction, just before commit: the lock is held from here
    to the commit, so the shorter that span the more writers the chain serves.
    """
    (event,) = record_many(
        [
            {
                "actor": actor,
                "action": action,
                "target": target,
                "object_type": object_type,
                "object_id": object_id,
                "data": data,
                "scope": scope,
                "actor_roles": actor_roles,
                "case_id": case_id,
            }
        ]
    )
    return event


_EVENT_FIELDS = frozenset(inspect.signature(record).parameters)


def event(**fields) -> dict:
    """An event as `record` takes it, to be appended later (`record_many`): its arguments as a
    dict, checked now."""
    _refuse_unknown(fields)
    return fields


def _refuse_unknown(fields: dict) -> None:
    unknown = set(fields) - _EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")


def record_many(events: list[dict]) -> list[AuditEvent]:
    """Append several events, in this order, as `record` appends one each (its arguments, one
    dict per event), in two round trips whatever their number: the chain locked and its head
    read once, then one INSERT. The events are consecutive in the chain and share the time the
    lock was granted."""
    if not _in_callers_transaction():
        actions = ", ".join(e["action"] for e in events)
        raise AuditOutsideTransaction(f"{actions}: audit.record must run inside a transaction")
    prepared = [_prepared(event) for event in events]
    if not prepared:
        return []
    carry = _carry()
    here = carry is not None and carry.holds_here()
    ahead = carry.take_head() if carry is not None else None
    if here:
        carry.flush()  # the step's earlier events first: the head read below follows them
    # Last, so the lock is held for as short a time as possible (shared/notes/audit-chain.md);
    # read with the step's last write when it asked (`lock_ahead`).
    ts, seq, prev_hash = ahead if here and ahead else _lock_chain_and_head()
    if carry is not None and not here:
        seq, prev_hash = carry.after(seq, prev_hash)
    rows = []
    for fields, roles, _target in prepared:
        event = event_dict(seq=seq, ts=ts, prev_hash=prev_hash, actor_roles=roles, **fields)
        row = AuditEvent(
            seq=seq,
            ts=ts,
            prev_hash=prev_hash,
            hash=compute_hash(event),
            actor_roles=",".join(roles),
            **fields,
        )
        rows.append(row)
        seq, prev_hash = seq + 1, row.hash
    if here:
        carry.rows = rows
        created = rows
    else:
        created = AuditEvent.objects.bulk_create(rows)
    for row, (_fields, _roles, target) in zip(created, prepared, strict=True):
        transaction.on_commit(
            partial(event_recorded.send_robust, sender=AuditEvent, event=row, target=target), robust=True
        )
    return created


def _savepoints() -> tuple:
    """The savepoints open now (an atomic block without one, None in Django's list, rolls back
    only with the block around it)."""
    return tuple(sid for sid in connection.savepoint_ids if sid is not None)


class _Carry:
    """The events of a step held for its last statement (`carried`)."""

    def __init__(self):
        self.savepoints = _savepoints()
        self.rows: list[AuditEvent] = []
        self.head = None  # (ts, next seq, prev_hash), read by `lock_ahead`'s caller

    def keep_head(self, row) -> None:
        self.head = _head_from(row)

    def take_head(self):
        head, self.head = self.head, None
        return head

    def holds_here(self) -> bool:
        """Only what is appended under the savepoints the carry was opened under: an event
        appended inside a further savepoint is inserted at once, since that savepoint may be
        rolled back alone and the event must go with it."""
        return _savepoints() == self.savepoints

    def take(self) -> list[AuditEvent]:
        rows, self.rows = self.rows, []
        for row in rows:
            row._state.adding, row._state.db = False, connection.alias
        return rows

    def after(self, seq: int, prev_hash: str) -> tuple[int, str]:
        """The next seq and prev_hash, from the head read under the lock (`seq` follows it): after
        the held events, which this transaction appended and the head does not show yet. An
        event appended inside a further savepoint is inserted at once after them, so that a
        rollback of that savepoint takes it alone: the held ones are still inserted in their
        place, at the carry's level."""
        if self.rows and self.rows[-1].seq >= seq:
            return self.rows[-1].seq + 1, self.rows[-1].hash
        return seq, prev_hash

    def flush(self) -> None:
        if self.rows:
            AuditEvent.objects.bulk_create(self.take())


_CARRY = "_audit_carry"


def _carry() -> _Carry | None:
    return getattr(connection, _CARRY, None)


@contextmanager
def carried():
    """Within it, on PostgreSQL, the events a step appends are held, not inserted: the step's last
    statement inserts them with its own writes (`take_carried`), one round trip fewer. The chain
    is locked and its head read as always, when the event is appended, until the commit; nothing
    in the step reads the events back. What no statement took is inserted on leaving; on an
    error they are dropped with the transaction that is rolled back. Elsewhere, or inside
    another `carried`, it does nothing."""
    if connection.vendor != "postgresql" or _carry() is not None:
        yield
        return
    carry = _Carry()
    setattr(connection, _CARRY, carry)
    try:
        yield
        carry.flush()
    finally:
        delattr(connection, _CARRY)


def lock_ahead() -> tuple[str, Callable] | None:
    """For the step's last write before its event, inside `carried` on PostgreSQL: the SQL that
    locks the chain and reads its head, for the caller to send after its statement in the same
    message, and the function to hand that SQL's last row to. The event appended next, the very
    next thing the caller does, then reads neither again: one round trip fewer, and the lock
    taken no earlier than a moment before. None when there is nothing to gain (no carry, events
    already held, a savepoint since)."""
    carry = _carry()
    if carry is None or not carry.holds_here() or carry.rows:
        return None
    return _PG_LOCK_AND_HEAD, carry.keep_head


def take_carried() -> list[AuditEvent]:
    """The events held by `carried` so far, for the caller to insert in the statement it is
    about to run (each row as it stands, its `seq` included); they count as saved from now.
    None inside a savepoint opened since: one rolled back alone would take them with it, so
    they wait for the carry's own level."""
    carry = _carry()
    return carry.take() if carry is not None and carry.holds_here() else []


def _prepared(event: dict) -> tuple[dict, list[str], object]:
    """An event's fields (normalised, its size checked), its actor's roles and its target, from
    `record`'s arguments as a dict."""
    _refuse_unknown(event)
    actor, action, target = event["actor"], event["action"], event.get("target")
    object_type, object_id = event.get("object_type", ""), event.get("object_id", "")
    data, scope, actor_roles, case_id = (event.get(k) for k in ("data", "scope", "actor_roles", "case_id"))
    if scope is None:
        scope = scope_of(target)
    if actor_roles is None:
        actor_roles = actor_roles_of(actor)
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    if case_id is None:
        case_id = case_of(target, object_type=object_type, object_id=object_id, data=data)
    elif type(case_id) is not int:
        case_id = int(case_id)
    payload = normalise(dict(data or {}))
    client = request_context.get()
    if client and "client" not in payload:
        payload["client"] = normalise(client)
    roles = [normalise(str(role)) for role in actor_roles]
    if any("," in role for role in roles):
        raise ValueError("role names may not contain commas")
    fields = {
        "actor": normalise(actor_name(actor)),
        "action": normalise(action),
        "object_type": normalise(object_type),
        "object_id": normalise(str(object_id)),
        "data": payload,
        "scope": normalise(scope),
        "case_id": normalise(case_id),
    }
    _refuse_too_large({**fields, "actor_roles": roles})
    return fields, roles, target


def _refuse_too_large(fields: dict) -> None:
    """Before the lock: an event over MAX_EVENT_BYTES is refused (the seq, time and hashes the
    chain adds are a fixed couple of hundred bytes, not counted)."""
    size = len(canonical_json(fields))
    if size > MAX_EVENT_BYTES:
        raise EventTooLarge(
            _(
                "This change is too large to be recorded in the audit trail "
                "(%(size)d KB, at most %(limit)d KB): nothing was saved."
            )
            % {"size": -(-size // 1024), "limit": MAX_EVENT_BYTES // 1024},
            code="audit_event_too_large",
        )


class ChainBroken(RuntimeError):
    """The chain does not verify: no checkpoint may be signed over it."""


def checkpoint_create(*, actor="system", key=None, directory=None) -> tuple[dict, Path]:
    """Sign the head of the chain and write it outside the database (audit/checkpoints.py).

    Refused when the chain does not verify, or no longer extends the last checkpoint: a
    checkpoint must never vouch for a chain that was tampered with. The checkpoint is also
    recorded as an `audit.checkpoint` event, so that every evidence bundle can carry the latest.
    """
    from . import checkpoints
    from .selectors import CHECKPOINT_ACTION, latest_checkpoint
    from .verify import verify_database

    key = key or checkpoints.load_private_key()
    previous = latest_checkpoint()
    result = verify_database(checkpoint=previous, digest=True)
    if not result.ok:
        raise ChainBroken(str(result))
    checkpoint = checkpoints.sign(
        key=key, seq=result.count, hash=result.head, chain_sha256=result.chain_sha256
    )
    path = checkpoints.write(checkpoint, directory)
    with transaction.atomic():
        record(
            actor=actor,
            action=CHECKPOINT_ACTION,
            object_type="audit.checkpoint",
            object_id=str(checkpoint["seq"]),
            data={"checkpoint": checkpoint},
            scope="",
        )
    return checkpoint, path
