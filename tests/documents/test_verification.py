"""Verification: upload a PDF (page and API) and learn whether we issued it, unchanged, signed by
whom and when; a certificate's public code page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from approvals import services as approvals
from approvals.models import Award
from documents import services
from documents.models import GeneratedKind as K
from documents.verification import CLAIMED, EXACT, SIGNED_REVISION, verify_pdf
from tests import factories as f

from .conftest import REVOCATION_DAY
from .helpers import one_signed_byte_changed, pdf_bytes


@pytest.fixture
def signed(decided, world):
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    return services.document_sign(actor=world.chair, document=document)


def upload(data, name="quyet-dinh.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_signed_decision_is_recognised_as_authentic(signed, world):
    result = verify_pdf(pdf_bytes(signed))
    assert (result.verdict, result.match, result.document) == ("authentic", EXACT, signed)
    [report] = result.signatures
    assert (report.signer_name, report.signer_username, report.recorded) == ("Vũ Đức Thắng", "chair", True)
    assert report.intact and report.trusted and report.bottom_line and report.signed_at is not None


def test_the_unsigned_rendering_is_still_ours(decided, world):
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    unsigned = pdf_bytes(document)
    services.document_sign(actor=world.chair, document=document)
    result = verify_pdf(unsigned)
    assert (result.verdict, result.document.pk, result.signatures) == ("authentic", document.pk, [])


def test_changes_after_signing_are_reported(signed):
    data = pdf_bytes(signed)
    appended = data + b"\n% appended\n"
    result = verify_pdf(appended)
    assert (result.verdict, result.match, result.document) == ("modified", SIGNED_REVISION, signed)
    assert result.modified_after_signing

    result = verify_pdf(one_signed_byte_changed(data))
    assert (result.verdict, result.match, result.document) == ("modified", CLAIMED, signed)
    assert not result.signatures[0].intact


def test_foreign_files_are_unknown(db):
    from documents import rendering

    assert verify_pdf(rendering.html_to_pdf("<p>Quyết định giả mạo</p>")).verdict == "unknown"
    assert verify_pdf(f.pdf_bytes()).verdict == "unknown"
    assert verify_pdf(b"PK\x03\x04 not a pdf").verdict == "not_pdf"


def test_verification_page_for_a_logged_in_user(signed, world, client):
    assert client.get(reverse("verify")).status_code == 200  # no account needed
    client.force_login(world.head_b)  # any logged-in user, even one who may not see the dossier
    response = client.post(reverse("verify"), {"file": upload(pdf_bytes(signed))})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-verdict="authentic"' in page
    assert "Vũ Đức Thắng" in page and "01/QĐ-UBND" in page
    assert reverse("document-download", args=[signed.pk]) not in page  # not theirs to download


def test_verification_api(signed, world):
    api = APIClient()
    api.force_authenticate(world.inspector)
    response = api.post(
        reverse("documents_api:verify"), {"file": upload(pdf_bytes(signed))}, format="multipart"
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["verdict"], body["issued"], body["unchanged"], body["match"]) == (
        "authentic",
        True,
        True,
        "exact",
    )
    assert body["document"]["id"] == signed.pk and body["signatures"][0]["signer_username"] == "chair"
    assert APIClient().post(reverse("documents_api:verify"), {}, format="multipart").status_code in (401, 403)


def test_certificate_code_page_is_public_and_says_only_what_it_must(decided, world, client):
    award = Award.objects.get(nominee=decided.nominees[0])
    services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=award)
    code = award.verification_code.code
    response = client.get(reverse("verify-code", args=[f"{code[:4]}-{code[4:]}".lower()]))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-revoked="false"' in page
    for shown in ("Nguyễn Thị Lan", "Giấy khen", "01/QĐ-UBND"):
        assert shown in page
    for hidden in ("710", "Giáo viên Toán", "Sáng kiến"):  # no cash, no position, no achievements
        assert hidden not in page
    approvals.decision_revoke(
        actor=world.chair, awards=[award], reason="Giấy tờ giả", signed_on=REVOCATION_DAY
    )
    page = client.get(reverse("verify-code", args=[code])).content.decode()
    assert 'data-revoked="true"' in page and "02/QĐ-UBND" in page
    assert client.get(reverse("verify-code", args=["ZZZZ-ZZZZ"])).status_code == 404
    api = APIClient().get(reverse("documents_api:verify-code", args=[code])).json()
    assert (api["name"], api["revoked"], api["revoked_by_symbol"]) == ("Nguyễn Thị Lan", True, "02/QĐ-UBND")


def test_a_revoked_award_gets_no_new_certificate(decided, world):
    from org.errors import TransitionNotAllowed

    award = Award.objects.get(nominee=decided.nominees[1])
    approvals.decision_revoke(actor=world.chair, awards=[award], reason="Giấy tờ giả")
    with pytest.raises(TransitionNotAllowed, match="revoked"):
        services.document_render(
            actor=world.chair, kind=K.CERTIFICATE, subject=Award.objects.get(pk=award.pk)
        )
