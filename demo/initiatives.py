"""The demo's initiatives: the initiative council of Trường THCS Ngọc Lâm (Hội đồng sáng kiến
cơ sở), initiatives recognised last year (one of them by Lê Văn Thành, proposed this year for
Chiến sĩ thi đua cơ sở, so his dossier shows it standing for the sang-kien certification), this
year's initiatives registered, and a review meeting open for voting. Built through the services."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from initiatives import services
from initiatives.models import InitiativeCouncil, InitiativeCouncilRole
from org.models import Unit

from .data import IDENTITY, PASSWORD

# username, full name, position: teachers of Trường THCS Ngọc Lâm on its initiative council.
INITIATIVE_LOGINS = [
    ("gv.hoa", "Lê Thị Hoa", "Giáo viên Ngữ văn, Ủy viên Hội đồng sáng kiến"),
    ("gv.binh", "Ngô Văn Bình", "Tổ trưởng tổ Toán - Tin, Ủy viên Hội đồng sáng kiến"),
    ("gv.mai", "Hoàng Thị Mai", "Giáo viên Tiếng Anh, Ủy viên Hội đồng sáng kiến"),
]
COUNCIL_NAME = "Hội đồng sáng kiến cơ sở Trường THCS Ngọc Lâm"
PLACE = "Phòng họp Hội đồng, Trường THCS Ngọc Lâm"

# title, field, summary, improvement, authors (username or (name, position)), share
LAST_YEAR = [
    (
        "Phòng thí nghiệm ảo cho môn Vật lý lớp 8",
        "Giáo dục - Khoa học tự nhiên",
        "Xây dựng bộ thí nghiệm mô phỏng trên máy tính cho 12 bài thực hành Vật lý lớp 8, dùng được "
        "trên máy tính bảng của học sinh.",
        "Học sinh thực hành đủ 100% bài thí nghiệm kể cả khi thiếu dụng cụ; điểm thực hành tăng 18%.",
        [("Lê Văn Thành", "Tổ trưởng tổ Khoa học tự nhiên", 100)],
        "unit",
    ),
    (
        "Dạy đọc hiểu văn bản qua dự án học tập",
        "Giáo dục - Ngữ văn",
        "Tổ chức các dự án đọc theo nhóm, mỗi nhóm trình bày sản phẩm đọc hiểu trước lớp.",
        "Tỷ lệ học sinh đạt điểm khá, giỏi phần đọc hiểu tăng từ 52% lên 71%.",
        [("gv.hoa", None, 70), (("Trần Thu Hương", "Giáo viên Ngữ văn"), None, 30)],
        "commune",
    ),
]
THIS_YEAR = [
    (
        "Sổ liên lạc điện tử kết nối giáo viên chủ nhiệm và cha mẹ học sinh",
        "Quản lý giáo dục",
        "Dùng nhóm liên lạc và biểu mẫu trực tuyến thay sổ liên lạc giấy, cập nhật kết quả học tập hằng tuần.",
        "Giảm 2 giờ ghi chép mỗi tuần của giáo viên chủ nhiệm; 96% cha mẹ học sinh theo dõi thường xuyên.",
        [("gv.binh", None, 100)],
    ),
    (
        "Trò chơi học tập từ vựng tiếng Anh theo chủ đề",
        "Giáo dục - Ngoại ngữ",
        "Bộ trò chơi thẻ từ và câu đố trực tuyến theo 10 chủ đề của chương trình lớp 6, lớp 7.",
        "Học sinh nhớ từ vựng lâu hơn; điểm kiểm tra từ vựng trung bình tăng 1,2 điểm.",
        [("gv.mai", None, 100)],
    ),
    (
        "Quy trình số hóa hồ sơ học sinh đầu cấp",
        "Cải cách hành chính",
        "Tiếp nhận hồ sơ tuyển sinh lớp 6 qua biểu mẫu trực tuyến, đối chiếu bản chính một lần.",
        "Thời gian tiếp nhận hồ sơ đầu cấp rút từ 5 ngày còn 1 ngày.",
        [("unit_staff", None, 100)],
    ),
]


def _authors(users, entries):
    out = []
    for who, position, share in entries:
        if isinstance(who, tuple):
            out.append({"name": who[0], "position": who[1], "share_percent": share})
        elif who in users:
            out.append({"person": users[who], "share_percent": share})
        else:
            born = IDENTITY.get(who, (None, None))[1]
            out.append(
                {"name": who, "date_of_birth": born, "position": position or "", "share_percent": share}
            )
    return out


def seed_demo_initiatives():
    """Idempotent: does nothing once Ngọc Lâm's initiative council exists."""
    User = get_user_model()
    school = Unit.objects.filter(name="Trường THCS Ngọc Lâm").first()
    if school is None or InitiativeCouncil.objects.filter(unit=school).exists():
        return
    password = make_password(PASSWORD)
    for username, full_name, position in INITIATIVE_LOGINS:
        User.objects.get_or_create(
            username=username,
            defaults={"password": password, "full_name": full_name, "position": position, "unit": school},
        )
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["unit_head", "unit_staff", "gv.hoa", "gv.binh", "gv.mai"])
    }
    head, secretary = users["unit_head"], users["unit_staff"]
    R = InitiativeCouncilRole
    council = services.council_set_up(
        actor=head,
        unit=school,
        name=COUNCIL_NAME,
        members=[
            (head, R.CHAIR),
            (secretary, R.SECRETARY),
            (users["gv.hoa"], R.MEMBER),
            (users["gv.binh"], R.MEMBER),
            (users["gv.mai"], R.MEMBER),
        ],
    )
    members = [head, secretary, users["gv.hoa"], users["gv.binh"], users["gv.mai"]]
    today = timezone.localdate()
    last = today.year - 1

    def register(year, title, field, summary, improvement, authors):
        return services.initiative_register(
            actor=secretary,
            unit=school,
            year=year,
            title=title,
            field=field,
            summary=summary,
            improvement=improvement,
            applied_on=dt.date(year, 9, 5) if dt.date(year, 9, 5) <= today else dt.date(year - 1, 9, 5),
            authors=_authors(users, authors),
        )

    # Last year: reviewed in December and recognised by the head's decisions.
    old = [(register(last, *e[:5]), e[5]) for e in LAST_YEAR]
    for initiative, _scope in old:
        services.initiative_submit(actor=head, initiative=initiative)
    meeting = services.meeting_schedule(
        actor=secretary,
        council=council,
        held_on=dt.date(last, 12, 12),
        place=PLACE,
        initiatives=[i for i, _s in old],
    )
    services.meeting_open_voting(actor=head, meeting=meeting, present=members)
    for initiative, _scope in old:
        for member in members:
            if not any(a.person_id == member.pk for a in initiative.authors.all()):
                services.ballot_cast(actor=member, meeting=meeting, initiative=initiative, choice="agree")
    services.meeting_close(actor=secretary, meeting=meeting)
    for n, (initiative, scope) in enumerate(old, start=1):
        services.initiative_recognise(
            actor=head,
            initiative=initiative,
            decision_number=f"{40 + n}/QĐ-THCSNL",
            decision_date=dt.date(last, 12, 18),
            effect_scope=scope,
        )

    # This year: three registered, two submitted and before the council, whose vote is open;
    # the secretary has voted, the other members' ballots wait (gv.binh is recused from his own).
    new = [register(today.year, *e) for e in THIS_YEAR]
    for initiative in new[:2]:
        services.initiative_submit(actor=head, initiative=initiative)
    meeting = services.meeting_schedule(
        actor=secretary, council=council, held_on=today, place=PLACE, initiatives=new[:2]
    )
    services.meeting_open_voting(actor=head, meeting=meeting, present=members)
    for initiative in new[:2]:
        services.ballot_cast(actor=secretary, meeting=meeting, initiative=initiative, choice="agree")


def login_group():
    return (
        "Trường THCS Ngọc Lâm's initiative council (chair: unit_head, secretary: unit_staff)",
        [(u, f"initiative council member — {name}, {position}") for u, name, position in INITIATIVE_LOGINS],
    )
