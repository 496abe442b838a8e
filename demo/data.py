"""The demo world's tables: its units, people, councils, campaign, nominees and the dossiers to
build in each state. The builder (demo.builder) turns them into rows through the real services."""

import datetime as dt

from org.models import CouncilRole, Role, UnitLevel

PASSWORD = "demo-tdkt-2026"
TERM_START = dt.date(2021, 1, 1)

# (username, full name, position, unit key, role) — one login per role, printed by `make run`.
LOGINS = [
    ("unit_staff", "Phạm Thị Thu Hà", "Giáo viên, Thư ký Hội đồng trường", "ngoclam", Role.UNIT_STAFF),
    ("unit_head", "Nguyễn Văn Hùng", "Hiệu trưởng", "ngoclam", Role.UNIT_HEAD),
    ("officer", "Lê Thị Minh Ngọc", "Chuyên viên Phòng Nội vụ", "pnv", None),
    ("lanhdao.tdkt", "Nguyễn Thị Thanh Hương", "Phó Trưởng Phòng Nội vụ", "pnv", None),
    ("chuyenvien.tdkt", "Phan Thị Mai Anh", "Chuyên viên Phòng Nội vụ", "pnv", None),
    ("member", "Trần Quốc Bảo", "Ủy viên Hội đồng TĐKT", "longbien", None),
    ("secretary", "Đỗ Thị Hạnh", "Trưởng Phòng Nội vụ, Thư ký Hội đồng", "pnv", None),
    ("vice_chair", "Hoàng Minh Tuấn", "Phó Chủ tịch UBND phường", "longbien", None),
    ("chair", "Vũ Đức Thắng", "Chủ tịch UBND phường", "longbien", Role.CHAIR),
    ("inspector", "Bùi Thanh Sơn", "Thanh tra viên", "hanoi", Role.INSPECTOR),
    ("admin", "Quản trị hệ thống", "Quản trị viên", "hanoi", Role.ADMIN),
]
ROLE_LABELS = {
    "unit_staff": "Unit staff (cán bộ TĐKT, Trường THCS Ngọc Lâm)",
    "unit_head": "Unit head (Hiệu trưởng, Trường THCS Ngọc Lâm)",
    "officer": "Standing body officer (Phòng Nội vụ phường): receives and appraises dossiers",
    "lanhdao.tdkt": "Standing body leader (Phòng Nội vụ phường): assigns dossiers to specialists, sees their load",
    "chuyenvien.tdkt": "Standing body specialist (chuyên viên Phòng Nội vụ): appraises the dossiers assigned to them",
    "member": "Council member (Hội đồng TĐKT phường)",
    "secretary": "Council secretary, also a standing body officer: convenes and records meetings",
    "vice_chair": "Council vice-chair",
    "chair": "Chair (Chủ tịch UBND phường): chairs the council, decides and signs",
    "inspector": "Inspector (thanh tra)",
    "admin": "Administrator (/admin/)",
}

UNITS = [
    # key, name, symbol, level, parent key, grants awards, place
    ("hanoi", "Thành phố Hà Nội", "UBND", UnitLevel.PROVINCE, None, True, "Hà Nội"),
    ("snv", "Sở Nội vụ thành phố Hà Nội", "SNV", UnitLevel.DEPARTMENT, "hanoi", False, "Hà Nội"),
    ("skhcn", "Sở Khoa học và Công nghệ", "SKHCN", UnitLevel.DEPARTMENT, "hanoi", False, "Hà Nội"),
    ("longbien", "Phường Long Biên", "UBND", UnitLevel.COMMUNE, "hanoi", True, "Long Biên"),
    ("pnv", "Phòng Nội vụ phường Long Biên", "PNV", UnitLevel.OFFICE, "longbien", False, "Long Biên"),
    ("ngoclam", "Trường THCS Ngọc Lâm", "THCSNL", UnitLevel.SCHOOL, "longbien", False, "Long Biên"),
    ("giathuy", "Trường Tiểu học Gia Thụy", "THGT", UnitLevel.SCHOOL, "longbien", False, "Long Biên"),
    ("hoasua", "Trường Mầm non Hoa Sữa", "MNHS", UnitLevel.SCHOOL, "longbien", False, "Long Biên"),
    ("tramyte", "Trạm Y tế phường Long Biên", "TYT", UnitLevel.OFFICE, "longbien", False, "Long Biên"),
    (
        "moitruong",
        "Công ty TNHH Môi trường Xanh Long Biên",
        "MTX",
        UnitLevel.ENTERPRISE,
        "longbien",
        False,
        "Long Biên",
    ),
]
# Heads of the other units (they submit their own dossiers in the demo; not printed).
OTHER_HEADS = [
    ("head_giathuy", "Đặng Thị Mai", "Hiệu trưởng", "giathuy"),
    ("head_hoasua", "Ngô Thị Thanh Xuân", "Hiệu trưởng", "hoasua"),
    ("head_tramyte", "Phan Văn Lợi", "Trạm trưởng", "tramyte"),
    ("head_moitruong", "Trịnh Công Danh", "Giám đốc", "moitruong"),
]
COMMUNE_COUNCIL = [
    ("chair", CouncilRole.CHAIR),
    ("vice_chair", CouncilRole.VICE_CHAIR),
    ("secretary", CouncilRole.SECRETARY),
    ("member", CouncilRole.MEMBER),
    ("hd_lan", CouncilRole.MEMBER, "Lương Thị Lan", "Chủ tịch Ủy ban MTTQ phường"),
    ("hd_khoa", CouncilRole.MEMBER, "Cao Văn Khoa", "Chủ tịch Công đoàn phường"),
    ("hd_yen", CouncilRole.MEMBER, "Tạ Thị Yến", "Bí thư Đoàn phường"),
    ("hd_phuc", CouncilRole.MEMBER, "Kiều Văn Phúc", "Trưởng Công an phường"),
    ("hd_nga", CouncilRole.MEMBER, "Mai Thị Nga", "Chủ tịch Hội Liên hiệp Phụ nữ phường"),
]
CITY_COUNCIL = [
    ("tp_chutich", CouncilRole.CHAIR, "Đinh Tiến Dũng", "Chủ tịch UBND thành phố"),
    ("tp_phochutich", CouncilRole.VICE_CHAIR, "Lưu Thị Bích Ngọc", "Phó Chủ tịch UBND thành phố"),
    ("tp_thuky", CouncilRole.SECRETARY, "Quách Văn Toàn", "Giám đốc Sở Nội vụ"),
    *[
        (f"tp_uyvien{i}", CouncilRole.MEMBER, name, "Ủy viên Hội đồng TĐKT thành phố")
        for i, name in enumerate(
            [
                "Hà Minh Châu",
                "Lâm Văn Đức",
                "Tôn Nữ Thảo",
                "Vương Đình Huệ",
                "Khúc Thị Hằng",
                "Âu Dương Long",
                "Chu Văn An",
                "Triệu Thị Trinh",
            ],
            start=1,
        )
    ],
]

CAMPAIGN_NAME = "Sáng kiến, sáng tạo"
CAMPAIGN_AWARDS = [
    "giay-khen",
    "giay-khen-dot-xuat",
    "chien-si-thi-dua-co-so",
    "lao-dong-tien-tien",
    "tap-the-lao-dong-tien-tien",
    "chien-si-thi-dua-cap-tinh",
    "bang-khen-chu-tich-tinh",
]

# Nominees: (kind, name, position, award code, achievements)
I, C = "individual", "collective"
NOMINEES = {
    "ngoclam": [
        (
            I,
            "Nguyễn Thị Lan",
            "Giáo viên Toán",
            "giay-khen",
            "Sáng kiến “Ứng dụng bảng tính điện tử theo dõi tiến độ học tập”, được Hội đồng sáng kiến phường công nhận; 95% học sinh lớp chủ nhiệm đạt khá, giỏi.",
        ),
        (
            I,
            "Lê Văn Thành",
            "Tổ trưởng tổ Khoa học tự nhiên",
            "chien-si-thi-dua-co-so",
            "Hai năm liền Lao động tiên tiến; đề tài “Phòng thí nghiệm ảo cho môn Vật lý lớp 8” được công nhận cấp cơ sở.",
        ),
        (
            C,
            "Tổ Ngữ văn",
            "Tập thể",
            "giay-khen",
            "Xây dựng thư viện số bài giảng dùng chung; 12 giáo viên đạt giáo viên dạy giỏi cấp phường.",
        ),
        (
            C,
            "Tổ Toán – Tin học",
            "Tập thể",
            "bang-khen-chu-tich-tinh",
            "Ba năm liền Tập thể lao động xuất sắc; đội tuyển Tin học đạt 2 giải Nhất cấp thành phố.",
        ),
        (
            I,
            "Phạm Minh Đức",
            "Giáo viên Vật lý",
            "giay-khen",
            "Sáng kiến “Bộ thí nghiệm Vật lý từ vật liệu tái chế”, áp dụng ở 6 trường trong phường.",
        ),
        (
            "initiative",
            "Sáng kiến “Ứng dụng bảng tính điện tử theo dõi tiến độ học tập”",
            "Sáng kiến cấp cơ sở",
            "giay-khen",
            "Được Hội đồng sáng kiến phường công nhận năm 2025; áp dụng tại 4 trường THCS trên địa bàn, "
            "giảm một nửa thời gian giáo viên chủ nhiệm tổng hợp điểm.",
        ),
    ],
    "giathuy": [
        (
            I,
            "Đặng Thu Trang",
            "Giáo viên Tiếng Anh",
            "giay-khen",
            "Mô hình “Câu lạc bộ tiếng Anh cuối tuần” nhân rộng ra 4 trường trên địa bàn.",
        ),
        (
            I,
            "Phùng Văn Nam",
            "Phó Hiệu trưởng",
            "chien-si-thi-dua-co-so",
            "Giải pháp số hóa hồ sơ học sinh, rút ngắn thời gian tiếp nhận hồ sơ đầu cấp từ 5 ngày còn 1 ngày.",
        ),
        (
            I,
            "Nguyễn Hải Yến",
            "Tổ trưởng tổ Ngữ văn",
            "chien-si-thi-dua-co-so",
            "Ba năm liền Lao động tiên tiến; sáng kiến “Dạy đọc hiểu qua dự án” được công nhận cấp cơ sở.",
        ),
        (
            I,
            "Trương Văn Hải",
            "Nhân viên thư viện",
            "giay-khen",
            "Xây dựng “Tủ sách lớp học” với 3.000 đầu sách do phụ huynh quyên góp.",
        ),
        (
            C,
            "Tổ Tiếng Anh",
            "Tập thể",
            "bang-khen-chu-tich-tinh",
            "Hai năm liền Tập thể lao động xuất sắc; bồi dưỡng học sinh đạt 3 giải Nhì cấp thành phố môn Tiếng Anh.",
        ),
        (
            C,
            "Trường Tiểu học Gia Thụy",
            "Tập thể",
            "giay-khen",
            "Dẫn đầu khối tiểu học của phường về chuyển đổi số: 100% hồ sơ học sinh được số hóa.",
        ),
    ],
    "hoasua": [
        (
            C,
            "Trường Mầm non Hoa Sữa",
            "Tập thể",
            "tap-the-lao-dong-tien-tien",
            "Hoàn thành xuất sắc nhiệm vụ năm học; mô hình “Bếp ăn an toàn, dinh dưỡng hợp lý”.",
        ),
        (
            I,
            "Lê Thị Hương",
            "Giáo viên mầm non",
            "giay-khen",
            "Sáng kiến “Góc vận động sáng tạo” cho trẻ 5 tuổi, được Phòng Giáo dục giới thiệu nhân rộng.",
        ),
        (
            I,
            "Hoàng Thu Thảo",
            "Nhân viên nuôi dưỡng",
            "lao-dong-tien-tien",
            "Hoàn thành tốt nhiệm vụ; không để xảy ra sự cố an toàn thực phẩm.",
        ),
        (
            C,
            "Tổ Mẫu giáo lớn",
            "Tập thể",
            "bang-khen-chu-tich-tinh",
            "Ba năm liền Tập thể lao động tiên tiến; mô hình “Bé vui học qua trải nghiệm” được thành phố khen.",
        ),
    ],
    "tramyte": [
        (
            I,
            "Vi Thị Hồng",
            "Điều dưỡng",
            "giay-khen-dot-xuat",
            "Kịp thời sơ cứu, cứu sống người bị đuối nước tại hồ điều hòa phường.",
        ),
        (
            I,
            "Lò Văn Minh",
            "Bác sĩ",
            "giay-khen",
            "Giải pháp đặt lịch tiêm chủng qua tin nhắn, giảm 40% thời gian chờ của người dân.",
        ),
        (I, "Đinh Văn Quý", "Y sĩ", "giay-khen", "Tham gia đầy đủ các đợt tiêm chủng mở rộng trong năm."),
    ],
    "moitruong": [
        (
            C,
            "Đội thu gom số 3",
            "Tập thể",
            "giay-khen",
            "Sáng kiến phân loại, thu gom, tái chế rác thải nhựa tại nguồn cho 1.200 hộ dân.",
        ),
        (
            I,
            "Lý Văn Tâm",
            "Tổ trưởng tổ thu gom",
            "giay-khen",
            "Đề xuất lịch thu gom theo khung giờ, giảm 30% phản ánh của người dân về rác tồn đọng.",
        ),
    ],
}

# What the decree's forms print of each individual: sex, date of birth, home town, ID number (CCCD:
# province 001 = Hà Nội, the century-and-sex digit, the year, six digits), qualifications.
IDENTITY = {
    "Nguyễn Thị Lan": (
        "female",
        dt.date(1986, 4, 12),
        "xã Kim Sơn, huyện Gia Lâm, Hà Nội",
        "001186004127",
        "Đại học Sư phạm Toán; Sơ cấp lý luận chính trị",
    ),
    "Lê Văn Thành": (
        "male",
        dt.date(1979, 9, 3),
        "xã Nghĩa Hưng, tỉnh Nam Định",
        "036079001563",
        "Thạc sĩ Vật lý; Trung cấp lý luận chính trị",
    ),
    "Phạm Minh Đức": (
        "male",
        dt.date(1990, 1, 25),
        "phường Bồ Đề, quận Long Biên, Hà Nội",
        "001090012458",
        "Đại học Sư phạm Vật lý",
    ),
    "Đặng Thu Trang": (
        "female",
        dt.date(1992, 7, 18),
        "xã Đông Hội, huyện Đông Anh, Hà Nội",
        "001192007731",
        "Đại học Ngoại ngữ (Tiếng Anh)",
    ),
    "Phùng Văn Nam": (
        "male",
        dt.date(1977, 11, 2),
        "xã Tiên Phong, huyện Ba Vì, Hà Nội",
        "001077003310",
        "Thạc sĩ Quản lý giáo dục; Trung cấp lý luận chính trị",
    ),
    "Nguyễn Hải Yến": (
        "female",
        dt.date(1983, 3, 30),
        "xã Đình Bảng, thành phố Từ Sơn, Bắc Ninh",
        "027183000942",
        "Đại học Sư phạm Ngữ văn",
    ),
    "Trương Văn Hải": (
        "male",
        dt.date(1988, 12, 9),
        "xã Phù Đổng, huyện Gia Lâm, Hà Nội",
        "001088015206",
        "Cao đẳng Thư viện - Thông tin",
    ),
    "Lê Thị Hương": (
        "female",
        dt.date(1994, 5, 14),
        "phường Thạch Bàn, quận Long Biên, Hà Nội",
        "001194006685",
        "Cao đẳng Sư phạm Mầm non",
    ),
    "Hoàng Thu Thảo": (
        "female",
        dt.date(1991, 8, 21),
        "xã Cổ Bi, huyện Gia Lâm, Hà Nội",
        "001191010374",
        "Trung cấp Dinh dưỡng",
    ),
    "Vi Thị Hồng": (
        "female",
        dt.date(1989, 10, 6),
        "xã Bình Gia, tỉnh Lạng Sơn",
        "020189002217",
        "Cao đẳng Điều dưỡng",
    ),
    "Lò Văn Minh": (
        "male",
        dt.date(1985, 2, 17),
        "xã Chiềng Cơi, tỉnh Sơn La",
        "014085003958",
        "Bác sĩ đa khoa; Sơ cấp lý luận chính trị",
    ),
    "Đinh Văn Quý": (
        "male",
        dt.date(1975, 6, 28),
        "xã Gia Vân, tỉnh Ninh Bình",
        "037075001142",
        "Y sĩ đa khoa",
    ),
    "Lý Văn Tâm": (
        "male",
        dt.date(1982, 4, 4),
        "phường Phúc Đồng, quận Long Biên, Hà Nội",
        "001082017520",
        "Trung cấp Môi trường",
    ),
}
# The authors of an initiative: (name, position, share %).
AUTHORS = {
    "Sáng kiến “Ứng dụng bảng tính điện tử theo dõi tiến độ học tập”": [
        ("Nguyễn Thị Lan", "Giáo viên Toán, Trường THCS Ngọc Lâm", 60),
        ("Phạm Minh Đức", "Giáo viên Vật lý, Trường THCS Ngọc Lâm", 40),
    ],
}

# Which unit's dossiers, and into which state each goes: (unit key, title, nominee indexes, state).
# Every state a dossier can reach; those past submission go through workflows.services, so each
# has its true process, tasks and audit trail. The decided dossier comes first: its decision takes
# the register's next number (03/QĐ-UBND: demo/registers.py recorded 01 and 02 on paper).
DOSSIERS = [
    # Two more schools' dossiers of the campaign wait at the chair's and are decided with
    # ngoclam's by ONE decision with its annex (03/QĐ-UBND), as an office issues it.
    ("giathuy", "Đề nghị tặng Giấy khen phong trào Sáng kiến, sáng tạo — đợt 1", [0], "decided_together"),
    ("hoasua", "Đề nghị công nhận Tập thể lao động tiên tiến — đợt 1", [0], "decided_together"),
    (
        "ngoclam",
        "Đề nghị khen thưởng phong trào Sáng kiến, sáng tạo năm học 2025–2026 — đợt 1",
        [0, 2],
        "decided",
    ),
    (
        "ngoclam",
        "Đề nghị công nhận Chiến sĩ thi đua cơ sở và khen thưởng sáng kiến",
        [1, 5],
        "draft_complete",
    ),
    ("ngoclam", "Đề nghị khen thưởng đột xuất (đang soạn)", [], "draft_empty"),
    # Two schools' Bằng khen proposals wait at the commune's chair, who then forwards them with
    # ngoclam's in one upward dossier to the city (forwarding that gathers).
    (
        "giathuy",
        "Đề nghị Bằng khen của Chủ tịch UBND thành phố cho Tổ Tiếng Anh",
        [4],
        "forward_gathered",
    ),
    ("hoasua", "Đề nghị Bằng khen của Chủ tịch UBND thành phố cho Tổ Mẫu giáo lớn", [3], "forward_gathered"),
    ("ngoclam", "Đề nghị Bằng khen của Chủ tịch UBND thành phố cho Tổ Toán – Tin học", [3], "forwarded"),
    ("ngoclam", "Đề nghị khen thưởng giáo viên có sáng kiến thí nghiệm", [4], "council_voted"),
    ("giathuy", "Đề nghị khen thưởng giáo viên có sáng kiến", [0], "in_appraisal"),
    ("giathuy", "Đề nghị Chiến sĩ thi đua cơ sở", [1], "draft_missing"),
    ("giathuy", "Đề nghị khen thưởng (nộp nhầm, đã rút)", [0], "withdrawn_after_submit"),
    ("giathuy", "Đề nghị công nhận Chiến sĩ thi đua cơ sở năm học 2025–2026", [2], "public_notice"),
    ("giathuy", "Đề nghị khen thưởng nhân viên thư viện và tập thể nhà trường", [3, 5], "in_council"),
    ("hoasua", "Đề nghị Tập thể lao động tiên tiến", [0], "submitted"),
    ("hoasua", "Đề nghị khen thưởng hội thi giáo viên giỏi", [], "withdrawn_draft"),
    ("hoasua", "Đề nghị khen thưởng giáo viên có sáng kiến vận động", [1], "returned"),
    ("hoasua", "Đề nghị công nhận Lao động tiên tiến", [2], "declined"),
    ("tramyte", "Đề nghị khen thưởng đột xuất — cứu người đuối nước", [0], "awaiting_decision"),
    ("tramyte", "Đề nghị khen thưởng sáng kiến y tế cơ sở", [1], "draft_missing"),
    ("tramyte", "Đề nghị khen thưởng cán bộ y tế", [2], "rejected"),
    ("moitruong", "Đề nghị khen thưởng tập thể có sáng kiến bảo vệ môi trường", [0], "draft_complete"),
    ("moitruong", "Đề nghị khen thưởng (bản thử)", [0], "withdrawn_draft"),
    ("moitruong", "Đề nghị khen thưởng tổ trưởng thu gom", [1], "awaiting_decision"),
]
# The steps each target state takes after the first submission (workflows.services), in order.
PATHS = {
    "submitted": [],
    "in_appraisal": ["receive"],
    "returned": ["receive", "return"],
    "rejected": ["receive", "reject"],
    "public_notice": ["receive", "accept", "object"],
    "in_council": ["receive", "accept"],
    "council_voted": ["receive", "accept", "council"],
    "awaiting_decision": ["receive", "accept", "council", "opinion"],  # the simplified one stops sooner
    "decided": ["receive", "return", "supplement", "receive", "accept", "council", "opinion", "decide"],
    "decided_together": ["receive", "accept", "council", "opinion", "wait_decision"],
    "forwarded": ["receive", "accept", "council", "opinion", "forward", "receive_above"],
    "forward_gathered": ["receive", "accept", "council", "opinion", "gather"],
    "declined": ["receive", "accept", "council", "opinion", "decline"],
    "withdrawn_after_submit": ["withdraw"],
}
# A local rule of the demo province: the list of Chiến sĩ thi đua cơ sở nominees is made public for
# 10 working days before the council meets (DOMAIN.md, step 4). The seeded rules say 0.
PUBLIC_NOTICE_AWARD, PUBLIC_NOTICE_DAYS = "chien-si-thi-dua-co-so", 10

COUNCIL_ROLE_WORDS = {
    CouncilRole.CHAIR: "chair",
    CouncilRole.VICE_CHAIR: "vice-chair",
    CouncilRole.SECRETARY: "secretary",
    CouncilRole.MEMBER: "member",
}


def login_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every demo login, by level, as `manage.py seed_demo` (and so `make run`) prints them: the
    main logins, the whole commune council (a meeting runs to its end only when every member
    present has voted), the other units' heads, and the city's standing body and council."""
    people = {username: (name, position) for username, name, position, *_ in LOGINS}
    people.update({e[0]: (e[2], e[3]) for e in COMMUNE_COUNCIL if len(e) > 2})
    commune = [
        (e[0], f"{COUNCIL_ROLE_WORDS[e[1]]} — {people[e[0]][0]}, {people[e[0]][1]}") for e in COMMUNE_COUNCIL
    ]
    heads = [
        (u, f"unit head — {name}, {position}, {_unit_name(unit)}") for u, name, position, unit in OTHER_HEADS
    ]
    notes = {"tp_thuky": " (also the city's standing body officer: appraises the forwarded dossiers)"}
    city = [
        (u, f"council {COUNCIL_ROLE_WORDS[role]} — {name}, {position}{notes.get(u, '')}")
        for u, role, name, position in CITY_COUNCIL
    ]
    return [
        ("One login per role", [(u, ROLE_LABELS[u]) for u, *_ in LOGINS]),
        ("The commune council (Hội đồng TĐKT phường Long Biên), all 9 members", commune),
        ("The other units' heads (each submits its own unit's dossiers)", heads),
        ("City level (Thành phố Hà Nội): its standing body and council", city),
        _cluster_group(),
        _initiative_group(),
        _contest_results_group(),
        _contest_group(),
        _honours_group(),
    ]


def _contest_results_group():
    from .contests_results import login_group

    return login_group()


def _initiative_group():
    from .initiatives import login_group

    return login_group()


def _honours_group():
    from .honours import login_group

    return login_group()


def _cluster_group():
    from .clusters import login_group

    return login_group()


def _contest_group():
    from .contests import login_group

    return login_group()


def _unit_name(key: str) -> str:
    return next(name for k, name, *_ in UNITS if k == key)
