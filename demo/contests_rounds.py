"""The demo's contest in its appraisal round, after seed 002 (section 3 b, vòng thẩm định): "Hội thi
ý tưởng chuyển đổi số trong cải cách hành chính năm 2026" of Sở Nội vụ thành phố Hà Nội, with the
same organiser and jury as the demo's open contest (demo/contests.py). Its entries are in, the
appraisal round is open and some scores are entered: `giamkhao2` has scored every entry,
`giamkhao3` two of them, and `giamkhao1` (the chair) and `giamkhao4` none yet, so after
`make run` each juror has something to score on /contests/scoring/ and `btc.hoithi` follows their
progress on the round panel. Built through the services.

The entries period is shortened to today once the entries are sent: the organiser opens the
appraisal round only on or after the entries deadline, and the demo cannot wait for it."""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests import round_services, services
from contests.models import Contest, Criterion
from org.calendar import WorkingCalendar
from org.models import Unit

NAME = "Hội thi ý tưởng chuyển đổi số trong cải cách hành chính năm 2026"
CRITERIA = {
    "appraisal": [
        ("Tính mới, tính sáng tạo của ý tưởng", 40, 10),
        ("Tính khả thi khi triển khai tại cơ quan, đơn vị", 30, 10),
        ("Lợi ích mang lại cho người dân và doanh nghiệp", 30, 10),
    ],
    "final": [
        ("Nội dung trình bày", 60, 10),
        ("Trả lời câu hỏi của Ban Giám khảo", 40, 10),
    ],
}
PRIZES = [("collective", "Giải nhất", 1, 8_000_000), ("collective", "Giải nhì", 2, 5_000_000)]
JURY = [("giamkhao1", "chair"), ("giamkhao2", "member"), ("giamkhao3", "member"), ("giamkhao4", "member")]
# head's username, unit name, title, entrant, summary
ENTRIES = [
    (
        "head_giathuy",
        "Trường Tiểu học Gia Thụy",
        "Trợ lý ảo trả lời cha mẹ học sinh về thủ tục nhập học",
        "Tổ Văn phòng Trường Tiểu học Gia Thụy",
        "Trợ lý ảo trên trang thông tin của trường trả lời các câu hỏi thường gặp về hồ sơ nhập học lớp 1.",
    ),
    (
        "unit_head",
        "Trường THCS Ngọc Lâm",
        "Kho học liệu số dùng chung của các trường trên địa bàn phường",
        "Tổ Toán - Tin Trường THCS Ngọc Lâm",
        "Giáo viên các trường chia sẻ bài giảng điện tử đã được tổ chuyên môn thẩm định.",
    ),
    (
        "head_hoasua",
        "Trường Mầm non Hoa Sữa",
        "Sổ bé ngoan điện tử kết nối gia đình và nhà trường",
        "Ban Giám hiệu Trường Mầm non Hoa Sữa",
        "Nhận xét hằng ngày của giáo viên gửi cha mẹ trẻ qua ứng dụng, thay sổ giấy.",
    ),
    (
        "head_tramyte",
        "Trạm Y tế phường Long Biên",
        "Nhắc lịch khám thai và tiêm chủng bằng tin nhắn tự động",
        "Trạm Y tế phường Long Biên",
        "Hệ thống tự gửi tin nhắn nhắc lịch theo sổ quản lý thai sản và tiêm chủng của Trạm.",
    ),
]
# juror → {entry index: scores per appraisal criterion}
SCORES = {
    "giamkhao2": {0: ("8.5", "8", "9"), 1: ("7", "7.5", "8"), 2: ("9", "8.5", "8.75"), 3: ("6.5", "7", "7")},
    "giamkhao3": {0: ("8", "7.5", "8.5"), 2: ("8.75", "9", "9")},
}


def _description(pdf, unit, title, summary):
    """The entry's description (bản thuyết minh), as a unit sends it."""
    content = pdf.render(
        issuer=unit.parent.name if unit.parent else unit.name,
        unit=unit.name,
        place=unit.place_name or "Hà Nội",
        day=timezone.localdate(),
        title="BẢN THUYẾT MINH Ý TƯỞNG DỰ THI",
        paragraphs=[title, summary],
    )
    return SimpleUploadedFile("ban-thuyet-minh.pdf", content, content_type="application/pdf")


def seed_demo_contest_rounds(pdf=None):
    """Idempotent: nothing once the contest exists, or without the open contest's people."""
    User = get_user_model()
    organiser = User.objects.filter(username="btc.hoithi").first()
    snv = Unit.objects.filter(name="Sở Nội vụ thành phố Hà Nội").first()
    if organiser is None or snv is None or Contest.objects.filter(name=NAME).exists():
        return
    setup = {n: getattr(services, n) for n in ("contest_create", "criterion_add", "prize_add", "juror_add")}
    setup |= {
        n: getattr(services, n) for n in ("contest_open", "entry_create", "entry_file_add", "entry_send")
    }
    if pdf is None:
        from .pdf import DemoPdfRenderer

        pdf = DemoPdfRenderer()
    calendar = WorkingCalendar()
    today = timezone.localdate()
    entries_by = calendar.add_working_days(today, 1)  # a deadline falls on a working day
    contest = setup["contest_create"](
        actor=organiser,
        organizer=snv,
        name=NAME,
        year=today.year,
        plan_reference="512/KH-SNV",
        legal_basis=(
            "Kế hoạch số 512/KH-SNV của Sở Nội vụ về tổ chức Hội thi ý tưởng chuyển đổi số trong cải cách "
            "hành chính năm 2026; Nghị định số 73/2023/NĐ-CP ngày 29/9/2023 của Chính phủ."
        ),
        description=(
            "Mỗi đơn vị gửi tối đa 02 ý tưởng. Ban Giám khảo chấm vòng thẩm định trên bản thuyết minh, "
            "chọn 02 ý tưởng vào vòng chung kết thuyết trình."
        ),
        entry_cap_per_unit=2,
        entries_deadline=entries_by,
        appraisal_deadline=calendar.add_working_days(entries_by, 10),
        final_deadline=calendar.add_working_days(entries_by, 20),
        finalists=2,
        aggregation="trimmed_mean",
        tie_rule="appraisal_score",
    )
    for kind, criteria in CRITERIA.items():
        for name, weight, max_score in criteria:
            setup["criterion_add"](
                actor=organiser, contest=contest, round=kind, name=name, weight=weight, max_score=max_score
            )
    for kind, name, position, amount in PRIZES:  # one prize of each level
        setup["prize_add"](
            actor=organiser,
            contest=contest,
            entrant_kind=kind,
            name=name,
            count=1,
            amount=amount,
            position=position,
        )
    jurors = {u.username: u for u in User.objects.filter(username__in=[j for j, _ in JURY])}
    for username, role in JURY:
        setup["juror_add"](actor=organiser, contest=contest, user=jurors[username], role=role)
    contest = setup["contest_open"](actor=organiser, contest=contest)
    heads = {u.username: u for u in User.objects.filter(username__in=[e[0] for e in ENTRIES])}
    entries = []
    for head_name, unit_name, title, entrant, summary in ENTRIES:
        unit = Unit.objects.get(name=unit_name)
        entry = setup["entry_create"](
            actor=heads[head_name],
            contest=contest,
            unit=unit,
            title=title,
            summary=summary,
            entrant_kind="collective",
            entrant_name=entrant,
            contact=f"{unit_name}, phường Long Biên, Hà Nội",
            preselection_note="Được chọn tại cuộc họp sơ tuyển của đơn vị.",
            authors=[{"name": entrant, "position": ""}],
        )
        setup["entry_file_add"](
            actor=heads[head_name], entry=entry, uploaded_file=_description(pdf, unit, title, summary)
        )
        setup["entry_send"](actor=heads[head_name], entry=entry)
        entries.append(entry)

    # The entries period has run: the appraisal round opens and the jurors score.
    Contest.objects.filter(pk=contest.pk).update(entries_deadline=today)
    contest = Contest.objects.get(pk=contest.pk)
    round_services.round_start(actor=organiser, contest=contest, kind="appraisal")
    criteria = list(Criterion.objects.filter(contest=contest, round="appraisal"))
    scores_save = round_services.scores_save
    for username, per_entry in SCORES.items():
        for index, values in per_entry.items():
            scores_save(
                actor=jurors[username],
                entry=entries[index],
                kind="appraisal",
                values={c.pk: v for c, v in zip(criteria, values, strict=True)},
            )
