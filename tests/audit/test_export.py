import io
import json
import re

import pytest
from django.core.management import call_command

from .chains import append_events, export_events, export_text

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = [
    "seq",
    "ts",
    "actor",
    "action",
    "object_type",
    "object_id",
    "data",
    "prev_hash",
    "hash",
]


def test_export_writes_one_event_a_line_with_exactly_the_contract_keys():
    # About a unit: no case file, no roles, no scope (the optional keys are written when set).
    append_events(3, object_type="org.unit")

    lines = export_text().splitlines()

    assert len(lines) == 3
    for line in lines:
        event = json.loads(line)
        assert list(event) == CONTRACT_KEYS
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", event["ts"])
        assert isinstance(event["object_id"], str)


def test_export_writes_compact_json_with_text_unescaped():
    append_events(1, data={"title": "Hồ sơ"})

    line = export_text().splitlines()[0]

    assert '"data":{"title":"Hồ sơ"}' in line
    assert "\\u" not in line


def test_export_since_writes_only_the_events_after_that_seq():
    append_events(5)

    assert [e["seq"] for e in export_events("--since", "3")] == [4, 5]
    assert export_events("--since", "5") == []


def test_export_is_utf8_whatever_the_console_encoding():
    append_events(1, actor="Nguyễn Thị Ánh")
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="latin-1")

    call_command("export_audit", stdout=console)

    event = json.loads(raw.getvalue().decode("utf-8"))
    assert event["actor"] == "Nguyễn Thị Ánh"


def test_export_of_an_empty_chain_writes_nothing():
    assert export_text() == ""
