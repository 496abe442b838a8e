"""What anyone reads without an account: only published decisions and notices open today. A
decision not yet signed, one signed and issued but not published, one taken down, a dossier
never under notice and a notice whose period is over do not exist there (404), in the list, the
detail page and the PDF link alike; what is shown is what the decision prints."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services as approvals
from approvals.models import PublicNotice
from documents.publication import decision_unpublish
from dossiers.models import DossierState
from tests import factories as f

from .conftest import BIRTH, ID_NUMBER


def pages(pk):
    return [reverse("public-decision", args=[pk]), reverse("public-decision-pdf", args=[pk])]


def test_the_public_home_links_the_three_parts(client):
    page = client.get(reverse("public-home")).content.decode()
    for name in ("public-decisions", "public-notices", "verify"):
        assert f'href="{reverse(name)}"' in page


def test_the_login_page_links_the_public_home(client):
    assert f'href="{reverse("public-home")}"' in client.get(reverse("login")).content.decode()


def test_a_published_decision_shows_what_it_prints_and_its_pdf(client, published, world):
    listing = client.get(reverse("public-decisions")).content.decode()
    assert published.symbol in listing and published.title in listing
    page = client.get(reverse("public-decision", args=[published.pk])).content.decode()
    for name in ("Nguyễn Thị Lan", "Lê Văn Thành", "Tổ Ngữ văn", "Trường THCS Ngọc Lâm", "Giấy khen"):
        assert name in page
    assert world.chair.get_full_name() in page  # the signer printed on the decision
    assert world.officer.get_full_name() not in page and "clerk" not in page
    pdf = client.get(reverse("public-decision-pdf", args=[published.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_decision_never_signed_does_not_exist_publicly(client, decided):
    assert published_ids(client) == set()
    for url in pages(decided.pk):
        assert client.get(url).status_code == 404


def test_an_issued_decision_not_published_does_not_exist_publicly(client, issued):
    assert published_ids(client) == set()
    for url in pages(issued.pk):
        assert client.get(url).status_code == 404


def test_a_decision_taken_down_is_gone_from_the_public_pages(client, published, clerk):
    decision_unpublish(actor=clerk, decision=published, reason="Sai sót trong phụ lục")
    assert published_ids(client) == set()
    for url in pages(published.pk):
        assert client.get(url).status_code == 404


def published_ids(client) -> set[int]:
    page = client.get(reverse("public-decisions")).content.decode()
    import re

    return {int(pk) for pk in re.findall(r'data-decision="(\d+)"', page)}


@pytest.mark.parametrize(
    "query, found",
    [
        ({"year": 2026}, True),
        ({"year": 2025}, False),
        ({"number": 1}, True),
        ({"number": 2}, False),
        ({"name": "nguyen thi lan"}, True),  # typed without marks
        ({"name": "Lê Văn Thành"}, True),
        ({"name": "Phạm Thị Hoa"}, False),
    ],
)
def test_published_decisions_are_searched_by_year_number_and_name(client, published, query, found):
    response = client.get(reverse("public-decisions"), query)
    assert response.status_code == 200
    assert (published.pk in {int(x) for x in _ids(response)}) is found


def _ids(response):
    import re

    return re.findall(r'data-decision="(\d+)"', response.content.decode())


def test_a_notice_open_today_lists_its_eligible_nominees_and_nothing_private(client, under_notice):
    listing = client.get(reverse("public-notices")).content.decode()
    assert "Phạm Thị Hoa" in listing and "Trịnh Văn Khải" not in listing
    page = client.get(reverse("public-notice", args=[under_notice.pk])).content.decode()
    assert "Phạm Thị Hoa" in page and "Đặng Quốc Bảo" in page and "Chiến sĩ thi đua cơ sở" in page
    assert "Trịnh Văn Khải" not in page  # found ineligible: not on the list
    assert ID_NUMBER not in page and ID_NUMBER[-4:] not in page
    assert BIRTH.strftime("%d/%m/%Y") not in page and "1986" not in page


def test_a_dossier_never_under_notice_does_not_exist_publicly(client, world):
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    f.NomineeFactory(dossier=dossier, name="Vương Thị Nguyệt")
    assert "Vương Thị Nguyệt" not in client.get(reverse("public-notices")).content.decode()
    assert client.get(reverse("public-notice", args=[dossier.pk])).status_code == 404


@pytest.mark.parametrize("when", ["ended", "not yet", "closed"])
def test_a_notice_outside_its_period_does_not_exist_publicly(client, under_notice, when):
    today = timezone.localdate()
    notice = PublicNotice.objects.filter(pk=under_notice.pk)
    if when == "ended":
        notice.update(starts_on=today - dt.timedelta(days=20), ends_on=today - dt.timedelta(days=1))
    elif when == "not yet":
        notice.update(starts_on=today + dt.timedelta(days=1), ends_on=today + dt.timedelta(days=15))
    else:
        notice.update(closed_at=timezone.now())
        type(under_notice.dossier).objects.filter(pk=under_notice.dossier_id).update(
            state=DossierState.IN_COUNCIL
        )
    assert "Phạm Thị Hoa" not in client.get(reverse("public-notices")).content.decode()
    assert client.get(reverse("public-notice", args=[under_notice.pk])).status_code == 404


def test_the_public_pages_read_in_vietnamese(client, published, under_notice):
    client.cookies["django_language"] = "vi"
    home = client.get(reverse("public-home")).content.decode()
    assert "Quyết định khen thưởng đã công bố" in home
    detail = client.get(reverse("public-decision", args=[published.pk])).content.decode()
    assert "Tải quyết định đã ký (PDF)" in detail
    notice = client.get(reverse("public-notice", args=[under_notice.pk])).content.decode()
    assert "Gửi phản ánh" in notice


def test_objection_resolution_does_not_need_an_account_holder(world, under_notice):
    """The standing body resolves a public objection as any other."""
    from approvals.notice_services import objection_lodge_public

    objection = objection_lodge_public(
        notice=under_notice, name="Lý Thị Mai", contact="0912 345 678", text="Chưa đúng thành tích."
    )
    approvals.objection_resolve(
        actor=world.officer, objection=objection, resolution="Đã xác minh, đúng quy định."
    )
    objection.refresh_from_db()
    assert objection.resolved_by == world.officer


def test_a_prepared_draft_of_a_decision_does_not_exist_publicly(client, published, world):
    from approvals.models import DecisionDraft

    draft = DecisionDraft.objects.create(
        issuer=world.commune, title="Dự thảo: về việc tặng Giấy khen đợt 2", prepared_by=world.officer
    )
    assert "Dự thảo" not in client.get(reverse("public-decisions")).content.decode()
    assert published_ids(client) == {published.pk}
    # A draft is no decision: nothing of it on any public page, under its own id or another's.
    assert draft.title not in client.get(reverse("public-decision", args=[published.pk])).content.decode()
    assert client.get(reverse("public-decision", args=[published.pk + 1])).status_code == 404


def test_the_standing_body_finds_the_publication_page_from_the_decision(client, issued, world):
    client.force_login(world.officer)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("decision-documents", args=[issued.pk])).content.decode()
    assert f'href="{reverse("decision-publication", args=[issued.pk])}"' in page
    publication = client.get(reverse("decision-publication", args=[issued.pk])).content.decode()
    assert "Công bố trên trang công khai" in publication
