"""Hà Nội's emulation clusters and blocs in the demo, built through the real services (seed 001,
"Các Cụm trưởng, Khối trưởng thi đua"): "Cụm thi đua số 1" groups four wards east of the Red River,
"Khối các sở, ngành" three departments. The cluster's 2025 is scored, reviewed and ranked, and its
leader (Phường Bồ Đề) has proposed the first ward for the Cờ thi đua and the next for the Bằng khen;
its 2026, led by Phường Long Biên in rotation, is open for self-scores (the ward's chair, demo login
`chair`, enters Long Biên's). The city's standing body is `tp_thuky`; the leader of 2025 `head_bode`.

Called by demo.builder at the end of the build; idempotent with the rest of `seed_demo`; the rows
are written by demo.clusters_world through the clusters' services.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from org.models import Role, Unit, UnitLevel
from org.services import role_assign

from .clusters_world import seed as seed_world
from .data import PASSWORD, TERM_START

CLUSTER = "Cụm thi đua số 1"
BLOC = "Khối các sở, ngành"
# key, name, level, (head username, full name, position)
WARDS = [
    ("bode", "Phường Bồ Đề", ("head_bode", "Nguyễn Mạnh Cường", "Chủ tịch UBND phường Bồ Đề")),
    (
        "viethung",
        "Phường Việt Hưng",
        ("head_viethung", "Trần Thị Thu Trang", "Chủ tịch UBND phường Việt Hưng"),
    ),
    ("phucloi", "Phường Phúc Lợi", ("head_phucloi", "Lê Quang Huy", "Chủ tịch UBND phường Phúc Lợi")),
]
DEPARTMENT = ("stc", "Sở Tài chính thành phố Hà Nội", ("head_stc", "Phạm Văn Nam", "Giám đốc Sở Tài chính"))
CRITERIA = [
    {
        "name": "Thực hiện nhiệm vụ chính trị, chỉ tiêu phát triển kinh tế - xã hội được giao",
        "weight": 40,
        "max_points": 40,
    },
    {"name": "Cải cách hành chính, chuyển đổi số, xây dựng chính quyền số", "weight": 25, "max_points": 25},
    {
        "name": "Tổ chức phong trào thi đua, công tác khen thưởng và nhân rộng điển hình tiên tiến",
        "weight": 20,
        "max_points": 20,
    },
    {
        "name": "Xây dựng tổ chức Đảng, chính quyền, đoàn thể trong sạch, vững mạnh",
        "weight": 15,
        "max_points": 15,
    },
]
# 2025: each ward's score on the four criteria as the others gave it at the cluster's meeting.
# Long Biên and Bồ Đề both total 91; Long Biên leads on the heaviest criterion, so it ranks first.
CROSS_2025 = {
    "longbien": (37, 23, 18, 13),
    "bode": (36, 24, 18, 13),
    "viethung": (34, 22, 17, 13),
    "phucloi": (33, 21, 16, 12),
}
SELF_NOTES = {
    0: "Báo cáo tổng kết năm, biểu số liệu thu ngân sách và giải ngân vốn đầu tư công",
    1: "Kết quả chỉ số cải cách hành chính và tỷ lệ hồ sơ trực tuyến toàn trình",
    2: "Kế hoạch phát động, sơ kết các phong trào thi đua; quyết định khen thưởng đã ban hành",
    3: "Kết quả đánh giá, xếp loại tổ chức cơ sở Đảng và đoàn thể",
}
REVIEW_REASON = (
    "Điều chỉnh theo kết quả thẩm định của Sở Nội vụ: tỷ lệ giải ngân vốn đầu tư công của phường đạt 96%, "
    "cao hơn số liệu báo cáo tại hội nghị Cụm"
)
CAMPAIGN = "Tổng kết công tác thi đua, khen thưởng năm 2025 của các Cụm, Khối thi đua thành phố"


def seed_demo_clusters(builder):
    hanoi = builder.units["hanoi"]
    if Unit.objects.filter(parent=hanoi, name=WARDS[0][1]).exists():
        return None
    users = builder.users
    standing = users["tp_thuky"]
    heads = {"longbien": users["chair"]}
    User = get_user_model()
    password = make_password(PASSWORD)

    def unit_with_head(key, name, level, head):
        unit = Unit.objects.create(
            name=name,
            code="UBND" if level == UnitLevel.COMMUNE else key.upper(),
            level=level,
            parent=hanoi,
            place_name="Hà Nội",
        )
        username, full_name, position = head
        user = User.objects.create(
            username=username, password=password, full_name=full_name, position=position, unit=unit
        )
        role_assign(actor="system", user=user, role=Role.UNIT_HEAD, unit=unit, start=TERM_START)
        builder.units[key], builder.users[username], heads[key] = unit, user, user
        return unit

    for key, name, head in WARDS:
        unit_with_head(key, name, UnitLevel.COMMUNE, head)
    unit_with_head(DEPARTMENT[0], DEPARTMENT[1], UnitLevel.DEPARTMENT, DEPARTMENT[2])

    seed_world(
        hanoi=hanoi,
        units=builder.units,
        heads=heads,
        standing=standing,
        plan={
            "CLUSTER": CLUSTER,
            "BLOC": BLOC,
            "CRITERIA": CRITERIA,
            "CROSS_2025": CROSS_2025,
            "SELF_NOTES": SELF_NOTES,
            "REVIEW_REASON": REVIEW_REASON,
            "CAMPAIGN": CAMPAIGN,
        },
    )


def login_group():
    """The logins `seed_demo` prints for the clusters (demo.data.login_groups)."""
    heads = [(head[0], f"unit head — {head[1]}, {head[2]}") for _key, _name, head in [*WARDS, DEPARTMENT]]
    return (
        "Emulation clusters and blocs (Cụm thi đua số 1, Khối các sở, ngành)",
        [
            ("tp_thuky", "the city's standing body: sets the clusters up, reviews and ranks"),
            ("chair", "Chủ tịch UBND phường Long Biên: the 2026 leader; enters Long Biên's self-scores"),
            *heads,
        ],
    )
