"""Fixtures of the documents tests: signing keys made once per session (in a temporary
directory, never in the repository) and a decided dossier with three awardees."""

import datetime as dt

import pytest
from django.utils import timezone

from approvals import services as approvals
from approvals.models import CouncilResult
from documents import signing
from dossiers.models import DossierState, NomineeOutcome
from tests import factories as f

SIGNERS = {
    "chair": "Vũ Đức Thắng",
    "head_a": "Nguyễn Văn Hùng",
    "secretary": "Đỗ Thị Hạnh",
    "vice_chair": "Hoàng Minh Tuấn",
}
DECISION_DAY = dt.date(2026, 2, 5)
# A revocation a week later, in the same year: numbers restart every year, so one signed on the
# suite's date would be 01/QĐ-UBND again whenever that date is in a later year.
REVOCATION_DAY = dt.date(2026, 2, 12)


@pytest.fixture(scope="session")
def signing_keys_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("signing")
    secret = signing.DEMO_PASSPHRASE.encode()
    for username, full_name in SIGNERS.items():
        signing.issue_user_key(
            directory, username=username, full_name=full_name, organisation="Phường Long Biên", secret=secret
        )
    return directory


@pytest.fixture(autouse=True)
def _signing_keys(settings, signing_keys_dir):
    settings.SIGNING_KEYS_DIR = str(signing_keys_dir)
    settings.SIGNING_KEY_PASSPHRASE = signing.DEMO_PASSPHRASE
    settings.SIGNING_TRUST_ROOTS = None
    settings.PUBLIC_BASE_URL = "https://tdkt.example.vn"


@pytest.fixture
def council_roles(world):
    world.secretary = f.council_member(
        world.council, "secretary", username="secretary", full_name="Đỗ Thị Hạnh"
    )
    world.vice_chair = f.council_member(world.council, "vice_chair", username="vice_chair")
    world.commune.place_name = "Long Biên"
    world.commune.save()
    world.school_a.place_name = "Long Biên"
    world.school_a.save()
    return world


@pytest.fixture
def decided(world, council_roles):
    """Decision 01/QĐ-UBND of 05/02/2026: Giấy khen for two teachers and one collective of
    school A, after the council's vote (9 members)."""
    rule = f.award("giay-khen").rule_on(DECISION_DAY)
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=DossierState.AWAITING_DECISION,
        submitted_at=timezone.now(),
        submission_count=1,
        title="Đề nghị khen thưởng phong trào Sáng kiến, sáng tạo",
    )
    people = [
        ("individual", "Nguyễn Thị Lan", "Giáo viên Toán", 9),
        ("individual", "Lê Văn Thành", "Tổ trưởng tổ Khoa học tự nhiên", 7),
        ("collective", "Tổ Ngữ văn", "", 8),
    ]
    nominees = []
    for kind, name, position, votes in people:
        nominee = f.NomineeFactory(
            dossier=dossier,
            kind=kind,
            name=name,
            position=position,
            workplace="Trường THCS Ngọc Lâm",
            outcome=NomineeOutcome.VOTED_IN,
            rule=rule,
            achievements="Sáng kiến “Ứng dụng bảng tính điện tử theo dõi tiến độ học tập”.\nHoàn thành xuất sắc nhiệm vụ.",
        )
        CouncilResult.objects.create(
            nominee=nominee,
            votes_for=votes,
            votes_against=9 - votes,
            members_total=9,
            passed=True,
            recorded_by=world.secretary,
        )
        nominees.append(nominee)
    decision = approvals.decision_issue(
        actor=world.chair, dossiers=[dossier], title="Về việc tặng Giấy khen", signed_on=DECISION_DAY
    )
    decision.dossier, decision.nominees = dossier, nominees
    return decision
