"""Fixtures of the public pages: the documents tests' decided dossier and signing keys, an issued
decision (signed by the chair, sealed by the records clerk), and a dossier under public notice
today with two nominees whose private fields (ID number, date of birth) must never be shown."""

import datetime as dt

import pytest
from django.utils import timezone

from approvals.models import PublicNotice
from documents import services
from documents.models import GeneratedKind as K
from dossiers.models import DossierState, NomineeOutcome
from tests import factories as f
from tests.documents.conftest import _signing_keys, council_roles, decided, signing_keys_dir  # noqa: F401
from tests.documents.test_issuance import agency_key, chair_image, clerk  # noqa: F401

ID_NUMBER = "001086012345"
BIRTH = dt.date(1986, 7, 14)


@pytest.fixture
def issued(decided, world, chair_image, agency_key, clerk):  # noqa: F811
    """Decision 01/QĐ-UBND, its PDF signed by the chair and issued by the records clerk."""
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    document = services.document_sign(actor=world.chair, document=document)
    services.document_issue(actor=clerk, document=document)
    decided.refresh_from_db()
    return decided


@pytest.fixture
def published(issued, clerk):  # noqa: F811
    from documents.publication import decision_publish

    decision_publish(actor=clerk, decision=issued)
    return issued


@pytest.fixture
def under_notice(world):
    """A dossier of school B under public notice from today for two weeks: two eligible nominees
    (listed) and one found ineligible (not listed)."""
    dossier = f.DossierFactory(
        unit=world.school_b,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=DossierState.PUBLIC_NOTICE,
        submitted_at=timezone.now(),
        submission_count=1,
        title="Đề nghị công nhận Chiến sĩ thi đua cơ sở",
    )
    award = f.award("chien-si-thi-dua-co-so")
    listed = [
        f.NomineeFactory(
            dossier=dossier,
            name=name,
            position="Giáo viên",
            workplace="Trường Tiểu học Gia Thụy",
            award_type=award,
            outcome=NomineeOutcome.ELIGIBLE,
            id_number=ID_NUMBER,
            date_of_birth=BIRTH,
        )
        for name in ("Phạm Thị Hoa", "Đặng Quốc Bảo")
    ]
    f.NomineeFactory(
        dossier=dossier, name="Trịnh Văn Khải", award_type=award, outcome=NomineeOutcome.INELIGIBLE
    )
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=14)
    )
    notice.listed = listed
    return notice
