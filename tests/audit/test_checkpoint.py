"""Signed checkpoints: the head of the chain signed with an Ed25519 key and kept outside the
database, so that even a rewrite that re-hashes the chain is caught by verify_audit --checkpoint."""

import io
import json
import os
import stat

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from audit import checkpoints
from audit.chain import GENESIS_HASH, compute_hash
from audit.models import AuditEvent
from audit.selectors import events_exported, latest_checkpoint
from audit.tasks import checkpoint as checkpoint_task
from audit.testing import audit_guard_lifted

from .chains import append_events, run_verify

pytestmark = pytest.mark.django_db


def take_checkpoint(*args) -> tuple[str, dict]:
    out = io.StringIO()
    call_command("audit_checkpoint", *args, stdout=out)
    text = out.getvalue()
    path = next(line.split(" ", 2)[2] for line in text.splitlines() if line.startswith("written to "))
    return path, json.loads(open(path, encoding="utf-8").read())


def rehash_from(seq: int) -> None:
    """What someone in control of the database could do: change an event and re-hash the chain
    from there on, so that the chain itself verifies again."""
    events = list(events_exported())
    previous = events[seq - 2]["hash"] if seq > 1 else GENESIS_HASH
    with audit_guard_lifted():
        for event in events[seq - 1 :]:
            if event["seq"] == seq:
                event["data"] = {**event["data"], "title": "Hồ sơ đã bị sửa"}
            event["prev_hash"] = previous
            event["hash"] = compute_hash(event)
            # Through placeholders: prev_hash and hash are UNIQUE.
            AuditEvent.objects.filter(seq=event["seq"]).update(
                prev_hash=f"{event['seq']:064x}", hash=f"{event['seq'] + 10**6:064x}"
            )
            previous = event["hash"]
        for event in events[seq - 1 :]:
            AuditEvent.objects.filter(seq=event["seq"]).update(
                data=event["data"], prev_hash=event["prev_hash"], hash=event["hash"]
            )


def test_init_key_creates_a_key_readable_by_its_owner_only(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "var" / "checkpoint.pem"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    append_events(1)

    out = io.StringIO()
    call_command("audit_checkpoint", "--init-key", stdout=out)

    key = settings.AUDIT_CHECKPOINT_KEY
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert f"created {key}" in out.getvalue()
    public = checkpoints.public_key_hex(checkpoints.load_private_key())
    assert f"public key {public}" in out.getvalue()
    # A second run keeps the key.
    call_command("audit_checkpoint", "--init-key", stdout=io.StringIO())
    assert checkpoints.public_key_hex(checkpoints.load_private_key()) == public


def test_without_a_key_the_command_refuses_and_says_how(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "absent.pem"

    with pytest.raises(CommandError, match="--init-key"):
        call_command("audit_checkpoint", stdout=io.StringIO())


def test_public_key_prints_the_pem_and_hex(checkpoint_key):
    out = io.StringIO()
    call_command("audit_checkpoint", "--public-key", stdout=out)

    assert "BEGIN PUBLIC KEY" in out.getvalue()
    assert checkpoints.public_key_hex(checkpoint_key) in out.getvalue()
    assert not AuditEvent.objects.exists()


def test_a_checkpoint_signs_the_head_writes_it_out_and_records_it(checkpoint_key):
    events = append_events(3)

    path, signed = take_checkpoint()

    assert (signed["seq"], signed["hash"]) == (3, events[-1].hash)
    assert checkpoints.check(signed, public_key=checkpoints.public_key_hex(checkpoint_key)) == signed
    assert path.startswith(str(django_settings.AUDIT_CHECKPOINT_DIR))
    recorded = AuditEvent.objects.get(seq=4)
    assert (recorded.action, recorded.data["checkpoint"]) == ("audit.checkpoint", signed)
    assert latest_checkpoint() == signed


def test_verify_with_the_checkpoint_proves_the_chain_still_extends_it(checkpoint_key):
    append_events(3)
    path, signed = take_checkpoint()
    append_events(2)

    status, output = run_verify("--checkpoint", path)

    assert status == 0
    first, second = output.splitlines()
    assert first.startswith("ok 6 ")
    assert second.startswith(f"extends checkpoint 3 {signed['hash']} signed {signed['ts']}")


def test_an_event_altered_before_the_checkpoint_is_found_at_its_seq(checkpoint_key):
    append_events(4)
    path, _ = take_checkpoint()
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=2).update(actor="someone else")

    assert run_verify("--checkpoint", path) == (1, "fault at seq 2: hash mismatch")


def test_a_chain_rewritten_and_rehashed_passes_alone_but_not_against_the_checkpoint(checkpoint_key):
    append_events(5)
    path, _ = take_checkpoint()
    rehash_from(2)

    assert run_verify()[0] == 0  # the rewrite is self-consistent
    assert run_verify("--checkpoint", path) == (
        1,
        "fault at seq 5: does not extend the checkpoint: the hash at its seq differs",
    )


def test_a_rewrite_that_keeps_the_checkpoints_head_is_still_caught_by_the_chain_digest(checkpoint_key):
    # A forger cannot keep the head's hash and change what came before it (the hash covers
    # prev_hash); this checks the digest on its own: a checkpoint whose chain_sha256 lies.
    append_events(3)
    _, signed = take_checkpoint()
    forged = checkpoints.sign(key=checkpoint_key, seq=3, hash=signed["hash"], chain_sha256="0" * 64)
    path = checkpoints.write(forged)

    assert run_verify("--checkpoint", str(path)) == (
        1,
        "fault at seq 3: does not extend the checkpoint: the chain up to it differs",
    )


def test_a_chain_cut_short_of_the_checkpoint_fails(checkpoint_key):
    append_events(4)
    path, _ = take_checkpoint()
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq__gte=3).delete()

    assert run_verify("--checkpoint", path) == (
        1,
        "fault at seq 3: does not extend the checkpoint: the chain ends before its seq 4",
    )


def test_a_checkpoint_edited_after_signing_is_refused(checkpoint_key, tmp_path):
    events = append_events(3)
    _, signed = take_checkpoint()
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**signed, "seq": 2, "hash": events[1].hash}), encoding="utf-8")

    status, output = run_verify("--checkpoint", str(forged))

    assert status == 1
    assert output == f"fault in checkpoint {forged}: the signature does not hold"


def test_a_checkpoint_signed_with_another_key_is_refused(checkpoint_key, tmp_path):
    append_events(2)
    stranger = checkpoints.generate_key(tmp_path / "stranger.pem")
    forged = checkpoints.sign(
        key=stranger, seq=2, hash=AuditEvent.objects.get(seq=2).hash, chain_sha256="0" * 64
    )
    path = checkpoints.write(forged, tmp_path)

    status, output = run_verify("--checkpoint", str(path))

    assert status == 1
    assert output.endswith("signed by another key than the one expected")


def test_the_expected_key_can_be_given_when_the_private_key_is_elsewhere(checkpoint_key, settings, tmp_path):
    append_events(2)
    path, _ = take_checkpoint()
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "not-on-this-host.pem"
    public = checkpoints.public_key_hex(checkpoint_key)

    assert run_verify("--checkpoint", path, "--public-key", public)[0] == 0
    assert run_verify("--checkpoint", path, "--public-key", "ab" * 32)[0] == 1


def test_no_checkpoint_is_signed_over_a_broken_chain(checkpoint_key):
    append_events(3)
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=2).update(actor="someone else")
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("audit_checkpoint", stdout=out)

    assert exit_.value.code == 1
    assert "refused: the chain does not verify (fault at seq 2: hash mismatch)" in out.getvalue()
    assert not list(django_settings.AUDIT_CHECKPOINT_DIR.glob("*.json"))
    assert not AuditEvent.objects.filter(action="audit.checkpoint").exists()


def test_no_checkpoint_is_signed_over_a_chain_that_left_the_last_one(checkpoint_key):
    append_events(3)
    take_checkpoint()
    rehash_from(2)
    out = io.StringIO()

    with pytest.raises(SystemExit):
        call_command("audit_checkpoint", stdout=out)

    assert "does not extend the checkpoint" in out.getvalue()


def test_the_daily_task_signs_a_checkpoint(checkpoint_key):
    append_events(2)

    result = checkpoint_task.delay().get()

    assert result["seq"] == 2
    assert latest_checkpoint()["seq"] == 2


def test_the_checkpoint_is_scheduled_daily():
    from celery.schedules import crontab

    entry = django_settings.CELERY_BEAT_SCHEDULE["audit-checkpoint-daily"]
    assert entry["task"] == checkpoint_task.name
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {1} and entry["schedule"].day_of_month == set(range(1, 32))
