"""Contests at their final round, built from rows (seed 002's prize structure: 20 prizes, ten for
collectives and ten for individuals), for the results' tests and the audit walk."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from contests.models import (
    Contest,
    ContestState,
    Criterion,
    EntrantKind,
    Entry,
    EntryState,
    Juror,
    JurorRole,
    Prize,
    Round,
    RoundKind,
    Score,
)
from org.models import Role
from tests import factories as f

# Kế hoạch 4979/KH-SNV-CĐVC, mục III.5.b: (name, position, count, collective amount, individual amount)
STRUCTURE = [
    ("Giải Nhất", 1, 1, 10_000_000, 6_000_000),
    ("Giải Nhì", 2, 2, 7_000_000, 3_000_000),
    ("Giải Ba", 3, 3, 5_000_000, 2_000_000),
    ("Giải Khuyến khích", 4, 4, 3_000_000, 1_000_000),
]
# By hand: 10 + 2×7 + 3×5 + 4×3 = 51 million for collectives; 6 + 2×3 + 3×2 + 4×1 = 22 million.
COLLECTIVE_TOTAL = 51_000_000
INDIVIDUAL_TOTAL = 22_000_000


def make_contest(world, *, state=ContestState.FINAL, tie_rule="appraisal_score", per_kind=12, scores=None):
    contest = Contest.objects.create(
        organizer=world.commune,
        name="Hội thi Sáng tạo cải cách hành chính lần 2",
        year=2026,
        plan_reference="4979/KH-SNV-CĐVC ngày 05 tháng 7 năm 2024",
        entry_cap_per_unit=3,
        entries_deadline=dt.date(2026, 1, 15),
        appraisal_deadline=dt.date(2026, 2, 10),
        final_deadline=dt.date(2026, 3, 5),
        finalists=2 * per_kind,
        tie_rule=tie_rule,
        state=state,
        created_by=world.officer,
    )
    for name, position, count, collective, individual in STRUCTURE:
        Prize.objects.create(
            contest=contest,
            entrant_kind=EntrantKind.COLLECTIVE,
            name=name,
            position=position,
            count=count,
            amount=collective,
        )
        Prize.objects.create(
            contest=contest,
            entrant_kind=EntrantKind.INDIVIDUAL,
            name=name,
            position=position,
            count=count,
            amount=individual,
        )
    heavy = Criterion.objects.create(
        contest=contest, round=RoundKind.FINAL, name="Tính sáng tạo", weight=60, position=1
    )
    light = Criterion.objects.create(
        contest=contest, round=RoundKind.FINAL, name="Tính thực tiễn", weight=40, position=2
    )
    juror = Juror.objects.create(
        contest=contest,
        user=f.user_with_role(Role.STANDING_OFFICER, world.province, username="juror1"),
        role=JurorRole.CHAIR,
    )
    final = Round.objects.create(
        contest=contest, kind=RoundKind.FINAL, opened_at=timezone.now(), closed_at=timezone.now()
    )
    entries = []
    units = [world.school_a, world.school_b, world.office]
    for kind in (EntrantKind.COLLECTIVE, EntrantKind.INDIVIDUAL):
        for i in range(per_kind):
            score = (scores or {}).get((kind, i), Decimal(95) - i)
            entry = Entry.objects.create(
                contest=contest,
                unit=units[i % 3],
                title=f"Sáng kiến số hóa quy trình {kind[:3]} {i + 1:02d}",
                entrant_kind=kind,
                entrant_name=(
                    f"Tổ công tác {i + 1}" if kind == EntrantKind.COLLECTIVE else f"Nguyễn Văn {chr(65 + i)}"
                ),
                state=EntryState.FINALIST,
                created_by=world.staff_a,
                appraisal_score=Decimal(80),
                final_score=score,
            )
            for criterion in (heavy, light):
                Score.objects.create(
                    round=final, entry=entry, juror=juror, criterion=criterion, value=Decimal(8)
                )
            entries.append(entry)
    contest.entries_made = entries
    return contest
