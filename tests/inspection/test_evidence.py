"""A dossier's evidence bundle, built by the real export, checked offline by tools/check_evidence.py
(run as a separate process, as anyone would run it): it passes as exported and fails after each
kind of tampering, even when the forger also fixes the manifest's SHA-256s."""

import ast
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit import checkpoints
from audit.chain import compute_hash
from dossiers import services as dossier_services
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check_evidence.py"
pytestmark = pytest.mark.django_db


def export(client, dossier) -> bytes:
    response = client.get(reverse("inspection-evidence", args=[dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def check(path, *args) -> tuple[int, str]:
    # -I: isolated from this project (no PYTHONPATH, no user site, not this folder on sys.path).
    done = subprocess.run(
        [sys.executable, "-I", str(CHECKER), str(path), *args], capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout + done.stderr


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(tmp_path, data: bytes, *, fix_manifest=True, **changes) -> Path:
    """The bundle with some members changed (name → new bytes, or None to drop it); with
    `fix_manifest` the forger also rewrites the manifest's SHA-256s to match."""
    files = members(data)
    for name, content in changes.items():
        name = name.replace("__", "/").replace("_jsonl", ".jsonl").replace("_json", ".json")
        if content is None:
            files.pop(name)
        else:
            files[name] = content
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {
            n: hashlib.sha256(c).hexdigest() for n, c in files.items() if n != "manifest.json"
        }
        for document in manifest["documents"]:
            if document["path"] in files:
                document["sha256"] = hashlib.sha256(files[document["path"]]).hexdigest()
        files["manifest.json"] = json.dumps(manifest).encode()
    path = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def lines(content: bytes) -> list[dict]:
    return [json.loads(line) for line in content.decode().splitlines()]


def jsonl(items) -> bytes:
    return "".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) + "\n" for i in items).encode()


@pytest.fixture
def bundle(as_inspector, world, submitted, checkpoint_key, tmp_path):
    """Events of two units, a checkpoint over all of them, then the export of school A's dossier."""
    other = f.DossierFactory(unit=world.school_b, campaign=world.campaign, created_by=world.head_b)
    f.NomineeFactory(dossier=other)
    dossier_services.dossier_update(actor=world.head_b, dossier=other, title="Hồ sơ trường B")
    call_command("audit_checkpoint", stdout=io.StringIO())
    data = export(as_inspector, submitted)
    path = tmp_path / "evidence.zip"
    path.write_bytes(data)
    return path, data, checkpoints.public_key_hex(checkpoint_key)


def test_the_checker_uses_only_the_standard_library_and_cryptography():
    tree = ast.parse(CHECKER.read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - sys.stdlib_module_names == {"cryptography", "rfc8785"}  # rfc8785: optional


def test_an_exported_bundle_passes_the_offline_check(bundle):
    path, _, public = bundle

    status, output = check(path, "--public-key", public, "--require-attested")

    assert status == 0, output
    assert output.strip().endswith("ok")
    assert "events: 4 hash correctly" in output
    assert "documents: 3 match" in output


def test_the_bundle_holds_the_dossiers_events_the_skeleton_the_checkpoint_and_the_files(bundle, submitted):
    _, data, public = bundle
    files = members(data)
    manifest = json.loads(files["manifest.json"])
    events = lines(files["events.jsonl"])
    skeleton = lines(files["skeleton.jsonl"])
    signed = json.loads(files["checkpoint.json"])

    assert {e["action"] for e in events} == {"attachment.add", "dossier.submit"}
    assert all(e["hash"] == compute_hash(e) for e in events)
    assert all("Hồ sơ trường B" not in json.dumps(e, ensure_ascii=False) for e in events)
    # The skeleton: every event's links, from 1 to the checkpoint, and nothing of their contents.
    assert [s["seq"] for s in skeleton] == list(range(1, signed["seq"] + 1))
    assert all(set(s) == {"seq", "prev_hash", "hash"} for s in skeleton)
    assert "Hồ sơ trường B".encode() not in files["skeleton.jsonl"]
    assert signed["public_key"] == public
    assert files["public_key.pem"] == checkpoints.public_key_pem(public)
    assert manifest["subject"]["id"] == submitted.pk
    assert len(manifest["documents"]) == 3
    assert all(d["sha256"] == hashlib.sha256(files[d["path"]]).hexdigest() for d in manifest["documents"])
    assert set(manifest["files"]) == set(files) - {"manifest.json"}


def test_a_tampered_event_fails(bundle, tmp_path):
    _, data, public = bundle
    events = lines(members(data)["events.jsonl"])
    events[0]["actor"] = "someone else"

    status, output = check(rezip(tmp_path, data, events_jsonl=jsonl(events)), "--public-key", public)

    assert status == 1
    assert f"FAULT: event {events[0]['seq']}: its hash does not match its contents" in output


def test_a_tampered_event_that_was_rehashed_fails_against_the_skeleton(bundle, tmp_path):
    _, data, public = bundle
    events = lines(members(data)["events.jsonl"])
    events[-1]["data"]["submission"] = 2
    events[-1]["hash"] = compute_hash(events[-1])

    status, output = check(rezip(tmp_path, data, events_jsonl=jsonl(events)), "--public-key", public)

    assert status == 1
    assert (
        f"FAULT: event {events[-1]['seq']}: not the event the skeleton has at seq {events[-1]['seq']}"
        in output
    )


def test_a_tampered_document_fails_even_with_the_manifest_fixed(bundle, tmp_path):
    _, data, public = bundle
    document = json.loads(members(data)["manifest.json"])["documents"][0]
    forged = f.pdf_bytes("Tờ trình đã bị thay")

    fixed = rezip(tmp_path, data, **{document["path"].replace("/", "__"): forged})
    status, output = check(fixed, "--public-key", public)
    assert status == 1
    assert (
        f"FAULT: document {document['path']}: its SHA-256 is not the one event {document['event_seq']} recorded"
        in output
    )

    unfixed = rezip(tmp_path, data, fix_manifest=False, **{document["path"].replace("/", "__"): forged})
    status, output = check(unfixed, "--public-key", public)
    assert status == 1
    assert f"FAULT: {document['path']}: its SHA-256 is not the manifest's" in output


def test_a_tampered_skeleton_fails(bundle, tmp_path):
    _, data, public = bundle
    skeleton = lines(members(data)["skeleton.jsonl"])
    # Swap in another hash for an event of school B and relink the next one: the links hold, but
    # these are not the hashes the checkpoint signed.
    skeleton[1]["hash"] = "ab" * 32
    skeleton[2]["prev_hash"] = "ab" * 32

    status, output = check(rezip(tmp_path, data, skeleton_jsonl=jsonl(skeleton)), "--public-key", public)

    assert status == 1
    assert "FAULT: checkpoint: the skeleton's hashes up to seq" in output


def test_a_skeleton_with_a_missing_link_fails(bundle, tmp_path):
    _, data, public = bundle
    skeleton = lines(members(data)["skeleton.jsonl"])
    del skeleton[2]

    status, output = check(rezip(tmp_path, data, skeleton_jsonl=jsonl(skeleton)), "--public-key", public)

    assert status == 1
    assert "FAULT: skeleton line 3: expected seq 3, found 4" in output


def test_a_tampered_checkpoint_signature_fails(bundle, tmp_path):
    _, data, public = bundle
    signed = json.loads(members(data)["checkpoint.json"])
    signed["signature"] = ("0" if signed["signature"][0] != "0" else "1") + signed["signature"][1:]

    status, output = check(
        rezip(tmp_path, data, checkpoint_json=json.dumps(signed).encode()), "--public-key", public
    )

    assert status == 1
    assert "FAULT: checkpoint: the signature does not hold" in output


def test_a_checkpoint_re_signed_by_another_key_fails_against_the_published_key(bundle, tmp_path):
    _, data, public = bundle
    signed = json.loads(members(data)["checkpoint.json"])
    stranger = checkpoints.generate_key(tmp_path / "stranger.pem")
    forged = checkpoints.sign(
        key=stranger, seq=signed["seq"], hash=signed["hash"], chain_sha256=signed["chain_sha256"]
    )

    path = rezip(tmp_path, data, checkpoint_json=json.dumps(forged).encode())

    # Self-consistent, but signed by the stranger's key: without the published key it is not
    # trusted at all (status 2), and against it, it is a fault.
    assert check(path)[0] == 2
    status, output = check(path, "--public-key", public)
    assert status == 1
    assert "FAULT: checkpoint: signed by another key than --public-key" in output


def test_a_file_slipped_into_the_bundle_fails(bundle, tmp_path):
    _, data, public = bundle

    status, output = check(rezip(tmp_path, data, fix_manifest=False, extra_txt=b"x"), "--public-key", public)

    assert status == 1
    assert "the files are not the manifest's" in output


def test_events_after_the_checkpoint_are_linked_but_reported_as_not_yet_signed(
    as_inspector, world, submitted, checkpoint_key, tmp_path
):
    call_command("audit_checkpoint", stdout=io.StringIO())
    dossier_services.dossier_withdraw(actor=world.head_a, dossier=submitted, reason="Nộp nhầm đợt")
    path = tmp_path / "evidence.zip"
    path.write_bytes(export(as_inspector, submitted))
    public = checkpoints.public_key_hex(checkpoint_key)

    status, output = check(path, "--public-key", public)
    assert status == 0
    assert "1 event(s) after the checkpoint" in output

    status, output = check(path, "--public-key", public, "--require-attested")
    assert status == 1


def test_a_bundle_without_any_checkpoint_is_linked_but_not_attested(as_inspector, submitted, tmp_path):
    path = tmp_path / "evidence.zip"
    path.write_bytes(export(as_inspector, submitted))

    assert check(path)[0] == 0
    assert check(path, "--require-attested")[0] == 1
