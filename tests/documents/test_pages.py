"""The documents pages and API: who sees what (404 otherwise), who may make and sign, downloads."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Award
from audit.models import AuditEvent
from documents import services
from documents.models import GeneratedDocument, Signature
from documents.models import GeneratedKind as K
from org.models import User

from .conftest import REVOCATION_DAY
from .helpers import pdf_bytes, text


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return client


def api_as(user):
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def test_chair_makes_signs_and_downloads_the_decision(decided, world, client):
    login(client, world.chair)
    page = client.get(reverse("decision-documents", args=[decided.pk]))
    assert page.status_code == 200 and "01/QĐ-UBND" in page.content.decode()
    response = client.post(reverse("decision-document-render", args=[decided.pk]))
    assert response.status_code == 302
    document = GeneratedDocument.objects.get(kind=K.DECISION, decision=decided)
    page = client.get(reverse("decision-documents", args=[decided.pk])).content.decode()
    assert f'data-testid="sign-{document.pk}"' in page
    assert "Đã lập bản PDF của 01/QĐ-UBND (phiên bản 1): hãy kiểm tra rồi ký số." in page
    sign_page = client.get(reverse("document-sign", args=[document.pk]))  # shows what is signed
    assert f'src="{reverse("document-preview", args=[document.pk])}"' in sign_page.content.decode()
    assert (
        client.post(reverse("document-sign", args=[document.pk]), {"sha256": document.sha256}).status_code
        == 302
    )
    assert Signature.objects.get(document=document).signer_id == world.chair.pk
    # Signed: no button to sign it again, on the documents' page or the decision's.
    for url in (
        reverse("decision-documents", args=[decided.pk]),
        reverse("decision-detail", args=[decided.pk]),
    ):
        assert (
            f'href="{reverse("document-sign", args=[document.pk])}"' not in client.get(url).content.decode()
        )
    again = client.get(reverse("document-sign", args=[document.pk]))
    assert again.status_code == 409 and "Đồng chí đã ký văn bản này." in again.content.decode()
    client.post(reverse("decision-document-render", args=[decided.pk]))  # again: nothing to make
    page = client.get(reverse("decision-documents", args=[decided.pk])).content.decode()
    assert "Bản PDF của 01/QĐ-UBND không thay đổi và đã được ký số (phiên bản 1)." in page
    assert GeneratedDocument.objects.filter(kind=K.DECISION, decision=decided).count() == 1
    download = client.get(reverse("document-download", args=[document.pk]))
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and body == pdf_bytes(
        GeneratedDocument.objects.get(pk=document.pk)
    )


@pytest.mark.parametrize("who", ["head_b", "staff_a_other"])
def test_documents_of_a_dossier_one_may_not_see_are_404(decided, world, client, who):
    from org.models import Role
    from tests import factories as f

    user = (
        world.head_b
        if who == "head_b"
        else f.user_with_role(Role.UNIT_STAFF, world.school_b, username="staff_b")
    )
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    submission = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    login(client, user)
    for url in [
        reverse("decision-documents", args=[decided.pk]),
        reverse("dossier-documents", args=[decided.dossier.pk]),
        reverse("document-download", args=[document.pk]),
        reverse("document-download", args=[submission.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("document-sign", args=[document.pk])).status_code == 404
    assert client.post(reverse("decision-document-render", args=[decided.pk])).status_code == 404
    api = api_as(user)
    assert api.get(reverse("documents_api:document-detail", args=[document.pk])).status_code == 404
    assert api.get(reverse("documents_api:decision-documents", args=[decided.pk])).status_code == 404
    assert api.post(reverse("documents_api:document-sign", args=[document.pk])).status_code == 404


def test_the_unit_makes_its_submission_and_the_head_signs_it(decided, world, client):
    login(client, world.staff_a)
    response = client.post(
        reverse("dossier-document-render", args=[decided.dossier.pk]), {"kind": "submission"}
    )
    assert response.status_code == 302
    document = GeneratedDocument.objects.get(kind=K.SUBMISSION)
    signing = {"sha256": document.sha256}
    assert (
        client.post(reverse("document-sign", args=[document.pk]), signing).status_code == 403
    )  # not the head
    login(client, world.head_a)
    page = client.get(reverse("dossier-documents", args=[decided.dossier.pk])).content.decode()
    assert f'data-testid="sign-{document.pk}"' in page
    client.post(reverse("document-sign", args=[document.pk]), signing)
    assert GeneratedDocument.objects.get(pk=document.pk).signed
    nominee = decided.nominees[0]
    client.post(
        reverse("dossier-document-render", args=[decided.dossier.pk]),
        {"kind": "achievement", "nominee": nominee.pk},
    )
    assert GeneratedDocument.objects.get(kind=K.ACHIEVEMENT).nominee_id == nominee.pk


def test_inspectors_read_documents_but_make_none(decided, world, client):
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    login(client, world.inspector)
    assert client.get(reverse("document-download", args=[document.pk])).status_code == 200
    events = AuditEvent.objects.count()
    assert client.post(reverse("decision-document-render", args=[decided.pk])).status_code == 403
    assert (
        client.post(
            reverse("dossier-document-render", args=[decided.dossier.pk]), {"kind": "minutes"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.count() == events


def test_api_renders_lists_signs_and_downloads(decided, world):
    chair = api_as(world.chair)
    response = chair.post(reverse("documents_api:decision-documents", args=[decided.pk]))
    assert response.status_code == 201
    document_id = response.json()["id"]
    assert response.json()["version"] == 1 and response.json()["signed"] is False
    assert (
        api_as(world.head_a).post(reverse("documents_api:document-sign", args=[document_id])).status_code
        == 403
    )
    signed = chair.post(reverse("documents_api:document-sign", args=[document_id]), {}, format="json").json()
    assert signed["signed"] and signed["signatures"][0]["signer"] == "chair"
    assert (
        chair.post(reverse("documents_api:document-sign", args=[document_id]), {}, format="json").status_code
        == 409
    )
    listing = chair.get(reverse("documents_api:decision-documents", args=[decided.pk])).json()
    assert [d["id"] for d in listing["documents"]] == [document_id]
    download = chair.get(reverse("documents_api:document-download", args=[document_id]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    unit = api_as(world.head_a)
    made = unit.post(
        reverse("documents_api:dossier-documents", args=[decided.dossier.pk]),
        {"kind": "submission"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["kind"] == "submission"
    assert [
        d["kind"]
        for d in unit.get(reverse("documents_api:dossier-documents", args=[decided.dossier.pk])).json()
    ] == ["submission"]


def test_award_certificate_via_the_api(decided, world):
    award = Award.objects.get(nominee=decided.nominees[0])
    response = api_as(world.chair).post(reverse("documents_api:award-certificate", args=[award.pk]))
    assert response.status_code == 201 and response.json()["kind"] == "certificate"
    assert (
        api_as(world.head_b).post(reverse("documents_api:award-certificate", args=[award.pk])).status_code
        == 404
    )


def test_pages_speak_vietnamese_by_default(decided, world, client):
    login(client, world.chair)
    page = client.get(reverse("decision-documents", args=[decided.pk])).content.decode()
    assert "Lập PDF" in page and "In toàn bộ giấy khen (ZIP)" in page
    assert "Kiểm tra văn bản" in client.get(reverse("verify")).content.decode()


def test_a_revocation_has_its_own_page_and_document(decided, world, client):
    from approvals import services as approvals

    revocation = approvals.decision_revoke(
        actor=world.chair,
        awards=[Award.objects.get(nominee=decided.nominees[0])],
        reason="Giấy tờ giả",
        signed_on=REVOCATION_DAY,
    )
    login(client, world.chair)
    page = client.get(reverse("decision-documents", args=[revocation.pk])).content.decode()
    assert "02/QĐ-UBND" in page and "01/QĐ-UBND" in page
    client.post(reverse("decision-document-render", args=[revocation.pk]))
    document = GeneratedDocument.objects.get(kind=K.REVOCATION, decision=revocation)
    content = " ".join(text(pdf_bytes(document)).split())
    assert "Về việc hủy bỏ một phần Quyết định số 01/QĐ-UBND" in content
    assert "Nguyễn Thị Lan" in content and "Lý do: Giấy tờ giả." in content
    dossier_page = client.get(reverse("dossier-documents", args=[decided.dossier.pk])).content.decode()
    assert reverse("decision-documents", args=[revocation.pk]) in dossier_page
    login(client, world.head_b)
    assert client.get(reverse("decision-documents", args=[revocation.pk])).status_code == 404


def test_the_decision_page_costs_the_same_queries_whatever_its_certificates(
    decided, world, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, world.chair)
    url = reverse("decision-documents", args=[decided.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for award in Award.objects.filter(decision=decided):
        services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=award)
    with django_assert_max_num_queries(len(before)):
        page = client.get(url).content.decode()
    assert page.count("Giấy khen / Bằng khen v1") + page.count("Certificate v1") == 3
