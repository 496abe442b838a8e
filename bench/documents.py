"""Document throughput on ONE core: certificates per minute (rendering alone, and the whole batch
path with the database, files, audit events and the ZIP), the time of a 10-page decision (an
annex of 300 awardees) and of signing it.

    python bench/documents.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/documents.py

Pinned to CPU 0 (sched_setaffinity) so the figures are per core. Works in a throwaway database
(bench/audit.py's) and a temporary media and keys directory. Runs in about a minute.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and would hide the apps.
sys.path[0] = str(ROOT)

AWARDEES = 300  # the decision's annex: about 10 pages
RENDER_ONLY = 150  # certificates rendered without the database, after the warm-up
ROUNDS = 3


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")
    from bench.audit import throwaway_database

    with (
        throwaway_database(os.environ.get("DATABASE_URL", "")) as url,
        tempfile.TemporaryDirectory(prefix="tdkt_bench_media_") as media,
    ):
        os.environ["DATABASE_URL"] = url
        os.environ["MEDIA_ROOT"] = media
        import django

        django.setup()
        from django.conf import settings

        settings.SIGNING_KEYS_DIR = str(Path(media) / "keys")
        settings.CELERY_TASK_ALWAYS_EAGER = True
        run()


def spread(values) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def run() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"database: {connection.vendor}; pinned to {cpus} CPU; figures min / median / max")
    decision, chair = build_decision()

    from documents import contexts, rendering, services
    from documents.models import GeneratedKind as K

    started = time.perf_counter()
    rendering.ensure_fonts()
    print(f"start-up (import WeasyPrint, fonts, probe render): {time.perf_counter() - started:.2f} s")

    awards = services._awards_to_certify(decision)
    items = [contexts.certificate_context(a, services.verification_code_for(a)) for a in awards[:RENDER_ONLY]]
    rendering.html_to_pdf(services.certificate_html([dict(items[0])]))  # warm-up
    rates, cpu_rates = [], []
    for _ in range(ROUNDS):
        began, cpu = time.perf_counter(), time.process_time()
        for item in items:
            rendering.html_to_pdf(services.certificate_html([dict(item)]))
        rates.append(len(items) * 60 / (time.perf_counter() - began))
        cpu_rates.append(len(items) * 60 / (time.process_time() - cpu))
    print(f"certificates, rendering only (QR + HTML + PDF, one file each): {spread(rates)} per minute")
    print(
        f"  per minute of CPU time (what other processes on the machine do not change): {spread(cpu_rates)}"
    )

    from documents.models import CertificateBatch

    began, cpu = time.perf_counter(), time.process_time()
    batch = CertificateBatch.objects.create(decision=decision, requested_by=chair, total=len(awards))
    batch = services.certificate_batch_run(batch_id=batch.pk)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert batch.state == "done", batch.error
    print(
        f"certificates, whole batch ({len(awards)}: render, store, SHA-256, audit event each, ZIP): "
        f"{len(awards) * 60 / elapsed:.0f} per minute ({elapsed:.1f} s); "
        f"{len(awards) * 60 / cpu:.0f} per minute of CPU time"
    )

    html = services.document_html(K.DECISION, decision)
    times, cpu_times, pages = [], [], 0
    for _ in range(ROUNDS):
        began, cpu = time.perf_counter(), time.process_time()
        pdf = rendering.html_to_pdf(html)
        times.append(time.perf_counter() - began)
        cpu_times.append(time.process_time() - cpu)
        pages = page_count(pdf)
    print(f"decision with {len(awards)} awardees ({pages} pages), HTML → PDF: {spread(times)} s")
    print(f"  CPU time: {spread(cpu_times)} s")

    began = time.perf_counter()
    html = services.document_html(K.DECISION, decision)
    print(f"  its HTML from the database: {time.perf_counter() - began:.2f} s")

    document = services.document_render(actor=chair, kind=K.DECISION, subject=decision)
    call_command("issue_signing_cert", chair.username, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    signing_times = []
    began = time.perf_counter()
    services.document_sign(actor=chair, document=document)
    signing_times.append(time.perf_counter() - began)
    print(f"  signing it (PAdES, first use of the key included): {signing_times[0] * 1000:.0f} ms")


def page_count(pdf: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])


def build_decision():
    """A commune, its chair and council, one dossier of 300 nominees (two in three individuals)
    voted in, and the chair's decision on it."""
    import datetime as dt

    from django.utils import timezone

    from approvals.services import decision_issue
    from dossiers.models import AwardType, Campaign, Dossier, DossierState, Nominee, NomineeOutcome
    from org.models import Council, Role, Unit, UnitLevel, User
    from org.services import role_assign

    province = Unit.objects.create(
        name="Thành phố Hà Nội", code="UBND", level=UnitLevel.PROVINCE, grants_awards=True
    )
    commune = Unit.objects.create(
        name="Phường Long Biên",
        code="UBND",
        level=UnitLevel.COMMUNE,
        parent=province,
        grants_awards=True,
        place_name="Long Biên",
    )
    school = Unit.objects.create(
        name="Trường THCS Ngọc Lâm", code="THCSNL", level=UnitLevel.SCHOOL, parent=commune
    )
    Council.objects.create(unit=commune, name="Hội đồng Thi đua - Khen thưởng phường Long Biên")
    chair = User.objects.create(
        username="chair", full_name="Vũ Đức Thắng", unit=commune, position="Chủ tịch UBND phường"
    )
    role_assign(actor="system", user=chair, role=Role.CHAIR, unit=commune, start=dt.date(2020, 1, 1))
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Sáng kiến, sáng tạo",
        organizer=commune,
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        submission_deadline=today,
        legal_basis="Kế hoạch số 19/KH-HĐTĐKT",
    )
    award_type = AwardType.objects.get(code="giay-khen")
    rule = award_type.rule_on(today)
    dossier = Dossier.objects.create(
        unit=school,
        reviewing_unit=commune,
        campaign=campaign,
        title="Đề nghị khen thưởng",
        procedure_kind="campaign",
        created_by=chair,
        state=DossierState.AWAITING_DECISION,
    )
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
    given = [
        "Thị Lan",
        "Văn Thành",
        "Thị Hồng Nhung",
        "Quốc Bảo",
        "Minh Tuấn",
        "Thu Trang",
        "Đức Thắng",
        "Ngọc Ánh",
    ]
    Nominee.objects.bulk_create(
        [
            Nominee(
                dossier=dossier,
                kind="collective" if i % 3 == 2 else "individual",
                name=f"Tổ chuyên môn số {i}" if i % 3 == 2 else f"{surnames[i % 12]} {given[i % 8]} ({i})",
                position="" if i % 3 == 2 else "Giáo viên",
                workplace="Trường THCS Ngọc Lâm",
                award_type=award_type,
                achievements="Hoàn thành xuất sắc nhiệm vụ.",
                rule=rule,
                outcome=NomineeOutcome.VOTED_IN,
            )
            for i in range(AWARDEES)
        ]
    )
    decision = decision_issue(actor=chair, dossiers=[dossier], title="Về việc tặng Giấy khen")
    return decision, chair


if __name__ == "__main__":
    main()
