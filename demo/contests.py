"""The demo's contest, after seed 002 (plan 4979/KH-SNV-CĐVC and letter 4431/UBND-NV): "Hội thi
sáng tạo cải cách hành chính" organised by Sở Nội vụ thành phố Hà Nội, with the seed's criteria,
its 20 prizes, a jury of five, and entries sent by the units of the city; Trường Tiểu học Gia
Thụy has sent its three (the cap), Trường THCS Ngọc Lâm two and a third still a draft, so
`unit_head` can send it. The contest is left open. Built through the services."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests import services
from contests.models import Contest
from org.calendar import WorkingCalendar
from org.models import Role, Unit
from org.services import role_assign

from .data import PASSWORD, TERM_START

APPRAISAL, FINAL = "appraisal", "final"  # contests.models.RoundKind
COLLECTIVE, INDIVIDUAL = "collective", "individual"  # contests.models.EntrantKind
CHAIR, MEMBER = "chair", "member"  # contests.models.JurorRole
NAME = "Hội thi sáng tạo cải cách hành chính lần thứ II năm 2026"
# username, full name, position, unit key, juror role (None: the organiser's officer)
CONTEST_LOGINS = [
    ("btc.hoithi", "Đỗ Thị Lan Anh", "Chuyên viên Phòng Cải cách hành chính, Tổ Thư ký Hội thi", "snv", None),
    ("giamkhao1", "Vũ Thị Thu Hà", "Phó Giám đốc Sở Nội vụ, Trưởng Ban Giám khảo", "snv", CHAIR),
    ("giamkhao2", "Lê Quang Minh", "Trưởng phòng Cải cách hành chính, Sở Nội vụ", "snv", MEMBER),
    (
        "giamkhao3",
        "Nguyễn Thị Bích Ngọc",
        "Phó Chủ tịch Công đoàn Viên chức Thành phố",
        "hanoi",
        MEMBER,
    ),
    ("giamkhao4", "Trần Đức Thắng", "Phó Giám đốc Sở Khoa học và Công nghệ", "skhcn", MEMBER),
    ("giamkhao5", "Đặng Quốc Hùng", "Giảng viên Trường Đại học Nội vụ Hà Nội", "hanoi", MEMBER),
]
CRITERIA = {
    APPRAISAL: [
        ("Tính mới, tính sáng tạo của mô hình, giải pháp", 30),
        ("Tính khả thi và khả năng nhân rộng", 30),
        ("Hiệu quả mang lại cho người dân, tổ chức và cơ quan", 40),
    ],
    FINAL: [
        ("Nội dung sản phẩm dự thi", 50),
        ("Kỹ năng thuyết trình", 20),
        ("Trả lời câu hỏi của Ban Giám khảo", 30),
    ],
}
# Plan 4979, III.5: 20 prizes; one first prize, then several of each level.
PRIZES = {
    COLLECTIVE: [
        ("Giải nhất", 1, 10_000_000),
        ("Giải nhì", 2, 7_000_000),
        ("Giải ba", 3, 5_000_000),
        ("Giải khuyến khích", 4, 3_000_000),
    ],
    INDIVIDUAL: [
        ("Giải nhất", 1, 6_000_000),
        ("Giải nhì", 2, 3_000_000),
        ("Giải ba", 3, 2_000_000),
        ("Giải khuyến khích", 4, 1_000_000),
    ],
}
# unit key, head's username, [(title, kind, entrant name, authors [(name, position)], summary, send?)]
ENTRIES = [
    (
        "giathuy",
        "head_giathuy",
        [
            (
                "Tuyển sinh đầu cấp trực tuyến không giấy tờ",
                COLLECTIVE,
                "Ban Giám hiệu Trường Tiểu học Gia Thụy",
                [("Đặng Thị Mai", "Hiệu trưởng"), ("Bùi Thị Hằng", "Phó Hiệu trưởng")],
                "Cha mẹ học sinh nộp hồ sơ tuyển sinh lớp 1 qua Cổng dịch vụ công, nhà trường đối chiếu dữ liệu dân cư.",
                True,
            ),
            (
                "Thu học phí không dùng tiền mặt",
                INDIVIDUAL,
                "Nguyễn Thị Thúy",
                [("Nguyễn Thị Thúy", "Kế toán")],
                "Thu các khoản theo quy định qua ngân hàng, đối soát tự động, công khai trên sổ liên lạc điện tử.",
                True,
            ),
            (
                "Số hóa hồ sơ học sinh và học bạ điện tử",
                COLLECTIVE,
                "Tổ Văn phòng Trường Tiểu học Gia Thụy",
                [("Lê Văn Tùng", "Tổ trưởng Tổ Văn phòng")],
                "Học bạ điện tử có chữ ký số của giáo viên chủ nhiệm và Hiệu trưởng.",
                True,
            ),
        ],
    ),
    (
        "ngoclam",
        "unit_head",
        [
            (
                "Một cửa điện tử xác nhận học sinh trong ngày",
                COLLECTIVE,
                "Bộ phận Văn phòng Trường THCS Ngọc Lâm",
                [("Phạm Thị Thu", "Nhân viên văn thư"), ("Lê Văn Thành", "Tổ trưởng tổ Khoa học tự nhiên")],
                "Cha mẹ học sinh đề nghị giấy xác nhận qua biểu mẫu trực tuyến, nhận bản có chữ ký số trong ngày.",
                True,
            ),
            (
                "Sổ điểm danh bằng mã QR",
                INDIVIDUAL,
                "Ngô Văn Bình",
                [("Ngô Văn Bình", "Tổ trưởng tổ Toán - Tin")],
                "Học sinh quét mã QR khi vào lớp; cha mẹ nhận thông báo vắng học ngay trong tiết đầu.",
                True,
            ),
            (
                "Lịch tiếp công dân trực tuyến của nhà trường",
                COLLECTIVE,
                "Ban Giám hiệu Trường THCS Ngọc Lâm",
                [("Nguyễn Văn Hùng", "Hiệu trưởng")],
                "Đặt lịch gặp Ban Giám hiệu qua mạng, giảm thời gian chờ của cha mẹ học sinh.",
                False,
            ),
        ],
    ),
    (
        "hoasua",
        "head_hoasua",
        [
            (
                "Thực đơn bán trú công khai trên ứng dụng",
                COLLECTIVE,
                "Tổ Nuôi dưỡng Trường Mầm non Hoa Sữa",
                [("Ngô Thị Thanh Xuân", "Hiệu trưởng"), ("Vũ Thị Lành", "Tổ trưởng Tổ Nuôi dưỡng")],
                "Thực đơn, nguồn gốc thực phẩm và chi phí bán trú công khai hằng ngày cho cha mẹ trẻ.",
                True,
            ),
            (
                "Hồ sơ sức khỏe điện tử của trẻ",
                INDIVIDUAL,
                "Trịnh Thị Hương",
                [("Trịnh Thị Hương", "Nhân viên y tế")],
                "Theo dõi cân nặng, chiều cao và tiêm chủng của trẻ, liên thông với Trạm Y tế phường.",
                True,
            ),
        ],
    ),
    (
        "tramyte",
        "head_tramyte",
        [
            (
                "Đặt lịch tiêm chủng qua Zalo của Trạm",
                COLLECTIVE,
                "Trạm Y tế phường Long Biên",
                [("Phan Văn Lợi", "Trạm trưởng"), ("Đoàn Thị Hạnh", "Điều dưỡng")],
                "Người dân đặt lịch, nhận nhắc lịch tiêm chủng và kết quả qua tài khoản chính thức của Trạm.",
                True,
            ),
            (
                "Cấp giấy chứng nhận nghỉ việc hưởng bảo hiểm xã hội điện tử",
                INDIVIDUAL,
                "Đoàn Thị Hạnh",
                [("Đoàn Thị Hạnh", "Điều dưỡng")],
                "Giấy chứng nhận có chữ ký số gửi thẳng cơ quan bảo hiểm xã hội, người bệnh không phải đi nộp.",
                True,
            ),
        ],
    ),
]


def _working_day_on_or_after(calendar, day):
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _deadlines():
    calendar = WorkingCalendar()
    entries = _working_day_on_or_after(calendar, timezone.localdate() + dt.timedelta(days=21))
    appraisal = calendar.add_working_days(entries, 15)
    final = calendar.add_working_days(appraisal, 10)
    return entries, appraisal, final


def _description(pdf, unit, title, summary):
    content = pdf.render(
        issuer=unit.parent.name if unit.parent else unit.name,
        unit=unit.name,
        place=unit.place_name or "Hà Nội",
        day=timezone.localdate(),
        title="BẢN THUYẾT MINH SẢN PHẨM DỰ THI",
        paragraphs=[title, summary],
    )
    return SimpleUploadedFile("ban-thuyet-minh.pdf", content, content_type="application/pdf")


def seed_demo_contests(pdf=None):
    """Idempotent: does nothing once the contest exists (or without Sở Nội vụ)."""
    User = get_user_model()
    units = {
        key: Unit.objects.filter(name=name).first()
        for key, name in (
            ("hanoi", "Thành phố Hà Nội"),
            ("snv", "Sở Nội vụ thành phố Hà Nội"),
            ("skhcn", "Sở Khoa học và Công nghệ"),
            ("giathuy", "Trường Tiểu học Gia Thụy"),
            ("ngoclam", "Trường THCS Ngọc Lâm"),
            ("hoasua", "Trường Mầm non Hoa Sữa"),
            ("tramyte", "Trạm Y tế phường Long Biên"),
        )
    }
    if units["snv"] is None or Contest.objects.filter(name=NAME).exists():
        return
    if pdf is None:
        from .pdf import DemoPdfRenderer

        pdf = DemoPdfRenderer()
    password = make_password(PASSWORD)
    people = {}
    for username, full_name, position, unit_key, _role in CONTEST_LOGINS:
        people[username], _ = User.objects.get_or_create(
            username=username,
            defaults={
                "password": password,
                "full_name": full_name,
                "position": position,
                "unit": units[unit_key],
            },
        )
    organiser = people["btc.hoithi"]
    role_assign(
        actor="system", user=organiser, role=Role.STANDING_OFFICER, unit=units["snv"], start=TERM_START
    )
    organiser = User.objects.get(pk=organiser.pk)
    entries_by, appraisal_by, final_by = _deadlines()
    contest = services.contest_create(
        actor=organiser,
        organizer=units["snv"],
        name=NAME,
        year=timezone.localdate().year,
        plan_reference="4979/KH-SNV-CĐVC",
        legal_basis=(
            "Kế hoạch số 4979/KH-SNV-CĐVC của Sở Nội vụ và Công đoàn Viên chức Thành phố về tổ chức "
            "Hội thi sáng tạo cải cách hành chính; Nghị định số 73/2023/NĐ-CP ngày 29/9/2023 của Chính phủ."
        ),
        description=(
            "Tìm kiếm các mô hình, sáng kiến, giải pháp nâng cao hiệu quả cải cách hành chính của các tập "
            "thể, cá nhân. Mỗi đơn vị tổ chức sơ tuyển và gửi tối đa 03 sản phẩm dự thi về Sở Nội vụ. "
            "Ban Giám khảo thẩm định, chọn sản phẩm vào vòng chung kết thuyết trình."
        ),
        entry_cap_per_unit=3,
        entries_deadline=entries_by,
        appraisal_deadline=appraisal_by,
        final_deadline=final_by,
        finalists=10,
        aggregation="mean",
        tie_rule="appraisal_score",
    )
    for round_kind, criteria in CRITERIA.items():
        for name, weight in criteria:
            services.criterion_add(
                actor=organiser, contest=contest, round=round_kind, name=name, weight=weight
            )
    for kind, levels in PRIZES.items():
        for name, count, amount in levels:
            services.prize_add(
                actor=organiser, contest=contest, entrant_kind=kind, name=name, count=count, amount=amount
            )
    for username, *_rest, role in CONTEST_LOGINS:
        if role is not None:
            services.juror_add(actor=organiser, contest=contest, user=people[username], role=role)
    contest = services.contest_open(actor=organiser, contest=contest)

    heads = {u.username: u for u in User.objects.filter(username__in=[e[1] for e in ENTRIES])}
    for unit_key, head_name, items in ENTRIES:
        unit, head = units[unit_key], heads[head_name]
        for title, kind, entrant, authors, summary, send in items:
            entry = services.entry_create(
                actor=head,
                contest=contest,
                unit=unit,
                title=title,
                summary=summary,
                entrant_kind=kind,
                entrant_name=entrant,
                contact=f"{unit.name}, phường Long Biên, Hà Nội",
                preselection_note="Được chọn tại cuộc họp sơ tuyển của đơn vị.",
                authors=[{"name": n, "position": p} for n, p in authors],
            )
            services.entry_file_add(
                actor=head, entry=entry, uploaded_file=_description(pdf, unit, title, summary)
            )
            if send:
                services.entry_send(actor=head, entry=entry)
    # The chair declares herself in conflict with an entry her relative wrote: she will not score it.
    chair = contest.jurors.get(role=CHAIR)
    relative = contest.entries.get(title="Thu học phí không dùng tiền mặt")
    services.conflict_declare(
        actor=chair.user,
        juror=chair,
        entry=relative,
        reason="Tác giả là người thân của thành viên Ban Giám khảo",
    )


def login_group():
    return (
        "Contest (Hội thi sáng tạo cải cách hành chính, Sở Nội vụ): organiser and jury",
        [
            (
                u,
                f"{'organiser (Sở Nội vụ standing officer)' if role is None else 'juror'} — {name}, {position}",
            )
            for u, name, position, _unit, role in CONTEST_LOGINS
        ],
    )
