import datetime as dt
from types import SimpleNamespace

import pytest

from initiatives import services
from initiatives.models import InitiativeCouncilRole as R
from org.models import Role
from tests import factories as f


@pytest.fixture
def ballot_keys(tmp_path, settings):
    settings.BALLOT_KEYS_DIR = str(tmp_path / "keys")
    return tmp_path / "keys"


@pytest.fixture
def ini(world, ballot_keys):
    """School A's initiative council of five (a chair, a secretary, three members: one of them a
    teacher who authored an initiative), two teachers, and one initiative submitted for review."""
    a = world.school_a
    teacher = f.UserFactory(unit=a, username="teacher_a", full_name="Lê Thị Hoa", position="Giáo viên")
    teacher_b = f.UserFactory(unit=world.school_b, username="teacher_b", full_name="Phạm Văn Nam")
    chair = f.UserFactory(unit=a, username="ini_chair", full_name="Đỗ Minh Châu")
    secretary = f.UserFactory(unit=a, username="ini_secretary", full_name="Vũ Thu Trang")
    m1 = f.UserFactory(unit=a, username="ini_m1", full_name="Ngô Văn Bình")
    m2 = f.UserFactory(unit=a, username="ini_m2", full_name="Hoàng Thị Mai")
    council = services.council_set_up(
        actor=world.head_a,
        unit=a,
        name="Hội đồng sáng kiến Trường THCS Ngọc Lâm",
        members=[
            (chair, R.CHAIR),
            (secretary, R.SECRETARY),
            (m1, R.MEMBER),
            (m2, R.MEMBER),
            (teacher, R.MEMBER),
        ],
    )
    initiative = services.initiative_register(
        actor=teacher,
        unit=a,
        year=2026,
        title="Ứng dụng bản đồ tư duy trong dạy học Ngữ văn lớp 8",
        field="Giáo dục",
        summary="Dùng bản đồ tư duy để học sinh hệ thống kiến thức.",
        improvement="Tăng tỷ lệ học sinh khá giỏi môn Ngữ văn.",
        applied_on=dt.date(2025, 9, 5),
    )
    services.initiative_submit(actor=world.head_a, initiative=initiative)
    return SimpleNamespace(
        world=world,
        council=council,
        teacher=teacher,
        teacher_b=teacher_b,
        chair=chair,
        secretary=secretary,
        m1=m1,
        m2=m2,
        initiative=initiative,
        Role=Role,
    )


def review(ini, votes, *, present=None):
    """Schedule, open with `present` (all five by default), cast {user: choice}, close."""
    meeting = services.meeting_schedule(
        actor=ini.secretary,
        council=ini.council,
        held_on=dt.date(2026, 3, 10),
        place="Phòng họp Trường THCS Ngọc Lâm",
        initiatives=[ini.initiative],
    )
    members = [ini.chair, ini.secretary, ini.m1, ini.m2, ini.teacher]
    services.meeting_open_voting(actor=ini.chair, meeting=meeting, present=present or members)
    for user, choice in votes.items():
        services.ballot_cast(actor=user, meeting=meeting, initiative=ini.initiative, choice=choice)
    return meeting
