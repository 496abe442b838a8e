"""Verification anyone can use (issue 12, item 5): /verify/ and its QR links without an account,
throttled per client address; unsigned and altered documents said plainly; each signature's
signer, capacity, time (Vietnam time) and, for the agency's signature, the agency; nothing of the
dossier behind it. The site's public address is one setting, used by the QR codes."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents import contexts, services
from documents.models import GeneratedKind as K
from documents.models import Signature
from documents.verification import verify_pdf

from .helpers import one_signed_byte_changed, pdf_bytes
from .test_issuance import agency_key, chair_image, clerk  # noqa: F401 (fixtures)


def upload(data, name="quyet-dinh.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def issued(decided, world, chair_image, agency_key, clerk):  # noqa: F811
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    document = services.document_sign(actor=world.chair, document=document)
    return services.document_issue(actor=clerk, document=document)


def test_the_verify_page_opens_without_an_account(client, db):
    response = client.get(reverse("verify"))
    assert response.status_code == 200 and 'name="file"' in response.content.decode()


def test_an_anonymous_visitor_sees_each_signature_and_the_agency(client, issued, world):
    response = client.post(reverse("verify"), {"file": upload(pdf_bytes(issued))})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-verdict="authentic"' in page
    assert 'data-testid="unsigned"' not in page
    signatures = Signature.objects.filter(document=issued).select_related("agency")
    agency = next(s for s in signatures if s.agency_id)
    assert 'data-testid="signature-agency"' in page and agency.agency.name in page
    assert "Vũ Đức Thắng" in page
    person = next(s for s in signatures if not s.agency_id)
    local = timezone.localtime(person.signed_at)
    assert local.strftime("%d/%m/%Y") in page and "giờ Việt Nam" in page
    # Nothing of the dossier behind it, and no download for a visitor.
    nominee = issued.decision.dossiers.first().nominees.first()
    assert nominee.name not in page
    assert reverse("document-download", args=[issued.pk]) not in page
    report = verify_pdf(pdf_bytes(issued))
    # The signer's, then the agency's: its seal and its information on the annex.
    assert [(bool(r.agency), r.on_annex) for r in report.signatures] == [
        (False, False),
        (True, False),
        (True, True),
    ]
    assert page.count('data-testid="signature-agency"') == 2 and "(trên phụ lục)" in page


def test_capacity_is_shown_before_the_signer(client, issued):
    Signature.objects.filter(document=issued, agency__isnull=True).update(capacity="KT")
    page = client.post(reverse("verify"), {"file": upload(pdf_bytes(issued))}).content.decode()
    assert "KT. CHỦ TỊCH" in page and "Vũ Đức Thắng" in page


def test_an_unsigned_document_is_said_plainly(client, decided, world):
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    page = client.post(reverse("verify"), {"file": upload(pdf_bytes(document))}).content.decode()
    assert 'data-testid="unsigned"' in page and "không có chữ ký số" in page


def test_an_altered_document_is_said_plainly(client, issued):
    data = one_signed_byte_changed(pdf_bytes(issued))
    page = client.post(reverse("verify"), {"file": upload(data)}).content.decode()
    assert 'data-verdict="modified"' in page


def test_the_certificate_code_page_is_public_and_shows_no_id_number(client, decided):
    from approvals.models import Award
    from documents.models import VerificationCode

    award = Award.objects.filter(decision=decided).select_related("nominee").first()
    code = VerificationCode.objects.filter(award=award).first()
    if code is None:
        code = VerificationCode.objects.create(award=award, code="ABCD2345")
    award.nominee.__class__.objects.filter(pk=award.nominee_id).update(id_number="001234567890")
    response = client.get(reverse("verify-code", args=[code.code]))
    page = response.content.decode()
    assert response.status_code == 200 and award.nominee.name in page
    assert "001234567890" not in page


def test_too_many_requests_from_one_address_are_refused_in_vietnamese(client, db, settings):
    settings.VERIFY_THROTTLE_RATE = "3/minute"
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    for _ in range(3):
        assert client.get(reverse("verify"), REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(reverse("verify-code", args=["ABCD2345"]), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Quá nhiều yêu cầu" in refused.content.decode()
    # Another address is counted on its own.
    assert client.get(reverse("verify"), REMOTE_ADDR="203.0.113.8").status_code == 200


def test_qr_payload_uses_the_public_base_url(settings, decided):
    """The URL a certificate's QR code carries is built from PUBLIC_BASE_URL (what `make run` sets
    to the address it serves), and the QR code drawn is that URL's."""
    from approvals.models import Award

    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8123/"
    assert contexts.verification_url("ABCD2345") == "http://127.0.0.1:8123/verify/ABCD2345/"
    award = Award.objects.filter(decision=decided).select_related("decision__issuer").first()
    context = contexts.certificate_context(award, "ABCD2345")
    assert context["url"] == "http://127.0.0.1:8123/verify/ABCD2345/"
    assert contexts.qr_svg(context["url"]) == contexts.qr_svg("http://127.0.0.1:8123/verify/ABCD2345/")
    assert contexts.qr_svg(context["url"]) != contexts.qr_svg("http://127.0.0.1:8000/verify/ABCD2345/")
