"""Lists exported to xlsx: the page's filters and the reader's scope, a fixed number of queries
whatever the length, and long lists in the background with their progress and file."""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.models import Award
from audit.models import AuditEvent
from dossiers import imports
from dossiers.files import XLSX
from dossiers.models import AwardRecord, DossierState
from reports import list_exports
from reports.models import ExportJob, ExportState
from tests import factories as f

from .helpers import read

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX
    return [[c.value for c in r] for r in read(response.content).iter_rows()]


def dossiers_of(world, unit, n, **extra):
    return [
        f.DossierFactory(
            unit=unit,
            campaign=world.campaign,
            created_by=world.staff_a,
            title=f"Hồ sơ {unit.code} {i}",
            **extra,
        )
        for i in range(n)
    ]


def test_the_dossier_list_exports_only_what_the_reader_sees_with_the_filters(world, client):
    dossiers_of(world, world.school_a, 2)
    dossiers_of(world, world.school_a, 1, state=DossierState.SUBMITTED)
    dossiers_of(world, world.school_b, 2)
    client.force_login(world.head_b)
    rows = sheet_rows(client.get(reverse("export-list", args=["dossiers"])))
    assert rows[0][:3] == ["Mã hồ sơ", "Tiêu đề", "Đơn vị đề nghị"]
    assert sorted(r[1] for r in rows[1:]) == ["Hồ sơ THGT 0", "Hồ sơ THGT 1"]

    client.force_login(world.head_a)
    rows = sheet_rows(client.get(reverse("export-list", args=["dossiers"]), {"state": "submitted"}))
    # The office's words, whatever the page's language.
    assert [(r[1], r[5]) for r in rows[1:]] == [("Hồ sơ THCSNL 0", "Đã trình")]
    rows = sheet_rows(client.get(reverse("export-list", args=["dossiers"]), {"q": "THCSNL 1"}))
    assert [r[1] for r in rows[1:]] == ["Hồ sơ THCSNL 1"]


def test_another_units_dossier_or_decision_is_not_exported(world, client):
    (theirs,) = dossiers_of(world, world.school_b, 1)
    decision = f.decision(world.commune, world.chair, dossiers=[theirs])
    client.force_login(world.head_a)
    assert client.get(reverse("export-list", args=["nominees"]), {"dossier": theirs.pk}).status_code == 404
    assert (
        client.get(reverse("export-list", args=["decision-annex"]), {"decision": decision.pk}).status_code
        == 404
    )
    assert client.get(reverse("export-list", args=["no-such-list"])).status_code == 404


def test_a_dossiers_nominees_carry_the_id_number_only_in_scope(world, client, draft):
    draft.nominee.id_number = "001180012345"
    draft.nominee.sex = "female"
    draft.nominee.save()
    client.force_login(world.staff_a)
    rows = sheet_rows(client.get(reverse("export-list", args=["nominees"]), {"dossier": draft.pk}))
    header = rows[0]
    assert header[:4] == ["STT", "Loại đối tượng", "Họ và tên / Tên tập thể", "Giới tính"]
    assert rows[1][header.index("Số CCCD")] == "001180012345"
    assert rows[1][header.index("Giới tính")] == "Nữ"
    # The inspector reads the dossier (once submitted), not the person's identity.
    type(draft).objects.filter(pk=draft.pk).update(state=DossierState.SUBMITTED)
    client.force_login(world.inspector)
    rows = sheet_rows(client.get(reverse("export-list", args=["nominees"]), {"dossier": draft.pk}))
    assert "Số CCCD" not in rows[0]
    assert rows[1][2] == draft.nominee.name


def test_a_decisions_annex_lists_its_awards(world, client, draft):
    decision = f.decision(world.commune, world.chair, dossiers=[draft])
    Award.objects.create(decision=decision, nominee=draft.nominee, amount=710_000)
    client.force_login(world.head_a)
    rows = sheet_rows(client.get(reverse("export-list", args=["decision-annex"]), {"decision": decision.pk}))
    assert rows[0][1] == "Họ và tên / Tên tập thể"
    assert rows[1][:2] == [1, draft.nominee.name]
    assert rows[1][rows[0].index("Số tiền (đồng)")] == 710_000
    awards = sheet_rows(client.get(reverse("export-list", args=["awards"]), {"year": "2026"}))
    assert [r[1] for r in awards[1:]] == [decision.symbol]


def _export_queries(client, url) -> tuple[int, int]:
    """(queries, rows) of one export."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return len(ctx.captured_queries), len(sheet_rows(response)) - 1


@pytest.mark.parametrize("name", ["dossiers", "nominees", "awards", "decisions", "award-records"])
def test_an_export_costs_the_same_queries_for_10_and_100_rows(world, client, name):
    def grow(n):
        made = dossiers_of(world, world.school_a, n)
        decision = f.decision(
            world.commune, world.chair, number=n, signed_on=dt.date(2026, 2, 5), dossiers=made
        )
        for dossier in made:
            nominee = f.NomineeFactory(dossier=dossier)
            Award.objects.create(decision=decision, nominee=nominee, amount=100)
        AwardRecord.objects.bulk_create(
            AwardRecord(
                kind="individual",
                unit=world.school_a,
                name=f"Người {i}",
                award_type=f.award("giay-khen"),
                year=2024,
                decision_number=f"{i}/QĐ-UBND",
                decision_date=dt.date(2024, 5, 1),
                issuer="UBND phường Long Biên",
                recorded_by=world.officer,
            )
            for i in range(n)
        )

    client.force_login(world.head_a)
    url = reverse("export-list", args=[name])
    grow(10)
    small, few = _export_queries(client, url)
    grow(90)
    large, many = _export_queries(client, url)
    assert few < many and (few, many) != (0, 0)
    assert small == large


def test_a_long_list_is_exported_in_the_background_with_its_progress(
    world, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_ROWS = 5
    monkeypatch.setattr(list_exports, "PROGRESS_EVERY", 4)
    seen = []
    record = list_exports.record_progress

    def progress(job_id, done):
        record(job_id, done)
        seen.append(ExportJob.objects.get(pk=job_id).done)

    monkeypatch.setattr(list_exports, "record_progress", progress)
    dossiers_of(world, world.school_a, 12)
    client.force_login(world.head_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("export-list", args=["dossiers"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export-job", args=[job.pk])
    assert seen == [4, 8, 12]
    assert (job.state, job.total, job.done, job.percent, job.list_name) == (
        ExportState.DONE,
        12,
        12,
        100,
        "dossiers",
    )
    assert job.owner == world.head_a and job.finished_at is not None

    page = client.get(response["Location"])
    assert b'data-testid="export-job-download"' in page.content and b"hx-get" not in page.content
    download = client.get(reverse("export-job-download", args=[job.pk]))
    assert 'filename="danh-sach-ho-so-20260311-0900.xlsx"' in download["Content-Disposition"]
    rows = list(read(b"".join(download.streaming_content)).iter_rows())
    assert len(rows) == 13

    # Only its owner sees it.
    client.force_login(world.staff_a)
    for route in ("export-job", "export-job-progress", "export-job-download"):
        assert client.get(reverse(route, args=[job.pk])).status_code == 404


def test_an_unfinished_job_polls_its_progress(world, client):
    job = ExportJob.objects.create(
        owner=world.head_a, list_name="dossiers", total=10, done=4, state=ExportState.RUNNING
    )
    client.force_login(world.head_a)
    fragment = client.get(reverse("export-job-progress", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("export-job-progress", args=[job.pk])}"' in fragment
    assert 'data-width-percent="40"' in fragment
    assert client.get(reverse("export-job-download", args=[job.pk])).status_code == 404


def test_old_export_files_are_cleaned_up(world, settings):
    old = ExportJob.objects.create(owner=world.head_a, list_name="dossiers", state=ExportState.DONE)
    old.file.save("a.xlsx", ContentFile(b"x"))
    recent = ExportJob.objects.create(owner=world.head_a, list_name="dossiers", state=ExportState.DONE)
    recent.file.save("b.xlsx", ContentFile(b"y"))
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(
        finished_at=now - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)
    )
    ExportJob.objects.filter(pk=recent.pk).update(finished_at=now - dt.timedelta(hours=1))
    old_path = old.file.path

    stuck = ExportJob.objects.create(owner=world.head_a, list_name="dossiers", state=ExportState.RUNNING)
    ExportJob.objects.filter(pk=stuck.pk).update(
        created_at=now - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)
    )

    assert list_exports.exports_cleanup(now=now) == 1
    stuck.refresh_from_db()
    assert (stuck.state, stuck.error) == (
        ExportState.FAILED,
        "The export was interrupted: export the list again.",
    )
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.file.name, old.expired_at) == ("", now)
    assert recent.file and recent.expired_at is None
    assert not os.path.exists(old_path)


def test_the_api_exports_and_answers_202_for_a_long_list(
    world, client, settings, django_capture_on_commit_callbacks
):
    dossiers_of(world, world.school_a, 3)
    client.force_login(world.head_a)
    small = client.get(reverse("exports_api:export-list", args=["dossiers"]))
    assert small.status_code == 200 and len(list(read(small.content).iter_rows())) == 4
    settings.EXPORT_BACKGROUND_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        big = client.get(reverse("exports_api:export-list", args=["dossiers"]))
    assert big.status_code == 202
    job = client.get(reverse("exports_api:export-job", args=[big.json()["id"]])).json()
    assert (job["state"], job["done"], job["total"]) == ("done", 3, 3)
    assert client.get(job["download_url"]).status_code == 200


def test_the_nominees_of_the_listed_dossiers_follow_the_lists_filters_and_scope(world, client):
    (mine,) = dossiers_of(world, world.school_a, 1)
    (sent,) = dossiers_of(world, world.school_a, 1, state=DossierState.SUBMITTED)
    (theirs,) = dossiers_of(world, world.school_b, 1)
    for dossier, name in ((mine, "Vũ Thị Mơ"), (sent, "Đinh Văn Tú"), (theirs, "Hà Văn Khải")):
        f.NomineeFactory(dossier=dossier, name=name)
    client.force_login(world.head_a)
    url = reverse("export-list", args=["nominees"])
    names = [r[2] for r in sheet_rows(client.get(url))[1:]]
    assert sorted(names) == ["Vũ Thị Mơ", "Đinh Văn Tú"]
    assert [r[2] for r in sheet_rows(client.get(url, {"state": "submitted"}))[1:]] == ["Đinh Văn Tú"]
    # The list's link carries the page's filters.
    page = client.get(reverse("dossier-list"), {"state": "submitted"}).content.decode()
    assert f'href="{url}?state=submitted"' in page


def test_an_inspectors_export_is_audited_as_a_read(world, client, draft):
    type(draft).objects.filter(pk=draft.pk).update(state=DossierState.SUBMITTED)
    client.force_login(world.inspector)
    sheet_rows(client.get(reverse("export-list", args=["dossiers"]), {"state": "submitted"}))
    event = AuditEvent.objects.filter(actor="inspector").order_by("-seq").first()
    assert event is not None and event.data["path"] == "/exports/dossiers.xlsx"
    assert event.data["query"] == "state=submitted"


def test_previewed_files_nobody_confirmed_are_removed(world, target, settings):
    imports.stage(target, "a" * 64, b"xlsx")
    imports.stage(target, "b" * 64, b"xlsx")
    assert imports.staged(target, "a" * 64) is None  # bytes that do not hash to the name are refused
    now = timezone.now()
    old = (now - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)).timestamp()
    os.utime(default_storage.path(f"imports/staged/{target.pk}/{'a' * 64}.xlsx"), (old, old))
    recent = (now - dt.timedelta(hours=1)).timestamp()
    os.utime(default_storage.path(f"imports/staged/{target.pk}/{'b' * 64}.xlsx"), (recent, recent))
    assert list_exports.exports_cleanup(now=now) == 1
    assert list_exports.exports_cleanup(now=now) == 0
