"""The pages of a tie at the quota line: the live view shows the ranking, the line and the tie; the
tie page offers what the campaign's rule says (a run-off round, or the chair's decision with a
reason); the API does the same."""

import pytest
from django.urls import reverse

from approvals import meeting_services as ms
from approvals.models import AgendaResult, MeetingState
from dossiers.models import TieRule
from tests.ranking.test_ties import _tie_at_the_line, results, vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_live_view_shows_the_ranking_the_line_and_the_tie(client, cw):
    meeting, (a, b, _c, _d) = _tie_at_the_line(cw)
    client.force_login(cw.secretary)

    page = client.get(reverse("council-meeting-live", args=[meeting.pk])).content.decode()

    assert 'data-testid="live-tie"' in page
    assert page.count('data-testid="ranking-row"') == 4
    assert page.count('data-testid="tied-badge"') == 3
    assert page.count('data-testid="quota-line"') == 1
    assert page.index(a.name) < page.index('data-testid="quota-line"') < page.index(b.name)


def test_the_chairperson_opens_a_runoff_from_the_tie_page_and_closes_it(client, cw):
    meeting, (_a, b, c, d) = _tie_at_the_line(cw)
    client.force_login(cw.cchair)
    detail = client.get(reverse("council-meeting-detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="tie-link"' in detail
    tie_page = client.get(reverse("council-meeting-tie", args=[meeting.pk])).content.decode()
    assert 'data-testid="runoff-start"' in tie_page and 'data-testid="tie-decision"' not in tie_page

    response = client.post(reverse("council-meeting-runoff", args=[meeting.pk]))

    runoff = meeting.runoffs.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "council-meeting-detail", args=[runoff.pk]
    )
    assert 'data-testid="runoff-of"' in client.get(response["Location"]).content.decode()
    vote(runoff, b, cw.members[:8], cw.members[8:])
    vote(runoff, c, cw.members[:8], cw.members[8:])
    vote(runoff, d, cw.members[:3], cw.members[3:])
    # b and c tie again: the chairperson comes back to the tie page for another round.
    response = client.post(reverse("council-meeting-close", args=[runoff.pk]), {"conclusion": ""})
    assert response["Location"] == reverse("council-meeting-tie", args=[meeting.pk])
    assert results(meeting)[d.pk] == AgendaResult.OVER_QUOTA
    assert "round 2" in client.get(response["Location"]).content.decode()


def test_the_live_view_of_a_resolved_tie_says_how_it_was_resolved(client, cw):
    meeting, (_a, b, c, d) = _tie_at_the_line(cw)
    runoff = ms.meeting_runoff_start(actor=cw.cchair, meeting=meeting)
    vote(runoff, b, cw.members[:9], cw.members[9:])
    vote(runoff, c, cw.members[:5], cw.members[5:])
    vote(runoff, d, cw.members[:3], cw.members[3:])
    ms.meeting_close(actor=cw.cchair, meeting=runoff)
    client.force_login(cw.secretary)

    page = client.get(reverse("council-meeting-live", args=[meeting.pk])).content.decode()

    assert meeting.__class__.objects.get(pk=meeting.pk).state == MeetingState.CLOSED
    assert 'data-testid="live-tie-resolved"' in page and 'data-testid="live-tie"' not in page
    assert reverse("council-meeting-live", args=[runoff.pk]) in page and "round 2" in page


def test_the_tie_page_offers_the_chairs_decision_and_answers_a_bad_choice(client, cw):
    meeting, (_a, b, c, _d) = _tie_at_the_line(cw, rule=TieRule.CHAIR)
    client.force_login(cw.cchair)
    url = reverse("council-meeting-tie", args=[meeting.pk])
    assert 'data-testid="tie-decision"' in client.get(url).content.decode()

    refused = client.post(url, {"chosen": [b.pk, c.pk], "reason": "Thành tích nổi bật hơn"})
    assert refused.status_code == 400
    assert "Choose exactly 1" in refused.content.decode()

    assert meeting.__class__.objects.get(pk=meeting.pk).state == MeetingState.TIED


def test_the_api_opens_a_runoff_and_decides_by_the_same_services(client, cw):
    meeting, (_a, b, c, d) = _tie_at_the_line(cw)
    client.force_login(cw.cchair)
    detail = client.get(f"/api/meetings/{meeting.pk}/").json()["meeting"]
    assert (detail["state"], detail["ties"]) == (
        "tied",
        [{"nominees": [b.pk, c.pk, d.pk], "places": 1, "rule": "runoff"}],
    )
    refused = client.post(
        f"/api/meetings/{meeting.pk}/tie/", {"chosen": [b.pk], "reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 409

    created = client.post(f"/api/meetings/{meeting.pk}/runoff/")

    assert created.status_code == 201
    body = created.json()
    assert (body["meeting"]["round"], body["meeting"]["runoff_of"]) == (2, meeting.pk)
    assert sorted(i["nominee_id"] for i in body["agenda"]) == [b.pk, c.pk, d.pk]
    minutes = client.get(f"/api/meetings/{meeting.pk}/minutes/").json()
    assert minutes["ties"][0]["places"] == 1


def test_the_secretary_records_a_departure_and_the_close_is_refused_without_quorum(client, cw):
    meeting, _nominees = _tie_at_the_line(cw)
    runoff = ms.meeting_runoff_start(actor=cw.cchair, meeting=meeting)
    client.force_login(cw.secretary)
    for member in cw.members[-4:]:
        response = client.post(reverse("council-meeting-leave", args=[runoff.pk]), {"member": member.pk})
        assert response.status_code == 302
    client.force_login(cw.cchair)

    response = client.post(reverse("council-meeting-close", args=[runoff.pk]), {"conclusion": ""})

    assert response.status_code == 409
    assert "without a quorum present" in response.content.decode()
