"""A small campaign of the demo whose council ranked more collectives than its quota allows, built
through the real services: five collectives of three schools proposed for three Giấy khen; the
council's vote left two of them tied for the last place, a run-off round decided it, and the
ranking shows the quota line (three passed, two over quota). The meeting's live view and minutes
show the ranking, the line and the run-off; the dossiers wait for the vice-chair's opinion.

Called by demo.builder after the other meetings; idempotent with the rest of `seed_demo`.
"""

import datetime as dt

from django.utils import timezone

from approvals import meeting_services
from approvals.meeting_services import council_members_on
from dossiers import services
from dossiers.models import AwardType, Campaign, CampaignQuota, TieRule
from org.models import Council
from workflows import council as council_flow
from workflows import services as workflow

CAMPAIGN = "Dân vận khéo"
TITLE = "Phiên họp xét khen thưởng phong trào “Dân vận khéo”"
PLACE = "Phòng họp tầng 2, trụ sở UBND phường Long Biên"
# (unit, collectives): 5 proposals for 3 places.
PROPOSALS = [
    ("ngoclam", ["Tổ Văn phòng Trường THCS Ngọc Lâm", "Chi đoàn giáo viên Trường THCS Ngọc Lâm"]),
    ("giathuy", ["Tổ khối 5 Trường Tiểu học Gia Thụy", "Tổ khối 3 Trường Tiểu học Gia Thụy"]),
    ("hoasua", ["Tổ nuôi dưỡng Trường Mầm non Hoa Sữa"]),
]
ACHIEVEMENTS = (
    "Phối hợp với tổ dân phố vận động phụ huynh tham gia giữ gìn vệ sinh môi trường quanh trường; "
    "tổ chức 12 buổi sinh hoạt chuyên đề “Dân vận khéo” trong năm học."
)
# Votes for each collective (of the members present, the rest against), in the order above: the
# two of Gia Thụy tie for the third place; the run-off gives it to the first of them.
FIRST_ROUND = [9, 9, 7, 7, 5]
RUNOFF = {2: 6, 3: 3}


def seed_demo_ranked_campaign(builder):
    if Campaign.objects.filter(name=CAMPAIGN).exists():
        return None
    today = timezone.localdate()
    commune = builder.units["longbien"]
    campaign = Campaign.objects.create(
        name=CAMPAIGN,
        organizer=commune,
        procedure_kind="campaign",
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        submission_deadline=today + dt.timedelta(days=30),
        legal_basis="Kế hoạch số 27/KH-UBND của UBND phường về phong trào thi đua “Dân vận khéo”",
        max_nominees_per_unit=3,
        tie_rule=TieRule.RUNOFF,
    )
    giay_khen = AwardType.objects.get(code="giay-khen")
    campaign.award_types.set([giay_khen])
    CampaignQuota.objects.create(campaign=campaign, nominee_kind="collective", limit=3)
    officer = builder.users["officer"]
    dossiers, nominees = [], []
    for unit_key, names in PROPOSALS:
        unit, head = builder.units[unit_key], builder._head_of(unit_key)
        dossier = services.dossier_create(
            actor=head,
            unit=unit,
            campaign=campaign,
            title=f"Đề nghị tặng Giấy khen phong trào “Dân vận khéo” — {unit.name}",
        )
        mine = [
            services.nominee_add(
                actor=head,
                dossier=dossier,
                kind="collective",
                name=name,
                award_type=giay_khen,
                achievements=ACHIEVEMENTS,
                workplace=unit.name,
            )
            for name in names
        ]
        builder.attach_all(dossier, mine, head, unit)
        workflow.dossier_submit(actor=head, dossier=dossier)
        workflow.appraisal_receive(actor=officer, dossier=dossier)
        workflow.appraisal_accept(actor=officer, dossier=dossier)
        dossiers.append(dossier)
        nominees += mine

    council = Council.objects.get(unit=commune)
    roll = [m.user for m in council_members_on(council, today)]
    chair = next(m.user for m in council_members_on(council, today) if m.council_role == "chair")
    secretary = next(m.user for m in council_members_on(council, today) if m.council_role == "secretary")
    meeting = meeting_services.meeting_schedule(
        actor=secretary,
        council=council,
        title=TITLE,
        place=PLACE,
        scheduled_at=timezone.make_aware(dt.datetime.combine(today, dt.time(7, 30))),
        chairperson=chair,
        secretary=secretary,
        dossiers=dossiers,
    )
    meeting_services.meeting_attendance_record(actor=secretary, meeting=meeting, present=roll)
    meeting_services.meeting_open_voting(actor=secretary, meeting=meeting)

    def vote(on, nominee, agree):
        for i, member in enumerate(roll):
            choice = "agree" if i < agree else "disagree"
            meeting_services.ballot_cast(actor=member, meeting=on, nominee=nominee, choice=choice)

    for nominee, agree in zip(nominees, FIRST_ROUND, strict=True):
        vote(meeting, nominee, agree)
    council_flow.meeting_close(
        actor=chair, meeting=meeting, conclusion="Hai tập thể bằng phiếu tại ngưỡng chỉ tiêu: bỏ phiếu lại."
    )
    runoff = meeting_services.meeting_runoff_start(actor=chair, meeting=meeting)
    for index, agree in RUNOFF.items():
        vote(runoff, nominees[index], agree)
    council_flow.meeting_close(
        actor=chair,
        meeting=runoff,
        conclusion="Hội đồng thống nhất đề nghị tặng Giấy khen cho 03 tập thể theo chỉ tiêu của phong trào.",
    )
    return meeting
