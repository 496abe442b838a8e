"""The demo meeting (demo.meetings.seed_demo_meetings, called by seed_demo)."""

import datetime as dt

from approvals.meeting_selectors import meeting_minutes, meeting_page
from approvals.models import MeetingState
from demo.meetings import seed_demo_meetings
from org.services import council_member_add
from tests import factories as f

from .conftest import in_council

DEMO_MEMBERS = [
    ("vice_chair", "vice_chair"),
    ("secretary", "secretary"),
    ("hd_lan", "member"),
    ("hd_khoa", "member"),
    ("hd_yen", "member"),
    ("hd_phuc", "member"),
    ("hd_nga", "member"),
]


def test_the_demo_meeting_is_open_and_waits_for_the_member(world):
    """The demo's logins: `chair` chairs the council, `member` and seven others sit on it."""
    council = world.council
    council_member_add(
        actor="system", council=council, user=world.chair, council_role="chair", start=dt.date(2020, 1, 1)
    )
    for username, role in DEMO_MEMBERS:
        f.council_member(council, role, username=username)
    assert seed_demo_meetings(council_name=council.name) is None  # nothing before the council yet
    dossiers = [in_council(world, nominees=2), in_council(world, nominees=1, unit=world.school_b)]

    meeting = seed_demo_meetings(council_name=council.name)

    assert meeting.state == MeetingState.VOTING and meeting.agenda.count() == 3
    assert set(meeting.agenda.values_list("dossier_id", flat=True)) == {d.pk for d in dossiers}
    minutes = meeting_minutes(meeting)
    assert {p.username for p in minutes.written_voters} == {"hd_nga", "hd_phuc"}
    # The written comment stays sealed with its secret ballot until the close.
    assert len(minutes.present) == 7 and minutes.written_opinions == []
    assert meeting_page(user=world.member, meeting=meeting).votable_left == 3
    assert seed_demo_meetings(council_name=council.name).pk == meeting.pk  # idempotent
