"""The records clerk (văn thư) of an issuing body keeps its outgoing decisions: they list and open
their body's decisions (and download their PDFs and certificates), read-only; another body's
decisions stay a 404, and every write on a decision is still refused to them by the server."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Decision
from documents import services
from documents.models import GeneratedDocument
from documents.models import GeneratedKind as K
from org.models import Role, User
from tests import factories as f


@pytest.fixture
def clerk(world):
    return f.user_with_role(
        Role.RECORDS_CLERK, world.commune, username="clerk", full_name="Ngô Thị Thu Trang"
    )


@pytest.fixture
def elsewhere(world):
    """Decision 07/QĐ-UBND of the province: not the commune clerk's body."""
    city_chair = f.user_with_role(Role.CHAIR, world.province, username="city_chair")
    return f.decision(world.province, city_chair, number=7, title="Về việc tặng Bằng khen")


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return client


def api_as(user):
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def test_the_clerk_lists_and_opens_their_bodys_decisions_only(decided, elsewhere, clerk, client):
    login(client, clerk)
    listed = client.get(reverse("decision-list")).content.decode()
    assert reverse("decision-detail", args=[decided.pk]) in listed and "01/QĐ-UBND" in listed
    assert reverse("decision-detail", args=[elsewhere.pk]) not in listed
    assert "Chưa có quyết định." not in listed

    page = client.get(reverse("decision-detail", args=[decided.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nguyễn Thị Lan" in html and 'data-testid="decision-papers"' in html
    # Read-only: no revocation form, no signing; the dossier is named, not linked (not theirs).
    assert 'id="revoke"' not in html and reverse("decision-revoke", args=[decided.pk]) not in html
    assert "Ký số" not in html
    dossier = decided.dossiers.get()
    assert dossier.title in html and reverse("dossier-detail", args=[dossier.pk]) not in html
    documents = client.get(reverse("decision-documents", args=[decided.pk]))
    assert documents.status_code == 200
    assert reverse("decision-document-render", args=[decided.pk]) not in documents.content.decode()
    # On a phone each table stacks into cards, so no column (the signing buttons) runs off screen.
    tables = re.findall(r"<table [^>]*>", documents.content.decode())
    assert tables and all("table-stack" in t for t in tables)

    assert client.get(reverse("decision-detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("decision-documents", args=[elsewhere.pk])).status_code == 404

    api = api_as(clerk)
    assert [d["id"] for d in api.get("/api/decisions/").json()["results"]] == [decided.pk]
    assert api.get(f"/api/decisions/{decided.pk}/").status_code == 200
    assert api.get(f"/api/decisions/{elsewhere.pk}/").status_code == 404


def test_a_clerk_of_another_body_sees_none_of_them(decided, world, client):
    school_clerk = f.user_with_role(Role.RECORDS_CLERK, world.school_a, username="school_clerk")
    login(client, school_clerk)
    assert (
        reverse("decision-detail", args=[decided.pk])
        not in client.get(reverse("decision-list")).content.decode()
    )
    assert client.get(reverse("decision-detail", args=[decided.pk])).status_code == 404
    assert api_as(school_clerk).get(f"/api/decisions/{decided.pk}/").status_code == 404


def test_the_clerk_downloads_their_bodys_certificates(decided, world, clerk, client):
    award = decided.awards.order_by("pk").first()
    certificate = services.document_render(actor=world.officer, kind=K.CERTIFICATE, subject=award)
    login(client, clerk)
    assert client.get(reverse("document-download", args=[certificate.pk])).status_code == 200
    school_clerk = f.user_with_role(Role.RECORDS_CLERK, world.school_a, username="school_clerk")
    login(client, school_clerk)
    assert client.get(reverse("document-download", args=[certificate.pk])).status_code == 404


def test_every_write_on_a_decision_is_refused_to_the_clerk(decided, clerk, client):
    award = decided.awards.order_by("pk").first()
    decisions, documents = Decision.objects.count(), GeneratedDocument.objects.count()
    login(client, clerk)
    revoke = {"awards": [award.pk], "reason": "Khai man thành tích", "capacity": ""}
    form = {f"revoke-{k}": v for k, v in revoke.items()}
    assert client.post(reverse("decision-revoke", args=[decided.pk]), form).status_code == 403
    assert client.post(reverse("decision-document-render", args=[decided.pk])).status_code == 403
    assert client.post(reverse("certificate-batch-start", args=[decided.pk])).status_code == 403

    api = api_as(clerk)
    assert api.post(f"/api/decisions/{decided.pk}/revoke/", revoke, format="json").status_code == 403
    assert api.post(f"/api/decisions/{decided.pk}/documents/").status_code == 403
    assert api.post(f"/api/decisions/{decided.pk}/certificates/").status_code == 403
    assert api.post(f"/api/awards/{award.pk}/certificate/").status_code == 403
    assert Decision.objects.count() == decisions and GeneratedDocument.objects.count() == documents
    award.refresh_from_db()
    assert award.revoked_by_id is None
