"""Reading the chain in its exported form: the one conversion shared by export and verify."""

from collections.abc import Iterator

from .chain import event_dict
from .models import AuditEvent

# The contract's keys, in the order the export writes them.
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
CHUNK_SIZE = 2000


def event_exported(row: tuple) -> dict:
    """One stored event (a row of `EXPORTED_FIELDS`) as the contract exports it."""
    seq, ts, actor, action, object_type, object_id, data, prev_hash, hash_ = row
    event = event_dict(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data,
        prev_hash=prev_hash,
    )
    event["hash"] = hash_
    return event


def events_exported(*, since: int = 0, using: str = "default") -> Iterator[dict]:
    """Every event with `seq > since`, in seq order, streamed in chunks (the table only grows)."""
    rows = (
        AuditEvent.objects.using(using)
        .filter(seq__gt=since)
        .order_by("seq")
        .values_list(*EXPORTED_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    return map(event_exported, rows)
