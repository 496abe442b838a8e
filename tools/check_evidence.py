#!/usr/bin/env python3
"""Check an evidence bundle of the award-dossier engine offline, trusting nothing in it.

    python3 check_evidence.py BUNDLE.zip --public-key HEX [--require-attested]
    python3 check_evidence.py BUNDLE.zip --key-fingerprint SHA256 [--require-attested]

Needs only Python 3.11+ and, for the checkpoint's Ed25519 signature, the `cryptography` package
(`pip install cryptography`). Prints what it checked and `ok`, or the first fault; exit status 0
when everything holds, 1 otherwise, 2 on bad usage.

A signature proves nothing by itself: anyone can make a key and sign a forged chain with it. So
the checkpoint is checked against the key the organisation publishes, never only against the key
the bundle carries: give that key (`--public-key`, 64 hex digits, as `manage.py audit_checkpoint
--public-key` prints it), or its fingerprint (`--key-fingerprint`, the SHA-256 of the raw 32-byte
key, printed there too) to accept the bundle's key when it is that one. A bundle with a checkpoint
and neither is refused (status 2).

What it checks, each from the bundle's own bytes:
1. Every file listed in manifest.json has the SHA-256 written there, and nothing else is inside.
2. skeleton.jsonl is a chain: seq 1, 2, 3 … with no gap, prev_hash of seq 1 is 64 zeros and every
   other prev_hash is the previous line's hash.
3. checkpoint.json is signed by the key given (--public-key), or by the key it carries when that
   key's fingerprint is --key-fingerprint (and public_key.pem, when bundled, is that key too); the
   skeleton's hash at the checkpoint's seq is the
   signed hash; and the SHA-256 of the skeleton's binary hashes from seq 1 to the checkpoint's seq
   is the signed `chain_sha256`, so every hash up to the checkpoint is the one that was signed.
4. Every event in events.jsonl hashes (SHA-256 of the RFC 8785 canonical JSON of the event
   without its "hash" key) to its "hash", and that hash and its prev_hash are the skeleton's at
   its seq. Events after the checkpoint are linked but not yet signed: reported, and a fault with
   --require-attested.
5. Every document's SHA-256 is the manifest's and the data.sha256 of the event that recorded it.

Canonical JSON: for strings, integers within ±(2**53 - 1), booleans, null, arrays and objects
whose keys hold no character beyond U+FFFF, `json.dumps(sort_keys=True, separators=(",", ":"),
ensure_ascii=False)` is byte for byte RFC 8785; anything else needs the `rfc8785` package.
"""

import argparse
import hashlib
import io
import json
import sys
import zipfile

FORMAT = "tdkt-evidence/1"
CHECKPOINT_FORMAT = "tdkt-audit-checkpoint/1"
GENESIS = "0" * 64
SAFE_INT = 2**53 - 1


class Fault(Exception):
    pass


class Usage(Exception):
    """Bad usage (status 2): nothing was found wrong with the bundle, it was not checked."""


def hex64(value: str | None, what: str) -> str | None:
    """64 lowercase hex digits (colons and spaces allowed in between), or Usage."""
    if value is None:
        return None
    text = "".join(value.split()).replace(":", "").lower()
    if len(text) != 64 or text.strip("0123456789abcdef"):
        raise Usage(f"{what} must be 64 hexadecimal digits")
    return text


def in_plain_json_domain(value) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return not isinstance(value, str) or all(
            ord(c) <= 0xFFFF and not 0xD800 <= ord(c) <= 0xDFFF for c in value
        )
    if isinstance(value, int):
        return -SAFE_INT <= value <= SAFE_INT
    if isinstance(value, list):
        return all(in_plain_json_domain(v) for v in value)
    if isinstance(value, dict):
        return all(in_plain_json_domain(k) and in_plain_json_domain(v) for k, v in value.items())
    return False  # floats and anything else


def canonical(value) -> bytes:
    if in_plain_json_domain(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    try:
        import rfc8785
    except ImportError:
        raise Fault(
            "an event holds a float, a large integer or a character beyond U+FFFF: install rfc8785"
        ) from None
    return rfc8785.dumps(value)


def event_hash(event: dict) -> str:
    return hashlib.sha256(canonical({k: v for k, v in event.items() if k != "hash"})).hexdigest()


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def parse(line: bytes, where: str):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(line.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=refuse)
    except ValueError as exc:
        raise Fault(f"{where}: not valid JSON ({exc})") from None


def jsonl(data: bytes, where: str) -> list:
    items = []
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            item = parse(line, f"{where} line {number}")
            if not isinstance(item, dict):
                raise Fault(f"{where} line {number}: not a JSON object")
            items.append(item)
    return items


def check_files(archive: zipfile.ZipFile, manifest: dict) -> dict[str, bytes]:
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        raise Fault("manifest.json: no list of files")
    names = {i.filename for i in archive.infolist() if not i.is_dir()} - {"manifest.json"}
    if names != set(listed):
        extra, missing = sorted(names - set(listed)), sorted(set(listed) - names)
        raise Fault(f"the files are not the manifest's (unlisted: {extra}, missing: {missing})")
    contents = {}
    for name, expected in listed.items():
        data = archive.read(name)
        if hashlib.sha256(data).hexdigest() != expected:
            raise Fault(f"{name}: its SHA-256 is not the manifest's")
        contents[name] = data
    return contents


def check_skeleton(lines: list[dict]) -> list[tuple[str, str]]:
    """[(prev_hash, hash)] indexed by seq - 1."""
    links, previous = [], GENESIS
    for number, item in enumerate(lines, start=1):
        seq, prev_hash, hash_ = item.get("seq"), item.get("prev_hash"), item.get("hash")
        if seq != number or type(seq) is not int:
            raise Fault(f"skeleton line {number}: expected seq {number}, found {seq!r}")
        if prev_hash != previous:
            raise Fault(f"skeleton seq {seq}: prev_hash does not link to the hash of seq {seq - 1}")
        if not isinstance(hash_, str) or len(hash_) != 64:
            raise Fault(f"skeleton seq {seq}: hash is not 64 hex digits")
        links.append((prev_hash, hash_))
        previous = hash_
    return links


def check_key(checkpoint: dict, public_key: str | None, fingerprint: str | None, bundled_pem: bytes | None):
    """The checkpoint's key is the one the user trusts: given, or matching the given fingerprint."""
    if public_key:
        if public_key != checkpoint["public_key"]:
            raise Fault("checkpoint: signed by another key than --public-key")
        return
    if not fingerprint:
        raise Usage(
            "this bundle's checkpoint can only be trusted against the organisation's key: pass "
            "--public-key HEX, or --key-fingerprint SHA256 (of the key the organisation publishes)"
        )
    try:
        raw = bytes.fromhex(checkpoint["public_key"])
    except (TypeError, ValueError):
        raise Fault("checkpoint: its public key is not hexadecimal") from None
    if hashlib.sha256(raw).hexdigest() != fingerprint:
        raise Fault("checkpoint: signed by a key whose fingerprint is not --key-fingerprint")
    if bundled_pem is not None:
        from cryptography.hazmat.primitives import serialization

        try:
            bundled = serialization.load_pem_public_key(bundled_pem).public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        except (ValueError, TypeError):
            raise Fault("public_key.pem: not an Ed25519 public key") from None
        if bundled != raw:
            raise Fault("public_key.pem: not the key that signed the checkpoint")


def check_checkpoint(
    checkpoint: dict, links, public_key: str | None, fingerprint: str | None = None, bundled_pem=None
) -> int:
    keys = {"format", "seq", "hash", "chain_sha256", "ts", "public_key", "signature"}
    if (
        not isinstance(checkpoint, dict)
        or set(checkpoint) != keys
        or checkpoint["format"] != CHECKPOINT_FORMAT
    ):
        raise Fault("checkpoint.json is not a checkpoint")
    check_key(checkpoint, public_key, fingerprint, bundled_pem)
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        raise Fault("checkpoint: install `cryptography` to check its signature") from None
    body = {k: v for k, v in checkpoint.items() if k != "signature"}
    signed = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint["public_key"])).verify(
            bytes.fromhex(checkpoint["signature"]), signed
        )
    except (InvalidSignature, ValueError, TypeError):
        raise Fault("checkpoint: the signature does not hold") from None
    seq = checkpoint["seq"]
    if type(seq) is not int or not 0 <= seq <= len(links):
        raise Fault(f"checkpoint: its seq {seq!r} is beyond the skeleton ({len(links)} events)")
    if seq and links[seq - 1][1] != checkpoint["hash"]:
        raise Fault(f"checkpoint: the skeleton's hash at seq {seq} is not the signed one")
    digest = hashlib.sha256()
    try:
        for _prev, hash_ in links[:seq]:
            digest.update(bytes.fromhex(hash_))
    except ValueError:
        raise Fault("skeleton: a hash is not hexadecimal") from None
    if digest.hexdigest() != checkpoint["chain_sha256"]:
        raise Fault(f"checkpoint: the skeleton's hashes up to seq {seq} are not the signed ones")
    return seq


def check_events(events: list[dict], links) -> dict[int, dict]:
    by_seq, last = {}, 0
    for event in events:
        seq = event.get("seq")
        if type(seq) is not int or seq <= last:
            raise Fault(f"events: seq {seq!r} is not after {last}")
        if seq > len(links):
            raise Fault(f"event {seq}: beyond the skeleton")
        if not isinstance(event.get("data"), dict) or "hash" not in event or "prev_hash" not in event:
            raise Fault(f"event {seq}: not an event of the contract")
        try:
            recomputed = event_hash(event)
        except (TypeError, ValueError) as exc:
            raise Fault(f"event {seq}: cannot canonicalise ({exc})") from None
        if recomputed != event["hash"]:
            raise Fault(f"event {seq}: its hash does not match its contents")
        if (event["prev_hash"], event["hash"]) != links[seq - 1]:
            raise Fault(f"event {seq}: not the event the skeleton has at seq {seq}")
        by_seq[seq], last = event, seq
    return by_seq


def check_documents(manifest: dict, contents: dict[str, bytes], events: dict[int, dict]) -> int:
    documents = manifest.get("documents") or []
    for document in documents:
        path = document.get("path")
        if path not in contents:
            raise Fault(f"document {path!r}: not in the bundle")
        actual = hashlib.sha256(contents[path]).hexdigest()
        if actual != document.get("sha256"):
            raise Fault(f"document {path}: its SHA-256 is not the manifest's")
        event = events.get(document.get("event_seq"))
        if event is None:
            raise Fault(f"document {path}: no event in the bundle records it")
        if event["data"].get("sha256") != actual:
            raise Fault(f"document {path}: its SHA-256 is not the one event {event['seq']} recorded")
    return len(documents)


def check(path, *, public_key=None, fingerprint=None, require_attested=False, out=sys.stdout) -> None:
    public_key = hex64(public_key, "--public-key")
    fingerprint = hex64(fingerprint, "--key-fingerprint")
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise Fault(f"cannot open the bundle: {exc}") from None
    with archive:
        try:
            manifest = parse(archive.read("manifest.json"), "manifest.json")
        except KeyError:
            raise Fault("no manifest.json") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise Fault(f"manifest.json: not a {FORMAT} bundle")
        contents = check_files(archive, manifest)
    links = check_skeleton(jsonl(contents.get("skeleton.jsonl", b""), "skeleton.jsonl"))
    print(f"skeleton: {len(links)} events linked from seq 1", file=out)
    attested = 0
    if "checkpoint.json" in contents:
        checkpoint = parse(contents["checkpoint.json"], "checkpoint.json")
        attested = check_checkpoint(
            checkpoint, links, public_key, fingerprint, contents.get("public_key.pem")
        )
        print(
            f"checkpoint: seq {attested} signed {checkpoint['ts']} by key {checkpoint['public_key']}",
            file=out,
        )
    elif public_key or fingerprint or require_attested:
        raise Fault("no checkpoint in the bundle")
    events = check_events(jsonl(contents.get("events.jsonl", b""), "events.jsonl"), links)
    later = [seq for seq in events if seq > attested]
    print(f"events: {len(events)} hash correctly and sit at their seq in the skeleton", file=out)
    if later:
        message = (
            f"{len(later)} event(s) after the checkpoint (from seq {later[0]}) are linked but not yet signed"
        )
        if require_attested:
            raise Fault(message)
        print(f"  note: {message}", file=out)
    count = check_documents(manifest, contents, events)
    print(f"documents: {count} match the manifest and the events that recorded them", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle")
    parser.add_argument(
        "--public-key", metavar="HEX", help="the Ed25519 key the checkpoint must be signed with"
    )
    parser.add_argument(
        "--key-fingerprint",
        metavar="SHA256",
        help="accept the key the bundle carries if the SHA-256 of its 32 raw bytes is this",
    )
    parser.add_argument(
        "--require-attested", action="store_true", help="fail unless every event is covered by the checkpoint"
    )
    args = parser.parse_args(argv)
    out = io.StringIO()
    try:
        check(
            args.bundle,
            public_key=args.public_key,
            fingerprint=args.key_fingerprint,
            require_attested=args.require_attested,
            out=out,
        )
    except Usage as problem:
        sys.stdout.write(out.getvalue())
        print(f"{parser.prog}: error: {problem}", file=sys.stderr)
        return 2
    except Fault as fault:
        sys.stdout.write(out.getvalue())
        print(f"FAULT: {fault}")
        return 1
    sys.stdout.write(out.getvalue())
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
