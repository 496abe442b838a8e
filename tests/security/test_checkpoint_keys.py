"""A checkpoint is trusted only against a key that comes from elsewhere than the checkpoint: the
one given, the one configured (AUDIT_CHECKPOINT_PUBLIC_KEY) or, on the host that signs, its own.
Anyone who controls the database can rewrite the chain, make a key and sign the forged head; with
no key to compare, `verify_audit --checkpoint` and tools/check_evidence.py used to say "ok"."""

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from audit import checkpoints
from audit.verify import verify_database
from tests.audit.chains import append_events, run_verify

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check_evidence.py"


@pytest.fixture
def keys(settings, tmp_path):
    """The organisation's key (published) and a forger's; neither configured nor on this host."""
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "not-here.pem"
    settings.AUDIT_CHECKPOINT_PUBLIC_KEY = ""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    own = checkpoints.generate_key(tmp_path / "organisation" / "checkpoint.pem")
    forger = checkpoints.generate_key(tmp_path / "forger" / "checkpoint.pem")
    return own, forger


def signed_head(key, tmp_path, name) -> str:
    """A checkpoint of the chain as it is, signed by `key`, written to a file."""
    result = verify_database(digest=True)
    signed = checkpoints.sign(key=key, seq=result.count, hash=result.head, chain_sha256=result.chain_sha256)
    path = tmp_path / f"{name}.json"
    path.write_text(checkpoints.dumps(signed), encoding="utf-8")
    return str(path)


def hex_of(key) -> str:
    return checkpoints.public_key_hex(key)


# --- verify_audit -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_no_key_given_configured_or_own_a_checkpoint_is_refused(keys, tmp_path):
    _, forger = keys
    append_events(3)
    forged = signed_head(forger, tmp_path, "forged")

    with pytest.raises(CommandError, match="no public key to check the checkpoint against"):
        call_command("verify_audit", "--checkpoint", forged, stdout=io.StringIO())


@pytest.mark.django_db
def test_the_refusal_exits_with_a_failure_status(keys, tmp_path, capsys):
    _, forger = keys
    append_events(2)
    forged = signed_head(forger, tmp_path, "forged")

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "verify_audit", "--checkpoint", forged])

    assert exit_.value.code != 0
    assert "AUDIT_CHECKPOINT_PUBLIC_KEY" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["hex", "pem file"])
def test_the_configured_public_key_is_used_when_none_is_given(keys, tmp_path, settings, form):
    own, forger = keys
    settings.AUDIT_CHECKPOINT_PUBLIC_KEY = (
        hex_of(own)
        if form == "hex"
        else str(checkpoints.public_key_path(tmp_path / "organisation" / "checkpoint.pem"))
    )
    append_events(3)
    genuine, forged = signed_head(own, tmp_path, "genuine"), signed_head(forger, tmp_path, "forged")

    status, output = run_verify("--checkpoint", genuine)
    assert status == 0
    assert f"by key {hex_of(own)}" in output

    status, output = run_verify("--checkpoint", forged)
    assert status == 1
    assert output == f"fault in checkpoint {forged}: signed by another key than the one expected"


@pytest.mark.django_db
def test_a_key_given_on_the_command_line_comes_before_the_configured_one(keys, tmp_path, settings):
    own, forger = keys
    settings.AUDIT_CHECKPOINT_PUBLIC_KEY = hex_of(forger)
    append_events(2)
    genuine = signed_head(own, tmp_path, "genuine")

    assert run_verify("--checkpoint", genuine)[0] == 1
    assert run_verify("--checkpoint", genuine, "--public-key", hex_of(own))[0] == 0


@pytest.mark.django_db
def test_the_host_that_signs_trusts_its_own_key_and_no_other(keys, tmp_path, settings):
    own, forger = keys
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "organisation" / "checkpoint.pem"
    append_events(2)

    assert run_verify("--checkpoint", signed_head(own, tmp_path, "genuine"))[0] == 0
    assert run_verify("--checkpoint", signed_head(forger, tmp_path, "forged"))[0] == 1


@pytest.mark.django_db
def test_a_configured_key_that_is_not_a_key_is_an_error(keys, tmp_path, settings):
    own, _ = keys
    settings.AUDIT_CHECKPOINT_PUBLIC_KEY = str(tmp_path / "nowhere.pem")
    append_events(1)

    with pytest.raises(CommandError, match="neither 64 hex digits nor a readable PEM file"):
        call_command(
            "verify_audit", "--checkpoint", signed_head(own, tmp_path, "genuine"), stdout=io.StringIO()
        )


@pytest.mark.django_db
def test_init_key_writes_the_public_half_and_the_public_key_has_a_fingerprint(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "var" / "audit-checkpoint-key.pem"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    append_events(1)
    out = io.StringIO()

    call_command("audit_checkpoint", "--init-key", stdout=out)

    public_file = tmp_path / "var" / "audit-checkpoint-key.pub.pem"
    own = checkpoints.public_key_hex(checkpoints.load_private_key())
    assert checkpoints.parse_public_key(str(public_file)) == own
    assert f"its public half: {public_file}" in out.getvalue()
    printed = io.StringIO()
    call_command("audit_checkpoint", "--public-key", stdout=printed)
    assert f"fingerprint {hashlib.sha256(bytes.fromhex(own)).hexdigest()}" in printed.getvalue()


# --- tools/check_evidence.py ------------------------------------------------------------------


def bundle(tmp_path, key, *, pem_key=None, name="evidence.zip") -> Path:
    """A small evidence bundle: a skeleton of five links, a checkpoint over them signed by `key`,
    and the public key file (of `pem_key`, by default the signer's)."""
    links, previous = [], "0" * 64
    for seq in range(1, 6):
        hash_ = hashlib.sha256(f"event {seq}".encode()).hexdigest()
        links.append({"seq": seq, "prev_hash": previous, "hash": hash_})
        previous = hash_
    chain = hashlib.sha256(b"".join(bytes.fromhex(link["hash"]) for link in links)).hexdigest()
    signed = checkpoints.sign(key=key, seq=5, hash=previous, chain_sha256=chain)
    files = {
        "events.jsonl": b"",
        "skeleton.jsonl": "".join(json.dumps(link) + "\n" for link in links).encode(),
        "checkpoint.json": json.dumps(signed).encode(),
        "public_key.pem": checkpoints.public_key_pem(hex_of(pem_key or key)),
    }
    manifest = {
        "format": "tdkt-evidence/1",
        "files": {n: hashlib.sha256(c).hexdigest() for n, c in files.items()},
        "documents": [],
    }
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for n, c in files.items():
            archive.writestr(n, c)
    return path


def check(path, *args) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-I", str(CHECKER), str(path), *args], capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout + done.stderr


def fingerprint(key) -> str:
    return hashlib.sha256(bytes.fromhex(hex_of(key))).hexdigest()


def test_the_checker_refuses_a_checkpoint_it_has_no_key_to_trust_with(keys, tmp_path):
    _, forger = keys

    status, output = check(bundle(tmp_path, forger))

    assert status == 2
    assert "pass --public-key HEX, or --key-fingerprint SHA256" in output
    assert "\nok" not in output


def test_the_checker_accepts_the_bundled_key_when_its_fingerprint_is_the_one_given(keys, tmp_path):
    own, _ = keys

    status, output = check(bundle(tmp_path, own), "--key-fingerprint", fingerprint(own))

    assert status == 0, output
    assert output.endswith("ok\n")


def test_the_checker_refuses_a_forgers_key_whatever_the_bundle_carries(keys, tmp_path):
    own, forger = keys
    forged = bundle(tmp_path, forger)

    for args, fault in (
        (
            ("--key-fingerprint", fingerprint(own)),
            "signed by a key whose fingerprint is not --key-fingerprint",
        ),
        (("--public-key", hex_of(own)), "signed by another key than --public-key"),
    ):
        status, output = check(forged, *args)
        assert status == 1
        assert f"FAULT: checkpoint: {fault}" in output


def test_the_bundled_key_file_must_be_the_key_that_signed(keys, tmp_path):
    own, forger = keys

    status, output = check(bundle(tmp_path, own, pem_key=forger), "--key-fingerprint", fingerprint(own))

    assert status == 1
    assert "FAULT: public_key.pem: not the key that signed the checkpoint" in output


def test_a_key_or_fingerprint_that_is_not_64_hex_digits_is_bad_usage(keys, tmp_path):
    own, _ = keys

    assert check(bundle(tmp_path, own), "--public-key", "abc")[0] == 2
    assert check(bundle(tmp_path, own), "--key-fingerprint", "xyz")[0] == 2
