"""Crash drill: a real worker process making the 40 certificates of a decision is killed with
SIGKILL in the middle of the batch; once its lease has expired, the recovery (the management
command the beat task also runs) resumes the batch in another process. The batch completes once,
each award has exactly one certificate, the ZIP holds every one of them, and the audit chain
verifies.

The worker and the recovery are separate processes on the test database: on PostgreSQL the test
database itself (the test is transactional, so they see its rows); on SQLite, whose test database
lives in this process's memory, a file copy of it, copied back afterwards for the checks.
"""

import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from approvals import services as approvals
from approvals.models import Award, CouncilResult
from audit.models import AuditEvent
from audit.verify import verify_database
from documents import services
from documents.models import BatchState, CertificateBatchItem, GeneratedDocument
from documents.models import GeneratedKind as K
from dossiers.models import DossierState, NomineeOutcome
from dossiers.reference_data import seed_reference_data
from tests import factories as f

from .conftest import DECISION_DAY

ROOT = Path(__file__).resolve().parents[2]
AWARDS = 40
WORKER_LEASE_SECONDS = 3  # the killed worker's lease: how long the drill waits before recovery
pytestmark = pytest.mark.django_db(transaction=True)

FAMILY, MIDDLE, GIVEN = (
    ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"],
    ["Văn", "Thị"],
    ["An", "Bình", "Chi", "Dũng", "Hà", "Khánh", "Lan", "Minh"],
)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The rules seeded by migration: a transactional test before this one may have flushed them."""
    seed_reference_data(django_apps)


@pytest.fixture
def forty(world, council_roles):
    """A decision awarding a Giấy khen to 40 teachers of school A."""
    rule = f.award("giay-khen").rule_on(DECISION_DAY)
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=DossierState.AWAITING_DECISION,
        submitted_at=timezone.now(),
        submission_count=1,
        title="Đề nghị khen thưởng giáo viên dạy giỏi",
    )
    for i in range(AWARDS):
        nominee = f.NomineeFactory(
            dossier=dossier,
            kind="individual",
            name=f"{FAMILY[i % 5]} {MIDDLE[i % 2]} {GIVEN[i % 8]}",  # 40 different names
            position="Giáo viên",
            workplace="Trường THCS Ngọc Lâm",
            outcome=NomineeOutcome.VOTED_IN,
            rule=rule,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm học.",
        )
        CouncilResult.objects.create(
            nominee=nominee,
            votes_for=9,
            votes_against=0,
            members_total=9,
            passed=True,
            recorded_by=world.secretary,
        )
    return approvals.decision_issue(
        actor=world.chair, dossiers=[dossier], title="Về việc tặng Giấy khen", signed_on=DECISION_DAY
    )


class SharedDatabase:
    """The test database as the worker processes reach it, and its batch row as they leave it."""

    def __init__(self, tmp_path):
        self.file = None
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        else:
            self.file = tmp_path / "drill.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.file) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.file}"

    def batch_row(self, pk) -> tuple[str, int, bool]:
        """(state, done, lease expired) on the database's clock, as committed by now."""
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT state, done, leased_until IS NULL OR leased_until < now() "
                    "FROM documents_certificatebatch WHERE id = %s",
                    [pk],
                )
                return cursor.fetchone()
        with sqlite3.connect(self.file) as db:
            state, done, expired = db.execute(
                "SELECT state, done, leased_until IS NULL OR "
                "leased_until < strftime('%Y-%m-%d %H:%M:%f', 'now') "
                "FROM documents_certificatebatch WHERE id = ?",
                [pk],
            ).fetchone()
        return state, done, bool(expired)

    def copy_back(self):
        if self.file is not None:
            with sqlite3.connect(self.file) as copy:
                copy.backup(connection.connection)

    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.url,
            "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
        }


def wait_for(condition, what: str, *, seconds: float, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"the worker exited ({process.returncode}) before {what}: {process.stderr.read()}")
        time.sleep(0.05)
    pytest.fail(f"no {what} within {seconds} s")


def test_a_worker_killed_mid_batch_is_resumed_and_the_batch_completes_once(
    forty, world, tmp_path, monkeypatch
):
    queue = []
    monkeypatch.setattr(services, "_enqueue", queue.append)  # the broker keeps the message
    batch = services.certificate_batch_start(actor=world.chair, decision=forty)
    assert queue == [batch.pk] and batch.state == BatchState.PENDING and batch.total == AWARDS
    db = SharedDatabase(tmp_path)

    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings\n"
            f"settings.DOCUMENTS_BATCH_LEASE_SECONDS = {WORKER_LEASE_SECONDS}\n"
            "from documents.services import certificate_batch_run\n"
            f"certificate_batch_run(batch_id={batch.pk})\n",
        ],
        cwd=ROOT,
        env=db.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: db.batch_row(batch.pk)[1] > 0, "first certificate", seconds=300, process=worker)
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=60) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        worker.stderr.close()

    state, killed_at, _expired = db.batch_row(batch.pk)
    assert state == BatchState.RUNNING and 0 < killed_at < AWARDS, (state, killed_at)
    wait_for(lambda: db.batch_row(batch.pk)[2], "expired lease", seconds=120)

    recovery = subprocess.run(
        [sys.executable, "manage.py", "recover_stale_batches"],
        cwd=ROOT,
        env=db.env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert recovery.returncode == 0, recovery.stderr
    assert recovery.stdout == f"batch {batch.pk}: retried\n"
    db.copy_back()

    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total, batch.attempts, batch.resumed_from) == (
        BatchState.DONE,
        AWARDS,
        AWARDS,
        2,
        killed_at,
    )
    awards = list(Award.objects.filter(decision=forty))
    per_award = {a.pk: GeneratedDocument.objects.filter(kind=K.CERTIFICATE, award=a).count() for a in awards}
    assert per_award == {a.pk: 1 for a in awards}
    items = {
        i.award_id: i.document
        for i in CertificateBatchItem.objects.filter(batch=batch).select_related("document")
    }
    assert set(items) == {a.pk for a in awards}

    with batch.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == batch.sha256
    archive = zipfile.ZipFile(io.BytesIO(data))
    shipped = sorted(hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist())
    assert len(archive.namelist()) == AWARDS
    assert shipped == sorted(d.sha256 for d in items.values())

    events = list(
        AuditEvent.objects.filter(action__startswith="certificate_batch.").values_list("action", "data")
    )
    assert [action for action, _data in events] == [
        "certificate_batch.start",
        "certificate_batch.retry",
        "certificate_batch.finish",
    ]
    assert (events[1][1]["reason"], events[1][1]["done"]) == ("lease_expired", killed_at)
    assert events[2][1]["reused"] == killed_at
    assert AuditEvent.objects.filter(action="document.generate", data__kind="certificate").count() == AWARDS
    result = verify_database()
    assert result.ok, str(result)
