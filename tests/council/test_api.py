"""/api/meetings/…: the same steps as the pages, with the same checks and the same refusals."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.models import MeetingState, Participation, SealedBallot
from org.models import User
from tests.api.helpers import english_client

from .conftest import in_council, open_with, schedule
from .helpers import opened_ballots
from .test_handoff import flowing_dossier


@pytest.fixture
def api():
    client = english_client()

    def as_(user):
        client.force_authenticate(User.objects.get(pk=user.pk))
        return client

    client.as_ = as_
    return client


def test_the_secretary_convenes_through_the_api(api, cw, dossier):
    body = {
        "council": cw.council.pk,
        "scheduled_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        "place": "Hội trường",
        "chairperson": cw.cchair.pk,
        "secretary": cw.secretary.pk,
        "dossiers": [dossier.pk],
    }

    response = api.as_(cw.secretary).post("/api/meetings/", body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["meeting"]["secret_ballot"] is True and len(data["agenda"]) == 2
    assert api.as_(cw.member).post("/api/meetings/", body, format="json").status_code == 403
    assert (
        api.as_(cw.secretary).post("/api/meetings/", {**body, "dossiers": []}, format="json").status_code
        == 400
    )


def test_a_member_votes_and_is_never_told_back_how_by_secret_ballot(api, cw, dossier, voting):
    client = api.as_(cw.member)
    nominee = dossier.agenda_nominees[0]

    response = client.post(
        f"/api/meetings/{voting.pk}/ballots/", {"nominee": nominee.pk, "choice": "disagree"}, format="json"
    )

    assert response.status_code == 201
    assert response.json() == {"nominee": nominee.pk, "voted": True, "how": "in_room"}
    again = client.post(
        f"/api/meetings/{voting.pk}/ballots/", {"nominee": nominee.pk, "choice": "agree"}, format="json"
    )
    assert again.status_code == 409 and "cannot be changed" in again.json()["detail"]
    detail = client.get(f"/api/meetings/{voting.pk}/").json()
    mine = {row["nominee_id"]: row for row in detail["agenda"]}[nominee.pk]
    assert (mine["voted"], mine["my_choice"]) == (True, "")
    assert "disagree" not in str(detail)
    assert SealedBallot.objects.count() == Participation.objects.count() == 1
    assert opened_ballots(voting) == [(nominee.pk, "disagree", "")]


def test_written_votes_recusals_and_attendance_through_the_api(api, cw, dossier, meeting):
    first, second = dossier.agenda_nominees
    written = api.as_(cw.others[0]).post(
        f"/api/meetings/{meeting.pk}/written-votes/",
        {
            "votes": [
                {"nominee": first.pk, "choice": "agree", "comment": "Đồng ý"},
                {"nominee": second.pk, "choice": "disagree"},
            ]
        },
        format="json",
    )
    assert written.status_code == 201
    recusal = api.as_(cw.secretary).post(
        f"/api/meetings/{meeting.pk}/recusals/",
        {"nominee": first.pk, "note": "Vợ của đối tượng", "member": cw.vice.pk},
        format="json",
    )
    assert recusal.status_code == 201
    present = [m.pk for m in cw.members if m != cw.others[0]]
    assert (
        api.as_(cw.member)
        .post(f"/api/meetings/{meeting.pk}/attendance/", {"present": present}, format="json")
        .status_code
        == 403
    )
    assert (
        api.as_(cw.secretary)
        .post(f"/api/meetings/{meeting.pk}/attendance/", {"present": present}, format="json")
        .status_code
        == 200
    )
    opened = api.as_(cw.secretary).post(f"/api/meetings/{meeting.pk}/open/")
    assert opened.status_code == 200 and opened.json()["meeting"]["state"] == MeetingState.VOTING
    live = api.as_(cw.secretary).get(f"/api/meetings/{meeting.pk}/live/").json()
    assert {row["member"]["username"]: row["written"] for row in live["members"]}[
        cw.others[0].username
    ] is True
    assert all(row["counts"] == {} for row in live["items"])
    assert api.as_(cw.member).get(f"/api/meetings/{meeting.pk}/live/").status_code == 403


def test_the_chairperson_closes_through_the_api_and_the_minutes_are_data(api, cw):
    dossier = flowing_dossier(cw, nominees=1)
    meeting = open_with(cw, schedule(cw, [dossier]))
    for member in cw.members[:5]:
        api.as_(member).post(
            f"/api/meetings/{meeting.pk}/ballots/",
            {"nominee": dossier.agenda_nominees[0].pk, "choice": "agree"},
            format="json",
        )
    assert (
        api.as_(cw.secretary).post(f"/api/meetings/{meeting.pk}/close/", {}, format="json").status_code == 403
    )

    closed = api.as_(cw.cchair).post(
        f"/api/meetings/{meeting.pk}/close/", {"conclusion": "Thống nhất"}, format="json"
    )

    assert closed.status_code == 200
    row = closed.json()["agenda"][0]
    assert (row["votes_for"], row["result"]) == (5, "passed")
    minutes = api.as_(cw.member).get(f"/api/meetings/{meeting.pk}/minutes/").json()
    assert minutes["final"] is True and minutes["results"][0]["percent_for"] == "55.56"
    assert minutes["conclusion"] == "Thống nhất" and len(minutes["present"]) == 9
    assert api.as_(cw.cchair).post(f"/api/meetings/{meeting.pk}/close/", {}, format="json").status_code == 409


def test_outsiders_get_404(api, cw, meeting):
    client = api.as_(cw.head_b)
    assert client.get(f"/api/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/api/meetings/{meeting.pk}/minutes/").status_code == 404
    assert (
        client.post(
            f"/api/meetings/{meeting.pk}/ballots/", {"nominee": 1, "choice": "agree"}, format="json"
        ).status_code
        == 404
    )
    assert client.get("/api/meetings/").json() == []
    assert len(api.as_(cw.member).get("/api/meetings/").json()) == 1


def test_a_vote_is_refused_in_the_order_the_meeting_page_would_refuse_it(api, cw):
    """The ballot answers from the vote's own read of the roll: who may not see the meeting gets
    a 404 whatever they send (the meeting's existence is not told), one who sees it but does not
    vote a 403, a voter a 400 naming what is wrong."""
    dossier = in_council(cw)
    meeting = open_with(cw, schedule(cw, [dossier]))
    nominee = dossier.agenda_nominees[0]
    url = f"/api/meetings/{meeting.pk}/ballots/"

    outsider = api.as_(cw.head_b)
    assert outsider.post(url, {"nominee": nominee.pk, "choice": "agree"}, format="json").status_code == 404
    assert outsider.post(url, {"nominee": "x", "choice": "maybe"}, format="json").status_code == 404
    assert outsider.post(url, {}, format="json").status_code == 404
    missing = f"/api/meetings/{meeting.pk + 1000}/ballots/"
    assert (
        api.as_(cw.member)
        .post(missing, {"nominee": nominee.pk, "choice": "agree"}, format="json")
        .status_code
        == 404
    )

    reader = api.as_(cw.officer).post(url, {"nominee": nominee.pk, "choice": "agree"}, format="json")
    assert reader.status_code == 403 and "may vote" in reader.json()["detail"]

    voter = api.as_(cw.member)
    off_agenda = voter.post(url, {"nominee": nominee.pk + 1000, "choice": "agree"}, format="json")
    assert off_agenda.status_code == 400 and "nominee" in off_agenda.json()
    maybe = voter.post(url, {"nominee": nominee.pk, "choice": "maybe"}, format="json")
    assert maybe.status_code == 400 and maybe.json()["choice"] == ['"maybe" is not a valid choice.']
    # In Vietnamese, as the API speaks unless asked otherwise (DRF's own messages included).
    vietnamese = APIClient()
    vietnamese.force_authenticate(User.objects.get(pk=cw.member.pk))
    maybe = vietnamese.post(url, {"nominee": nominee.pk, "choice": "maybe"}, format="json")
    assert maybe.json()["choice"] == ["“maybe” không phải là một lựa chọn hợp lệ."]
    assert Participation.objects.count() == 0
    assert voter.post(url, {"nominee": nominee.pk, "choice": "agree"}, format="json").status_code == 201
    assert Participation.objects.get().member == cw.member


def test_an_open_vote_shows_the_members_own_choice(api, cw):
    dossier = in_council(cw)
    meeting = open_with(cw, schedule(cw, [dossier], secret_ballot=False))
    client = api.as_(cw.member)
    client.post(
        f"/api/meetings/{meeting.pk}/ballots/",
        {"nominee": dossier.agenda_nominees[0].pk, "choice": "agree"},
        format="json",
    )
    client.post(
        f"/api/meetings/{meeting.pk}/ballots/",
        {"nominee": dossier.agenda_nominees[0].pk, "choice": "disagree"},
        format="json",
    )
    assert client.get(f"/api/meetings/{meeting.pk}/").json()["agenda"][0]["my_choice"] == "disagree"
