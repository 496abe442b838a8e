"""The public /verify/ page speaks plain Vietnamese: what changed after each signature in words
(never pyHanko's FORM_FILLING, NONE, OTHER), the signer's name and organisation (never the
certificate's whole subject with its user id) and, when recorded, the capacity they signed in."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from documents import services
from documents.models import GeneratedKind as K
from documents.models import Signature

from .helpers import pdf_bytes
from .test_issuance import agency_key, chair_image, clerk  # noqa: F401 (fixtures)

RAW = ("FORM_FILLING", "LTA_UPDATES", "ANNOTATIONS", "OTHER", "User ID", "Common Name")


def upload(data):
    return SimpleUploadedFile("quyet-dinh.pdf", data, content_type="application/pdf")


@pytest.fixture
def issued(decided, world, chair_image, agency_key, clerk):  # noqa: F811
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    document = services.document_sign(actor=world.chair, document=document)
    return services.document_issue(actor=clerk, document=document)


def check(client, data):
    response = client.post(reverse("verify"), {"file": upload(data)})
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_visitor_reads_plain_words_only(client, issued):
    page = check(client, pdf_bytes(issued))
    for raw in RAW:
        assert raw not in page
    assert "chỉ thêm chữ ký số sau đó" in page  # the chair's signature, then the seal
    assert "không thay đổi sau chữ ký này" in page  # the seal, last
    assert "chair" not in page.split('data-testid="verification"')[1]  # no user id
    assert "Vũ Đức Thắng" in page and "Phường Long Biên" in page
    assert 'data-testid="signature-capacity"' not in page  # signed in own right


def test_the_recorded_capacity_is_shown_as_the_decision_prints_it(client, issued):
    Signature.objects.filter(document=issued, agency__isnull=True).update(capacity="KT")
    page = check(client, pdf_bytes(issued))
    assert 'data-testid="signature-capacity"' in page
    assert "KT. CHỦ TỊCH · PHÓ CHỦ TỊCH" in page and "Vũ Đức Thắng" in page


def test_a_change_after_the_signatures_is_a_clear_warning(client, issued):
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes(issued)))
    box = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 85 700 200 30 re f Q"))
    writer.add_stream_to_page(0, box)
    out = io.BytesIO()
    writer.write(out)
    page = check(client, out.getvalue())
    for raw in RAW:
        assert raw not in page
    assert page.count("Cảnh báo: tệp đã bị thay đổi sau chữ ký này") == 3  # the signer's, the agency's two
    assert "text-danger" in page
