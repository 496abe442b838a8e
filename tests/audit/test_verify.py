import pytest
from django.forms.models import model_to_dict

from audit.chain import compute_hash, event_dict
from audit.models import AuditEvent
from audit.testing import audit_guard_lifted
from audit.verify import verify_events

from .chains import append_events, export_events, export_text, run_verify

GENESIS = "0" * 64


def _swap_contents(seq_a: int, seq_b: int) -> None:
    """Put each event's content (all but seq) in the other's place, as if they were reordered."""
    fields = ["ts", "actor", "action", "object_type", "object_id", "data", "prev_hash", "hash"]
    a = model_to_dict(AuditEvent.objects.get(seq=seq_a), fields=fields)
    b = model_to_dict(AuditEvent.objects.get(seq=seq_b), fields=fields)
    # Through placeholders: prev_hash and hash are UNIQUE at every step.
    AuditEvent.objects.filter(seq=seq_a).update(prev_hash="a" * 64, hash="b" * 64)
    AuditEvent.objects.filter(seq=seq_b).update(**a)
    AuditEvent.objects.filter(seq=seq_a).update(**b)


@pytest.mark.django_db
def test_verify_prints_ok_count_and_head_of_a_good_chain():
    events = append_events(5)

    assert run_verify() == (0, f"ok 5 {events[-1].hash}")


@pytest.mark.django_db
def test_verify_of_an_empty_chain_prints_ok_0_and_the_genesis_hash():
    assert run_verify() == (0, f"ok 0 {GENESIS}")


@pytest.mark.django_db
def test_verify_detects_an_altered_field_at_its_seq():
    append_events(5)
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=3).update(actor="someone else")

    assert run_verify() == (1, "fault at seq 3: hash mismatch")


@pytest.mark.django_db
def test_verify_detects_altered_data_at_its_seq():
    append_events(5)
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=4).update(data={"n": 3, "title": "Hồ sơ khác"})

    assert run_verify() == (1, "fault at seq 4: hash mismatch")


@pytest.mark.django_db
def test_verify_detects_a_deleted_event_as_a_seq_gap():
    append_events(5)
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=3).delete()

    assert run_verify() == (1, "fault at seq 3: seq gap: expected 3, found 4")


@pytest.mark.django_db
def test_verify_detects_two_events_reordered():
    append_events(5)
    with audit_guard_lifted():
        _swap_contents(3, 4)

    assert run_verify() == (1, "fault at seq 3: prev_hash does not link")


@pytest.mark.django_db
def test_verify_detects_an_event_inserted_into_the_chain():
    events = append_events(5)
    # A careful forger: the new event is hashed correctly and linked to seq 2, the later events
    # are renumbered and relinked; only their hashes, which cover seq and prev_hash, give it away.
    forged = event_dict(
        seq=3,
        ts=events[1].ts,
        actor="forger",
        action="dossier.approve",
        object_type="dossiers.dossier",
        object_id="1",
        data={},
        prev_hash=events[1].hash,
    )
    forged["hash"] = compute_hash(forged)
    with audit_guard_lifted():
        for seq in (5, 4, 3):
            AuditEvent.objects.filter(seq=seq).update(seq=seq + 1)
        AuditEvent.objects.filter(seq=4).update(prev_hash=forged["hash"])
        AuditEvent.objects.create(**{**forged, "ts": events[1].ts})

    assert run_verify() == (1, "fault at seq 4: hash mismatch")


@pytest.mark.django_db
def test_verify_detects_an_event_appended_without_record():
    events = append_events(2)
    AuditEvent.objects.create(
        seq=3,
        ts=events[1].ts,
        actor="system",
        action="dossier.approve",
        prev_hash=events[1].hash,
        hash="f" * 64,
    )

    assert run_verify() == (1, "fault at seq 3: hash mismatch")


@pytest.mark.django_db
def test_verify_file_accepts_an_export_and_reports_the_database_head(tmp_path):
    append_events(4, data={"title": "Quyết định khen thưởng"})
    export = tmp_path / "audit.jsonl"
    export.write_bytes(export_text().encode("utf-8"))

    assert run_verify("--file", str(export)) == run_verify()
    assert run_verify("--file", str(export))[1].startswith("ok 4 ")


@pytest.mark.django_db
def test_verify_file_detects_an_edited_line(tmp_path):
    append_events(3, actor="Trần Văn Bình")
    lines = export_text().splitlines()
    lines[1] = lines[1].replace("Trần Văn Bình", "Trần Văn Bính")
    export = tmp_path / "audit.jsonl"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert run_verify("--file", str(export)) == (1, "fault at seq 2: hash mismatch")


@pytest.mark.django_db
def test_verify_file_reports_a_line_that_is_not_json(tmp_path):
    append_events(2)
    export = tmp_path / "audit.jsonl"
    export.write_text(export_text() + "{not json\n", encoding="utf-8")

    status, output = run_verify("--file", str(export))

    assert status == 1
    assert output.startswith("fault at line 3: ")


@pytest.mark.django_db
def test_verify_file_refuses_a_line_with_a_duplicate_key(tmp_path):
    append_events(1, actor="an")
    line = export_text().strip()
    export = tmp_path / "audit.jsonl"
    export.write_text(line[:-1] + ',"actor":"mallory"}\n', encoding="utf-8")

    assert run_verify("--file", str(export)) == (1, "fault at line 1: duplicate key")


@pytest.mark.django_db
def test_verify_of_an_export_since_a_seq_reports_a_gap_from_seq_1():
    append_events(3)

    result = verify_events(export_events("--since", "1"))

    assert (result.ok, result.fault_seq, result.message) == (
        False,
        1,
        "seq gap: expected 1, found 2",
    )


def test_verify_hashes_keys_added_beyond_the_contract():
    event = event_dict(
        seq=1,
        ts="2026-01-01T00:00:00.000000Z",
        actor="system",
        action="x",
        object_type="",
        object_id="",
        data={},
        prev_hash=GENESIS,
    )
    event["schema"] = 2
    event["hash"] = compute_hash(event)

    assert verify_events([event]).ok
    assert verify_events([{**event, "schema": 3}]).message == "hash mismatch"


def test_verify_reports_an_event_missing_a_contract_key():
    result = verify_events([{"seq": 1, "prev_hash": GENESIS}])

    assert not result.ok
    assert result.message.startswith("missing keys: action, actor, data, hash")
