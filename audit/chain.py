"""Hashing of events, exactly as the export contract states; shared by record, export and verify.

The hash is SHA-256 over the RFC 8785 (JCS) canonical JSON of the event without its `hash` key.
`canonical_json` gives those bytes. The `rfc8785` package is the reference but pure Python
(about 25 µs an event); for the values events hold (strings, integers within ±(2**53 - 1),
booleans, null, objects with string keys, arrays) the standard library's C encoder with sorted
keys, compact separators and `ensure_ascii=False` writes the very same bytes, about five times
faster. The two differ only outside that domain: floats (RFC 8785 writes 1.0 as `1`), integers
beyond 2**53 - 1 (RFC 8785 refuses them), and object keys with characters beyond U+FFFF (RFC 8785
sorts keys by UTF-16 code units, Python by code points). Anything outside the domain goes to
`rfc8785` itself, so the bytes are always RFC 8785's (tests/audit/test_canonical.py proves it
with hypothesis against `rfc8785.dumps`).
"""

import hashlib
import json
import unicodedata
from datetime import UTC
from json.encoder import c_make_encoder, encode_basestring

import rfc8785

TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
GENESIS_HASH = "0" * 64
# JSON numbers are IEEE doubles: beyond this an integer may not survive a round trip.
SAFE_INT = 2**53 - 1

# Keys an event may carry beyond the contract's (DESIGN.md: "more keys may be added; they are
# hashed too"). Each is written only when it has a value, so an event recorded without them keeps
# exactly the contract's keys and the hash it always had.
OPTIONAL_KEYS = ("actor_roles", "scope", "case_id")


def _refuse(value):
    raise TypeError(f"{type(value).__name__} is not JSON")


# The standard library's C encoder, made once: sorted keys, compact, raw UTF-8, no NaN.
# (JSONEncoder.encode would build a new one, in Python, on every call.)
_C_ENCODER = c_make_encoder and c_make_encoder(
    None, _refuse, encode_basestring, None, ":", ",", True, False, False
)
if _C_ENCODER:

    def encode_sorted(value) -> str:
        return "".join(_C_ENCODER(value, 0))

else:  # an interpreter without the _json accelerator
    encode_sorted = json.JSONEncoder(
        ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False, check_circular=False
    ).encode
# Every byte except the lead bytes of 4-byte UTF-8 sequences (characters beyond U+FFFF).
_NOT_4_BYTE_LEADS = bytes(range(0xF0)) + bytes(range(0xF5, 0x100))


def normalise(value):
    """NFC-normalise every string so that the same Vietnamese text always hashes the same.

    Refuses what the stored JSON could not give back unchanged or the contract cannot hash: floats
    (their canonical form differs between writers), integers beyond ±(2**53 - 1) (RFC 8785 refuses
    them) and keys that are not strings (JSON turns them into strings).
    Enum members (TextChoices, IntEnum) come back as the plain str or int they stand for.
    """
    if isinstance(value, str):
        return str.__str__(unicodedata.normalize("NFC", value))
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("audit data keys must be strings")
        return {normalise(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, float):
        raise TypeError("audit data may not contain floats; use integers or strings")
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if not -SAFE_INT <= value <= SAFE_INT:
            raise TypeError("audit data may not contain integers beyond ±(2**53 - 1); use strings")
        return int(value)
    return value


def format_ts(ts) -> str:
    """`ts` in UTC with microseconds and `Z`, whatever zone the aware datetime carries."""
    if ts.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return ts.astimezone(UTC).strftime(TS_FORMAT)


def event_dict(
    *, seq, ts, actor, action, object_type, object_id, data, prev_hash, actor_roles=(), scope="", case_id=None
) -> dict:
    """The exported form of an event, without its hash: the contract's keys in the contract's
    order, then the optional keys that have a value."""
    event = {
        "seq": seq,
        "ts": ts if isinstance(ts, str) else format_ts(ts),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
        "prev_hash": prev_hash,
    }
    if actor_roles:
        event["actor_roles"] = list(actor_roles)
    if scope:
        event["scope"] = scope
    if case_id is not None:
        event["case_id"] = case_id
    return event


def _fast_domain(value) -> bool:
    """True when the standard library's encoder writes RFC 8785's bytes for `value` (apart from
    characters beyond U+FFFF, which `canonical_json` checks on the output)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -SAFE_INT <= value <= SAFE_INT
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return False
            if type(item) is not str and not _fast_domain(item):
                return False
        return True
    if kind is list or kind is tuple:
        return all(type(item) is str or _fast_domain(item) for item in value)
    # Subclasses (an enum member, an IntEnum), floats and anything else: the reference decides.
    return False


def _fast_bytes(text: str) -> bytes | None:
    """UTF-8 of the encoder's output, or None when it holds a character beyond U+FFFF (keys
    would sort differently) or a lone surrogate (not UTF-8 at all)."""
    if text.isascii():
        return text.encode("ascii")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if raw.translate(None, _NOT_4_BYTE_LEADS):
        return None
    return raw


def canonical_json(value) -> bytes:
    """The RFC 8785 canonical JSON of `value`, as bytes (raises what `rfc8785.dumps` raises)."""
    if _fast_domain(value):
        raw = _fast_bytes(encode_sorted(value))
        if raw is not None:
            return raw
    return rfc8785.dumps(value)


def stored_event_text(
    seq, ts, actor, roles, action, object_type, object_id, scope, data, prev_hash, case_id=None
) -> str:
    """The encoder's text for a stored event (as audit.selectors.chain_rows reads it: `roles`
    comma-separated, `data` decoded), built directly: its keys are known, so only `data` needs
    sorting. Equal to `encode_sorted(event_dict(...))`; what `canonical_json` then checks (text
    beyond U+FFFF, numbers the reference must judge) the caller checks too."""
    before_data = f',"actor_roles":[{",".join(map(encode_basestring, roles.split(",")))}]' if roles else ""
    if case_id is not None:
        before_data += f',"case_id":{int(case_id)}'
    return "".join(
        (
            '{"action":',
            encode_basestring(action),
            ',"actor":',
            encode_basestring(actor),
            before_data,
            ',"data":',
            encode_sorted(data),
            ',"object_id":',
            encode_basestring(object_id),
            ',"object_type":',
            encode_basestring(object_type),
            ',"prev_hash":',
            encode_basestring(prev_hash),
            f',"scope":{encode_basestring(scope)},"seq":' if scope else ',"seq":',
            str(int(seq)),
            ',"ts":',
            encode_basestring(ts),
            "}",
        )
    )


def compute_hash(event: dict) -> str:
    """SHA-256 hex of the RFC 8785 canonical JSON of every key of the event except `hash`."""
    body = {k: v for k, v in event.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body)).hexdigest()
