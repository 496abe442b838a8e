"""Fixtures of the award-history tests: a provincial-title nominee whose history is recorded."""

import datetime as dt

import pytest

from dossiers import services as dossier_services
from tests import factories as f
from tests.workflows.conftest import attach_complete

ID_NUMBER = "001190012345"


def recorded(w, *, year, code="chien-si-thi-dua-co-so", **extra):
    from dossiers.history_services import award_record_add

    values = dict(
        kind="individual",
        unit=w.school_a,
        name="Phạm Thị Mai",
        id_number=ID_NUMBER,
        date_of_birth=dt.date(1990, 3, 2),
        award_type=f.award(code),
        year=year,
        decision_number=f"{year - 2000}/QĐ-UBND",
        decision_date=dt.date(year, 12, 20),
        issuer="Chủ tịch Ủy ban nhân dân phường Long Biên",
    )
    values.update(extra)
    return award_record_add(actor=w.officer, **values)


@pytest.fixture
def provincial_draft(world):
    """A complete draft of school A proposing Phạm Thị Mai for "Chiến sĩ thi đua cấp tỉnh"
    (three consecutive years of "Chiến sĩ thi đua cơ sở" required: 2023–2025, or 2024–2026 once 2026 is decided)."""
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    nominee = f.NomineeFactory(
        dossier=dossier,
        award_type=f.award("chien-si-thi-dua-cap-tinh"),
        name="Phạm Thị Mai",
        id_number=ID_NUMBER,
        date_of_birth=dt.date(1990, 3, 2),
    )
    attach_complete(world, dossier, nominee, "giay-khen")
    dossier_services.attachment_add(
        actor=world.staff_a,
        dossier=dossier,
        kind=f.doc_kind("sang-kien"),
        uploaded_file=f.pdf_upload("sang-kien.pdf"),
        nominee=nominee,
    )
    dossier.nominee = nominee
    return dossier
