"""Reading the chain: its exported form (shared by export, verify and the evidence bundle), the
skeleton of hashes, the latest checkpoint, and the generic filters of an event search.

The chain is read with plain SQL in keyset batches (`WHERE seq > last ORDER BY seq LIMIT n`), not
through the ORM: verification reads every event, and the ORM's per-row conversions (datetimes,
JSON) cost more than the hashing itself. The timestamp comes out of the database already in the
contract's text form, and `data` as JSON text for the verifier to decode once.
"""

import json
import queue
import threading
from collections.abc import Iterator

from django.db import connections, router
from django.db.models import BooleanField, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .chain import GENESIS_HASH, event_dict
from .models import AuditEvent, CaseBackfill

# The contract's keys, in the order the export writes them (then chain.OPTIONAL_KEYS when set).
EXPORTED_FIELDS = (
    "seq",
    "ts",
    "actor",
    "action",
    "object_type",
    "object_id",
    "data",
    "prev_hash",
    "hash",
)
CHUNK_SIZE = 5000
CHECKPOINT_ACTION = "audit.checkpoint"

# A row of `chain_rows`: the stored event, with `ts` as contract text and `data` as JSON text
# (`case_id` last, so that the columns before it keep their places).
ROW_COLUMNS = (
    "seq",
    "ts",
    "actor",
    "actor_roles",
    "action",
    "object_type",
    "object_id",
    "scope",
    "data",
    "prev_hash",
    "hash",
    "case_id",
)
_TS_SQL = {
    # timestamptz → UTC wall time → "2026-11-23T21:35:00.123456Z", formatted by the server.
    "postgresql": "to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
    # Django stores "2026-11-23 21:35:00.123456" (UTC; without ".000000" on the exact second).
    # An expression, so the driver's datetime converter (it goes by declared type) leaves it be.
    "sqlite": "replace(ts, ' ', 'T') || CASE WHEN length(ts) = 19 THEN '.000000Z' ELSE 'Z' END",
}
_DATA_SQL = {"postgresql": "data::text", "sqlite": "data"}


def _row_sql(vendor: str, table: str) -> str:
    columns = ", ".join(
        _TS_SQL[vendor] if c == "ts" else _DATA_SQL[vendor] if c == "data" else c for c in ROW_COLUMNS
    )
    # Only constants and the quoted table name go into the text; the values are parameters.
    return f"SELECT {columns} FROM {table} WHERE seq > %s AND seq <= %s ORDER BY seq"  # noqa: S608


def _seq_ranges(
    connection, table: str, *, since: int, upto: int | None, size: int
) -> Iterator[tuple[int, int]]:
    """Consecutive (after, through) seq ranges of `size`, skipping any gap in one query.

    Ranges, not `ORDER BY seq LIMIT n`: a range of the primary key is cheap whatever the planner
    believes, while LIMIT with stale statistics (a table just restored or bulk-loaded) can sort
    the whole rest of the chain for every batch.
    """
    next_sql = f"SELECT min(seq) FROM {table} WHERE seq > %s"  # noqa: S608
    last = since
    while upto is None or last < upto:
        through = last + size if upto is None else min(last + size, upto)
        yield last, through
        with connection.cursor() as cursor:
            cursor.execute(next_sql, [through])
            following = cursor.fetchone()[0]
        if following is None:
            return
        last = following - 1


def chain_rows(
    *, since: int = 0, upto: int | None = None, using: str = "default", prefetch: bool = False
) -> Iterator[tuple]:
    """Every stored event with `since < seq <= upto`, in seq order, as ROW_COLUMNS tuples.

    Streams in batches of CHUNK_SIZE seqs: memory stays flat however long the chain, and no
    server-side cursor (nor the transaction it needs) is held open. With `prefetch`, a thread
    with its own connection fetches the next batch while the caller works on this one (the
    database produces rows while Python hashes them); not inside a transaction, whose
    uncommitted rows another connection could not see.
    """
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in _TS_SQL:
        raise NotImplementedError(f"no audit reader for {vendor}")
    if prefetch and not connection.in_atomic_block:
        yield from _prefetched(using=using, since=since, upto=upto)
        return
    for rows in _batches(connection, since=since, upto=upto):
        yield from rows


def _batches(connection, *, since, upto):
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = _row_sql(connection.vendor, table)
    for after, through in _seq_ranges(connection, table, since=since, upto=upto, size=CHUNK_SIZE):
        with connection.cursor() as cursor:
            cursor.execute(sql, [after, through])
            rows = cursor.fetchall()
        yield rows


_END = object()


def _prefetched(*, using, since, upto):
    batches: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def fetch():
        try:
            for rows in _batches(connections[using], since=since, upto=upto):  # this thread's own
                while not stop.is_set():
                    try:
                        batches.put(rows, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            batches.put(_END)
        except BaseException as exc:  # handed to the reader, raised there
            batches.put(exc)
        finally:
            connections[using].close()

    worker = threading.Thread(target=fetch, name="audit-prefetch", daemon=True)
    worker.start()
    try:
        while (rows := batches.get()) is not _END:
            if isinstance(rows, BaseException):
                raise rows
            yield from rows
    finally:
        stop.set()
        worker.join()


def row_event(row: tuple, data) -> dict:
    """A stored row (ROW_COLUMNS) as the contract exports it, given its decoded `data`."""
    seq, ts, actor, roles, action, object_type, object_id, scope, _data, prev_hash, hash_, case_id = row
    event = event_dict(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data,
        prev_hash=prev_hash,
        actor_roles=roles.split(",") if roles else (),
        scope=scope,
        case_id=case_id,
    )
    event["hash"] = hash_
    return event


def events_exported(*, since: int = 0, upto: int | None = None, using: str = "default") -> Iterator[dict]:
    """Every event with `since < seq <= upto`, in seq order, in its exported form."""
    decode = json.JSONDecoder().decode
    for row in chain_rows(since=since, upto=upto, using=using):
        yield row_event(row, decode(row[8]))


def exported(event: AuditEvent) -> dict:
    """One event read through the ORM (a search, a timeline) in its exported form."""
    out = event_dict(
        seq=event.seq,
        ts=event.ts,
        actor=event.actor,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        data=event.data,
        prev_hash=event.prev_hash,
        actor_roles=event.roles,
        scope=event.scope,
        case_id=event.case_id,
    )
    out["hash"] = event.hash
    return out


def chain_head(*, using: str = "default") -> tuple[int, str]:
    """(seq, hash) of the last event; (0, 64 zeros) for an empty chain."""
    last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS_HASH)


def skeleton_rows(*, upto: int, using: str = "default") -> Iterator[tuple[int, str, str]]:
    """(seq, prev_hash, hash) of every event up to `upto`: the links of the chain without its
    contents, for an evidence bundle."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"SELECT seq, prev_hash, hash FROM {table} WHERE seq > %s AND seq <= %s ORDER BY seq"  # noqa: S608
    for after, through in _seq_ranges(connection, table, since=0, upto=upto, size=CHUNK_SIZE * 4):
        with connection.cursor() as cursor:
            cursor.execute(sql, [after, through])
            rows = cursor.fetchall()
        yield from rows


def latest_checkpoint(*, using: str = "default") -> dict | None:
    """The signed checkpoint recorded last in the chain (`audit.checkpoint` events carry it)."""
    event = (
        AuditEvent.objects.using(using).filter(action=CHECKPOINT_ACTION).order_by("-seq").only("data").first()
    )
    return event.data.get("checkpoint") if event else None


def case_q(case_id: int) -> Q:
    """The events of one case file: those recorded with `case_id`, and those recorded before the
    column existed whose case a migration put in CaseBackfill. One query with either index:
    on PostgreSQL the backfilled seqs are read once (an InitPlan) and looked up by primary key, so
    an empty CaseBackfill costs one probe of its index."""
    connection = connections[router.db_for_read(AuditEvent)]
    quote = connection.ops.quote_name
    seq = f"{quote(AuditEvent._meta.db_table)}.{quote('seq')}"
    table = quote(CaseBackfill._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"{seq} = ANY(ARRAY(SELECT seq FROM {table} WHERE case_id = %s))"  # noqa: S608
    else:
        sql = f"{seq} IN (SELECT seq FROM {table} WHERE case_id = %s)"  # noqa: S608
    # Only quoted names go into the text; the case is a parameter.
    earlier = RawSQL(sql, [int(case_id)], output_field=BooleanField())  # noqa: S611
    return Q(case_id=case_id) | Q(earlier)


def case_events(case_id: int):
    """Every event of a case file, oldest first (a queryset)."""
    return AuditEvent.objects.filter(case_q(case_id)).order_by("seq")


SEQ_MAX = 2**63 - 1


def _first_seq_at(moment):
    """The first event at or after `moment` (by the `ts` index), as a subquery."""
    return AuditEvent.objects.filter(ts__gte=moment).order_by("ts", "seq").values("seq")[:1]


def event_search(*, scopes=None, actor="", action="", since=None, until=None, extra_q=None):
    """Events matching generic filters, newest first (a queryset; the caller pages it).

    `scopes`: scope prefixes the reader may see (None: no limit; empty: nothing); `action`: exact,
    or a prefix when it ends with "." (e.g. "dossier."); `since`/`until`: aware datetimes,
    `until` excluded; `extra_q`: a Q the caller adds (e.g. a dossier's objects).
    """
    qs = AuditEvent.objects.all()
    if scopes is not None:
        if not scopes:
            return qs.none()
        visible = Q()
        for prefix in scopes:
            visible |= Q(scope__startswith=prefix)
        qs = qs.filter(visible)
    if actor:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
    # Dates bound the seqs too: `ts` is read after the chain's lock, so it grows with `seq`, and
    # the newest-first scan of the primary key then starts and stops where the dates do instead
    # of walking back from the head through every later event.
    if since is not None:
        qs = qs.filter(ts__gte=since, seq__gte=Subquery(_first_seq_at(since)))
    if until is not None:
        qs = qs.filter(ts__lt=until, seq__lt=Coalesce(Subquery(_first_seq_at(until)), Value(SEQ_MAX)))
    if extra_q is not None:
        qs = qs.filter(extra_q)
    return qs.order_by("-seq")
