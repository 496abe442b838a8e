"""The meeting pages: a member's page with one click per vote and a clear "you have voted", the
written vote, the secretary's live view (who, never how), the minutes; each at a fixed number of
queries whatever the number of nominees."""

import re

import pytest
from django.urls import reverse

from approvals import meeting_services as ms
from approvals.models import MeetingState, Participation
from dossiers.models import Attachment
from tests import factories as f

from .conftest import in_council, open_with, schedule
from .helpers import opened_ballots


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    """Pages answer in English here (their source text); test_pages_are_in_vietnamese checks the
    default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def text(response):
    return response.content.decode()


def attach(w, dossier, kind, nominee=None, versions=1):
    for version in range(1, versions + 1):
        Attachment.objects.create(
            dossier=dossier,
            nominee=nominee,
            kind=f.doc_kind(kind),
            version=version,
            file=f.pdf_upload(),
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            uploaded_by=w.staff_a,
        )


def url(name, meeting, *args):
    return reverse(name, args=[meeting.pk, *args])


# The member's page: session, user, the meeting (council, unit, chairperson, secretary), the
# user's scopes (2), the agenda (nominees, awards, rules, dossiers, units), the roll, the current
# documents, the member's participations, recusals and written comments, then the navigation
# bar (model permissions, 2).
MEMBER_PAGE_QUERIES = 13
# The live view: session, user, meeting, scopes (2), agenda, roll, participations, recusals,
# then the navigation bar (model permissions, 2).
LIVE_QUERIES = 11
LIVE_STATUS_QUERIES = 9


@pytest.mark.parametrize("n", [5, 20])
def test_the_member_page_costs_the_same_queries_for_5_and_20_nominees(
    client, cw, django_assert_num_queries, n
):
    dossiers = [in_council(cw, nominees=n // 5) for _ in range(5)]
    for d in dossiers:
        attach(cw, d, "to-trinh")
        for nominee in d.agenda_nominees:
            attach(cw, d, "bao-cao-thanh-tich", nominee, versions=2)
    meeting = open_with(cw, schedule(cw, dossiers))
    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=dossiers[0].agenda_nominees[0], choice="agree")
    client.force_login(cw.member)

    with django_assert_num_queries(MEMBER_PAGE_QUERIES):
        response = client.get(url("council-meeting-detail", meeting))

    assert response.status_code == 200
    page = text(response)
    assert page.count('data-testid="agenda-item"') == n
    assert page.count('data-testid="voted"') == 1
    assert page.count('data-testid="vote-agree"') == n - 1
    assert (
        page.count("bao-cao-thanh-tich") == 0 and page.count("Báo cáo thành tích") == n
    )  # current versions only


@pytest.mark.parametrize("n", [5, 20])
def test_the_live_view_costs_the_same_queries_for_5_and_20_nominees(client, cw, django_assert_num_queries, n):
    meeting = open_with(cw, schedule(cw, [in_council(cw, nominees=n)]))
    client.force_login(cw.secretary)

    with django_assert_num_queries(LIVE_QUERIES):
        response = client.get(url("council-meeting-live", meeting))
    assert text(response).count('data-testid="live-item"') == n

    with django_assert_num_queries(LIVE_STATUS_QUERIES):
        response = client.get(url("council-meeting-live-status", meeting), HTTP_HX_REQUEST="true")
    assert "every 5s" in text(response)


# --- voting through the page ------------------------------------------------------------------


def test_one_click_votes_and_the_card_says_you_have_voted(client, cw, dossier, voting):
    client.force_login(cw.member)
    nominee = dossier.agenda_nominees[0]

    response = client.post(
        url("council-meeting-vote", voting),
        {"nominee": nominee.pk, "choice": "agree"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    card = text(response)
    assert (
        f'id="item-{nominee.pk}"' in card
        and 'data-testid="voted"' in card
        and 'data-testid="vote-agree"' not in card
    )
    assert 'id="my-progress" hx-swap-oob="true"' in card and "1 nominee left" in card
    assert Participation.objects.filter(member=cw.member).count() == 1


def test_a_second_click_is_refused_in_the_card_and_changes_nothing(client, cw, dossier, voting):
    client.force_login(cw.member)
    nominee = dossier.agenda_nominees[0]
    client.post(
        url("council-meeting-vote", voting),
        {"nominee": nominee.pk, "choice": "agree"},
        HTTP_HX_REQUEST="true",
    )

    response = client.post(
        url("council-meeting-vote", voting),
        {"nominee": nominee.pk, "choice": "disagree"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 409
    assert "a secret ballot cannot be changed" in text(response) and 'data-testid="vote-error"' in text(
        response
    )
    assert [choice for _n, choice, _c in opened_ballots(voting)] == ["agree"]


def test_without_javascript_a_vote_comes_back_to_the_page(client, cw, dossier, voting):
    client.force_login(cw.member)
    response = client.post(
        url("council-meeting-vote", voting), {"nominee": dossier.agenda_nominees[1].pk, "choice": "disagree"}
    )
    assert response.status_code == 302 and response.url == url("council-meeting-detail", voting)
    refused = client.post(
        url("council-meeting-vote", voting), {"nominee": dossier.agenda_nominees[1].pk, "choice": "agree"}
    )
    assert refused.status_code == 409 and "already voted" in text(refused)


def test_an_absent_member_votes_in_writing_from_the_page(client, cw, dossier, meeting):
    client.force_login(cw.member)
    assert 'data-testid="written-link"' in text(client.get(url("council-meeting-detail", meeting)))
    first, second = dossier.agenda_nominees
    form = text(client.get(url("council-meeting-written", meeting)))
    assert first.name in form and second.name in form

    incomplete = client.post(url("council-meeting-written", meeting), {f"choice_{first.pk}": "agree"})
    assert incomplete.status_code == 400 and not Participation.objects.exists()
    response = client.post(
        url("council-meeting-written", meeting),
        {
            f"choice_{first.pk}": "agree",
            f"choice_{second.pk}": "disagree",
            f"comment_{first.pk}": "Xứng đáng",
        },
    )

    assert response.status_code == 302
    assert set(Participation.objects.values_list("how", flat=True)) == {"written"}
    page = text(client.get(url("council-meeting-detail", meeting)))
    assert page.count('data-testid="voted"') == 2 and "in writing" in page


def test_the_secretary_runs_the_meeting_from_its_page(client, cw, dossier, meeting):
    client.force_login(cw.secretary)
    page = text(client.get(url("council-meeting-detail", meeting)))
    assert 'id="secretary-panel"' in page and 'data-testid="close-vote"' not in page
    # Each member's box is laid out as a check box beside its name (Bootstrap's form-check).
    boxes = re.findall(r'<input type="checkbox" name="present"[^>]*>', page)
    assert len(boxes) == len(cw.members) and all('class="form-check-input"' in box for box in boxes)

    client.post(url("council-meeting-attendance", meeting), {"present": [m.pk for m in cw.members[:5]]})
    refused = client.post(url("council-meeting-open", meeting))
    assert refused.status_code == 400 and "No quorum" in text(refused)
    client.post(url("council-meeting-attendance", meeting), {"present": [m.pk for m in cw.members]})
    assert client.post(url("council-meeting-open", meeting)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.VOTING


def test_the_live_view_shows_who_voted_never_how_by_secret_ballot(client, cw, dossier):
    secret = open_with(cw, schedule(cw, [dossier]))
    ms.ballot_cast(actor=cw.member, meeting=secret, nominee=dossier.agenda_nominees[0], choice="disagree")
    client.force_login(cw.secretary)

    page = text(client.get(url("council-meeting-live", secret)))

    assert "1/2" in page  # the member has voted on one of two nominees
    assert "For / against" not in page and "Disagree" not in page
    other = in_council(cw)
    open_vote = open_with(cw, schedule(cw, [other], secret_ballot=False))
    ms.ballot_cast(actor=cw.member, meeting=open_vote, nominee=other.agenda_nominees[0], choice="disagree")
    assert "0 / 1" in text(client.get(url("council-meeting-live", open_vote)))


@pytest.mark.parametrize("who", ["head_a", "head_b", "staff_a"])
def test_people_outside_the_council_do_not_see_its_meetings(client, cw, meeting, who):
    client.force_login(getattr(cw, who))
    for name in (
        "council-meeting-detail",
        "council-meeting-minutes",
        "council-meeting-written",
        "council-meeting-live",
    ):
        assert client.get(url(name, meeting)).status_code == 404
    assert meeting.title not in text(client.get(reverse("council-meeting-list")))


def test_a_plain_member_has_no_live_view(client, cw, meeting):
    """They see the meeting, so they are told the live view is not theirs (403), not that it
    does not exist."""
    client.force_login(cw.member)
    assert client.get(url("council-meeting-live", meeting)).status_code == 403


def test_invitations_and_the_navigation_link(client, cw, meeting):
    client.force_login(cw.member)
    page = text(client.get(reverse("council-meeting-list")))
    assert meeting.title in page and "voted on 0 of 2" in page
    assert reverse("council-meeting-list") in text(client.get(reverse("home")))
    client.force_login(cw.head_a)
    assert reverse("council-meeting-list") not in text(client.get(reverse("home")))


def test_the_secretary_convenes_from_the_form(client, cw, dossier):
    client.force_login(cw.secretary)
    form = text(client.get(reverse("council-meeting-create")))
    assert dossier.title in form and cw.cchair.full_name in form

    response = client.post(
        reverse("council-meeting-create"),
        {
            "council": cw.council.pk,
            "title": "Phiên họp tháng 11",
            "day": "2030-11-20",
            "time": "08:30",
            "place": "Phòng họp số 1",
            "chairperson": cw.cchair.pk,
            "secretary": cw.secretary.pk,
            "secret_ballot": "on",
            "dossiers": [dossier.pk],
        },
    )

    assert response.status_code == 302
    meeting = cw.council.meetings.get()
    assert (meeting.title, meeting.agenda.count(), meeting.secret_ballot) == ("Phiên họp tháng 11", 2, True)
    client.force_login(cw.member)
    assert client.get(reverse("council-meeting-create")).status_code == 403


def test_the_minutes_page(client, cw, dossier):
    absent = cw.others[0]
    meeting = schedule(cw, [dossier])
    ms.written_vote_cast(
        actor=absent,
        meeting=meeting,
        votes={n.pk: {"choice": "agree", "comment": "Đồng ý đề nghị"} for n in dossier.agenda_nominees},
    )
    open_with(cw, meeting, present=[m for m in cw.members if m != absent])
    ms.meeting_close(actor=cw.cchair, meeting=meeting, conclusion="Hội đồng thống nhất.")
    client.force_login(cw.member)

    page = text(client.get(url("council-meeting-minutes", meeting)))

    assert "Đồng ý đề nghị" in page and "Hội đồng thống nhất." in page and "11.11 %" in page
    assert absent.full_name in page.split('data-testid="absent"')[1].split("</ul>")[0]


def test_pages_are_in_vietnamese(client, cw, meeting, settings):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(cw.member)
    page = text(client.get(url("council-meeting-detail", meeting)))
    assert (
        '<html lang="vi">' in page
        and "Họp Hội đồng" in page
        and "Chương trình họp" in page
        and "Bỏ phiếu bằng văn bản" in page
    )


def test_an_agenda_item_does_not_repeat_a_collectives_kind_and_names_who_proposes_it():
    """A collective's "position" often holds the word "Tập thể" again: said once. The unit is
    the one that proposes the award, not the one that gives it."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    from dossiers.models import Nominee

    def item_html(position):
        nominee = Nominee(pk=1, kind="collective", name="Tổ Toán", position=position, workplace="Trường THCS")
        unit = SimpleNamespace(name="Trường THCS Ngọc Lâm")
        item = SimpleNamespace(position=1, nominee=nominee, dossier=SimpleNamespace(unit=unit))
        with translation.override("vi"):
            return render_to_string("meetings/_item.html", {"view": SimpleNamespace(item=item, voted=False)})

    assert '<div class="small text-muted">Tập thể · Trường THCS</div>' in item_html("Tập thể")
    assert '<div class="small text-muted">Tập thể · Tổ chuyên môn · Trường THCS</div>' in item_html(
        "Tổ chuyên môn"
    )
    assert "· do Trường THCS Ngọc Lâm đề nghị</div>" in item_html("")
