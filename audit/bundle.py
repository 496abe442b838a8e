"""Evidence bundles: a subject's events, the chain's skeleton, the signed checkpoint and the files,
in one ZIP that anyone can check offline (tools/check_evidence.py; README, "Audit and inspection").

    manifest.json      what is inside, with the SHA-256 of every other file
    events.jsonl       the subject's events in full, one a line, in the export's contract format
    skeleton.jsonl     {"seq", "prev_hash", "hash"} of EVERY event from 1 up to the checkpoint
                       (or the subject's last event, if later): the links of the whole chain
                       without the other events' contents
    checkpoint.json    the latest signed checkpoint (audit/checkpoints.py), when there is one
    public_key.pem     the key that signed it
    documents/…        the files; each is vouched for by an event in events.jsonl whose
                       data.sha256 is the file's SHA-256 (manifest: documents[].event_seq)

What the subject is, and which events and files belong to it, is the caller's business: this
module knows only events (contract dicts) and files.
"""

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from . import checkpoints
from .chain import format_ts
from .selectors import latest_checkpoint, skeleton_rows

FORMAT = "tdkt-evidence/1"
README = """\
Evidence bundle ({format})

Check it offline with tools/check_evidence.py of the project (Python 3 standard library, plus the
`cryptography` package for the checkpoint's signature):

    python3 check_evidence.py THIS.zip --public-key <the published key, hex>

It recomputes every event's hash (SHA-256 of the RFC 8785 canonical JSON of the event without its
"hash" key), finds it at its seq in skeleton.jsonl, checks that the skeleton's links are unbroken
from seq 1 and that its hashes up to the checkpoint are the ones the checkpoint signed
(chain_sha256), and that every document's SHA-256 is the one in the manifest and in the event that
recorded it.
"""
CHUNK = 1 << 16


@dataclass(frozen=True)
class BundleFile:
    """A file to put under documents/, vouched for by the event at `event_seq` (its data.sha256)."""

    path: str
    open: Callable[[], IO[bytes]]
    event_seq: int | None
    info: dict = field(default_factory=dict)


def _line(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class _Writer:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.hashes: dict[str, str] = {}

    def write_bytes(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)
        self.hashes[name] = hashlib.sha256(data).hexdigest()

    def write_stream(self, name: str, chunks) -> tuple[str, int]:
        digest, size = hashlib.sha256(), 0
        with self.archive.open(name, "w", force_zip64=True) as out:
            for chunk in chunks:
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        self.hashes[name] = digest.hexdigest()
        return self.hashes[name], size


def _file_chunks(opener):
    with opener() as source:
        while chunk := source.read(CHUNK):
            yield chunk


def _skeleton_chunks(upto: int, head: list):
    batch = []
    for seq, prev_hash, hash_ in skeleton_rows(upto=upto):
        batch.append(_line({"seq": seq, "prev_hash": prev_hash, "hash": hash_}))
        head[:] = [seq, hash_]
        if len(batch) == 2000:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch)


def write_bundle(
    target: IO[bytes], *, subject: dict, events: list[dict], files: list[BundleFile], created_by: str
) -> dict:
    """Write the ZIP into `target` (a binary file open for writing); return its manifest."""
    checkpoint = latest_checkpoint()
    last_event = events[-1]["seq"] if events else 0
    upto = max(checkpoint["seq"] if checkpoint else 0, last_event)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        out = _Writer(archive)
        out.write_bytes("README.txt", README.format(format=FORMAT).encode("utf-8"))
        out.write_bytes("events.jsonl", b"".join(_line(event) for event in events))
        head = [0, ""]
        out.write_stream("skeleton.jsonl", _skeleton_chunks(upto, head))
        if checkpoint:
            out.write_bytes("checkpoint.json", checkpoints.dumps(checkpoint).encode("utf-8"))
            out.write_bytes("public_key.pem", checkpoints.public_key_pem(checkpoint["public_key"]))
        documents = []
        for item in files:
            sha256, size = out.write_stream(item.path, _file_chunks(item.open))
            documents.append(
                {"path": item.path, "sha256": sha256, "size": size, "event_seq": item.event_seq, **item.info}
            )
        manifest = {
            "format": FORMAT,
            "created": format_ts(datetime.now(UTC)),
            "created_by": created_by,
            "subject": subject,
            "events": {"file": "events.jsonl", "count": len(events), "last_seq": last_event},
            "skeleton": {"file": "skeleton.jsonl", "upto": head[0], "head_hash": head[1]},
            "checkpoint": (
                {"file": "checkpoint.json", "seq": checkpoint["seq"], "hash": checkpoint["hash"]}
                if checkpoint
                else None
            ),
            "documents": documents,
            "files": dict(sorted(out.hashes.items())),
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return manifest
