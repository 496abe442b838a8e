"""Demo state honours at the city (Thành phố Hà Nội): the city's 2025 proposal to the central
level, signed by its chair, with the results recorded (a Bằng khen của Thủ tướng Chính phủ for Sở
Khoa học và Công nghệ, in the award register; an individual not awarded, with the reason); a
draft proposal for this year that the standing body (tp_thuky) completes and the chair
(tp_chutich) signs after `make run`; and a long-service dossier in draft. Every dossier goes
through the real workflow (appraisal, 10 working days of public notice, the city council on paper,
the vice-chair's opinion) and every proposal through honours.services.

Called by demo.honours with the demo's builder, whose units, users and PDF helpers it uses."""

import datetime as dt

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.meeting_services import council_members_on
from approvals.models import PublicNotice
from dossiers import services as dossier_services
from dossiers.models import AwardType, Campaign, Dossier, Nominee, NomineeOutcome
from honours import services
from honours.models import HonoursProposal
from honours.reference_data import seed_honours_reference_data
from org.calendar import WorkingCalendar
from org.models import Council, Role
from org.services import role_assign
from workflows import council as council_flow
from workflows import services as workflow

HEAD = ("tp_sokhcn", "Trương Văn Bảo", "Giám đốc Sở Khoa học và Công nghệ", "skhcn")
# Individuals: sex, date of birth, home town (the documents address them as Ông / Bà).
IDENTITY = {
    "Nguyễn Văn Hải": ("male", dt.date(1972, 5, 14), "Thanh Oai, Hà Nội"),
    "Trần Thị Thu Trang": ("female", dt.date(1978, 9, 2), "Gia Lâm, Hà Nội"),
    "Lê Thị Thanh Hương": ("female", dt.date(1965, 3, 20), "Nam Định"),
}


def _identity(name) -> dict:
    if name not in IDENTITY:
        return {}
    sex, born, hometown = IDENTITY[name]
    return {"sex": sex, "date_of_birth": born, "hometown": hometown}


SUBMITTED_2025 = [
    (
        "collective",
        "Sở Khoa học và Công nghệ thành phố Hà Nội",
        "",
        "bang-khen-thu-tuong",
        "Hoàn thành xuất sắc nhiệm vụ năm 2024 và 2025; chủ trì 12 nhiệm vụ khoa học cấp thành phố, "
        "đưa 35 sáng kiến vào ứng dụng, góp phần chuyển đổi số của Thủ đô.",
    ),
    (
        "individual",
        "Nguyễn Văn Hải",
        "Phó Giám đốc Sở Khoa học và Công nghệ",
        "bang-khen-thu-tuong",
        "05 năm liên tục hoàn thành xuất sắc nhiệm vụ; 02 lần Chiến sĩ thi đua cấp thành phố; chủ "
        "nhiệm đề tài ứng dụng trí tuệ nhân tạo trong quản lý đô thị.",
    ),
]
DRAFT_THIS_YEAR = [
    (
        "individual",
        "Trần Thị Thu Trang",
        "Trưởng phòng Quản lý công nghệ",
        "huan-chuong-lao-dong-hang-ba",
        "Hoàn thành xuất sắc nhiệm vụ 05 năm liên tục (2021–2025); 02 lần Bằng khen của Thủ tướng "
        "Chính phủ; 03 sáng kiến cấp thành phố.",
    ),
    (
        "collective",
        "Phòng Quản lý khoa học, Sở Khoa học và Công nghệ",
        "",
        "bang-khen-thu-tuong",
        "Tập thể lao động xuất sắc 02 năm liên tục; tham mưu ban hành 08 cơ chế, chính sách về khoa "
        "học, công nghệ và đổi mới sáng tạo của Thủ đô.",
    ),
]
LONG_SERVICE = (
    "individual",
    "Lê Thị Thanh Hương",
    "Nguyên Phó Giám đốc Sở Khoa học và Công nghệ",
    "huan-chuong-lao-dong-cong-hien",
    "38 năm công tác, trong đó 12 năm giữ chức vụ Phó Giám đốc Sở; đã nghỉ hưu từ 01/10/2025.",
)


def seed(builder) -> None:
    """Idempotent: nothing is added when the city already has a proposal."""
    if HonoursProposal.objects.exists():
        return
    seed_honours_reference_data(django_apps)  # after a test flush the migration's rows are gone
    User = get_user_model()
    units, users = builder.units, builder.users
    city = units["hanoi"]
    today = timezone.localdate()
    # The city's chair signs the tờ trình; the head of the department drafts and submits.
    role_assign(
        actor="system", user=users["tp_chutich"], role=Role.CHAIR, unit=city, start=dt.date(2021, 1, 1)
    )
    username, full_name, position, unit_key = HEAD
    head = User.objects.create(
        username=username,
        password=users["tp_thuky"].password,
        full_name=full_name,
        position=position,
        unit=units[unit_key],
    )
    role_assign(
        actor="system", user=head, role=Role.UNIT_HEAD, unit=units[unit_key], start=dt.date(2021, 1, 1)
    )
    campaign = Campaign.objects.create(
        name="Phong trào thi đua “Thủ đô văn hiến - văn minh - hiện đại”",
        organizer=city,
        procedure_kind="achievement",
        period_start=dt.date(today.year - 1, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        submission_deadline=today + dt.timedelta(days=30),
        legal_basis="Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
    )
    campaign.award_types.set(AwardType.objects.filter(rules__deciding_level="central").distinct())
    long_service = Campaign.objects.create(
        name="Khen thưởng quá trình cống hiến năm " + str(today.year),
        organizer=city,
        procedure_kind="long_service",
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        submission_deadline=today + dt.timedelta(days=30),
        legal_basis="Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 44; Nghị định 152/2025/NĐ-CP",
    )

    older = _at_chair(
        builder, campaign, head, "Hồ sơ đề nghị khen thưởng cấp Nhà nước năm 2025", SUBMITTED_2025
    )
    officer, chair = users["tp_thuky"], users["tp_chutich"]
    done = services.proposal_create(
        actor=officer,
        unit=city,
        year=2025,
        title="Tờ trình đề nghị khen thưởng cấp Nhà nước năm 2025",
        summary="Đề nghị Thủ tướng Chính phủ tặng Bằng khen cho 01 tập thể và 01 cá nhân có thành tích xuất sắc.",
    )
    for nominee in older:
        services.proposal_nominee_add(actor=officer, proposal=done, nominee=nominee)
    services.proposal_submit(actor=chair, proposal=done, dispatch_date=min(today, dt.date(2025, 12, 15)))
    collective, individual = done.entries.order_by("pk")
    services.result_record(
        actor=officer,
        entry=collective,
        awarded=True,
        decision_number="215/QĐ-TTg",
        decision_date=min(today, dt.date(2026, 2, 26)),
        issuer="Thủ tướng Chính phủ",
    )
    services.result_record(
        actor=officer,
        entry=individual,
        awarded=False,
        reason="Ban Thi đua - Khen thưởng Trung ương đề nghị xem xét vào đợt sau: thành tích 05 năm chưa có "
        "xác nhận của cơ quan quản lý nhiệm vụ khoa học.",
    )

    newer = _at_chair(
        builder, campaign, head, f"Hồ sơ đề nghị khen thưởng cấp Nhà nước năm {today.year}", DRAFT_THIS_YEAR
    )
    draft = services.proposal_create(
        actor=officer,
        unit=city,
        year=today.year,
        title=f"Tờ trình đề nghị khen thưởng cấp Nhà nước năm {today.year}",
    )
    services.proposal_nominee_add(actor=officer, proposal=draft, nominee=newer[0])  # the other waits

    # A long-service dossier in draft: its record of service attached, the minutes still missing.
    dossier = dossier_services.dossier_create(
        actor=head,
        unit=units["skhcn"],
        campaign=long_service,
        title="Hồ sơ đề nghị tặng Huân chương Lao động hạng Ba (quá trình cống hiến)",
        summary="Sở Khoa học và Công nghệ đề nghị khen thưởng quá trình cống hiến.",
    )
    kind, name, position, code, achievements = LONG_SERVICE
    nominee = dossier_services.nominee_add(
        actor=head,
        dossier=dossier,
        kind=kind,
        name=name,
        position=position,
        workplace=units["skhcn"].name,
        award_type=AwardType.objects.get(code=code),
        achievements=achievements,
        **_identity(name),
    )
    builder.attach(dossier, "to-trinh", head, units["skhcn"], f"Tờ trình: {dossier.title}")
    builder.attach(
        dossier,
        "tom-tat-qua-trinh-cong-tac",
        head,
        units["skhcn"],
        f"Bản tóm tắt quá trình công tác — {name}",
        nominee=nominee,
        body=["1987–2013: chuyên viên, Trưởng phòng; 2013–2025: Phó Giám đốc Sở (12 năm)."],
    )


def _at_chair(builder, campaign, head, title, rows) -> list:
    """A dossier of Sở Khoa học và Công nghệ walked to the city chair's desk: submitted, appraised,
    publicly noticed 10 working days (the notice dated back so it has run), voted by the city
    council on paper, the vice-chair's opinion given. Returns its approved nominees."""
    units, users = builder.units, builder.users
    unit = units["skhcn"]
    dossier = dossier_services.dossier_create(
        actor=head,
        unit=unit,
        campaign=campaign,
        title=title,
        summary=f"{unit.name} đề nghị khen thưởng cấp Nhà nước.",
    )
    nominees = []
    for kind, name, position, code, achievements in rows:
        # The department itself as a collective is linked to its unit (its award is the unit's).
        extra = {"collective_unit": unit} if kind == "collective" and name.startswith("Sở ") else {}
        nominees.append(
            dossier_services.nominee_add(
                actor=head,
                dossier=dossier,
                kind=kind,
                name=name,
                position=position,
                workplace=unit.name,
                award_type=AwardType.objects.get(code=code),
                achievements=achievements,
                **extra,
                **_identity(name),
            )
        )
    builder.attach_all(dossier, nominees, head, unit)
    officer = users["tp_thuky"]
    workflow.dossier_submit(actor=head, dossier=dossier)
    workflow.appraisal_receive(actor=officer, dossier=Dossier.objects.get(pk=dossier.pk))
    workflow.appraisal_accept(actor=officer, dossier=Dossier.objects.get(pk=dossier.pk))
    calendar = WorkingCalendar()
    ends = timezone.localdate() - dt.timedelta(days=1)
    starts = ends
    while calendar.working_days_between(starts, ends) < 10:
        starts -= dt.timedelta(days=1)
    PublicNotice.objects.filter(dossier=dossier).update(starts_on=starts, ends_on=ends)
    workflow.notice_close(actor=officer, dossier=Dossier.objects.get(pk=dossier.pk))
    council = Council.objects.get(unit=units["hanoi"])
    roll = council_members_on(council, timezone.localdate())
    eligible = Nominee.objects.current().filter(dossier=dossier, outcome=NomineeOutcome.ELIGIBLE)
    minutes = builder.pdf.render(
        issuer=council.unit.name,
        unit=council.name,
        place="Hà Nội",
        day=timezone.localdate(),
        title="BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        paragraphs=[f"Xét hồ sơ: {title}", "Hội đồng đã bỏ phiếu kín, đủ số thành viên dự họp."],
    )
    council_flow.paper_meeting_record(
        actor=officer,
        council=council,
        held_at=timezone.now() - dt.timedelta(hours=2),
        place="Phòng họp số 1, trụ sở UBND thành phố Hà Nội",
        chairperson=next(m.user for m in roll if m.council_role == "chair"),
        dossiers=[Dossier.objects.get(pk=dossier.pk)],
        present=[m.user for m in roll],
        counts={n.pk: {"votes_for": len(roll), "votes_against": 0} for n in eligible},
        conclusion="Hội đồng thống nhất đề nghị Chủ tịch UBND thành phố trình cấp Nhà nước khen thưởng.",
        minutes=SimpleUploadedFile("bien-ban-hop.pdf", minutes, content_type="application/pdf"),
    )
    workflow.opinion_give(
        actor=users["tp_phochutich"],
        dossier=Dossier.objects.get(pk=dossier.pk),
        text="Thống nhất đề nghị của Hội đồng, kính trình Chủ tịch ký tờ trình đề nghị cấp Nhà nước khen thưởng.",
    )
    return list(Nominee.objects.current().filter(dossier=dossier).order_by("pk"))
