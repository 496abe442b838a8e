"""Why a member is absent (Attendance.absence_reason): recorded by the secretary with the roll,
on the meeting's page, through the API and for a meeting held on paper; refused for a member
marked present; kept in the audit event; printed by the minutes."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approvals import meeting_services as ms
from approvals import paper_meetings
from approvals.meeting_selectors import meeting_minutes
from approvals.meetings import Attendance, CouncilMeeting
from audit.models import AuditEvent
from demo.meetings import seed_demo_meetings
from org import limits
from org.models import User
from org.services import council_member_add
from tests import factories as f
from tests.api.helpers import english_client

from .conftest import in_council
from .helpers import snapshot
from .test_demo import DEMO_MEMBERS
from .test_handoff import flowing_dossier
from .test_paper_meeting import _api_body, paper


def reasons_of(meeting) -> dict:
    return {
        a.member.username: a.absence_reason
        for a in Attendance.objects.filter(meeting=meeting).select_related("member")
        if a.absence_reason
    }


def last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def test_the_secretary_records_why_a_member_is_absent(cw, meeting):
    away = cw.others[0]
    present = [m for m in cw.members if m != away]

    ms.meeting_attendance_record(
        actor=cw.secretary, meeting=meeting, present=present, absence_reasons={away: "  Đi công tác  "}
    )

    assert reasons_of(meeting) == {away.username: "Đi công tác"}
    event = last_event("meeting.attendance")
    assert event.data["absent"] == [away.username]
    assert event.data["absence_reasons"] == {away.username: "Đi công tác"}
    assert meeting_minutes(meeting).absent[0].absence_reason == "Đi công tác"


def test_a_reason_for_a_member_marked_present_is_refused_naming_them(cw, meeting):
    away = cw.others[0]
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        ms.meeting_attendance_record(
            actor=cw.secretary,
            meeting=meeting,
            present=cw.members,
            absence_reasons={away.pk: "Đi công tác"},
        )

    assert refused.value.message_dict == {
        "absence_reasons": [
            f"{away.get_full_name()} is marked present: a reason for absence is for a member who is absent."
        ]
    }
    assert snapshot() == before


def test_a_reason_for_someone_not_on_the_roll_is_refused(cw, meeting):
    stranger = f.UserFactory(username="stranger")
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        ms.meeting_attendance_record(
            actor=cw.secretary, meeting=meeting, present=cw.members, absence_reasons={stranger: "Ốm"}
        )

    assert list(refused.value.message_dict) == ["absence_reasons"]
    assert snapshot() == before


def test_an_over_long_reason_is_refused_not_cut(cw, meeting):
    away = cw.others[0]
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        ms.meeting_attendance_record(
            actor=cw.secretary,
            meeting=meeting,
            present=cw.members[:-1],
            absence_reasons={away: "x" * (limits.SHORT_TEXT + 1)},
        )

    assert "2,000" in refused.value.message_dict["absence_reasons"][0]
    assert snapshot() == before


def test_recording_again_without_reasons_keeps_them_and_a_member_who_arrives_loses_theirs(cw, meeting):
    away, late = cw.others[0], cw.others[1]
    ms.meeting_attendance_record(
        actor=cw.secretary,
        meeting=meeting,
        present=[m for m in cw.members if m not in (away, late)],
        absence_reasons={away: "Đi công tác", late: "Đến muộn"},
    )

    ms.meeting_attendance_record(
        actor=cw.secretary, meeting=meeting, present=[m for m in cw.members if m != away]
    )

    assert reasons_of(meeting) == {away.username: "Đi công tác"}
    ms.meeting_attendance_record(
        actor=cw.secretary, meeting=meeting, present=[m for m in cw.members if m != away], absence_reasons={}
    )
    assert reasons_of(meeting) == {}


def test_the_meeting_page_asks_each_members_reason_and_records_it(cw, meeting, client):
    away = cw.others[0]
    client.force_login(cw.secretary)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'name="reason_{away.pk}"' in page and 'maxlength="2000"' in page

    response = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {"present": [m.pk for m in cw.members if m != away], f"reason_{away.pk}": "Nghỉ ốm"},
    )

    assert response.status_code == 302
    assert reasons_of(meeting) == {away.username: "Nghỉ ốm"}
    again = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'value="Nghỉ ốm"' in again


def test_the_meeting_page_refuses_a_reason_for_a_member_ticked_present_in_vietnamese(cw, meeting, client):
    away = cw.others[0]
    client.force_login(cw.secretary)
    before = snapshot()

    response = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {"present": [m.pk for m in cw.members], f"reason_{away.pk}": "Nghỉ ốm"},
    )

    assert response.status_code == 400
    assert "đã được đánh dấu có mặt" in response.content.decode()
    assert snapshot() == before


@pytest.fixture
def api():
    client = english_client()

    def as_(user):
        client.force_authenticate(User.objects.get(pk=user.pk))
        return client

    client.as_ = as_
    return client


def test_the_api_records_reasons_by_member_id(api, cw, meeting):
    away = cw.others[0]
    present = [m.pk for m in cw.members if m != away]
    url = f"/api/meetings/{meeting.pk}/attendance/"

    refused = api.as_(cw.secretary).post(
        url, {"present": [m.pk for m in cw.members], "absence_reasons": {str(away.pk): "Ốm"}}, format="json"
    )
    assert refused.status_code == 400 and "absence_reasons" in refused.json()
    done = api.as_(cw.secretary).post(
        url, {"present": present, "absence_reasons": {str(away.pk): "Đi học tập trung"}}, format="json"
    )

    assert done.status_code == 200
    assert reasons_of(meeting) == {away.username: "Đi học tập trung"}
    live = api.as_(cw.secretary).get(f"/api/meetings/{meeting.pk}/live/")
    assert live.status_code == 200
    assert {row["member"]["username"]: row["absence_reason"] for row in live.json()["members"]}[
        away.username
    ] == "Đi học tập trung"
    bad_key = api.as_(cw.secretary).post(
        url, {"present": present, "absence_reasons": {"someone": "Ốm"}}, format="json"
    )
    assert bad_key.status_code == 400


# --- a meeting held on paper --------------------------------------------------------------------


def test_a_paper_meeting_records_the_reasons_of_its_absent_members(cw, dossier):
    away = cw.members[8]

    meeting = paper_meetings.paper_meeting_record(
        **paper(cw, [dossier], absence_reasons={away: "Đi công tác"})
    )

    assert reasons_of(meeting) == {away.username: "Đi công tác"}
    assert last_event("meeting.record_paper").data["absence_reasons"] == {away.username: "Đi công tác"}


def test_a_paper_meeting_refuses_a_reason_for_a_member_present(cw, dossier):
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        paper_meetings.paper_meeting_record(**paper(cw, [dossier], absence_reasons={cw.vice: "Ốm"}))

    assert "absence_reasons" in refused.value.message_dict
    assert snapshot() == before


@pytest.fixture
def flowing(cw):
    """A dossier before the council in its workflow, which the pages and the API hand over."""
    return flowing_dossier(cw)


def _form_body(w, dossier, **overrides):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    body = {
        "council": w.council.pk,
        "day": yesterday.isoformat(),
        "time": "08:00",
        "place": "Phòng họp tầng 2",
        "chairperson": w.cchair.pk,
        "present": [m.pk for m in w.members[:7]],
        "written_votes": 2,
        "secret_ballot": "on",
        "dossiers": [dossier.pk],
        **{f"for_{n.pk}": 8 for n in dossier.agenda_nominees},
        **{f"against_{n.pk}": 1 for n in dossier.agenda_nominees},
        "minutes": f.pdf_upload("bien-ban-hop.pdf", "Biên bản"),
    }
    body.update(overrides)
    return body


def test_the_paper_form_asks_the_end_time_and_the_reasons(cw, flowing, client):
    away = cw.members[8]
    client.force_login(cw.secretary)
    form = client.get(f"/meetings/paper/?council={cw.council.pk}").content.decode()
    assert 'name="ended_time"' in form and f'name="reason_{away.pk}"' in form

    response = client.post(
        "/meetings/paper/",
        _form_body(cw, flowing, ended_time="10:30", **{f"reason_{away.pk}": "Nghỉ phép"}),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = CouncilMeeting.objects.get(recorded_from_paper=True)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert timezone.localtime(meeting.ended_at) == timezone.make_aware(
        dt.datetime.combine(yesterday, dt.time(10, 30))
    )
    assert reasons_of(meeting) == {away.username: "Nghỉ phép"}


def test_the_paper_form_refuses_an_end_before_the_start_in_vietnamese(cw, flowing, client):
    client.force_login(cw.secretary)
    before = snapshot()

    response = client.post("/meetings/paper/", _form_body(cw, flowing, ended_time="07:00"))

    assert response.status_code == 400
    assert "phải sau thời điểm bắt đầu" in response.content.decode()
    assert snapshot() == before


def test_the_paper_api_takes_the_end_time_and_the_reasons(cw, flowing):
    away = cw.members[8]
    api = english_client()
    api.force_authenticate(User.objects.get(pk=cw.secretary.pk))
    held = timezone.now() - dt.timedelta(days=1)
    body = _api_body(
        cw,
        flowing,
        held_at=held.isoformat(),
        ended_at=(held + dt.timedelta(hours=2)).isoformat(),
        absence_reasons=json.dumps({str(away.pk): "Đi công tác"}),
    )

    response = api.post("/api/meetings/paper/", body, format="multipart")

    assert response.status_code == 201, response.json()
    meeting = CouncilMeeting.objects.get(recorded_from_paper=True)
    assert meeting.ended_at - meeting.started_at == dt.timedelta(hours=2)
    assert reasons_of(meeting) == {away.username: "Đi công tác"}


def test_the_demo_meeting_shows_an_absent_members_reason(world):
    council = world.council
    council_member_add(
        actor="system", council=council, user=world.chair, council_role="chair", start=dt.date(2020, 1, 1)
    )
    for username, role in DEMO_MEMBERS:
        f.council_member(council, role, username=username)
    in_council(world, nominees=1)

    meeting = seed_demo_meetings(council_name=council.name)

    assert {a.person.username: a.absence_reason for a in meeting_minutes(meeting).absent} == {
        "hd_phuc": "Đi công tác tại Thành phố Hồ Chí Minh",
        "hd_nga": "",
    }
