"""Sealed ballots: a secret vote is encrypted to its meeting's key when cast and opened at the close.

The threat (shared/notes/ballot-secrecy.md): whoever holds the database — its operator, a replica,
a restored backup, the WAL — sees which transaction wrote each row (PostgreSQL's `xmin`), the
physical order of rows and every dead row version until VACUUM. A ballot written in the voter's
transaction is linked to the voter's participation by all three. So the choice is never written
in clear while the voter's transaction could be told apart:

- at scheduling, the meeting gets an X25519 key pair; the public half is stored on the meeting,
  the private half in a file under settings.BALLOT_KEYS_DIR (mode 600, named by a random id),
  never in the database;
- a cast writes the participation and a `SealedBallot`: the choice (and a written vote's comment),
  padded to a fixed size, encrypted to the meeting's public key with a fresh ephemeral key
  (X25519 + HKDF-SHA256 + ChaCha20-Poly1305, bound to the meeting and the nominee);
- the close opens every sealed ballot of the meeting in one transaction, writes the plain ballots
  in a shuffled order with random keys (all carrying the close's `xmin`), deletes the sealed rows,
  and, once that transaction has committed, destroys the private key. Dead versions then hold only
  ciphertexts whose key no longer exists.

Who can link what: the database's holder, nothing; whoever controls the running application (its
files) during the meeting could read the key and open the ballots before the close. Several hosts
share BALLOT_KEYS_DIR (a shared volume, not the database's).
"""

import json
import os
import time
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings

VERSION = b"\x01"
INFO = b"tdkt sealed ballot v1"
# Every plaintext is padded to a multiple of this many bytes: a choice alone always fits in one
# block, so every ballot without a comment has the same length whatever the choice.
BLOCK = 256
_RAW = {"encoding": Encoding.Raw, "format": PublicFormat.Raw}


class SealError(Exception):
    """A sealed ballot cannot be opened: its key is gone or it was altered."""


def keys_dir() -> Path:
    return Path(settings.BALLOT_KEYS_DIR)


def _key_path(key_id) -> Path:
    return keys_dir() / f"{uuid.UUID(str(key_id)).hex}.key"


def new_key() -> tuple[uuid.UUID, bytes]:
    """Make a meeting's key pair: the private half is written to its own file (mode 600), the
    public half and the id are returned for the meeting's row."""
    private = X25519PrivateKey.generate()
    key_id = uuid.uuid4()
    directory = keys_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    fd = os.open(_key_path(key_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(raw)
        f.flush()
        os.fsync(f.fileno())
    return key_id, private.public_key().public_bytes(**_RAW)


def has_key(key_id) -> bool:
    return key_id is not None and _key_path(key_id).exists()


def destroy_key(key_id) -> None:
    """Overwrite and remove the private key: the sealed ballots of its meeting can no longer be
    opened by anyone."""
    if key_id is None:
        return
    path = _key_path(key_id)
    try:
        with open(path, "r+b") as f:
            f.write(os.urandom(32))
            f.flush()
            os.fsync(f.fileno())
        path.unlink()
    except FileNotFoundError:
        pass


def purge_keys(live_ids, *, older_than_seconds=3600) -> list[str]:
    """Destroy the key files that belong to no meeting still taking votes (`live_ids`), once
    older than an hour (a meeting being scheduled right now has its key before its row
    commits). Returns the ids destroyed."""
    live = {uuid.UUID(str(k)).hex for k in live_ids if k}
    directory = keys_dir()
    if not directory.exists():
        return []
    gone = []
    now = time.time()
    for path in directory.glob("*.key"):
        if path.stem in live or now - path.stat().st_mtime < older_than_seconds:
            continue
        destroy_key(uuid.UUID(path.stem))
        gone.append(path.stem)
    return gone


def _aead_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> ChaCha20Poly1305:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=INFO).derive(shared)
    return ChaCha20Poly1305(key)


def _context(meeting_id, item_id) -> bytes:
    return f"meeting:{meeting_id}:item:{item_id}".encode()


def seal(public_key: bytes, *, meeting_id, item_id, choice: str, comment: str = "") -> bytes:
    """The ballot as stored at cast time: version, ephemeral public key, nonce, ciphertext."""
    body = json.dumps({"c": choice, "m": comment}, ensure_ascii=False).encode()
    padded = body + b" " * (-len(body) % BLOCK)
    recipient = bytes(public_key)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(**_RAW)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    nonce = os.urandom(12)
    sealed = _aead_key(shared, ephemeral_public, recipient).encrypt(
        nonce, padded, _context(meeting_id, item_id)
    )
    return VERSION + ephemeral_public + nonce + sealed


class Opener:
    """Opens the sealed ballots of one meeting with its private key."""

    def __init__(self, key_id):
        try:
            raw = _key_path(key_id).read_bytes()
        except (FileNotFoundError, TypeError, ValueError):
            raise SealError("key missing") from None
        self._private = X25519PrivateKey.from_private_bytes(raw)
        self._public = self._private.public_key().public_bytes(**_RAW)

    def open(self, blob: bytes, *, meeting_id, item_id) -> tuple[str, str]:
        blob = bytes(blob)
        if len(blob) < 1 + 32 + 12 + 16 or blob[:1] != VERSION:
            raise SealError("malformed")
        ephemeral_public, nonce, sealed = blob[1:33], blob[33:45], blob[45:]
        shared = self._private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        try:
            padded = _aead_key(shared, ephemeral_public, self._public).decrypt(
                nonce, sealed, _context(meeting_id, item_id)
            )
        except InvalidTag:
            raise SealError("altered") from None
        data = json.loads(padded.decode().rstrip(" "))
        return data["c"], data.get("m", "")
