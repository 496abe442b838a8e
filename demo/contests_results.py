"""The demo's finished contest of the previous year, after seed 002: "Hội thi sáng tạo cải cách
hành chính lần thứ I năm 2025" of Sở Nội vụ thành phố Hà Nội, with its finalists' scores, the 20
prizes of plan 4979/KH-SNV-CĐVC (III.5) ranked through contests.results_services, and its results
decision numbered by the records office, signed by the deputy director ("KT. GIÁM ĐỐC") and
issued with the department's seal, so /cong-khai/hoi-thi/ shows it after `make run`.

The 2025 rounds are recorded as their outcome (the entries' scores, the closed final round): the
year's contest ran before the engine; the ranking and the decision go through the services
(demo.contests_results_world)."""

import datetime as dt

from org.models import Role

from .contests_results_world import seed as seed_world
from .data import PASSWORD, TERM_START

NAME = "Hội thi sáng tạo cải cách hành chính lần thứ I năm 2025"
DECIDED_ON = dt.date(2025, 12, 15)
# username, full name, position, role at Sở Nội vụ
LOGINS = [
    ("pgd.snv", "Phạm Minh Khôi", "Phó Giám đốc Sở Nội vụ", Role.VICE_CHAIR),
    ("vanthu.snv", "Lý Thị Hồng", "Văn thư Sở Nội vụ", Role.RECORDS_CLERK),
]
PRIZES = {
    "collective": [
        ("Giải nhất", 1, 10_000_000),
        ("Giải nhì", 2, 7_000_000),
        ("Giải ba", 3, 5_000_000),
        ("Giải khuyến khích", 4, 3_000_000),
    ],
    "individual": [
        ("Giải nhất", 1, 6_000_000),
        ("Giải nhì", 2, 3_000_000),
        ("Giải ba", 3, 2_000_000),
        ("Giải khuyến khích", 4, 1_000_000),
    ],
}
TOPICS = [
    "Số hóa quy trình tiếp nhận hồ sơ tại Bộ phận Một cửa",
    "Thanh toán không dùng tiền mặt khi nộp phí, lệ phí",
    "Trợ lý ảo trả lời thủ tục hành chính cho người dân",
    "Bản đồ số điểm tiếp nhận hồ sơ trên địa bàn",
    "Lịch hẹn trực tuyến trả kết quả hồ sơ",
    "Chuẩn hóa biểu mẫu điện tử dùng chung",
    "Ký số văn bản đi trên môi trường mạng",
    "Kho dữ liệu số hóa kết quả giải quyết thủ tục",
    "Phiếu khảo sát sự hài lòng qua mã QR",
    "Nhắc hạn xử lý hồ sơ qua tin nhắn",
    "Tái cấu trúc quy trình cấp giấy phép xây dựng",
    "Sổ tay hướng dẫn thủ tục bằng hình ảnh",
]
PEOPLE = [
    "Nguyễn Thị Thu Hằng",
    "Trần Minh Đức",
    "Lê Thị Ngọc Ánh",
    "Phạm Văn Long",
    "Hoàng Thị Mai",
    "Đỗ Quang Huy",
    "Vũ Thị Hải Yến",
    "Bùi Đức Anh",
    "Đặng Thị Phương",
    "Ngô Văn Tùng",
    "Dương Thị Lan",
    "Phan Thanh Sơn",
]


def seed_demo_contest_results():
    """The 2025 contest, ranked and decided through the results' services (demo.contests_results_world)."""
    seed_world(
        name=NAME,
        decided_on=DECIDED_ON,
        logins=LOGINS,
        prizes=PRIZES,
        topics=TOPICS,
        people=PEOPLE,
        password=PASSWORD,
        term_start=TERM_START,
    )


def login_group():
    return (
        "Contest results (2025 contest of Sở Nội vụ): the decision's signer and records clerk",
        [
            ("pgd.snv", "deputy director — Phạm Minh Khôi, signs the results decision (KT. GIÁM ĐỐC)"),
            ("vanthu.snv", "records clerk (văn thư) — Lý Thị Hồng, Sở Nội vụ: issues its decisions"),
        ],
    )
