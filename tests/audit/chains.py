"""Helpers shared by the audit tests: build a chain, export it, run verify_audit."""

import hashlib
import io
import json

import rfc8785
from django.core.management import call_command
from django.db import transaction

from audit.models import AuditEvent
from audit.services import record


def append_events(count: int, **fields) -> list[AuditEvent]:
    """`count` events, each recorded in its own transaction as a service would."""
    events = []
    for n in range(count):
        with transaction.atomic():
            events.append(
                record(
                    actor=fields.get("actor", "system"),
                    action=fields.get("action", "dossier.submit"),
                    object_type=fields.get("object_type", "dossiers.dossier"),
                    object_id=fields.get("object_id", n + 1),
                    data=fields.get("data", {"n": n, "title": "Hồ sơ đề nghị khen thưởng"}),
                )
            )
    return events


def export_text(*args) -> str:
    out = io.StringIO()
    call_command("export_audit", *args, stdout=out)
    return out.getvalue()


def export_events(*args) -> list[dict]:
    return [json.loads(line) for line in export_text(*args).splitlines()]


def run_verify(*args) -> tuple[int, str]:
    """verify_audit's exit status and its stdout."""
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue().strip()
    return 0, out.getvalue().strip()


def contract_hash(event: dict) -> str:
    """The contract, re-implemented from DESIGN.md alone: SHA-256 hex of the RFC 8785 canonical
    JSON of the event without its `hash` key."""
    body = {key: value for key, value in event.items() if key != "hash"}
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()
