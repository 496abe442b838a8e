"""A contest of the `world` (tests/conftest.py) ready to open, as seed 002 prepares one: the commune
organises it (its standing officer is the organiser), the units of the province enter it."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from contests import services
from contests.models import EntrantKind, JurorRole, RoundKind
from org.models import Role
from tests import factories as f

ENTRIES_BY = dt.date(2026, 3, 31)  # a Tuesday; the clock is pinned at 11/03/2026
APPRAISAL_BY = dt.date(2026, 4, 15)
FINAL_BY = dt.date(2026, 5, 12)


def contest_values(**overrides) -> dict:
    values = {
        "name": "Hội thi sáng tạo cải cách hành chính năm 2026",
        "year": 2026,
        "plan_reference": "4979/KH-SNV-CĐVC",
        "legal_basis": "Kế hoạch cải cách hành chính năm 2026 của Thành phố",
        "description": "Tìm kiếm mô hình, sáng kiến, giải pháp cải cách hành chính.",
        "entry_cap_per_unit": 3,
        "entries_deadline": ENTRIES_BY,
        "appraisal_deadline": APPRAISAL_BY,
        "final_deadline": FINAL_BY,
        "finalists": 10,
        "aggregation": "mean",
        "tie_rule": "appraisal_score",
    }
    values.update(overrides)
    return values


def draft_contest(w, **overrides):
    return services.contest_create(actor=w.officer, organizer=w.commune, **contest_values(**overrides))


def jurors(w, count=3):
    if not hasattr(w, "jurors"):
        w.jurors = [
            f.UserFactory(username=f"giamkhao{i}", full_name=f"Giám khảo {i}") for i in range(1, count + 1)
        ]
    return w.jurors


def ready_contest(w, **overrides):
    """A draft with everything opening asks: criteria of both rounds weighing 100, the prizes of
    seed 002, a jury with its chair."""
    contest = draft_contest(w, **overrides)
    for round_kind in (RoundKind.APPRAISAL, RoundKind.FINAL):
        services.criterion_add(actor=w.officer, contest=contest, round=round_kind, name="Tính mới", weight=40)
        services.criterion_add(
            actor=w.officer, contest=contest, round=round_kind, name="Tính hiệu quả", weight=60
        )
    for kind, amounts in (
        (EntrantKind.COLLECTIVE, (10_000_000, 7_000_000)),
        (EntrantKind.INDIVIDUAL, (6_000_000,)),
    ):
        for i, amount in enumerate(amounts):
            services.prize_add(
                actor=w.officer,
                contest=contest,
                entrant_kind=kind,
                name=f"Giải {i + 1}",
                count=1,
                amount=amount,
            )
    for i, user in enumerate(jurors(w)):
        services.juror_add(
            actor=w.officer, contest=contest, user=user, role=JurorRole.CHAIR if i == 0 else JurorRole.MEMBER
        )
    return contest


def open_contest(w, **overrides):
    contest = ready_contest(w, **overrides)
    return services.contest_open(actor=w.officer, contest=contest)


def entry_values(title="Số hóa hồ sơ một cửa", **overrides) -> dict:
    values = {
        "title": title,
        "summary": "Tái cấu trúc quy trình tiếp nhận hồ sơ.",
        "entrant_kind": EntrantKind.COLLECTIVE,
        "entrant_name": "Bộ phận Một cửa",
        "contact": "0243 123 456",
        "preselection_note": "Chọn tại cuộc họp ngày 05/3/2026.",
        "authors": [{"name": "Nguyễn Thị Hoa", "position": "Chuyên viên"}],
    }
    values.update(overrides)
    return values


def drafted_entry(w, contest, *, unit=None, actor=None, title="Số hóa hồ sơ một cửa", with_file=True):
    unit = unit or w.school_a
    actor = actor or w.staff_a
    entry = services.entry_create(actor=actor, contest=contest, unit=unit, **entry_values(title))
    if with_file:
        services.entry_file_add(
            actor=actor, entry=entry, uploaded_file=f.pdf_upload("thuyet-minh.pdf", title)
        )
    return entry


def sent_entry(w, contest, *, unit=None, staff=None, head=None, title="Số hóa hồ sơ một cửa"):
    entry = drafted_entry(w, contest, unit=unit, actor=staff, title=title)
    return services.entry_send(actor=head or w.head_a, entry=entry)


def png_upload(name="anh.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def school_b_staff(w):
    if not hasattr(w, "staff_b"):
        w.staff_b = f.user_with_role(Role.UNIT_STAFF, w.school_b, username="staff_b")
    return w.staff_b
