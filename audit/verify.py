"""Checking a chain: the same rules for the database and for an exported file.

An event is good when its `seq` is the next one, its `prev_hash` is the previous event's `hash`
(64 zeros for seq 1) and its `hash` is recomputed from its other keys. The check stops at the
first fault: what follows a break cannot be trusted.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from .chain import GENESIS_HASH, compute_hash

REQUIRED_KEYS = frozenset(
    ("seq", "ts", "actor", "action", "object_type", "object_id", "data", "prev_hash", "hash")
)


@dataclass(frozen=True)
class Result:
    ok: bool
    count: int  # events found good, up to the fault if there is one
    head: str  # hash of the last good event
    fault_seq: int | None = None
    message: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"ok {self.count} {self.head}"
        return f"fault at seq {self.fault_seq}: {self.message}"


class ExportFormatError(ValueError):
    """A line of an export is not a JSON object: there is no event to check."""

    def __init__(self, line_number: int, reason: str):
        self.line_number = line_number
        super().__init__(f"line {line_number}: {reason}")


def verify_events(events: Iterable[dict]) -> Result:
    """Check contract dicts in order; return `ok` with count and head, or the first fault."""
    count, head = 0, GENESIS_HASH
    for event in events:
        fault = _fault(event, expected_seq=count + 1, prev_hash=head)
        if fault:
            return Result(False, count, head, count + 1, fault)
        count, head = count + 1, event["hash"]
    return Result(True, count, head)


def _fault(event: dict, *, expected_seq: int, prev_hash: str) -> str:
    """What is wrong with this event in this place of the chain, or "" when nothing is."""
    missing = REQUIRED_KEYS - event.keys()
    if missing:
        return f"missing keys: {', '.join(sorted(missing))}"
    seq = event["seq"]
    if type(seq) is not int:
        return f"seq is not an integer: {seq!r}"
    if seq > expected_seq:
        return f"seq gap: expected {expected_seq}, found {seq}"
    if seq < expected_seq:
        return f"seq out of order: expected {expected_seq}, found {seq}"
    if not isinstance(event["data"], dict):
        return "data is not an object"
    if event["prev_hash"] != prev_hash:
        return "prev_hash does not link"
    try:
        recomputed = compute_hash(event)
    except (TypeError, ValueError) as exc:  # rfc8785 refuses e.g. integers beyond 2**53 - 1
        return f"cannot canonicalise: {exc}"
    if event["hash"] != recomputed:
        return "hash mismatch"
    return ""


def _refuse_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        # Parsers disagree on which duplicate wins, so a reader could see another event.
        raise ValueError("duplicate key")
    return dict(pairs)


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def read_export(stream: IO[bytes]) -> Iterator[dict]:
    """The events of a JSON Lines export (UTF-8), one object a line; blank lines are skipped."""
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8").strip()
            if not line:
                continue
            event = json.loads(
                line,
                object_pairs_hook=_refuse_duplicate_keys,
                parse_constant=_refuse_constant,
            )
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ExportFormatError(number, str(exc)) from exc
        if not isinstance(event, dict):
            raise ExportFormatError(number, "not a JSON object")
        yield event
