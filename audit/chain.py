"""Hashing of events, exactly as the export contract states; shared by record, export and verify."""

import hashlib
import unicodedata
from datetime import UTC

import rfc8785

TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
GENESIS_HASH = "0" * 64


def normalise(value):
    """NFC-normalise every string so that the same Vietnamese text always hashes the same.

    Refuses what the stored JSON could not give back unchanged: floats (their canonical form
    differs between writers) and keys that are not strings (JSON turns them into strings).
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("audit data keys must be strings")
        return {normalise(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, float):
        raise TypeError("audit data may not contain floats; use integers or strings")
    return value


def format_ts(ts) -> str:
    """`ts` in UTC with microseconds and `Z`, whatever zone the aware datetime carries."""
    if ts.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return ts.astimezone(UTC).strftime(TS_FORMAT)


def event_dict(*, seq, ts, actor, action, object_type, object_id, data, prev_hash) -> dict:
    """The exported form of an event, without its hash."""
    return {
        "seq": seq,
        "ts": ts if isinstance(ts, str) else format_ts(ts),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
        "prev_hash": prev_hash,
    }


def compute_hash(event: dict) -> str:
    """SHA-256 hex of the RFC 8785 canonical JSON of every key of the event except `hash`."""
    body = {k: v for k, v in event.items() if k != "hash"}
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()
