"""The council's result comes only from a closed meeting of that council: a meeting closed in the
engine, or one held on paper and recorded by the council's secretary with its signed minutes,
checked against the council's real size on the meeting date. The old one-person result (any
votes, any number of members, typed in on the dossier) is gone."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals import meeting_services as ms
from approvals import paper_meetings
from approvals import services as approvals
from approvals.models import (
    AgendaItem,
    AgendaResult,
    Attendance,
    CouncilMeeting,
    CouncilResult,
    MeetingState,
)
from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState, Nominee, NomineeOutcome
from org.errors import TransitionNotAllowed
from org.models import User
from tests import factories as f
from tests.api.helpers import english_client
from workflows import council

from .conftest import in_council, open_with, schedule
from .helpers import snapshot, unchanged_after
from .test_handoff import flowing_dossier

S = DossierState
GONE = (
    "A council's result is no longer entered by hand: it comes only from a closed meeting of the "
    "council. Convene a meeting, or record the meeting held on paper with its signed minutes."
)


def docx_bytes() -> bytes:
    """A small but real Word document: typed minutes, not the signed PDF."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Biên bản</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return out.getvalue()


def paper(w, dossiers, **overrides):
    """What the secretary types from the signed minutes of a meeting held yesterday: 7 of the 9
    members present, 2 written votes, each nominee 8 for and 1 against."""
    nominees = Nominee.objects.filter(dossier__in=dossiers, outcome=NomineeOutcome.ELIGIBLE)
    values = dict(
        actor=w.secretary,
        council=w.council,
        held_at=timezone.now() - dt.timedelta(days=1),
        place="Phòng họp tầng 2, UBND phường Long Biên",
        chairperson=w.cchair,
        dossiers=dossiers,
        present=w.members[:7],
        written_votes=2,
        counts={n.pk: {"votes_for": 8, "votes_against": 1, "abstentions": 0} for n in nominees},
        conclusion="Đề nghị Chủ tịch UBND phường tặng Giấy khen.",
        minutes=f.pdf_upload("bien-ban-hop.pdf", "Biên bản họp Hội đồng"),
    )
    values.update(overrides)
    return values


def minutes_stored(settings):
    from pathlib import Path

    folder = Path(settings.MEDIA_ROOT) / "minutes"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def open_steps(dossier):
    return [
        t.flow_task.name
        for t in Task.objects.filter(
            process__dossierprocess__dossier_id=dossier.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
    ]


@pytest.fixture
def flowing(cw):
    return flowing_dossier(cw)


# --- the old one-person result is gone ------------------------------------------------------------


def test_the_old_council_result_form_is_refused_and_changes_nothing(cw, flowing, client):
    client.force_login(cw.secretary)
    client.cookies["django_language"] = "en"
    before = snapshot()

    response = client.post(
        f"/dossiers/{flowing.pk}/council-result/",
        {"council-members_total": 1, **{f"council-for_{n.pk}": 1 for n in flowing.agenda_nominees}},
    )

    assert response.status_code == 410
    assert escape(GONE) in response.content.decode()
    assert snapshot() == before
    assert open_steps(flowing) == ["council"]


def test_the_old_council_result_api_is_refused_and_changes_nothing(cw, flowing):
    api = english_client()
    api.force_authenticate(User.objects.get(pk=cw.secretary.pk))
    before = snapshot()
    body = {
        "results": [
            {"nominee": n.pk, "votes_for": 1, "votes_against": 0, "members_total": 1}
            for n in flowing.agenda_nominees
        ]
    }

    response = api.post(f"/api/dossiers/{flowing.pk}/council-result/", body, format="json")

    assert response.status_code == 410
    assert response.json() == {"detail": GONE, "code": "gone"}
    assert snapshot() == before
    assert "/api/dossiers/{id}/council-result/" not in api.get("/api/schema/?format=json").json()["paths"]


def test_the_dossier_page_offers_the_meetings_not_a_result_form(cw, flowing, client):
    client.force_login(cw.secretary)
    client.cookies["django_language"] = "en"

    page = client.get(f"/dossiers/{flowing.pk}/").content.decode()

    assert 'data-testid="awaits-meeting"' in page
    assert "/council-result/" not in page
    assert "/meetings/paper/" in page


# --- the hand-off takes a closed meeting of the dossier's council, and nothing else -----------------


def test_a_meeting_not_closed_gives_no_result(cw, dossier, meeting):
    unchanged_after(
        lambda: approvals.council_result_record(actor=cw.secretary, dossier=dossier, meeting=meeting),
        TransitionNotAllowed,
        "comes only from a closed meeting",
    )


def test_a_closed_meeting_without_the_dossier_gives_it_no_result(cw, dossier):
    other = in_council(cw, unit=cw.school_b)
    recorded = paper_meetings.paper_meeting_record(**paper(cw, [other]))
    assert recorded.state == MeetingState.CLOSED

    unchanged_after(
        lambda: approvals.council_result_record(actor=cw.secretary, dossier=dossier, meeting=recorded),
        ValidationError,
        "was not on the agenda",
    )


def test_a_closed_meeting_of_another_council_gives_no_result(cw, dossier):
    province_council = f.council_for(cw.province)
    stranger = CouncilMeeting.objects.create(
        council=province_council,
        title="Phiên họp khác",
        scheduled_at=timezone.now(),
        place="Hà Nội",
        chairperson=cw.cchair,
        secretary=cw.secretary,
        state=MeetingState.CLOSED,
        members_total=1,
        created_by=cw.secretary,
    )

    unchanged_after(
        lambda: approvals.council_result_record(actor=cw.secretary, dossier=dossier, meeting=stranger),
        ValidationError,
        "is not a meeting of the council that handles this dossier",
    )


def test_closing_hands_over_exactly_the_meetings_tally(cw, flowing):
    meeting = open_with(cw, schedule(cw, [flowing]), present=cw.members[:6])
    first, second = flowing.agenda_nominees
    for member in cw.members[:6]:
        council_choice = "agree" if member != cw.members[5] else "disagree"
        ms.ballot_cast(actor=member, meeting=meeting, nominee=first, choice=council_choice)

    council.meeting_close(actor=cw.cchair, meeting=meeting)

    items = {i.nominee_id: i for i in AgendaItem.objects.filter(meeting=meeting)}
    results = {r.nominee_id: r for r in CouncilResult.objects.filter(nominee__dossier=flowing)}
    assert {n: (r.votes_for, r.votes_against, r.members_total) for n, r in results.items()} == {
        n: (i.votes_for, i.votes_against, 9) for n, i in items.items()
    }
    assert (results[first.pk].votes_for, results[second.pk].votes_for) == (5, 0)
    event = AuditEvent.objects.filter(action="dossier.council_result").get()
    assert event.data["meeting_id"] == meeting.pk


# --- a meeting held on paper -------------------------------------------------------------------------


def test_a_paper_meeting_is_recorded_closed_and_its_results_go_on(cw, flowing, settings):
    first, second = flowing.agenda_nominees
    values = paper(cw, [flowing])
    values["counts"][second.pk] = {"votes_for": 4, "votes_against": 5, "abstentions": 0}
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    meeting = council.paper_meeting_record(**values)

    meeting.refresh_from_db()
    assert (meeting.state, meeting.recorded_from_paper, meeting.members_total) == (
        MeetingState.CLOSED,
        True,
        9,
    )
    assert (meeting.written_votes, meeting.quorum_numerator, meeting.quorum_denominator) == (2, 2, 3)
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 7
    assert Attendance.objects.filter(meeting=meeting, status="absent").count() == 2
    assert dict(AgendaItem.objects.filter(meeting=meeting).values_list("nominee_id", "result")) == {
        first.pk: AgendaResult.PASSED,
        second.pk: AgendaResult.FAILED,
    }
    assert Dossier.objects.get(pk=flowing.pk).state == S.COUNCIL_VOTED
    assert open_steps(flowing) == ["opinion"]
    assert dict(Nominee.objects.filter(dossier=flowing).values_list("pk", "outcome")) == {
        first.pk: NomineeOutcome.VOTED_IN,
        second.pk: NomineeOutcome.VOTED_OUT,
    }
    assert CouncilResult.objects.get(nominee=first).members_total == 9
    with meeting.minutes_file.open("rb") as stored:
        assert stored.read() == f.pdf_bytes("Biên bản họp Hội đồng")
    events = list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))
    assert [(e.action, e.actor) for e in events] == [
        ("meeting.record_paper", "secretary"),
        ("dossier.council_result", "secretary"),
    ]
    assert events[0].data["present"] == sorted(u.username for u in cw.members[:7])
    assert events[0].data["results"][str(first.pk)]["for"] == 8
    assert len(events[0].data["minutes"]["sha256"]) == 64


def test_a_paper_meeting_applies_the_campaigns_quotas(cw, flowing):
    f.quota(cw.campaign, 1, award_type=f.award("giay-khen"))
    first, second = flowing.agenda_nominees
    values = paper(cw, [flowing])
    values["counts"][second.pk] = {"votes_for": 7, "votes_against": 2}

    council.paper_meeting_record(**values)

    assert dict(CouncilResult.objects.values_list("nominee_id", "passed")) == {
        first.pk: True,
        second.pk: False,
    }
    assert Nominee.objects.get(pk=second.pk).outcome == NomineeOutcome.VOTED_OUT


def _stranger(w):
    return f.UserFactory(unit=w.commune, username="stranger")


REFUSALS = {
    "no quorum": (
        lambda w, d: {"present": w.members[:5], "written_votes": 0},
        "No quorum: 5 of the 9 members are present; at least 6 (2/3 of all members) must be.",
    ),
    "more votes than the council has members": (
        lambda w, d: {
            "counts": {n.pk: {"votes_for": 10, "votes_against": 0} for n in d.agenda_nominees},
            "present": w.members,
            "written_votes": 0,
        },
        "10 votes, but the council has 9 members on the meeting date and 0 did not vote on this "
        "nominee: at most 9.",
    ),
    "more votes than members entitled after recusals": (
        lambda w, d: {
            "counts": {n.pk: {"votes_for": 9, "votes_against": 0} for n in d.agenda_nominees},
            "present": w.members,
            "written_votes": 0,
            "recusals": {d.agenda_nominees[0].pk: [w.others[0].pk]},
        },
        "9 votes, but the council has 9 members on the meeting date and 1 did not vote on this "
        "nominee: at most 8.",
    ),
    "more votes than members who could vote": (
        lambda w, d: {"written_votes": 0},
        "9 votes, but only 7 members could vote on this nominee",
    ),
    "a negative count": (
        lambda w, d: {"counts": {n.pk: {"votes_for": 9, "votes_against": -2} for n in d.agenda_nominees}},
        "must be whole numbers, 0 or more",
    ),
    "more written votes than absent members": (
        lambda w, d: {"written_votes": 3},
        "3 written votes, but only 2 members were absent.",
    ),
    "a person present who is not on the council": (
        lambda w, d: {"present": [*w.members[:7], _stranger(w)]},
        "Only members of the council on the meeting date can be present",
    ),
    "a meeting in the future": (
        lambda w, d: {"held_at": timezone.now() + dt.timedelta(days=1)},
        "is in the future",
    ),
    "a chairperson who is not the council's chair or vice-chair": (
        lambda w, d: {"chairperson": w.member},
        "The chairperson must be the chair or a vice-chair of the council on the meeting date.",
    ),
    "no minutes": (lambda w, d: {"minutes": None}, "Attach the signed minutes of the meeting (PDF)."),
    "minutes that are not a PDF": (
        lambda w, d: {"minutes": SimpleUploadedFile("bien-ban.pdf", b"<html>Bien ban</html>")},
        "",
    ),
    "minutes that are a Word file": (
        lambda w, d: {"minutes": SimpleUploadedFile("bien-ban.docx", docx_bytes())},
        "The signed minutes must be a PDF file.",
    ),
    "a nominee without votes": (lambda w, d: {"counts": {}}, "Give the votes for"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_paper_meeting_that_breaks_a_rule_is_refused_and_nothing_is_written(cw, dossier, settings, case):
    change, message = REFUSALS[case]
    values = paper(cw, [dossier])
    values.update(change(cw, dossier))

    error = unchanged_after(lambda: council.paper_meeting_record(**values), ValidationError, message)

    assert minutes_stored(settings) == []
    if case.startswith("minutes"):
        assert "minutes" in error.message_dict


def test_a_dossier_not_before_this_council_is_refused(cw, dossier):
    # The commune's own dossier, sent up to the province: its secretary sees it, its council
    # does not handle it.
    province_dossier = in_council(cw, unit=cw.commune)
    Dossier.objects.filter(pk=province_dossier.pk).update(reviewing_unit=cw.province)
    decided = in_council(cw, unit=cw.school_b)
    Dossier.objects.filter(pk=decided.pk).update(state=S.COUNCIL_VOTED)

    unchanged_after(
        lambda: council.paper_meeting_record(**paper(cw, [dossier, province_dossier])),
        ValidationError,
        "is not handled by Phường Long Biên",
    )
    unchanged_after(
        lambda: council.paper_meeting_record(**paper(cw, [decided])),
        ValidationError,
        "it is not before the council",
    )


def test_a_dossier_on_a_pending_meeting_is_refused(cw, dossier, meeting):
    unchanged_after(
        lambda: council.paper_meeting_record(**paper(cw, [dossier])),
        ValidationError,
        "is already on the agenda of",
    )


def test_the_roll_is_the_council_on_the_meeting_date(cw, dossier):
    """A member whose term ended before the meeting was not on the council that day: the council
    had 8 members, so 9 votes are too many and the former member cannot be present."""
    from org.models import CouncilMembership

    CouncilMembership.objects.filter(user=cw.others[-1]).update(
        end=timezone.localdate() - dt.timedelta(days=10)
    )

    unchanged_after(
        lambda: council.paper_meeting_record(**paper(cw, [dossier], present=cw.members)),
        ValidationError,
        "Only members of the council on the meeting date can be present",
    )
    values = paper(cw, [dossier], present=cw.members[:8], written_votes=0)
    values["counts"] = {n.pk: {"votes_for": 9} for n in dossier.agenda_nominees}
    unchanged_after(lambda: council.paper_meeting_record(**values), ValidationError, "at most 8")


@pytest.mark.parametrize("who", ["member", "cchair", "officer", "chair", "inspector", "head_a"])
def test_only_the_councils_secretary_records_a_paper_meeting(cw, dossier, who):
    unchanged_after(
        lambda: council.paper_meeting_record(**paper(cw, [dossier], actor=getattr(cw, who))),
        PermissionDenied,
        "Only the secretary of",
    )


def test_the_secretary_of_another_council_may_not(cw, dossier):
    province_council = f.council_for(cw.province)
    outsider = f.council_member(province_council, "secretary", username="province_secretary")

    unchanged_after(
        lambda: council.paper_meeting_record(**paper(cw, [dossier], actor=outsider)),
        PermissionDenied,
        "Only the secretary of",
    )


# --- the API and the pages ---------------------------------------------------------------------------


def _api_body(w, dossier, **overrides):
    import json

    body = {
        "council": w.council.pk,
        "held_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
        "place": "Phòng họp tầng 2",
        "chairperson": w.cchair.pk,
        "present": [m.pk for m in w.members[:7]],
        "written_votes": 2,
        "dossiers": [dossier.pk],
        "votes": json.dumps(
            [{"nominee": n.pk, "votes_for": 8, "votes_against": 1} for n in dossier.agenda_nominees]
        ),
        "minutes": f.pdf_upload("bien-ban-hop.pdf", "Biên bản"),
    }
    body.update(overrides)
    return body


def test_the_secretary_records_a_paper_meeting_through_the_api(cw, flowing):
    api = english_client()
    api.force_authenticate(User.objects.get(pk=cw.secretary.pk))

    response = api.post("/api/meetings/paper/", _api_body(cw, flowing), format="multipart")

    assert response.status_code == 201, response.json()
    data = response.json()["meeting"]
    assert (data["state"], data["recorded_from_paper"], data["members_total"], data["written_votes"]) == (
        "closed",
        True,
        9,
        2,
    )
    assert Dossier.objects.get(pk=flowing.pk).state == S.COUNCIL_VOTED
    download = api.get(data["minutes_file"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == f.pdf_bytes("Biên bản")
    outsider = english_client()
    outsider.force_authenticate(User.objects.get(pk=cw.head_a.pk))
    assert outsider.get(data["minutes_file"]).status_code == 404


def test_the_api_refuses_what_the_service_refuses(cw, dossier):
    api = english_client()
    api.force_authenticate(User.objects.get(pk=cw.secretary.pk))
    before = snapshot()

    response = api.post(
        "/api/meetings/paper/",
        _api_body(cw, dossier, present=[m.pk for m in cw.members[:5]], written_votes=0),
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["present"] == [
        "No quorum: 5 of the 9 members are present; at least 6 (2/3 of all members) must be."
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("cchair", 403),
        ("officer", 403),
        ("inspector", 403),
        ("head_a", 404),
        ("staff_a", 404),
    ],
)
def test_only_the_councils_secretary_may_through_the_api(cw, dossier, who, status):
    api = english_client()
    api.force_authenticate(User.objects.get(pk=getattr(cw, who).pk))
    before = snapshot()

    response = api.post("/api/meetings/paper/", _api_body(cw, dossier), format="multipart")

    assert response.status_code == status
    assert snapshot() == before


def test_the_secretary_records_a_paper_meeting_on_the_meetings_pages(cw, flowing, client):
    client.force_login(cw.secretary)
    listing = client.get("/meetings/").content.decode()
    assert "Ghi nhận phiên họp đã tổ chức trên giấy" in listing  # next to "convene a meeting"
    form = client.get(f"/meetings/paper/?council={cw.council.pk}")
    assert form.status_code == 200
    first, second = flowing.agenda_nominees
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    body = {
        "council": cw.council.pk,
        "day": yesterday.isoformat(),
        "time": "08:00",
        "place": "Phòng họp tầng 2",
        "chairperson": cw.cchair.pk,
        "present": [m.pk for m in cw.members[:7]],
        "written_votes": 2,
        "secret_ballot": "on",
        "dossiers": [flowing.pk],
        f"for_{first.pk}": 8,
        f"against_{first.pk}": 1,
        f"for_{second.pk}": 3,
        f"against_{second.pk}": 6,
        "conclusion": "Đề nghị khen thưởng.",
        "minutes": f.pdf_upload("bien-ban-hop.pdf", "Biên bản"),
    }

    response = client.post("/meetings/paper/", body)

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = CouncilMeeting.objects.get(recorded_from_paper=True)
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="paper-meeting"' in page and f"/meetings/{meeting.pk}/minutes/file/" in page
    download = client.get(f"/meetings/{meeting.pk}/minutes/file/")
    assert b"".join(download.streaming_content) == f.pdf_bytes("Biên bản")
    assert dict(Nominee.objects.filter(dossier=flowing).values_list("pk", "outcome")) == {
        first.pk: NomineeOutcome.VOTED_IN,
        second.pk: NomineeOutcome.VOTED_OUT,
    }


def test_a_refused_paper_meeting_comes_back_with_its_reason_in_vietnamese(cw, dossier, client):
    client.force_login(cw.secretary)
    before = snapshot()
    body = {
        "council": cw.council.pk,
        "day": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "time": "08:00",
        "place": "Phòng họp",
        "chairperson": cw.cchair.pk,
        "present": [m.pk for m in cw.members],
        "dossiers": [dossier.pk],
        **{f"for_{n.pk}": 9 for n in dossier.agenda_nominees},
        "minutes": f.pdf_upload("bien-ban.pdf"),
    }

    response = client.post("/meetings/paper/", body)

    assert response.status_code == 400
    assert "trong tương lai" in response.content.decode()
    assert snapshot() == before


def test_the_minutes_file_is_for_those_who_see_the_meeting(cw, dossier, client):
    recorded = paper_meetings.paper_meeting_record(**paper(cw, [dossier]))
    url = f"/meetings/{recorded.pk}/minutes/file/"

    client.force_login(cw.head_a)
    assert client.get(url).status_code == 404
    client.force_login(cw.member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_paper_form_proposes_the_chair_first_as_chairperson(cw, dossier, client):
    client.force_login(cw.secretary)
    page = client.get("/meetings/paper/").content.decode()

    chair_option = page.index(f'value="{cw.cchair.pk}"')
    assert chair_option < page.index(f'value="{cw.vice.pk}"')
    assert f'<option value="{cw.cchair.pk}" selected>' in page


def test_a_paper_meeting_tells_nothing_of_a_dossier_the_secretary_may_not_see(cw, dossier):
    """Like convening: another unit's draft is unknown, its title and state never come back."""
    draft = in_council(cw, unit=cw.school_b)
    type(draft).objects.filter(pk=draft.pk).update(state=DossierState.DRAFT, title="Hồ sơ nháp bí mật")

    err = unchanged_after(
        lambda: paper_meetings.paper_meeting_record(**paper(cw, [dossier, draft])), ValidationError
    )

    assert err.message_dict["dossiers"] == ["Unknown dossier."]
    assert "bí mật" not in str(err)
