"""Who sees what in the web UI: lists, detail pages and files answer only within the user's scope;
anything else is a 404, the same whether it exists or not."""

from django.urls import reverse

from dossiers.models import Attachment, DossierState
from tests import factories as f

from .helpers import detail_url, text


def test_anonymous_visitor_is_sent_to_the_login_page(client, draft):
    response = client.get(detail_url(draft))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={detail_url(draft)}"


def test_login_with_username_and_password_opens_the_home_page(client, world):
    response = client.post(reverse("login"), {"username": "head_a", "password": "pw-test-123"})

    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.wsgi_request.user == world.head_a
    assert home.wsgi_request.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert "Thủ trưởng đơn vị" in text(home)


def test_wrong_password_shows_the_login_page_again(client, world):
    response = client.post(reverse("login"), {"username": "head_a", "password": "wrong"})

    assert response.status_code == 200
    assert "mật khẩu chính xác" in text(response)  # Django's own Vietnamese message
    assert "_auth_user_id" not in client.session


def test_an_empty_login_says_which_field_is_missing(client, world):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("username", "password"):
        assert f'data-testid="{field}-error">Trường này là bắt buộc.</div>' in html
    assert html.count("is-invalid") == 2


def test_logout_is_a_post_and_returns_to_login(client, world):
    client.force_login(world.head_a)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_list_shows_only_the_dossiers_the_user_may_see(client, world):
    own = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        title="Hồ sơ của Ngọc Lâm",
    )
    other_draft = f.DossierFactory(
        unit=world.school_b,
        campaign=world.campaign,
        created_by=world.head_b,
        title="Dự thảo của Gia Thụy",
    )
    other_sent = f.DossierFactory(
        unit=world.school_b,
        campaign=world.campaign,
        created_by=world.head_b,
        title="Hồ sơ đã trình của Gia Thụy",
        state=DossierState.SUBMITTED,
    )

    client.force_login(world.staff_a)
    page = text(client.get(reverse("dossier-list")))
    assert own.title in page
    assert other_draft.title not in page
    assert other_sent.title not in page

    client.force_login(world.officer)
    page = text(client.get(reverse("dossier-list")))
    assert other_sent.title in page
    assert own.title not in page  # a draft is the unit's own working copy
    assert other_draft.title not in page


def test_list_filters_by_state_campaign_and_text(client, world):
    other_campaign = f.CampaignFactory(name="Thi đua Dạy tốt - Học tốt", organizer=world.commune)
    a = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        title="Khen thưởng tổ Toán",
    )
    b = f.DossierFactory(
        unit=world.school_a,
        campaign=other_campaign,
        created_by=world.staff_a,
        title="Khen thưởng tổ Văn",
    )
    c = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        title="Khen thưởng tổ Anh",
        state=DossierState.SUBMITTED,
    )
    client.force_login(world.staff_a)

    by_state = text(client.get(reverse("dossier-list"), {"state": "submitted"}))
    by_campaign = text(client.get(reverse("dossier-list"), {"campaign": other_campaign.pk}))
    by_text = text(client.get(reverse("dossier-list"), {"q": "tổ Toán"}))

    assert (a.title in by_state, b.title in by_state, c.title in by_state) == (False, False, True)
    assert (a.title in by_campaign, b.title in by_campaign, c.title in by_campaign) == (
        False,
        True,
        False,
    )
    assert (a.title in by_text, b.title in by_text, c.title in by_text) == (True, False, False)


def test_list_ignores_a_nonsense_filter(client, world, draft):
    client.force_login(world.staff_a)

    response = client.get(reverse("dossier-list"), {"campaign": "abc", "state": "nope", "page": "x"})

    assert response.status_code == 200
    assert draft.title in text(response)


def test_list_pages_by_25(client, world):
    f.DossierFactory.create_batch(30, unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    client.force_login(world.staff_a)

    first = client.get(reverse("dossier-list"))
    second = client.get(reverse("dossier-list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Trang 1 / 2" in text(first)


def test_user_of_another_unit_gets_404_for_the_detail_page(client, draft, world):
    client.force_login(world.head_b)

    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(reverse("dossier-detail", args=[999999])).status_code == 404


def test_user_of_another_unit_gets_404_for_the_file(client, complete_draft, world):
    attachment = Attachment.objects.filter(dossier=complete_draft).first()
    client.force_login(world.head_b)

    response = client.get(reverse("attachment-download", args=[attachment.pk]))

    assert response.status_code == 404


def test_reviewer_gets_404_for_a_draft_and_its_file(client, complete_draft, world):
    attachment = Attachment.objects.filter(dossier=complete_draft).first()
    client.force_login(world.officer)

    assert client.get(detail_url(complete_draft)).status_code == 404
    assert client.get(reverse("attachment-download", args=[attachment.pk])).status_code == 404


def test_download_gives_the_original_name_and_the_stored_type(client, complete_draft, world):
    attachment = Attachment.objects.get(dossier=complete_draft, kind__code="bien-ban")
    client.force_login(world.staff_a)

    response = client.get(reverse("attachment-download", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bien-ban.pdf"'
    assert b"".join(response.streaming_content) == f.pdf_bytes()


def test_posting_to_another_units_dossier_is_404_and_changes_nothing(client, draft, world):
    client.force_login(world.head_b)

    response = client.post(reverse("dossier-submit", args=[draft.pk]))

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.state == DossierState.DRAFT
