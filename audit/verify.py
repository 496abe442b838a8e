"""Checking a chain: the same rules for the database and for an exported file.

An event is good when its `seq` is the next one, its `prev_hash` is the previous event's `hash`
(64 zeros for seq 1) and its `hash` is recomputed from its other keys. The check stops at the
first fault: what follows a break cannot be trusted.

With a checkpoint (a signed head kept outside the database, audit/checkpoints.py) the check also
proves that the chain still extends it: the event at the checkpoint's seq has the checkpoint's
hash, and the SHA-256 of the binary hashes of events 1..seq, in order, is the checkpoint's
`chain_sha256`. So a chain rewritten and re-hashed from some event on, which would pass the
plain check, fails here.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from sys import getsizeof
from typing import IO

import rfc8785

from .chain import _C_ENCODER, GENESIS_HASH, SAFE_INT, compute_hash, encode_sorted
from .selectors import chain_rows, row_event

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
    # SHA-256 of the binary hashes of events 1..count (when asked for: checkpoints sign it).
    chain_sha256: str = ""
    checkpoint_seq: int | None = None  # the checkpoint the chain was found to extend

    def __str__(self) -> str:
        if self.ok:
            return f"ok {self.count} {self.head}"
        return f"fault at seq {self.fault_seq}: {self.message}"


class ExportFormatError(ValueError):
    """A line of an export is not a JSON object: there is no event to check."""

    def __init__(self, line_number: int, reason: str):
        self.line_number = line_number
        super().__init__(f"line {line_number}: {reason}")


class _Walk:
    """The state of one walk along a chain: count, head, the running digest, the checkpoint."""

    def __init__(self, *, checkpoint: dict | None, digest: bool):
        self.count, self.head = 0, GENESIS_HASH
        self.checkpoint = checkpoint
        self.want_digest = digest
        self.digest = hashlib.sha256() if digest or checkpoint else None

    def link_fault(self, seq, prev_hash) -> str:
        expected = self.count + 1
        if type(seq) is not int:
            return f"seq is not an integer: {seq!r}"
        if seq > expected:
            return f"seq gap: expected {expected}, found {seq}"
        if seq < expected:
            return f"seq out of order: expected {expected}, found {seq}"
        if prev_hash != self.head:
            return "prev_hash does not link"
        return ""

    def accept(self, seq: int, hash_: str) -> str:
        """Move the head to a good event; "" or what is wrong at the checkpoint's seq."""
        self.count, self.head = seq, hash_
        if self.digest is None:
            return ""
        try:
            self.digest.update(bytes.fromhex(hash_))
        except ValueError:
            return "hash is not hexadecimal"
        if self.checkpoint and seq == self.checkpoint["seq"]:
            if hash_ != self.checkpoint["hash"]:
                return "does not extend the checkpoint: the hash at its seq differs"
            if self.digest.hexdigest() != self.checkpoint["chain_sha256"]:
                return "does not extend the checkpoint: the chain up to it differs"
            if not self.want_digest:
                self.digest = None
        return ""

    def result(self, fault_seq=None, message="") -> Result:
        if fault_seq is None and self.checkpoint and self.count < self.checkpoint["seq"]:
            fault_seq = self.count + 1
            message = (
                f"does not extend the checkpoint: the chain ends before its seq {self.checkpoint['seq']}"
            )
        ok = fault_seq is None
        return Result(
            ok,
            self.count,
            self.head,
            fault_seq,
            message,
            chain_sha256=self.digest.hexdigest() if (ok and self.digest and self.want_digest) else "",
            checkpoint_seq=self.checkpoint["seq"] if (ok and self.checkpoint) else None,
        )


def verify_events(events: Iterable[dict], *, checkpoint: dict | None = None, digest: bool = False) -> Result:
    """Check contract dicts in order; return `ok` with count and head, or the first fault."""
    walk = _Walk(checkpoint=checkpoint, digest=digest)
    for event in events:
        fault = _fault(event, walk)
        if not fault:
            fault = walk.accept(event["seq"], event["hash"])
            if fault:
                return walk.result(event["seq"], fault)
            continue
        return walk.result(walk.count + 1, fault)
    return walk.result()


def _fault(event: dict, walk: _Walk) -> str:
    """What is wrong with this event in this place of the chain, or "" when nothing is."""
    if not event.keys() >= REQUIRED_KEYS:
        return f"missing keys: {', '.join(sorted(REQUIRED_KEYS - event.keys()))}"
    fault = walk.link_fault(event["seq"], event["prev_hash"])
    if fault:
        return fault
    if not isinstance(event["data"], dict):
        return "data is not an object"
    try:
        recomputed = compute_hash(event)
    except (TypeError, ValueError, RecursionError) as exc:  # rfc8785 refuses e.g. 2**53
        return f"cannot canonicalise: {exc}"
    if event["hash"] != recomputed:
        return "hash mismatch"
    return ""


_NOT_JSON = object()


def verify_database(
    *, using: str = "default", checkpoint: dict | None = None, digest: bool = False
) -> Result:
    """Check the chain as stored: `verify_rows` over `selectors.chain_rows` (raw rows, the next
    batch fetched while this one is checked)."""
    return verify_rows(chain_rows(using=using, prefetch=True), checkpoint=checkpoint, digest=digest)


def _beyond_bmp_test():
    """A test for text holding a character beyond U+FFFF, where RFC 8785 sorts keys otherwise
    than Python (chain.canonical_json). CPython stores such a string with 4 bytes a character
    and no other with more than 2, which its size tells at once; where that does not hold (it is
    checked here), a regular expression looks."""
    header = getsizeof("\u0100") - 4  # one character of 2 bytes, and the terminating one

    def wide(text: str) -> bool:
        return getsizeof(text) > header + 2 * (len(text) + 1)

    samples = {
        "ā" * 9: False,
        "Hồ sơ": False,
        "a": False,
        "\U0001f600": True,
        "Hồ sơ 😀": True,
        "x\U00010000": True,
    }
    if all(wide(text) == expected for text, expected in samples.items()):
        return wide
    return re.compile("[\U00010000-\U0010ffff]").search


_BEYOND_BMP = _beyond_bmp_test()
# How many distinct (action, actor, roles) and (object type, scope) texts to keep encoded.
_PIECES = 4096


def verify_rows(rows: Iterable[tuple], *, checkpoint: dict | None = None, digest: bool = False) -> Result:
    """Check stored rows (selectors.ROW_COLUMNS) in seq order.

    The same rules as `verify_events`, written out for speed: `data` is decoded once by a decoder
    that flags floats and unsafe integers, and the canonical text is assembled around it, as
    chain.stored_event_text does, from pieces encoded once for each actor, action and roles, and
    each object type and scope (they repeat from event to event). Events with such numbers, or
    with text beyond U+FFFF in their data, are hashed by the reference `rfc8785` instead; every
    other one by the standard library's encoder.
    """
    walk = _Walk(checkpoint=checkpoint, digest=digest)
    unusual = []

    def flag_float(text):
        unusual.append(text)
        return float(text)

    def flag_int(text):
        value = int(text)
        if not -SAFE_INT <= value <= SAFE_INT:
            unusual.append(text)
        return value

    decoder = json.JSONDecoder(parse_float=flag_float, parse_int=flag_int, parse_constant=flag_float)
    scan, decode = decoder.scan_once, decoder.decode
    sha256 = hashlib.sha256
    quote, beyond_bmp, join = encode_basestring, _BEYOND_BMP, "".join
    c_encoder = _C_ENCODER
    heads: dict[tuple, str] = {}  # '{"action":…,"actor":…[,"actor_roles":[…]]'
    middles: dict[tuple, tuple[str, str]] = {}  # ',"object_type":…,"prev_hash":"', '"[,"scope":…],"seq":'
    # Count and head as locals, the walk's bookkeeping only where it has work (a digest to keep,
    # a checkpoint to meet) or a fault to name: this loop runs once per event of the chain.
    count, head = walk.count, walk.head
    plain = walk.digest is None
    for row in rows:
        seq, ts, actor, roles, action, object_type, object_id, scope, data, prev_hash, hash_, case_id = row
        if seq != count + 1 or prev_hash != head:
            walk.count, walk.head = count, head
            return walk.result(count + 1, walk.link_fault(seq, prev_hash))
        try:
            # The C scanner itself: `decode` adds a Python frame and a whitespace regex per call.
            value, end = scan(data, 0)
            if end != len(data):
                value = decode(data)
        except (StopIteration, ValueError):
            try:
                value = decode(data)
            except ValueError:
                value = _NOT_JSON
        if type(value) is not dict:
            walk.count, walk.head = count, head
            return walk.result(seq, "data is not JSON" if value is _NOT_JSON else "data is not an object")
        raw = None
        if case_id is not None and not -SAFE_INT <= case_id <= SAFE_INT:
            unusual.append(case_id)
        if not unusual:
            text = join(c_encoder(value, 0)) if c_encoder else encode_sorted(value)
            if text.isascii() or not beyond_bmp(text):
                start = heads.get((action, actor, roles))
                if start is None:
                    if len(heads) > _PIECES:
                        heads.clear()
                    listed = f',"actor_roles":[{",".join(map(quote, roles.split(",")))}]' if roles else ""
                    start = heads[action, actor, roles] = (
                        f'{{"action":{quote(action)},"actor":{quote(actor)}{listed}'
                    )
                middle = middles.get((object_type, scope))
                if middle is None:
                    if len(middles) > _PIECES:
                        middles.clear()
                    scoped = f',"scope":{quote(scope)}' if scope else ""
                    middle = middles[object_type, scope] = (
                        f',"object_type":{quote(object_type)},"prev_hash":"',
                        f'"{scoped},"seq":',
                    )
                case = "" if case_id is None else f',"case_id":{case_id}'
                # prev_hash is the previous event's hash, checked above: hexadecimal, no escaping.
                text = (
                    f'{start}{case},"data":{text},"object_id":{quote(object_id)}'
                    f'{middle[0]}{prev_hash}{middle[1]}{seq},"ts":{quote(ts)}}}'
                )
                try:
                    raw = text.encode()
                except UnicodeEncodeError:  # a lone surrogate: the reference decides
                    raw = None
        if raw is None:
            unusual.clear()
            try:
                event = row_event(row, value)
                del event["hash"]
                raw = rfc8785.dumps(event)
            except (TypeError, ValueError) as exc:
                walk.count, walk.head = count, head
                return walk.result(seq, f"cannot canonicalise: {exc}")
        if sha256(raw).hexdigest() != hash_:
            walk.count, walk.head = count, head
            return walk.result(seq, "hash mismatch")
        if plain:
            count, head = seq, hash_
            continue
        walk.count, walk.head = count, head
        fault = walk.accept(seq, hash_)
        if fault:
            return walk.result(seq, fault)
        count, head = seq, hash_
        plain = walk.digest is None
    walk.count, walk.head = count, head
    return walk.result()


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
