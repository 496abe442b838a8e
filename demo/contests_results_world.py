"""The demo's finished contest of the previous year (seed 002), walked through the results'
services for `seed_demo`, with its data (demo/contests_results.py). The 2025 rounds are
recorded as their outcome (the entries' scores, the closed final round): that year's contest ran
before the engine; the ranking and the results decision go through contests.results_services, and
the decision is signed and issued with demo keys made here if missing. For the demo only."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests import results_services as results
from contests.models import (
    Contest,
    ContestState,
    Criterion,
    EntrantKind,
    Entry,
    EntryState,
    Prize,
    Round,
    RoundKind,
)
from documents import appearance, signing
from documents import services as documents
from documents.models import SignatureImage
from org.models import RoleAssignment, Unit
from org.services import role_assign


def _people(snv, logins, password, term_start):
    User = get_user_model()
    password = make_password(password)
    made = {}
    for username, full_name, position, role in logins:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"password": password, "full_name": full_name, "position": position, "unit": snv},
        )
        if not RoleAssignment.objects.filter(user=user, role=role, unit=snv).exists():
            role_assign(actor="system", user=user, role=role, unit=snv, start=term_start)
        made[username] = User.objects.get(pk=user.pk)
    return made


def _keys(signer, snv):
    """The demo keys the decision is signed and issued with (issue_demo_keys makes the same)."""
    directory, secret = signing.keys_dir(), signing.passphrase()
    signing.issue_ca(directory, secret)
    signing.issue_user_key(
        directory,
        username=signer.username,
        full_name=signer.get_full_name(),
        organisation=snv.name,
        secret=secret,
    )
    signing.issue_agency_key(directory, unit=snv, secret=secret)
    if not SignatureImage.objects.filter(user=signer).exists():
        png = appearance.signature_image_png(signer.get_full_name())
        documents.signature_image_set(
            actor=signer, user=signer, uploaded_file=SimpleUploadedFile("chu-ky.png", png, "image/png")
        )


def _contest(snv, organiser, units, data):
    contest = Contest.objects.create(
        organizer=snv,
        name=data["name"],
        year=2025,
        plan_reference="4979/KH-SNV-CĐVC ngày 05 tháng 7 năm 2024",
        legal_basis="Nghị định số 73/2023/NĐ-CP ngày 29 tháng 9 năm 2023 của Chính phủ",
        description="Hội thi lần thứ I: các mô hình, sáng kiến cải cách hành chính của các đơn vị thành phố.",
        entry_cap_per_unit=3,
        entries_deadline=dt.date(2025, 8, 15),
        appraisal_deadline=dt.date(2025, 9, 30),
        final_deadline=dt.date(2025, 10, 15),
        finalists=24,
        tie_rule="appraisal_score",
        state=ContestState.FINAL,
        created_by=organiser,
    )
    for kind, levels in data["prizes"].items():
        for position, (name, count, amount) in enumerate(levels, 1):
            Prize.objects.create(
                contest=contest, entrant_kind=kind, name=name, position=position, count=count, amount=amount
            )
    for position, (name, weight) in enumerate(
        [("Nội dung sản phẩm dự thi", 50), ("Kỹ năng thuyết trình", 20), ("Trả lời câu hỏi", 30)], 1
    ):
        Criterion.objects.create(
            contest=contest, round=RoundKind.FINAL, name=name, weight=weight, position=position
        )
    closed = timezone.make_aware(dt.datetime(2025, 10, 15, 16, 0))
    Round.objects.create(
        contest=contest, kind=RoundKind.FINAL, opened_at=closed, closed_at=closed, closed_by=organiser
    )
    for k in range(24):
        kind = EntrantKind.COLLECTIVE if k % 2 == 0 else EntrantKind.INDIVIDUAL
        unit = units[k % len(units)]
        topic = data["topics"][k // 2]
        Entry.objects.create(
            contest=contest,
            unit=unit,
            title=topic if kind == EntrantKind.COLLECTIVE else f"{topic} (đề xuất cá nhân)",
            summary="Giải pháp đã áp dụng thực tế tại đơn vị từ năm 2025.",
            entrant_kind=kind,
            entrant_name=f"Tổ công tác cải cách hành chính, {unit.name}"
            if kind == EntrantKind.COLLECTIVE
            else data["people"][k // 2],
            state=EntryState.FINALIST,
            created_by=organiser,
            submitted_by=organiser,
            submitted_at=closed,
            appraisal_score=Decimal("80.00") + Decimal(k % 7),
            final_score=Decimal("96.50") - Decimal("1.25") * (k // 2) - Decimal("0.10") * (k % 2),
        )
    return contest


def seed(*, name, decided_on, logins, prizes, topics, people, password, term_start):
    """Idempotent: nothing once the 2025 contest exists (or without Sở Nội vụ and its organiser)."""
    data = {"name": name, "prizes": prizes, "topics": topics, "people": people}
    snv = Unit.objects.filter(name="Sở Nội vụ thành phố Hà Nội").first()
    organiser = get_user_model().objects.filter(username="btc.hoithi").first()
    if snv is None or organiser is None or Contest.objects.filter(name=name).exists():
        return
    made = _people(snv, logins, password, term_start)
    signer, clerk = made["pgd.snv"], made["vanthu.snv"]
    _keys(signer, snv)
    units = list(Unit.objects.exclude(pk=snv.pk).exclude(parent__isnull=True).order_by("path")[:8])
    contest = _contest(snv, organiser, units, data)
    results.contest_rank(actor=organiser, contest=contest)
    results.contest_decision_prepare(
        actor=organiser,
        contest=contest,
        signer=signer,
        capacity="KT",
        signed_on=decided_on,
        title=f"Về việc khen thưởng các tập thể, cá nhân đạt giải {name}",
    )
    results.contest_decision_sign(actor=signer, contest=contest)
    results.contest_decision_issue(actor=clerk, contest=contest)
