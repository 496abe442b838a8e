"""A backup restored into a new database is the same chain: verify_audit still says ok, with the
same count and head, still extends the signed checkpoint, and the restored table still refuses
UPDATE and DELETE (pg_dump carries the triggers, ENABLE ALWAYS included)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from audit.models import AuditEvent

from .chains import append_events, run_verify

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def _conninfo(dbname: str) -> dict:
    db = settings.DATABASES["default"]
    info = {
        "dbname": dbname,
        "user": db["USER"],
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
    }
    if db["PASSWORD"]:
        info["password"] = db["PASSWORD"]
    return info


def _pg_env() -> dict:
    env = {**os.environ}
    if settings.DATABASES["default"]["PASSWORD"]:
        env["PGPASSWORD"] = settings.DATABASES["default"]["PASSWORD"]
    return env


def _url(dbname: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{dbname}"


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    admin = _conninfo("postgres")
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_verifies_with_the_same_head_and_checkpoint(
    audit_transactional_db, checkpoint_key, restored_database, tmp_path
):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed (Debian: postgresql-client)")
    append_events(40, data={"title": "Hồ sơ đề nghị khen thưởng", "n": 1})
    from django.core.management import call_command

    call_command("audit_checkpoint", stdout=open(os.devnull, "w"))  # noqa: SIM115
    checkpoint = next(Path(settings.AUDIT_CHECKPOINT_DIR).glob("*.json"))
    append_events(3)
    before = run_verify()
    assert before[0] == 0
    dump = tmp_path / "backup.dump"
    db = _conninfo(connection.settings_dict["NAME"])

    subprocess.run(
        [
            "pg_dump",
            "-Fc",
            "-h",
            str(db["host"]),
            "-p",
            str(db["port"]),
            "-U",
            db["user"],
            "-d",
            db["dbname"],
            "-f",
            str(dump),
        ],
        check=True,
        env=_pg_env(),
        capture_output=True,
    )
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "-h",
            str(db["host"]),
            "-p",
            str(db["port"]),
            "-U",
            db["user"],
            "-d",
            restored_database,
            str(dump),
        ],
        check=True,
        env=_pg_env(),
        capture_output=True,
    )

    env = {
        **os.environ,
        "DATABASE_URL": _url(restored_database),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    public = checkpoint_key.public_key().public_bytes_raw().hex()
    after = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "verify_audit",
            "--checkpoint",
            str(checkpoint),
            "--public-key",
            public,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert after.returncode == 0, after.stdout + after.stderr
    first, second = after.stdout.strip().splitlines()
    assert first == before[1]
    assert second.startswith("extends checkpoint 40 ")

    with psycopg.connect(**_conninfo(restored_database), autocommit=True) as conn:
        assert (
            conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == AuditEvent.objects.count()
        )
        for statement in (
            "UPDATE audit_auditevent SET actor = 'x'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
        ):
            with pytest.raises(psycopg.errors.RestrictViolation):
                conn.execute(statement)
