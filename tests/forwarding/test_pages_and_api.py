"""The chair's pages (pick, grouped and preselected; confirmation; forward), the upward dossier's
page at the province (each nominee's source and its files), and POST /api/forwardings/."""

import pytest

from dossiers.models import Attachment, Dossier, DossierState
from tests.workflows.conftest import fresh

pytestmark = pytest.mark.django_db
S = DossierState


def test_the_pick_page_groups_the_dossiers_by_campaign_all_preselected(lower, client):
    w = lower
    client.force_login(w.chair)
    page = client.get("/forward/").content.decode()
    assert page.count('data-testid="forward-group"') == 2
    for d in w.lower:
        assert f'value="{d.pk}" id="forward-dossier-{d.pk}" checked' in page


def test_confirm_then_forward_on_the_pages(lower, client):
    w = lower
    client.force_login(w.chair)
    query = {"preview": "1", "title": "Tờ trình đề nghị Bằng khen", "dossiers": [d.pk for d in w.lower]}
    page = client.get("/forward/", query).content.decode()
    assert 'data-testid="confirm-forward"' in page
    for d in w.lower:
        assert d.nominee.name in page and d.title in page
    token = page.split('name="confirm_token" value="')[1].split('"')[0]

    got = client.post(
        "/forward/", {"title": query["title"], "dossiers": query["dossiers"], "confirm_token": token}
    )

    upward = Dossier.objects.get(is_upward=True)
    assert got.status_code == 302 and got["Location"] == f"/dossiers/{upward.pk}/"
    assert {fresh(d).state for d in w.lower} == {S.FORWARDED}


def test_a_change_after_the_confirmation_forwards_nothing(lower, client):
    w = lower
    client.force_login(w.chair)
    query = {"preview": "1", "title": "Tờ trình", "dossiers": [d.pk for d in w.lower]}
    page = client.get("/forward/", query).content.decode()
    token = page.split('name="confirm_token" value="')[1].split('"')[0]
    Attachment.objects.filter(nominee=w.lower[0].nominee).update(detached=True)

    got = client.post(
        "/forward/", {"title": "Tờ trình", "dossiers": query["dossiers"], "confirm_token": token}
    )

    assert got.status_code == 409
    assert not Dossier.objects.filter(is_upward=True).exists()


def test_the_upward_page_shows_each_nominee_source_and_files(lower, client):
    w = lower
    client.force_login(w.chair)
    got = client.post(
        "/api/forwardings/",
        {"dossiers": [d.pk for d in w.lower], "title": "Tờ trình đề nghị Bằng khen"},
        content_type="application/json",
    )
    assert got.status_code == 201, got.content
    upward = Dossier.objects.get(pk=got.json()["id"])

    client.force_login(w.province_officer)
    page = client.get(f"/dossiers/{upward.pk}/").content.decode()
    assert page.count('data-testid="nominee-source"') == 3
    for d in w.lower:
        assert d.title in page
    assert page.count('data-testid="document-source"') == 6
    for a in Attachment.objects.filter(dossier=upward):
        assert f"/attachments/{a.pk}/" in page
    # The lower dossiers are named, not linked: the province does not open them.
    for d in w.lower:
        assert f'href="/dossiers/{d.pk}/"' not in page


def test_the_api_refuses_someone_else_and_an_incomplete_one(lower, client):
    w = lower
    client.force_login(w.officer)
    got = client.post(
        "/api/forwardings/",
        {"dossiers": [d.pk for d in w.lower], "title": "T"},
        content_type="application/json",
    )
    assert got.status_code == 403
    Attachment.objects.filter(nominee=w.lower[2].nominee).update(detached=True)
    client.force_login(w.chair)
    got = client.post(
        "/api/forwardings/",
        {"dossiers": [d.pk for d in w.lower], "title": "T"},
        content_type="application/json",
    )
    assert got.status_code == 400 and "Lê Thu Hà" in got.content.decode()
    assert not Dossier.objects.filter(is_upward=True).exists()


def test_the_dossier_page_leads_the_chair_to_the_gathering(lower, client):
    w = lower
    client.force_login(w.chair)
    page = client.get(f"/dossiers/{w.lower[0].pk}/").content.decode()
    assert 'data-testid="forward-gather-link"' in page and 'href="/forward/"' in page
