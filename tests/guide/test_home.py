"""Each role's home page starts with what it must do now: the open meeting for members and the
chair ("Biểu quyết ngay"), the meeting to run for the secretary, the standing body's queue with
its due dates (overdue marked), what the chair must sign, the unit's returned dossiers before its
drafts; each in a fixed number of queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals import meeting_services as ms
from approvals.models import MeetingState
from dossiers.models import Dossier, DossierState
from tests import factories as f
from tests.council.conftest import in_council, schedule
from tests.workflows.conftest import parked
from workflows.flows import DossierFlow

S = DossierState


def _home(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _section(page, testid):
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</section>", start)]


def test_a_member_sees_the_open_vote_first_and_the_next_meeting(cw, voting, client):
    later = schedule(cw, [in_council(cw)], scheduled_at=timezone.now() + dt.timedelta(days=3))

    page, _ = _home(client, cw.others[0])

    meetings = _section(page, "home-meetings")
    assert "Biểu quyết ngay" in meetings
    assert f'href="/meetings/{voting.pk}/" data-testid="vote-now"' in meetings
    assert "Đang biểu quyết" in meetings and "Đồng chí còn 2 trường hợp chưa biểu quyết" in meetings
    assert f'href="/meetings/{later.pk}/"' in meetings and "Đã triệu tập" in meetings
    assert meetings.index(f"/meetings/{voting.pk}/") < meetings.index(f"/meetings/{later.pk}/")
    assert page.index('data-testid="home-meetings"') < page.index('id="section-council"')


def test_a_member_who_has_voted_on_every_nominee_is_not_asked_to_vote_again(cw, dossier, voting, client):
    for nominee in dossier.agenda_nominees:
        ms.ballot_cast(actor=cw.others[0], meeting=voting, nominee=nominee, choice="agree")

    meetings = _section(_home(client, cw.others[0])[0], "home-meetings")

    assert "Biểu quyết ngay" not in meetings and "Đồng chí còn" not in meetings
    assert "Đồng chí đã biểu quyết tất cả các trường hợp." in meetings
    assert f'href="/meetings/{voting.pk}/"' in meetings


def test_the_chair_of_the_meeting_is_led_to_vote_too(cw, voting, client):
    page, _ = _home(client, cw.cchair)
    meetings = _section(page, "home-meetings")
    assert "Biểu quyết ngay" in meetings
    # ... and to close the vote, which only the chairperson does.
    assert f'href="/meetings/{voting.pk}/close/" data-testid="close-vote"' in meetings
    assert 'data-testid="close-vote"' not in _section(_home(client, cw.others[0])[0], "home-meetings")


def test_the_secretary_is_led_to_the_meeting_to_run(cw, meeting, client):
    page, _ = _home(client, cw.secretary)
    meetings = _section(page, "home-meetings")
    assert "Điều hành phiên họp" in meetings and f"/meetings/{meeting.pk}/" in meetings
    assert "Biểu quyết ngay" not in meetings  # not open yet


def test_no_meeting_no_meeting_panel(cw, client):
    page, _ = _home(client, cw.others[0])
    assert 'data-testid="home-meetings"' not in page


def test_a_closed_meeting_is_not_offered(cw, voting, client):
    type(voting).objects.filter(pk=voting.pk).update(state=MeetingState.CLOSED)
    page, _ = _home(client, cw.others[0])
    assert 'data-testid="home-meetings"' not in page


def test_the_member_home_page_counts_its_queries_once(cw, voting, client):
    _, few = _home(client, cw.others[0])
    for days in (2, 3, 4):
        schedule(cw, [in_council(cw, nominees=2)], scheduled_at=timezone.now() + dt.timedelta(days=days))
    page, many = _home(client, cw.others[0])
    assert page.count('data-testid="home-meeting"') == 2  # the open vote and the next one
    assert many == few


def test_the_standing_body_sees_its_queue_with_due_dates_and_overdue_marked(cw, client):
    late, on_time = parked(cw, DossierFlow.appraise, S.IN_APPRAISAL, 2)
    Dossier.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - dt.timedelta(days=45))

    page, few = _home(client, cw.officer)

    queue = _section(page, "home-queue")
    assert "Hồ sơ chờ cơ quan thường trực xử lý" in queue
    rows = queue.split('data-testid="home-task"')[1:]
    assert len(rows) == 2
    late_row = next(r for r in rows if f"/dossiers/{late.pk}/" in r)
    on_time_row = next(r for r in rows if f"/dossiers/{on_time.pk}/" in r)
    assert "Quá hạn" in late_row and "Thời hạn" in late_row
    assert "Quá hạn" not in on_time_row and "Thời hạn" in on_time_row
    assert rows[0] is late_row  # the earliest deadline first

    parked(cw, DossierFlow.appraise, S.IN_APPRAISAL, 5)
    _, many = _home(client, cw.officer)
    assert many == few


def test_the_chair_sees_what_to_sign(cw, client):
    waiting = parked(cw, DossierFlow.decide, S.AWAITING_DECISION, 2)

    page, few = _home(client, cw.chair)

    to_sign = _section(page, "home-to-sign")
    assert "Chờ ký" in to_sign
    assert all(f"/dossiers/{d.pk}/" in to_sign for d in waiting)
    parked(cw, DossierFlow.decide, S.AWAITING_DECISION, 4)
    _, many = _home(client, cw.chair)
    assert many == few


def test_the_vice_chair_sees_the_opinions_to_give(cw, client):
    waiting = parked(cw, DossierFlow.opinion, S.COUNCIL_VOTED, 2)

    page, few = _home(client, cw.vice)

    opinions = _section(page, "home-opinions")
    assert "Hồ sơ chờ ý kiến của Phó Chủ tịch" in opinions
    assert all(f"/dossiers/{d.pk}/" in opinions for d in waiting)
    parked(cw, DossierFlow.opinion, S.COUNCIL_VOTED, 4)
    _, many = _home(client, cw.vice)
    assert many == few
    assert 'data-testid="home-opinions"' not in _home(client, cw.chair)[0]


def test_the_unit_sees_its_returned_dossiers_before_its_drafts_with_the_deadline(cw, client):
    draft = f.DossierFactory(unit=cw.school_a, campaign=cw.campaign, created_by=cw.staff_a)
    back = f.DossierFactory(
        unit=cw.school_a, campaign=cw.campaign, created_by=cw.staff_a, state=S.RETURNED, submission_count=1
    )
    other = f.DossierFactory(unit=cw.school_b, campaign=cw.campaign, created_by=cw.head_b, state=S.RETURNED)

    page, few = _home(client, cw.head_a)

    returned, drafts = _section(page, "home-returned"), _section(page, "home-drafts")
    assert page.index('data-testid="home-returned"') < page.index('data-testid="home-drafts"')
    assert f"/dossiers/{back.pk}/" in returned and f"/dossiers/{draft.pk}/" not in returned
    assert f"/dossiers/{draft.pk}/" in drafts and f"/dossiers/{back.pk}/" not in drafts
    assert f"/dossiers/{other.pk}/" not in page  # another unit's
    deadline = cw.campaign.submission_deadline.strftime("%d/%m/%Y")
    assert f"Hạn trình {deadline}" in returned and f"Hạn trình {deadline}" in drafts
    assert "Hồ sơ bị trả lại" in returned

    for _ in range(3):
        f.DossierFactory(unit=cw.school_a, campaign=cw.campaign, created_by=cw.staff_a)
        f.DossierFactory(unit=cw.school_a, campaign=cw.campaign, created_by=cw.staff_a, state=S.RETURNED)
    _, many = _home(client, cw.head_a)
    assert many == few
