"""`manage.py seed_demo`: a believable world from the seed documents, built through the real
services so that every demo dossier has its true audit trail. Idempotent: a second run changes
nothing and only prints the logins."""

import datetime as dt

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from approvals import services as approvals
from dossiers import services
from dossiers.models import (
    AwardRule,
    AwardType,
    Campaign,
    CampaignQuota,
    DocumentKind,
    Dossier,
    DossierState,
    Nominee,
    NomineeOutcome,
)
from dossiers.reference_data import seed_reference_data
from org.models import Council, CouncilRole, Role, Unit, UnitLevel
from org.services import council_member_add, role_assign
from workflows import services as workflow
from workflows.council_demo import seed_demo_meetings
from workflows.demo_pdf import DemoPdfRenderer
from workflows.flows import DossierFlow

PASSWORD = "demo-tdkt-2026"
TERM_START = dt.date(2021, 1, 1)

# (username, full name, position, unit key, role) — one login per role, printed by `make run`.
LOGINS = [
    ("unit_staff", "Phạm Thị Thu Hà", "Cán bộ phụ trách thi đua, khen thưởng", "ngoclam", Role.UNIT_STAFF),
    ("unit_head", "Nguyễn Văn Hùng", "Hiệu trưởng", "ngoclam", Role.UNIT_HEAD),
    ("officer", "Lê Thị Minh Ngọc", "Chuyên viên Phòng Nội vụ", "pnv", None),
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
    "officer": "Standing body officer (Phòng Nội vụ)",
    "member": "Council member (Hội đồng TĐKT phường)",
    "secretary": "Council secretary",
    "vice_chair": "Council vice-chair",
    "chair": "Chair (Chủ tịch UBND phường)",
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

# Which unit's dossiers, and into which state each goes: (unit key, title, nominee indexes, state).
# Every state a dossier can reach; those past submission go through workflows.services, so each
# has its true process, tasks and audit trail. The decided dossier comes first: it takes 01/QĐ-UBND.
DOSSIERS = [
    ("ngoclam", "Đề nghị khen thưởng phong trào Sáng kiến, sáng tạo năm học — đợt 1", [0, 2], "decided"),
    ("ngoclam", "Đề nghị công nhận Chiến sĩ thi đua cơ sở", [1], "draft_complete"),
    ("ngoclam", "Đề nghị khen thưởng đột xuất (đang soạn)", [], "draft_empty"),
    ("ngoclam", "Đề nghị Bằng khen của Chủ tịch UBND thành phố cho Tổ Toán – Tin học", [3], "forwarded"),
    ("ngoclam", "Đề nghị khen thưởng giáo viên có sáng kiến thí nghiệm", [4], "council_voted"),
    ("giathuy", "Đề nghị khen thưởng giáo viên có sáng kiến", [0], "in_appraisal"),
    ("giathuy", "Đề nghị Chiến sĩ thi đua cơ sở", [1], "draft_missing"),
    ("giathuy", "Đề nghị khen thưởng (nộp nhầm, đã rút)", [0], "withdrawn_after_submit"),
    ("giathuy", "Đề nghị công nhận Chiến sĩ thi đua cơ sở năm học", [2], "public_notice"),
    ("giathuy", "Đề nghị khen thưởng nhân viên thư viện", [3], "in_council"),
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
    "forwarded": ["receive", "accept", "council", "opinion", "forward", "receive_above"],
    "declined": ["receive", "accept", "council", "opinion", "decline"],
    "withdrawn_after_submit": ["withdraw"],
}
# A local rule of the demo province: the list of Chiến sĩ thi đua cơ sở nominees is made public for
# 10 working days before the council meets (DOMAIN.md, step 4). The seeded rules say 0.
PUBLIC_NOTICE_AWARD, PUBLIC_NOTICE_DAYS = "chien-si-thi-dua-co-so", 10


class Command(BaseCommand):
    help = "Create the demo world (units, councils, people, a campaign, dossiers in every state). Idempotent."

    def handle(self, *args, **options):
        # Normally seeded by migration; restored here if a flush has emptied the tables.
        seed_reference_data(apps)
        if Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
            self.stdout.write("Demo data already present.")
            self.adopt_orphans()
        else:
            with transaction.atomic():
                self.build()
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.print_logins()

    def adopt_orphans(self):
        """A database seeded before the workflow existed has submitted dossiers without a process:
        start theirs (nothing else could have happened to them), so the standing body can receive
        them. Such a database lacks the later demo states: `make clean` rebuilds it whole."""
        orphans = list(
            Dossier.objects.filter(state=DossierState.SUBMITTED, process__isnull=True).order_by("pk")
        )
        if not orphans:
            return
        with transaction.atomic():
            for dossier in orphans:
                DossierFlow.start.run(dossier=dossier)
        self.stdout.write(
            f"{len(orphans)} submitted dossier(s) from before the workflow now have their process. "
            "For the demo dossiers in every state, run `make clean` and `make run` again."
        )

    def print_logins(self):
        self.stdout.write("\nDemo logins (password for all: %s — demo only):" % PASSWORD)
        for username, *_ in LOGINS:
            self.stdout.write(f"  {username:<11} {ROLE_LABELS[username]}")

    # --- building ---

    def build(self):
        User = get_user_model()
        self.units = {}
        for key, name, code, level, parent, grants, place in UNITS:
            self.units[key] = Unit.objects.create(
                name=name,
                code=code,
                level=level,
                parent=self.units.get(parent),
                grants_awards=grants,
                place_name=place,
            )
        self.users = {}
        password = make_password(PASSWORD)  # hashed once: hashing is deliberately slow

        def person(username, full_name, position, unit_key, **extra):
            user = User.objects.create(
                username=username,
                password=password,
                full_name=full_name,
                position=position,
                unit=self.units[unit_key],
                **extra,
            )
            self.users[username] = user
            return user

        for username, full_name, position, unit_key, role in LOGINS:
            extra = {"is_staff": True, "is_superuser": True} if role == Role.ADMIN else {}
            user = person(username, full_name, position, unit_key, **extra)
            if role:
                role_assign(actor="system", user=user, role=role, unit=self.units[unit_key], start=TERM_START)
        # Phòng Nội vụ is the commune's standing body: its officers act for the whole commune.
        role_assign(
            actor="system",
            user=self.users["officer"],
            role=Role.STANDING_OFFICER,
            unit=self.units["longbien"],
            start=TERM_START,
        )
        role_assign(
            actor="system",
            user=self.users["secretary"],
            role=Role.STANDING_OFFICER,
            unit=self.units["longbien"],
            start=TERM_START,
        )
        for username, full_name, position, unit_key in OTHER_HEADS:
            user = person(username, full_name, position, unit_key)
            role_assign(
                actor="system", user=user, role=Role.UNIT_HEAD, unit=self.units[unit_key], start=TERM_START
            )

        commune_council = Council.objects.create(
            unit=self.units["longbien"], name="Hội đồng Thi đua - Khen thưởng phường Long Biên"
        )
        for entry in COMMUNE_COUNCIL:
            username, council_role = entry[:2]
            user = self.users.get(username) or person(username, entry[2], entry[3], "longbien")
            council_member_add(
                actor="system",
                council=commune_council,
                user=user,
                council_role=council_role,
                start=TERM_START,
            )
        city_council = Council.objects.create(
            unit=self.units["hanoi"], name="Hội đồng Thi đua - Khen thưởng thành phố Hà Nội"
        )
        for username, council_role, full_name, position in CITY_COUNCIL:
            user = person(username, full_name, position, "snv")
            council_member_add(
                actor="system", council=city_council, user=user, council_role=council_role, start=TERM_START
            )
        role_assign(
            actor="system",
            user=self.users["tp_thuky"],
            role=Role.STANDING_OFFICER,
            unit=self.units["hanoi"],
            start=TERM_START,
        )

        today = timezone.localdate()
        campaign = Campaign.objects.create(
            name=CAMPAIGN_NAME,
            organizer=self.units["longbien"],
            procedure_kind="campaign",
            period_start=dt.date(today.year, 1, 1),
            period_end=dt.date(today.year, 12, 31),
            submission_deadline=today + dt.timedelta(days=30),
            legal_basis=(
                "Kế hoạch số 19/KH-HĐTĐKT của Hội đồng Thi đua - Khen thưởng về phong trào thi đua "
                "“Sáng kiến, sáng tạo Thủ đô”; Luật Thi đua, khen thưởng số 06/2022/QH15; "
                "Nghị định 152/2025/NĐ-CP"
            ),
        )
        campaign.award_types.set(AwardType.objects.filter(code__in=CAMPAIGN_AWARDS))
        CampaignQuota.objects.create(campaign=campaign, nominee_kind="collective", limit=20)
        CampaignQuota.objects.create(campaign=campaign, nominee_kind="individual", limit=20)

        AwardRule.objects.filter(award_type__code=PUBLIC_NOTICE_AWARD, valid_to__isnull=True).update(
            public_notice_days=PUBLIC_NOTICE_DAYS
        )

        self.pdf = DemoPdfRenderer()
        self.kinds = {k.code: k for k in DocumentKind.objects.all()}
        staff = User.objects.get(username="unit_staff")
        for unit_key, title, picks, target in DOSSIERS:
            head = User.objects.get(pk=self._head_of(unit_key).pk)
            drafter = staff if unit_key == "ngoclam" else head
            self.make_dossier(campaign, unit_key, title, picks, target, drafter, head)
        # A council meeting convened for the dossiers now before the council, voting open, so the
        # demo `member` has ballots waiting.
        seed_demo_meetings()

    def _head_of(self, unit_key):
        return {
            "ngoclam": self.users["unit_head"],
            "giathuy": self.users["head_giathuy"],
            "hoasua": self.users["head_hoasua"],
            "tramyte": self.users["head_tramyte"],
            "moitruong": self.users["head_moitruong"],
        }[unit_key]

    def make_dossier(self, campaign, unit_key, title, picks, target, drafter, head):
        unit = self.units[unit_key]
        dossier = services.dossier_create(
            actor=drafter,
            unit=unit,
            campaign=campaign,
            title=title,
            summary=f"{unit.name} đề nghị khen thưởng trong {campaign.name}.",
        )
        nominees = []
        for index in picks:
            kind, name, position, award_code, achievements = NOMINEES[unit_key][index]
            nominees.append(
                services.nominee_add(
                    actor=drafter,
                    dossier=dossier,
                    kind=kind,
                    name=name,
                    award_type=AwardType.objects.get(code=award_code),
                    achievements=achievements,
                    position=position,
                    workplace=unit.name,
                    is_enterprise=unit.level == UnitLevel.ENTERPRISE,
                )
            )
        if target == "draft_missing":
            self.attach(dossier, "to-trinh", drafter, unit, f"Tờ trình: {title}")
        elif target not in ("draft_empty", "withdrawn_draft"):
            self.attach_all(dossier, nominees, drafter, unit)
        if target == "withdrawn_draft":
            workflow.dossier_withdraw(
                actor=head, dossier=dossier, reason="Đơn vị rà soát lại danh sách, sẽ lập hồ sơ mới."
            )
        if target in PATHS:
            workflow.dossier_submit(actor=head, dossier=dossier)
            for step in PATHS[target]:
                current = Dossier.objects.get(pk=dossier.pk)
                if step in ("council", "opinion") and current.state == DossierState.AWAITING_DECISION:
                    break  # the simplified procedure has no council and no opinion
                self.take_step(step, current, nominees, drafter, head, unit)

    def take_step(self, step, dossier, nominees, drafter, head, unit):
        """One step of the path, by the person whose step it is (workflows.services)."""
        users = self.users
        if step == "receive":
            workflow.appraisal_receive(actor=users["officer"], dossier=dossier)
        elif step == "return":
            workflow.appraisal_return(
                actor=users["officer"],
                dossier=dossier,
                items=[
                    f"Báo cáo thành tích của {nominees[0].name} chưa có xác nhận của thủ trưởng đơn vị.",
                    "Biên bản họp xét thiếu chữ ký của thư ký cuộc họp.",
                ],
            )
        elif step == "supplement":
            self.attach(
                dossier,
                "bao-cao-thanh-tich",
                drafter,
                unit,
                f"Báo cáo thành tích (có xác nhận) — {nominees[0].name}",
                nominee=nominees[0],
                body=[nominees[0].achievements, "Xác nhận của thủ trưởng đơn vị."],
            )
            self.attach(dossier, "bien-ban", drafter, unit, f"Biên bản họp xét (đủ chữ ký): {dossier.title}")
            workflow.dossier_submit(actor=head, dossier=Dossier.objects.get(pk=dossier.pk))
        elif step == "reject":
            workflow.appraisal_reject(
                actor=users["officer"],
                dossier=dossier,
                reasons=(
                    "Thành tích nêu trong hồ sơ là nhiệm vụ thường xuyên, chưa đủ tiêu chuẩn Giấy khen "
                    "theo Điều 75 Luật Thi đua, khen thưởng 2022."
                ),
            )
        elif step == "accept":
            workflow.appraisal_accept(actor=users["officer"], dossier=dossier)
        elif step == "object":
            approvals.objection_lodge(
                actor=users["hd_lan"],
                dossier=dossier,
                nominee=nominees[0],
                text=("Đề nghị làm rõ sáng kiến của đồng chí đã được áp dụng tại đơn vị hay chưa."),
            )
        elif step == "council":
            total = 9
            workflow.council_result_record(
                actor=users["secretary"],
                dossier=dossier,
                results={
                    n.pk: {"votes_for": 8, "votes_against": 1, "abstentions": 0, "members_total": total}
                    for n in Nominee.objects.current().filter(
                        dossier=dossier, outcome=NomineeOutcome.ELIGIBLE
                    )
                },
            )
        elif step == "opinion":
            workflow.opinion_give(
                actor=users["vice_chair"],
                dossier=dossier,
                text="Thống nhất với kết quả bỏ phiếu của Hội đồng, đề nghị Chủ tịch xem xét.",
            )
        elif step == "decide":
            workflow.decision_issue(
                actor=users["chair"],
                dossiers=[dossier],
                title="Về việc tặng Giấy khen phong trào thi đua “Sáng kiến, sáng tạo”",
            )
        elif step == "forward":
            self.upward = workflow.dossier_forward(
                actor=users["chair"],
                dossiers=[dossier],
                title="Tờ trình đề nghị Chủ tịch UBND thành phố tặng Bằng khen cho Tổ Toán – Tin học",
            )
        elif step == "receive_above":
            workflow.appraisal_receive(actor=users["tp_thuky"], dossier=self.upward)
        elif step == "decline":
            workflow.dossier_decline(
                actor=users["chair"],
                dossier=dossier,
                reason=("Đơn vị chưa hoàn thành chỉ tiêu thi đua năm học; đề nghị xem xét vào đợt sau."),
            )
        elif step == "withdraw":
            workflow.dossier_withdraw(
                actor=head, dossier=dossier, reason="Đơn vị rà soát lại danh sách, sẽ lập hồ sơ mới."
            )

    def attach_all(self, dossier, nominees, actor, unit):
        rules_day = timezone.localdate()
        dossier_kinds, nominee_kinds = set(), []
        for nominee in nominees:
            rule = nominee.award_type.rule_on(rules_day)
            for link in rule.ruledocument_set.select_related("kind"):
                if link.enterprise_only and not nominee.is_enterprise:
                    continue
                if link.kind.scope == "dossier":
                    dossier_kinds.add(link.kind.code)
                else:
                    nominee_kinds.append((link.kind.code, nominee))
        for code in sorted(dossier_kinds):
            self.attach(dossier, code, actor, unit, f"{self.kinds[code].name}: {dossier.title}")
        for code, nominee in nominee_kinds:
            self.attach(
                dossier,
                code,
                actor,
                unit,
                f"{self.kinds[code].name} — {nominee.name}",
                nominee=nominee,
                body=[nominee.achievements],
            )

    def attach(self, dossier, code, actor, unit, title, nominee=None, body=None):
        kind = self.kinds[code]
        content = self.pdf.render(
            issuer=unit.parent.name if unit.parent else unit.name,
            unit=unit.name,
            place=unit.place_name or "Long Biên",
            day=timezone.localdate(),
            title=kind.name.upper(),
            paragraphs=[title, *(body or [])],
        )
        upload = SimpleUploadedFile(f"{code}.pdf", content, content_type="application/pdf")
        services.attachment_add(
            actor=actor, dossier=dossier, kind=kind, uploaded_file=upload, nominee=nominee
        )
