"""Issuance by the records office (Decree 30/2020, Appendix I): the signer's signature shows the
signer's image at the signing block, the agency's signature the seal over its left third and the
agency's information on the annex; both validate with pyHanko, with their RFC 3161 timestamps
from a local authority; a change made after issuance is caught."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from audit.models import AuditEvent
from documents import appearance, services, signing
from documents.models import GeneratedKind as K
from documents.models import Signature
from org.errors import TransitionNotAllowed
from org.models import Role
from tests import factories as f

from .helpers import one_signed_byte_changed, pdf_bytes, pdfsig, text, words
from .tsa import LoopbackServer, make_tsa


@pytest.fixture
def clerk(world):
    return f.user_with_role(Role.RECORDS_CLERK, world.commune, username="clerk", full_name="Trần Thị Văn")


@pytest.fixture
def agency_key(world, signing_keys_dir):
    signing.issue_agency_key(signing_keys_dir, unit=world.commune, secret=signing.DEMO_PASSPHRASE.encode())
    return signing_keys_dir / f"{signing.agency_key_name(world.commune)}.p12"


@pytest.fixture
def chair_image(world):
    png = appearance.signature_image_png(world.chair.get_full_name())
    return services.signature_image_set(
        actor=world.chair, user=world.chair, uploaded_file=SimpleUploadedFile("chu-ky.png", png, "image/png")
    )


@pytest.fixture
def tsa(tmp_path, settings, signing_keys_dir):
    stamper, tsa_root = make_tsa(tmp_path)
    with LoopbackServer(stamper, tmp_path) as server:
        settings.SIGNING_TSA_URL = server.url
        settings.SIGNING_TRUST_ROOTS = [str(signing_keys_dir / signing.CA_CERT), str(tsa_root)]
        yield server


@pytest.fixture
def signed_decision(decided, world, chair_image, agency_key):
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    return services.document_sign(actor=world.chair, document=document)


def statuses(data):
    """pyHanko's own verdict on each signature, against the configured roots only, offline."""
    context = ValidationContext(trust_roots=signing.trust_roots(), allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(data))
    return [(sig, validate_pdf_signature(sig, context)) for sig in reader.embedded_signatures]


def widgets(data, field_name):
    """(page index, rect) of each widget of a signature field."""
    reader = PdfFileReader(io.BytesIO(data))
    pages = {}
    for index in range(int(reader.root["/Pages"]["/Count"])):
        ref, _res = reader.find_page_for_modification(index)
        pages[ref.idnum] = index
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field["/T"] != field_name:
            continue
        kids = [k.get_object() for k in field["/Kids"]] if "/Kids" in field else [field]
        return [(pages[k.raw_get("/P").idnum], [float(v) for v in k["/Rect"]]) for k in kids]
    return []


def test_signed_and_issued_decision_validates_both_signatures_and_timestamps(
    signed_decision, world, clerk, tsa
):
    document = services.document_issue(actor=clerk, document=signed_decision)
    data = pdf_bytes(document)
    # The signer's; the agency's seal; the agency's information on the annex (same key).
    (sig1, st1), (sig2, st2), (sig3, st3) = statuses(data)
    assert [sig.field_name for sig in (sig1, sig2, sig3)] == ["Sig1", "Sig2", "Sig2Annex"]
    assert sig1.signer_cert.subject.native["common_name"] == "Vũ Đức Thắng"
    for agency in (sig2, sig3):
        assert agency.signer_cert.subject.native["common_name"] == "Phường Long Biên"
        assert agency.signer_cert.subject.native["organization_name"] == "Phường Long Biên"
    for status in (st1, st2, st3):
        assert status.intact and status.valid and status.trusted and status.bottom_line
    # The signatures allowed what followed: more signatures, nothing else.
    assert st1.modification_level.name == "FORM_FILLING" and st1.docmdp_ok
    assert st2.modification_level.name == "FORM_FILLING" and st2.docmdp_ok
    assert st3.modification_level.name == "NONE"
    # Only the issuance was timestamped here (the TSA was configured before it): signed now
    # with the TSA for the signer too, in the test below.
    for status in (st2, st3):
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert tsa.requests == 2
    checks = signing.validate(data)
    assert [c.bottom_line for c in checks] == [True, True, True]
    assert checks[1].timestamp_trusted is True and checks[1].timestamp_at is not None


def test_a_poppler_validator_reads_every_signature_as_signed(signed_decision, clerk):
    """pdfsig (poppler: Okular, Evince) reads each signature of an issued decision as signed and
    valid: none of them is a field shown in several places, which poppler reads as unsigned."""
    data = pdf_bytes(services.document_issue(actor=clerk, document=signed_decision))
    report = pdfsig(data)
    assert report.count("Signature Validation: Signature is Valid.") == 3, report
    assert "not signed" not in report, report
    names = [line.split(":", 1)[1].strip() for line in report.splitlines() if "Signature Field Name" in line]
    assert names == ["Sig1", "Sig2", "Sig2Annex"], report


def test_both_signatures_carry_a_trusted_timestamp_and_a_later_change_is_caught(
    decided, world, clerk, chair_image, agency_key, tsa
):
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    document = services.document_sign(actor=world.chair, document=document)
    document = services.document_issue(actor=clerk, document=document)
    data = pdf_bytes(document)
    results = statuses(data)
    assert tsa.requests == 3
    for _sig, status in results:
        assert status.bottom_line
        token = status.timestamp_validity
        assert token is not None and token.intact and token.valid and token.trusted
    assert [c.timestamp_trusted for c in signing.validate(data)] == [True, True, True]

    # One byte changed inside what all signed: none is intact.
    assert [st.intact for _s, st in statuses(one_signed_byte_changed(data))] == [False, False, False]

    # An update appended after issuance that draws on the page: both signatures say so.
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    box = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 85 700 200 30 re f Q"))
    writer.add_stream_to_page(0, box)
    out = io.BytesIO()
    writer.write(out)
    after = statuses(out.getvalue())
    assert all(st.intact for _s, st in after)
    assert not any(st.bottom_line for _s, st in after)
    assert {st.modification_level.name for _s, st in after} == {"OTHER"}


def test_the_signature_image_sits_between_the_title_and_the_name(signed_decision, world):
    data = pdf_bytes(signed_decision)
    assert "(Chữ ký số)" not in text(data)
    [(page, (x0, y0, x1, y1))] = widgets(data, "Sig1")
    page_height = 841.89
    signer_words = [w for w in words(data) if w["page"] == page + 1]
    title = [w for w in signer_words if w["text"] == "CHỦ"][-1]  # "CHỦ TỊCH" above the image
    name = [w for w in signer_words if w["text"] == world.chair.get_full_name().split()[-1]][-1]
    top, bottom = page_height - y1, page_height - y0  # as pdftotext measures, from the top
    assert title["y1"] <= top < bottom <= name["y0"]
    assert x0 < name["x0"] and name["x1"] < x1  # centred over the printed name
    reader = PdfFileReader(io.BytesIO(data))
    field = reader.root["/AcroForm"]["/Fields"][0].get_object()
    assert "/AP" in field  # drawn: the image is the widget's appearance


def test_the_seal_covers_the_left_third_and_the_annex_shows_the_agency(signed_decision, world, clerk):
    data = pdf_bytes(services.document_issue(actor=clerk, document=signed_decision))
    [(page, signer)] = widgets(data, "Sig1")
    [(seal_page, seal)] = widgets(data, "Sig2")
    [(annex_page, annex)] = widgets(data, "Sig2Annex")
    assert seal_page == page
    seal_centre = (seal[0] + seal[2]) / 2
    assert signer[0] < seal_centre < signer[0] + (signer[2] - signer[0]) / 3
    assert seal[1] < (signer[1] + signer[3]) / 2 < seal[3]
    # The annex: the next page, at its top right, within the right margin.
    annex_words = [w for w in words(data) if w["page"] == annex_page + 1]
    assert annex_page > page and any(w["text"] == "DANH" for w in annex_words)
    assert annex[2] <= 595.28 - 15 * 72 / 25.4 + 1 and annex[0] > 595.28 / 2
    title = next(w for w in annex_words if w["text"] == "DANH")
    assert 841.89 - annex[1] <= title["y0"] + 1  # above the annex's title


def test_issuance_is_recorded_with_the_agency(signed_decision, world, clerk):
    document = services.document_issue(actor=clerk, document=signed_decision)
    signature = Signature.objects.get(document=document, agency__isnull=False)
    assert (signature.agency, signature.signer, signature.order) == (world.commune, clerk, 2)
    assert signature.sha256 == document.sha256
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor) == ("document.issue", "clerk")
    assert event.data["agency_id"] == world.commune.pk and event.data["sha256"] == document.sha256


def test_only_a_records_clerk_of_the_issuing_body_issues(signed_decision, world):
    school_clerk = f.user_with_role(Role.RECORDS_CLERK, world.school_a, username="school_clerk")
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    for who in (world.chair, world.officer, school_clerk, admin):
        with pytest.raises(PermissionDenied):
            services.document_issue(actor=who, document=signed_decision)
    assert not Signature.objects.filter(agency__isnull=False).exists()


def test_issued_once_and_only_after_the_signer_signed(decided, world, clerk, chair_image, agency_key):
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    with pytest.raises(TransitionNotAllowed, match="has not signed"):
        services.document_issue(actor=clerk, document=document)
    document = services.document_sign(actor=world.chair, document=document)
    services.document_issue(actor=clerk, document=document)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionNotAllowed, match="already been issued"):
        services.document_issue(actor=clerk, document=document)
    assert AuditEvent.objects.count() == before


def test_a_body_without_an_agency_key_is_told_so(decided, world, clerk, settings, tmp_path):
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    document = services.document_sign(actor=world.chair, document=document)
    settings.SIGNING_KEYS_DIR = str(tmp_path)
    with pytest.raises(ValidationError, match="no agency key"):
        services.document_issue(actor=clerk, document=document)
    assert document.signatures.count() == 1


def test_a_signer_without_an_image_signs_invisibly(decided, world):
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    data = pdf_bytes(services.document_sign(actor=world.chair, document=document))
    [(_page, rect)] = widgets(data, "Sig1")
    assert rect == [0, 0, 0, 0]
    assert [c.bottom_line for c in signing.validate(data)] == [True]


def test_signature_image_is_a_png_set_by_its_owner_or_an_admin(world):
    png = appearance.signature_image_png("Vũ Đức Thắng")
    upload = SimpleUploadedFile("chu-ky.png", png, "image/png")
    with pytest.raises(PermissionDenied):
        services.signature_image_set(actor=world.officer, user=world.chair, uploaded_file=upload)
    pdf = SimpleUploadedFile("chu-ky.pdf", f.pdf_bytes(), "application/pdf")
    with pytest.raises(ValidationError, match="PNG"):
        services.signature_image_set(actor=world.chair, user=world.chair, uploaded_file=pdf)
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    image = services.signature_image_set(actor=admin, user=world.chair, uploaded_file=upload)
    assert image.uploaded_by == admin and image.image.read() == png
    assert AuditEvent.objects.order_by("-seq").first().action == "signature_image.set"
