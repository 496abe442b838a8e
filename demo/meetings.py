"""A council meeting for the demo, built through the real services (so its audit trail is true):
called by `manage.py seed_demo` once some dossiers are before the commune's council.

The meeting is convened by the council's secretary for this morning, with every dossier before
the council on its agenda; two members who cannot attend have voted in writing; attendance is
recorded (7 of 9 present, above the 2/3 quorum; one absent member's reason with it); the vote is open and a few members have already
voted, so the `member` login finds nominees waiting for their vote and the secretary's live view
shows the vote in progress.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from approvals import meeting_selectors, meeting_services
from approvals.models import CouncilMeeting
from org.models import Council

COMMUNE_COUNCIL = "Hội đồng Thi đua - Khen thưởng phường Long Biên"
TITLE = "Phiên họp xét đề nghị khen thưởng phong trào “Sáng kiến, sáng tạo”"
PLACE = "Phòng họp tầng 2, trụ sở UBND phường Long Biên"
PRESENT = ["chair", "vice_chair", "secretary", "member", "hd_lan", "hd_khoa", "hd_yen"]
# Absent members and their written opinions, by position on the agenda (choice, comment).
WRITTEN = {
    "hd_phuc": ("agree", "Nhất trí đề nghị của đơn vị; thành tích có sức lan tỏa."),
    "hd_nga": ("agree", ""),
}
# Why an absent member could not come, as the minutes print it.
ABSENCE_REASONS = {"hd_phuc": "Đi công tác tại Thành phố Hồ Chí Minh"}
EARLY_VOTERS = ["chair", "vice_chair", "hd_lan"]


def seed_demo_meetings(*, council_name=COMMUNE_COUNCIL, open_voting=True) -> CouncilMeeting | None:
    """Create the demo meeting (idempotent: an existing one is returned as it is). None when no
    dossier is before the council yet."""
    council = Council.objects.select_related("unit").filter(name=council_name).first()
    if council is None:
        return None
    existing = council.meetings.filter(title=TITLE).first()
    if existing is not None:
        return existing
    dossiers = list(meeting_selectors.dossiers_ready_for(council=council).filter(eligible_count__gt=0))
    if not dossiers:
        return None
    people = get_user_model().objects.in_bulk([*PRESENT, *WRITTEN], field_name="username")
    today = timezone.localdate()
    with transaction.atomic():
        meeting = meeting_services.meeting_schedule(
            actor=people["secretary"],
            council=council,
            title=TITLE,
            place=PLACE,
            scheduled_at=timezone.make_aware(dt.datetime.combine(today, dt.time(8, 0))),
            chairperson=people["chair"],
            secretary=people["secretary"],
            dossiers=dossiers,
        )
        agenda = list(meeting.agenda.select_related("nominee").order_by("position"))
        for username, (choice, comment) in WRITTEN.items():
            votes = {
                item.nominee_id: {"choice": choice, "comment": comment if i == 0 else ""}
                for i, item in enumerate(agenda)
            }
            meeting_services.written_vote_cast(actor=people[username], meeting=meeting, votes=votes)
        meeting_services.meeting_attendance_record(
            actor=people["secretary"],
            meeting=meeting,
            present=[people[u] for u in PRESENT],
            absence_reasons={people[u]: reason for u, reason in ABSENCE_REASONS.items()},
        )
        if open_voting:
            meeting_services.meeting_open_voting(actor=people["secretary"], meeting=meeting)
            for username in EARLY_VOTERS:
                for i, item in enumerate(agenda):
                    choice = "disagree" if (username == "hd_lan" and i == len(agenda) - 1) else "agree"
                    meeting_services.ballot_cast(
                        actor=people[username], meeting=meeting, nominee=item.nominee, choice=choice
                    )
    return CouncilMeeting.objects.get(pk=meeting.pk)
