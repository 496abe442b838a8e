"""Seed 002 end to end, through the services of every part: Kế hoạch 4979/KH-SNV-CĐVC's contest
(Hội thi Sáng tạo cải cách hành chính lần 2) with its 20 prizes, units entering at most 3 entries,
a jury with a conflicted juror, the appraisal and final rounds, the ranking, and the results
decision numbered, signed, issued and printed with its annex and its total cash."""

import datetime as dt
import subprocess
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from contests import results_services as results
from contests import round_services as rounds
from contests import services as setup
from contests.models import ContestState, EntrantKind, JurorRole, Placing, RoundKind
from documents.services import issued
from org.errors import TransitionNotAllowed
from org.models import Role, UnitLevel
from tests import factories as f
from tests.documents.conftest import _signing_keys, signing_keys_dir  # noqa: F401

from .results.conftest import clerk, keys  # noqa: F401

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

# Mục III.5.b: (name, count, collective amount, individual amount); 1 + 2 + 3 + 4 = 10 per kind.
PRIZES = [
    ("Giải Nhất", 1, 10_000_000, 6_000_000),
    ("Giải Nhì", 2, 7_000_000, 3_000_000),
    ("Giải Ba", 3, 5_000_000, 2_000_000),
    ("Giải Khuyến khích", 4, 3_000_000, 1_000_000),
]
# By hand: collectives 10 + 14 + 15 + 12 = 51 million; individuals 6 + 6 + 6 + 4 = 22 million.
TOTAL = 73_000_000


def _units(world, count):
    units = []
    for i in range(count):
        unit = f.UnitFactory(
            name=f"Phòng ban {i + 1} Quận 7", code=f"PB{i + 1}", level=UnitLevel.OFFICE, parent=world.commune
        )
        unit.staff = f.user_with_role(Role.UNIT_STAFF, unit, username=f"cb{i + 1}")
        unit.head = f.user_with_role(Role.UNIT_HEAD, unit, username=f"tt{i + 1}")
        units.append(unit)
    return units


def _entry(unit, contest, kind, n):
    entry = setup.entry_create(
        actor=unit.staff,
        contest=contest,
        unit=unit,
        title=f"Giải pháp chuyển đổi số số {n:02d} của {unit.name}",
        summary="Tái cấu trúc quy trình nội bộ giải quyết thủ tục hành chính.",
        entrant_kind=kind,
        entrant_name=f"Tổ công tác {n:02d}" if kind == EntrantKind.COLLECTIVE else f"Nguyễn Văn {n:02d}",
        contact="0909 337 700",
        preselection_note="Xét chọn tại cuộc họp sơ tuyển của đơn vị.",
        authors=[{"name": f"Tác giả {n:02d}", "position": "Chuyên viên"}],
    )
    setup.entry_file_add(actor=unit.staff, entry=entry, uploaded_file=f.pdf_upload("mo-ta.pdf", entry.title))
    return setup.entry_send(actor=unit.head, entry=entry)


def _score_round(contest, kind, jurors, entries, conflicted, value_of):
    criteria = list(contest.criteria.filter(round=kind).order_by("position"))
    for juror in jurors:
        for entry in entries:
            if (juror.pk, entry.pk) in conflicted:
                continue
            value = value_of(entry)
            rounds.scores_save(
                actor=juror, entry=entry, kind=kind, values={c.pk: str(value) for c in criteria}
            )


def test_seed_002_contest_end_to_end(world, keys, clerk, tmp_path):  # noqa: F811
    officer = world.officer
    contest = setup.contest_create(
        actor=officer,
        organizer=world.commune,
        name="Hội thi Sáng tạo cải cách hành chính lần 2",
        year=2026,
        plan_reference="4979/KH-SNV-CĐVC ngày 05 tháng 7 năm 2024",
        legal_basis="",
        description="Gắn với Chủ đề công tác năm 2024 về chuyển đổi số.",
        entry_cap_per_unit=3,
        entries_deadline=dt.date(2026, 3, 31),
        appraisal_deadline=dt.date(2026, 4, 15),
        final_deadline=dt.date(2026, 5, 12),
        finalists=24,
        aggregation="mean",
        tie_rule="appraisal_score",
    )
    for kind in (RoundKind.APPRAISAL, RoundKind.FINAL):
        setup.criterion_add(actor=officer, contest=contest, round=kind, name="Tính sáng tạo", weight=60)
        setup.criterion_add(actor=officer, contest=contest, round=kind, name="Tính thực tiễn", weight=40)
    for name, count, collective, individual in PRIZES:
        setup.prize_add(
            actor=officer,
            contest=contest,
            entrant_kind=EntrantKind.COLLECTIVE,
            name=name,
            count=count,
            amount=collective,
        )
        setup.prize_add(
            actor=officer,
            contest=contest,
            entrant_kind=EntrantKind.INDIVIDUAL,
            name=name,
            count=count,
            amount=individual,
        )
    jurors = [f.UserFactory(username=f"giamkhao{i}", full_name=f"Giám khảo {i}") for i in range(1, 4)]
    seats = [
        setup.juror_add(
            actor=officer, contest=contest, user=u, role=JurorRole.CHAIR if i == 0 else JurorRole.MEMBER
        )
        for i, u in enumerate(jurors)
    ]
    contest = setup.contest_open(actor=officer, contest=contest)

    # Eight units, three entries each (the cap): 12 collectives and 12 individuals.
    units = _units(world, 8)
    entries, n = [], 0
    for i, unit in enumerate(units):
        for j in range(3):
            n += 1
            kind = EntrantKind.COLLECTIVE if (i * 3 + j) % 2 == 0 else EntrantKind.INDIVIDUAL
            entries.append(_entry(unit, contest, kind, n))
    # A fourth entry of a unit is over its cap.
    with pytest.raises((ValidationError, TransitionNotAllowed)):
        _entry(units[0], contest, EntrantKind.COLLECTIVE, 99)

    # The first juror works in the unit of the first entry: declared, and then refused.
    setup.conflict_declare(
        actor=officer, juror=seats[0], entry=entries[0], reason="Giám khảo công tác tại đơn vị dự thi"
    )
    conflicted = {(jurors[0].pk, entries[0].pk)}

    # Distinct scores: entry k scores 9.9 - 0.1 × k on every criterion (out of 10).
    value_of = {e.pk: Decimal("9.9") - Decimal("0.1") * k for k, e in enumerate(entries)}
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=VN), tick=True):
        rounds.round_start(actor=officer, contest=contest, kind=RoundKind.APPRAISAL)
        with pytest.raises(PermissionDenied):
            rounds.scores_save(
                actor=jurors[0],
                entry=entries[0],
                kind=RoundKind.APPRAISAL,
                values={c.pk: "9" for c in contest.criteria.filter(round=RoundKind.APPRAISAL)},
            )
        _score_round(contest, RoundKind.APPRAISAL, jurors, entries, conflicted, lambda e: value_of[e.pk])
        rounds.round_close(actor=officer, contest=contest, kind=RoundKind.APPRAISAL)
        rounds.round_start(actor=officer, contest=contest, kind=RoundKind.FINAL)
        _score_round(contest, RoundKind.FINAL, jurors, entries, conflicted, lambda e: value_of[e.pk])
        rounds.round_close(actor=officer, contest=contest, kind=RoundKind.FINAL)

        results.contest_rank(actor=officer, contest=contest)
        contest.refresh_from_db()
        assert contest.state == ContestState.RESULTS
        placings = list(Placing.objects.filter(contest=contest).select_related("entry", "prize"))
        won = [p for p in placings if p.prize_id]
        assert len(won) == 20
        for kind in (EntrantKind.COLLECTIVE, EntrantKind.INDIVIDUAL):
            mine = sorted((p for p in placings if p.entry.entrant_kind == kind), key=lambda p: p.rank)
            # Higher final score, better rank, never a lower prize.
            assert [p.entry.final_score for p in mine] == sorted(
                (p.entry.final_score for p in mine), reverse=True
            )
            names = [p.prize.name if p.prize else None for p in mine]
            assert (
                names
                == ["Giải Nhất"] + ["Giải Nhì"] * 2 + ["Giải Ba"] * 3 + ["Giải Khuyến khích"] * 4 + [None] * 2
            )
        assert sum(p.amount for p in won) == TOTAL

        decision = results.contest_decision_prepare(actor=officer, contest=contest, signer=world.chair)
        results.contest_decision_sign(actor=world.chair, contest=contest)
        contest.refresh_from_db()
        assert contest.state == ContestState.DECIDED
        document = results.contest_decision_issue(actor=clerk, contest=contest)
        assert issued(document)

    pdf = tmp_path / "qd.pdf"
    with document.file.open("rb") as handle:
        pdf.write_bytes(handle.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squashed = " ".join(text.split())
    assert f"Số: {decision.symbol}" in squashed
    assert "Kế hoạch số 4979/KH-SNV-CĐVC" in squashed
    assert "DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN ĐẠT GIẢI" in squashed
    assert "Tập thể" in squashed and "Cá nhân" in squashed
    assert "Giải Nhất" in squashed and "10.000.000" in squashed and "6.000.000" in squashed
    assert "Tổng cộng: 20 giải 73.000.000" in squashed
    assert "Bảy mươi ba triệu đồng" in squashed
