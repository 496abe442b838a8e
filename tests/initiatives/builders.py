"""School A's initiative council and an initiative submitted for review, built through the
services (used by tests/initiatives and by tests/test_audit_coverage.py)."""

import datetime as dt
from types import SimpleNamespace

from initiatives import services
from initiatives.models import InitiativeCouncilRole as R
from tests import factories as f

PLACE = "Phòng họp Trường THCS Ngọc Lâm"


def initiative_world(w, *, submit=True):
    """A council of five (a chair, a secretary, three members, one of them the teacher who
    authored the initiative), a teacher of school B, and the initiative (submitted by default)."""
    a = w.school_a
    teacher = f.UserFactory(unit=a, full_name="Lê Thị Hoa", position="Giáo viên")
    teacher_b = f.UserFactory(unit=w.school_b, full_name="Phạm Văn Nam")
    chair = f.UserFactory(unit=a, full_name="Đỗ Minh Châu")
    secretary = f.UserFactory(unit=a, full_name="Vũ Thu Trang")
    m1 = f.UserFactory(unit=a, full_name="Ngô Văn Bình")
    m2 = f.UserFactory(unit=a, full_name="Hoàng Thị Mai")
    council = services.council_set_up(
        actor=w.head_a,
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
    initiative = register(w, teacher)
    if submit:
        services.initiative_submit(actor=w.head_a, initiative=initiative)
    return SimpleNamespace(
        world=w,
        council=council,
        teacher=teacher,
        teacher_b=teacher_b,
        chair=chair,
        secretary=secretary,
        m1=m1,
        m2=m2,
        members=[chair, secretary, m1, m2, teacher],
        initiative=initiative,
    )


def register(w, actor, title="Ứng dụng bản đồ tư duy trong dạy học Ngữ văn lớp 8", **extra):
    return services.initiative_register(
        actor=actor,
        unit=w.school_a,
        year=2026,
        title=title,
        field="Giáo dục",
        summary="Dùng bản đồ tư duy để học sinh hệ thống kiến thức.",
        improvement="Tăng tỷ lệ học sinh khá giỏi môn Ngữ văn.",
        applied_on=dt.date(2025, 9, 5),
        **extra,
    )


def schedule(ini):
    return services.meeting_schedule(
        actor=ini.secretary,
        council=ini.council,
        held_on=dt.date(2026, 3, 10),
        place=PLACE,
        initiatives=[ini.initiative],
    )


def review(ini, votes, *, present=None):
    """Schedule, open with `present` (all five by default), cast {user: choice}."""
    meeting = schedule(ini)
    services.meeting_open_voting(actor=ini.chair, meeting=meeting, present=present or ini.members)
    for user, choice in votes.items():
        services.ballot_cast(actor=user, meeting=meeting, initiative=ini.initiative, choice=choice)
    return meeting


def passed(ini):
    """A closed meeting that passed the initiative (the three officers agree)."""
    meeting = review(ini, {ini.chair: "agree", ini.secretary: "agree", ini.m1: "agree"})
    services.meeting_close(actor=ini.secretary, meeting=meeting)
    return meeting


def recognise(ini, service=services.initiative_recognise):
    return service(
        actor=ini.world.head_a,
        initiative=ini.initiative,
        decision_number="12/QĐ-THCSNL",
        decision_date=dt.date(2026, 3, 11),
        effect_scope="commune",
    )


def _then(value, fn):
    return fn(value)


AUDIT_EXERCISES = {
    "initiatives.services.council_set_up": lambda w, service: service(
        actor=w.head_a,
        unit=w.school_a,
        name="Hội đồng sáng kiến",
        members=[(f.UserFactory(unit=w.school_a), r) for r in (R.CHAIR, R.SECRETARY, R.MEMBER)],
    ),
    "initiatives.services.initiative_register": lambda w, service: service(
        actor=w.staff_a,
        unit=w.school_a,
        year=2026,
        title="Sổ tay chủ nhiệm điện tử",
        field="Quản lý giáo dục",
        summary="Sổ theo dõi học sinh trên máy tính bảng.",
        improvement="Giảm thời gian ghi chép của giáo viên chủ nhiệm.",
        authors=[{"name": "Lê Thị Hoa"}],
    ),
    "initiatives.services.initiative_file_add": lambda w, service: _then(
        initiative_world(w, submit=False),
        lambda ini: service(
            actor=ini.teacher, initiative=ini.initiative, uploaded_file=f.pdf_upload("mo-ta.pdf")
        ),
    ),
    "initiatives.services.initiative_submit": lambda w, service: _then(
        initiative_world(w, submit=False), lambda ini: service(actor=w.head_a, initiative=ini.initiative)
    ),
    "initiatives.services.initiative_withdraw": lambda w, service: _then(
        initiative_world(w, submit=False), lambda ini: service(actor=ini.teacher, initiative=ini.initiative)
    ),
    "initiatives.services.meeting_schedule": lambda w, service: _then(
        initiative_world(w),
        lambda ini: service(
            actor=ini.secretary,
            council=ini.council,
            held_on=dt.date(2026, 3, 10),
            place=PLACE,
            initiatives=[ini.initiative],
        ),
    ),
    "initiatives.services.meeting_open_voting": lambda w, service: _then(
        initiative_world(w), lambda ini: service(actor=ini.chair, meeting=schedule(ini), present=ini.members)
    ),
    "initiatives.services.ballot_cast": lambda w, service: _then(
        initiative_world(w),
        lambda ini: service(actor=ini.m1, meeting=review(ini, {}), initiative=ini.initiative, choice="agree"),
    ),
    "initiatives.services.meeting_close": lambda w, service: _then(
        initiative_world(w),
        lambda ini: service(actor=ini.chair, meeting=review(ini, {ini.m1: "agree"})),
    ),
    "initiatives.services.initiative_recognise": lambda w, service: _then(
        initiative_world(w), lambda ini: (passed(ini), recognise(ini, service))
    ),
}
