"""Signed checkpoints: the head of the chain (seq, hash, time) signed with an Ed25519 key and kept
outside the database, so that a rewrite by someone who controls the database (and can re-hash
the chain) is still caught: `verify_audit --checkpoint FILE`.

A checkpoint is one JSON object:

    {"format": "tdkt-audit-checkpoint/1", "seq": 1234, "hash": "<hash of event 1234>",
     "chain_sha256": "<SHA-256 of the 32-byte hashes of events 1..1234, concatenated in order>",
     "ts": "2026-11-23T17:30:00.000000Z", "public_key": "<raw Ed25519 public key, hex>",
     "signature": "<Ed25519 signature, hex>"}

The signature covers the canonical JSON (sorted keys, no spaces, UTF-8) of every key but
`signature`. `chain_sha256` lets an evidence bundle's skeleton of hashes be checked against the
signature without the other events' contents (tools/check_evidence.py).

A signature proves only that whoever holds the key that made it signed: anyone can make a key and
sign a forged head. So a checkpoint is trusted only against a public key that comes from elsewhere
than the checkpoint: the one given (`--public-key`), the one configured
(AUDIT_CHECKPOINT_PUBLIC_KEY, as the organisation publishes it) or, on the host that signs, the
public half of its own private key (`trusted_public_key`). With none of these, nothing is trusted.
"""

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from .chain import canonical_json, format_ts

FORMAT = "tdkt-audit-checkpoint/1"
KEYS = frozenset(("format", "seq", "hash", "chain_sha256", "ts", "public_key", "signature"))


class CheckpointError(ValueError):
    """A checkpoint that cannot be trusted: malformed, or its signature does not hold."""


class KeyMissing(CheckpointError):
    pass


def key_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_KEY)


def load_private_key(path: Path | str | None = None) -> Ed25519PrivateKey:
    path = Path(path) if path else key_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyMissing(
            f"no checkpoint key at {path}: create one with `manage.py audit_checkpoint --init-key`"
        ) from None
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


def public_key_path(private_path: Path | str | None = None) -> Path:
    """Where the public half of a private key file is written: `<name>.pub.pem` beside it."""
    private_path = Path(private_path) if private_path else key_path()
    return private_path.with_name(private_path.stem + ".pub.pem")


def generate_key(path: Path | str | None = None) -> Ed25519PrivateKey:
    """A new key in a PEM file readable by its owner only (never overwrites one), and its public
    half beside it (`public_key_path`), the file to publish and to configure on the hosts that
    verify (AUDIT_CHECKPOINT_PUBLIC_KEY)."""
    path = Path(path) if path else key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public_key_path(path).write_bytes(public_key_pem(public_key_hex(key)))
    return key


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_pem(public_hex: str) -> bytes:
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(public_hex: str) -> str:
    """SHA-256 (hex) of the raw 32-byte public key: short enough to read out over the phone and
    print on paper, for checking the key an evidence bundle carries (tools/check_evidence.py)."""
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()


def parse_public_key(value: str | Path) -> str:
    """A public key as 64 lowercase hex digits, from 64 hex digits or from a PEM file's path."""
    text = str(value).strip()
    if len(text) == 64 and not text.lower().strip("0123456789abcdef"):
        return text.lower()
    try:
        data = Path(text).read_bytes()
    except OSError as exc:
        raise CheckpointError(
            f"the public key {text!r} is neither 64 hex digits nor a readable PEM file ({exc.strerror})"
        ) from None
    try:
        public = serialization.load_pem_public_key(data)
    except ValueError:
        raise CheckpointError(f"{text} is not a PEM public key") from None
    if not isinstance(public, Ed25519PublicKey):
        raise CheckpointError(f"{text} is not an Ed25519 public key")
    return public_key_hex(public)


def trusted_public_key(given: str | None = None) -> str:
    """The key a checkpoint must be signed with: `given`, else AUDIT_CHECKPOINT_PUBLIC_KEY, else
    the public half of this host's own private key (AUDIT_CHECKPOINT_KEY). KeyMissing when there
    is none: a checkpoint is never trusted on the word of the key it carries."""
    if given:
        return parse_public_key(given)
    configured = getattr(settings, "AUDIT_CHECKPOINT_PUBLIC_KEY", "")
    if configured:
        return parse_public_key(configured)
    try:
        return public_key_hex(load_private_key())
    except KeyMissing:
        raise KeyMissing(
            "no public key to check the checkpoint against: pass --public-key HEX (the key the "
            "organisation publishes) or set AUDIT_CHECKPOINT_PUBLIC_KEY"
        ) from None


def signed_bytes(checkpoint: dict) -> bytes:
    return canonical_json({k: v for k, v in checkpoint.items() if k != "signature"})


def sign(*, key: Ed25519PrivateKey, seq: int, hash: str, chain_sha256: str, ts=None) -> dict:
    checkpoint = {
        "format": FORMAT,
        "seq": seq,
        "hash": hash,
        "chain_sha256": chain_sha256,
        "ts": format_ts(ts or datetime.now(UTC)),
        "public_key": public_key_hex(key),
    }
    checkpoint["signature"] = key.sign(signed_bytes(checkpoint)).hex()
    return checkpoint


def check(checkpoint, *, public_key: str | None = None) -> dict:
    """The checkpoint if it is well formed and its signature holds (by `public_key` when given,
    a hex raw key); CheckpointError otherwise. Without `public_key` this proves only that the key
    the checkpoint names signed it, not who that is: to trust one, pass `trusted_public_key()`."""
    if not isinstance(checkpoint, dict) or set(checkpoint) != KEYS:
        raise CheckpointError("not a checkpoint: expected the keys " + ", ".join(sorted(KEYS)))
    if checkpoint["format"] != FORMAT:
        raise CheckpointError(f"unknown checkpoint format {checkpoint['format']!r}")
    if type(checkpoint["seq"]) is not int or checkpoint["seq"] < 0:
        raise CheckpointError("seq is not a count")
    for name in ("hash", "chain_sha256", "public_key"):
        value = checkpoint[name]
        if not isinstance(value, str) or len(value) != 64 or value.strip("0123456789abcdef"):
            raise CheckpointError(f"{name} is not 64 lowercase hex digits")
    if public_key and public_key.lower() != checkpoint["public_key"]:
        raise CheckpointError("signed by another key than the one expected")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint["public_key"])).verify(
            bytes.fromhex(checkpoint["signature"]), signed_bytes(checkpoint)
        )
    except (InvalidSignature, ValueError):
        raise CheckpointError("the signature does not hold") from None
    return checkpoint


def read(path: Path | str) -> dict:
    try:
        checkpoint = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"cannot read {path}: {exc}") from None
    return checkpoint


def dumps(checkpoint: dict) -> str:
    return json.dumps(checkpoint, ensure_ascii=False, indent=2) + "\n"


def write(checkpoint: dict, directory: Path | str | None = None) -> Path:
    """Write the checkpoint as checkpoint-<seq>-<time>.json (never over another file)."""
    directory = Path(directory or settings.AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = "".join(c for c in checkpoint["ts"] if c.isdigit() or c in "TZ")
    path = directory / f"checkpoint-{checkpoint['seq']:012d}-{stamp}.json"
    with open(path, "x", encoding="utf-8") as out:
        out.write(dumps(checkpoint))
    return path
