"""The chairperson closes the vote from a confirmation page that names the members present who
have not voted yet, and on which nominees; only the POST closes."""

from approvals import meeting_services as ms
from approvals.models import MeetingState, VoteChoice
from tests.council.conftest import open_with, schedule
from tests.council.test_handoff import flowing_dossier


def test_the_close_page_names_who_has_not_voted_on_which_nominee(cw, voting, dossier, client):
    first, second = dossier.agenda_nominees
    for member in cw.members:
        if member not in (cw.others[0], cw.others[1]):
            ms.ballot_cast(actor=member, meeting=voting, nominee=first.pk, choice=VoteChoice.AGREE)
            ms.ballot_cast(actor=member, meeting=voting, nominee=second.pk, choice=VoteChoice.AGREE)
    ms.ballot_cast(actor=cw.others[1], meeting=voting, nominee=first.pk, choice=VoteChoice.AGREE)
    client.force_login(cw.cchair)

    page = client.get(f"/meetings/{voting.pk}/").content.decode()
    assert f'href="/meetings/{voting.pk}/close/"' in page  # the meeting page leads to the confirmation
    response = client.get(f"/meetings/{voting.pk}/close/")

    page = response.content.decode()
    assert response.status_code == 200
    warning = page[page.index('data-testid="close-missing"') :]
    warning = warning[: warning.index("</div>")]
    assert "2 thành viên có mặt chưa biểu quyết đủ các trường hợp" in warning
    zero = warning[warning.index(cw.others[0].get_full_name()) :].split("</li>")[0]
    one = warning[warning.index(cw.others[1].get_full_name()) :].split("</li>")[0]
    assert first.name in zero and second.name in zero
    assert second.name in one and first.name not in one
    assert "tổng số thành viên Hội đồng" in warning  # the rule: thresholds count every member
    assert "Vẫn kết thúc biểu quyết" in page
    voting.refresh_from_db()
    assert voting.state == MeetingState.VOTING  # looking is not closing


def test_confirming_closes_the_vote(cw, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    flowing = flowing_dossier(cw)
    voting = open_with(cw, schedule(cw, [flowing]))
    for member in cw.members:
        for nominee in flowing.nominees.current():
            ms.ballot_cast(actor=member, meeting=voting, nominee=nominee.pk, choice=VoteChoice.AGREE)
    client.force_login(cw.cchair)
    response = client.post(f"/meetings/{voting.pk}/close/", {"conclusion": "Thống nhất đề nghị."})
    assert response.status_code == 302
    voting.refresh_from_db()
    assert voting.state == MeetingState.CLOSED


def test_when_everyone_present_voted_the_page_says_so(cw, dossier, meeting, client):
    present = [cw.cchair, cw.vice, cw.secretary, cw.member, *cw.others[:3]]
    voting = open_with(cw, meeting, present=present)
    for member in present:
        for nominee in dossier.agenda_nominees:
            ms.ballot_cast(actor=member, meeting=voting, nominee=nominee.pk, choice=VoteChoice.AGREE)
    client.force_login(cw.cchair)
    page = client.get(f"/meetings/{voting.pk}/close/").content.decode()
    assert "Tất cả thành viên có mặt đã biểu quyết đủ" in page
    assert 'data-testid="close-missing"' not in page  # absent members are not "missing"


def test_only_the_chairperson_sees_the_close_page(cw, voting, client):
    client.force_login(cw.secretary)
    response = client.get(f"/meetings/{voting.pk}/close/")
    assert response.status_code == 403
    assert "Chỉ chủ tọa phiên họp được kết thúc biểu quyết." in response.content.decode()


def test_a_meeting_not_voting_has_nothing_to_close(cw, meeting, client):
    client.force_login(cw.cchair)
    response = client.get(f"/meetings/{meeting.pk}/close/")
    assert response.status_code == 409
    assert "Biểu quyết chưa mở hoặc đã kết thúc" in response.content.decode()
