"""A known world for the statistics: the commune of `world` with a school merged away into school
A, a forwarded nominee decided at the province, awards recorded from elsewhere, a revoked award,
a draft, and another commune whose figures must never count. The expected figures in the tests
are counted by hand from this data, not by the code under test."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from approvals.models import Award, Decision, DecisionKind
from dossiers.models import AwardRecord, Campaign, Dossier, Nominee
from org.models import Unit, UnitLevel
from tests import factories as f


def local(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def dossier(w, unit, state, submitted, procedure="campaign", **extra):
    return f.DossierFactory(
        unit=unit,
        campaign=w.campaign,
        created_by=w.staff_a,
        state=state,
        procedure_kind=procedure,
        submitted_at=local(submitted) if submitted else None,
        **extra,
    )


def nominee(d, name, kind="individual", code="giay-khen", **extra):
    return f.NomineeFactory(dossier=d, name=name, kind=kind, award_type=f.award(code), **extra)


_numbers = iter(range(1, 10_000))


def decision(issuer, signer, signed_on, kind=DecisionKind.AWARD, dossiers=()):
    made = Decision.objects.create(
        issuer=issuer,
        year=signed_on.year,
        number=next(_numbers),
        kind=kind,
        title="Về việc khen thưởng",
        signed_on=signed_on,
        signed_by=signer,
    )
    if dossiers:
        made.dossiers.add(*dossiers)
    return made


def award(dec, nom, amount=0, **extra):
    return Award.objects.create(decision=dec, nominee=nom, amount=amount, **extra)


def record(w, unit, name, *, kind="individual", title="", code=None, on=dt.date(2025, 7, 1), **extra):
    return AwardRecord.objects.create(
        kind=kind,
        unit=unit,
        name=name,
        award_type=f.award(code) if code else None,
        award_title=title,
        year=on.year,
        decision_number="99/QĐ-UBND",
        decision_date=on,
        issuer="Ủy ban nhân dân tỉnh",
        recorded_by=w.officer,
        **extra,
    )


def add_bulk(w, n, *, unit=None, year=2025):
    """n more decided dossiers with one awarded nominee each (for query counts that must not grow)."""
    unit = unit or w.school_b
    dec = decision(w.commune, w.chair, dt.date(year, 10, 1))
    for i in range(n):
        d = dossier(w, unit, "decided", dt.date(year, 9, 1))
        nom = nominee(d, f"Người thứ {i}")
        award(dec, nom)
        dec.dossiers.add(d)


@pytest.fixture
def stats(world):
    w = world
    # School C, merged into school A on 1/8/2025: its dossiers and awards count for school A.
    w.school_c = f.UnitFactory(name="Trường Mầm non Hoa Sữa", code="MNHS", parent=w.commune)
    Unit.objects.filter(pk=w.school_c.pk).update(
        is_active=False, dissolved_on=dt.date(2025, 8, 1), successor=w.school_a
    )
    # Another commune of the province: nothing of it counts for ours.
    w.other = f.UnitFactory(
        name="Phường Bồ Đề", code="UBND", level=UnitLevel.COMMUNE, parent=w.province, grants_awards=True
    )
    w.campaign.period_start, w.campaign.period_end = dt.date(2025, 5, 15), dt.date(2026, 5, 10)
    w.campaign.save()
    # A one-year campaign of school A (thường xuyên) and one of the province (outside the commune).
    Campaign.objects.create(
        name="Thi đua năm học 2025",
        organizer=w.school_a,
        procedure_kind="achievement",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        submission_deadline=dt.date(2025, 11, 1),
    )
    Campaign.objects.create(
        name="Thi đua của tỉnh",
        organizer=w.province,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        submission_deadline=dt.date(2025, 6, 1),
    )

    d1 = dossier(w, w.school_a, "decided", dt.date(2025, 3, 10))
    n1 = nominee(d1, "Nguyễn Thị Lan")
    n2 = nominee(
        d1, "Công ty TNHH Sao Mai", kind="collective", code="tap-the-lao-dong-tien-tien", is_enterprise=True
    )
    n3 = nominee(d1, "Sáng kiến sổ điểm điện tử", kind="initiative")
    d2 = dossier(w, w.school_c, "decided", dt.date(2025, 4, 1), procedure="achievement")
    n4 = nominee(d2, "Lê Văn Hùng", code="chien-si-thi-dua-co-so")
    n5 = nominee(d2, "Hộ ông Lê Văn Tám", kind="household")
    d3 = dossier(w, w.school_b, "in_appraisal", dt.date(2025, 5, 5), procedure="sudden")
    nominee(d3, "Phạm Văn Dũng")
    d4 = dossier(w, w.school_a, "draft", None)
    nominee(d4, "Bản nháp không tính")
    # Submitted in 2024, decided by the province in January 2025.
    d5 = dossier(w, w.school_b, "decided", dt.date(2024, 12, 20), procedure="sudden")
    n7 = nominee(d5, "Đỗ Thị Hoa", code="bang-khen-chu-tich-tinh")
    # A nominee of school A forwarded up by the commune and decided by the province.
    d6 = dossier(w, w.school_a, "forwarded", dt.date(2025, 2, 1))
    n_low = nominee(d6, "Vũ Minh Tuấn", code="chien-si-thi-dua-cap-tinh")
    up = dossier(w, w.commune, "decided", dt.date(2025, 6, 20), is_upward=True)
    n8 = nominee(up, "Vũ Minh Tuấn", code="chien-si-thi-dua-cap-tinh", source=n_low)
    # The other commune's dossier, decided.
    d_other = dossier(w, w.other, "decided", dt.date(2025, 3, 3))
    n_other = nominee(d_other, "Người phường khác")

    dec1 = decision(w.commune, w.chair, dt.date(2025, 6, 1), dossiers=[d1, d2])
    for n in (n1, n2, n3, n4):
        award(dec1, n)
    revocation = decision(w.commune, w.chair, dt.date(2025, 9, 9), kind=DecisionKind.REVOCATION)
    award(dec1, n5, revoked_by=revocation)
    dec_prov = decision(w.province, w.chair, dt.date(2025, 1, 10), dossiers=[d5])
    award(dec_prov, n7)
    dec_prov2 = decision(w.province, w.chair, dt.date(2025, 9, 1), dossiers=[up])
    award(dec_prov2, n8)
    dec_other = decision(w.other, w.chair, dt.date(2025, 4, 4), dossiers=[d_other])
    award(dec_other, n_other)

    record(w, w.school_a, "Trần Văn Bình", title="Huân chương Lao động hạng Ba")
    record(
        w,
        w.school_c,
        "Trường Mầm non Hoa Sữa",
        kind="collective",
        code="co-thi-dua-cap-tinh",
        on=dt.date(2025, 2, 2),
    )
    record(w, w.school_b, "Ngô Thị Thu", title="Bằng khen của Thủ tướng Chính phủ", on=dt.date(2024, 5, 5))
    void = record(w, w.school_a, "Ghi nhầm", code="giay-khen")
    AwardRecord.objects.filter(pk=void.pk).update(voided_at=timezone.now(), void_reason="Ghi nhầm")
    record(w, w.other, "Người phường khác", title="Huân chương Lao động hạng Ba")
    assert Dossier.objects.count() == 8 and Nominee.objects.count() == 11
    return SimpleNamespace(w=w, n3=n3, n7=n7, n8=n8)
