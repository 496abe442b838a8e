"""The records clerk's pages and API: the list of decisions to issue, the issuing page (the file
shown, its hash as the token), the API beside them; the signature image page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from documents import appearance, services, signing
from documents.models import GeneratedKind as K
from documents.models import Signature, SignatureImage
from org.models import Role, User
from tests import factories as f


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return client


def api_as(user):
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def clerk(world):
    return f.user_with_role(
        Role.RECORDS_CLERK, world.commune, username="clerk", full_name="Ngô Thị Thu Trang"
    )


@pytest.fixture
def to_issue(decided, world, signing_keys_dir):
    signing.issue_agency_key(signing_keys_dir, unit=world.commune, secret=signing.DEMO_PASSPHRASE.encode())
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    return services.document_sign(actor=world.chair, document=document)


def test_the_clerk_sees_the_signed_decision_and_issues_it_after_confirming(to_issue, clerk, client):
    login(client, clerk)
    page = client.get(reverse("documents-to-issue")).content.decode()
    assert page.count('data-testid="to-issue-row"') == 1 and "01/QĐ-UBND" in page
    confirm = client.get(reverse("document-issue", args=[to_issue.pk])).content.decode()
    assert to_issue.sha256 in confirm and reverse("document-preview", args=[to_issue.pk]) in confirm
    assert not Signature.objects.filter(agency__isnull=False).exists()  # seeing it changes nothing

    stale = client.post(reverse("document-issue", args=[to_issue.pk]), {"sha256": "0" * 64})
    assert stale.status_code == 409 and not Signature.objects.filter(agency__isnull=False).exists()
    done = client.post(reverse("document-issue", args=[to_issue.pk]), {"sha256": to_issue.sha256})
    assert done.status_code == 302 and done.url == reverse("documents-to-issue")
    page = client.get(reverse("documents-to-issue")).content.decode()
    assert 'data-testid="to-issue-row"' not in page and "Phường Long Biên" in page
    # The decision's page names the agency's signature as the agency's, issued by its clerk.
    decision = client.get(reverse("decision-detail", args=[to_issue.decision_id])).content.decode()
    assert "chữ ký số của Phường Long Biên (văn thư Ngô Thị Thu Trang)" in decision
    assert decision.count("đã phát hành") >= 1


def test_others_have_no_list_and_may_not_issue(to_issue, world, client):
    login(client, world.chair)
    assert client.get(reverse("documents-to-issue")).status_code == 404
    assert client.get(reverse("document-issue", args=[to_issue.pk])).status_code == 403
    response = client.post(reverse("document-issue", args=[to_issue.pk]), {"sha256": to_issue.sha256})
    assert response.status_code == 403
    school_clerk = f.user_with_role(Role.RECORDS_CLERK, world.school_a, username="school_clerk")
    login(client, school_clerk)
    assert "to-issue-row" not in client.get(reverse("documents-to-issue")).content.decode()
    assert client.get(reverse("document-issue", args=[to_issue.pk])).status_code == 404
    assert not Signature.objects.filter(agency__isnull=False).exists()


def test_the_list_costs_the_same_for_one_or_many(to_issue, clerk, client, django_assert_max_num_queries):
    login(client, clerk)
    client.get(reverse("documents-to-issue"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("documents-to-issue")).status_code == 200


def test_the_api_lists_and_issues(to_issue, clerk, world):
    api = api_as(clerk)
    listed = api.get("/api/documents/to-issue/")
    assert listed.status_code == 200 and [d["id"] for d in listed.json()] == [to_issue.pk]
    assert api_as(world.chair).post(f"/api/documents/{to_issue.pk}/issue/").status_code == 403
    stale = api.post(f"/api/documents/{to_issue.pk}/issue/", {"sha256": "0" * 64})
    assert stale.status_code == 409
    issued = api.post(f"/api/documents/{to_issue.pk}/issue/", {"sha256": to_issue.sha256})
    assert issued.status_code == 200
    agency = [s["agency"] for s in issued.json()["signatures"]]
    assert agency == [None, "Phường Long Biên"]
    again = api.post(f"/api/documents/{to_issue.pk}/issue/")
    assert again.status_code == 409
    assert api.get("/api/documents/to-issue/").json() == []


def test_a_signer_uploads_their_signature_image(world, client):
    login(client, world.chair)
    assert 'data-testid="no-signature-image"' in client.get(reverse("signature-image")).content.decode()
    png = appearance.signature_image_png(world.chair.get_full_name())
    response = client.post(
        reverse("signature-image"), {"image": SimpleUploadedFile("c.png", png, "image/png")}
    )
    assert response.status_code == 302
    assert SignatureImage.objects.get(user=world.chair).uploaded_by == world.chair
    served = client.get(reverse("signature-image-file"))
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == png
    bad = client.post(
        reverse("signature-image"), {"image": SimpleUploadedFile("c.pdf", f.pdf_bytes(), "application/pdf")}
    )
    assert bad.status_code == 200 and "PNG" in bad.content.decode()
    # Someone else's image: only an administrator.
    assert client.get(reverse("signature-image") + "?user=officer").status_code == 404
