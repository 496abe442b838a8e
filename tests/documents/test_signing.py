"""Signing (pyHanko, PAdES): who may sign what, the signature validated by pyHanko against the
demo CA, tampering detected, a signed decision never changed, the keys command."""

import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from approvals import services as approvals
from approvals.models import Award, Decision
from audit.models import AuditEvent
from documents import rendering, services, signing
from documents.models import GeneratedKind as K
from documents.models import Signature
from dossiers.models import Nominee
from org.errors import TransitionNotAllowed
from tests import factories as f

from .helpers import one_signed_byte_changed, pdf_bytes


def pyhanko_statuses(data):
    """pyHanko's own verdict on every signature, against the demo CA only."""
    roots = signing.trust_roots()
    reader = PdfFileReader(io.BytesIO(data))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    return [(sig, validate_pdf_signature(sig, context)) for sig in reader.embedded_signatures]


@pytest.fixture
def decision_doc(decided, world):
    return services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)


def test_chair_signs_the_decision_with_their_own_certificate(decision_doc, world):
    rendered = pdf_bytes(decision_doc)
    signed_doc = services.document_sign(actor=world.chair, document=decision_doc)
    data = pdf_bytes(signed_doc)
    [(embedded, status)] = pyhanko_statuses(data)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    chair_cert = signing.load_signer("chair").signing_cert
    assert embedded.signer_cert.dump() == chair_cert.dump()
    assert embedded.signer_cert.subject.native["common_name"] == "Vũ Đức Thắng"
    # Appended, not rewritten: the rendered bytes are the prefix and their hash stays on record.
    assert data.startswith(rendered) and signed_doc.rendered_sha256 == rendering.sha256(rendered)
    signature = Signature.objects.get(document=signed_doc)
    assert (signature.signer, signature.capacity, signature.sha256) == (
        world.chair,
        "",
        rendering.sha256(data),
    )
    assert signature.sha256_before == rendering.sha256(rendered)
    assert signature.certificate_fingerprint == signing.certificate_info(chair_cert)["fingerprint"]
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.data["sha256"]) == ("document.sign", "chair", signed_doc.sha256)
    assert signed_doc.signed and signed_doc.sha256 == rendering.sha256(data)


def test_a_modified_pdf_is_detected(decision_doc, world):
    data = pdf_bytes(services.document_sign(actor=world.chair, document=decision_doc))
    [(_sig, status)] = pyhanko_statuses(one_signed_byte_changed(data))
    assert not status.intact and not status.bottom_line

    # An incremental update after the signature that changes what the page shows.
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    box = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 85 700 200 30 re f Q"))
    writer.add_stream_to_page(0, box)
    out = io.BytesIO()
    writer.write(out)
    [(_sig, status)] = pyhanko_statuses(out.getvalue())
    assert status.intact and not status.bottom_line
    assert status.modification_level.name == "OTHER"


def test_only_the_decisions_signer_signs_it_in_its_capacity(decision_doc, world, council_roles):
    for who in (world.head_a, world.vice_chair, world.officer, world.inspector):
        with pytest.raises(PermissionDenied):
            services.document_sign(actor=who, document=decision_doc)
    with pytest.raises(PermissionDenied, match="capacity"):
        services.document_sign(actor=world.chair, document=decision_doc, capacity="KT")
    assert not Signature.objects.exists()


def test_vice_chair_signs_kt_when_the_decision_says_so(world, council_roles):
    from documents.contexts import NBSP  # noqa: F401  (the signing block reads KT. CHỦ TỊCH)

    decision = _decision_signed_by(world, world.vice_chair, "KT")
    document = services.document_render(actor=world.vice_chair, kind=K.DECISION, subject=decision)
    from .helpers import text

    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text(pdf_bytes(document))
    signed = services.document_sign(actor=world.vice_chair, document=document)
    assert Signature.objects.get(document=signed).capacity == "KT"
    assert "KT. Ký ban hành Quyết định 01/QĐ-UBND" in _reason(pdf_bytes(signed))


def _reason(data):
    [sig] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    return str(sig.sig_object.get("/Reason"))


def _decision_signed_by(world, signer, capacity):
    from django.utils import timezone

    from dossiers.models import DossierState, NomineeOutcome

    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=DossierState.AWAITING_DECISION,
    )
    f.NomineeFactory(
        dossier=dossier,
        outcome=NomineeOutcome.VOTED_IN,
        rule=f.award("giay-khen").rule_on(timezone.localdate()),
    )
    return approvals.decision_issue(
        actor=signer, dossiers=[dossier], title="Về việc tặng Giấy khen", capacity=capacity
    )


def test_unit_head_signs_the_submission_once(decided, world):
    document = services.document_render(actor=world.staff_a, kind=K.SUBMISSION, subject=decided.dossier)
    with pytest.raises(PermissionDenied, match="head of the unit"):
        services.document_sign(actor=world.staff_a, document=document)
    services.document_sign(actor=world.head_a, document=document)
    with pytest.raises(TransitionNotAllowed, match="already signed"):
        services.document_sign(actor=world.head_a, document=document)


def test_minutes_carry_the_secretarys_and_the_chairs_signatures(decided, world):
    document = services.document_render(actor=world.secretary, kind=K.MINUTES, subject=decided.dossier)
    services.document_sign(actor=world.secretary, document=document)
    document = services.document_sign(actor=world.chair, document=document)
    statuses = pyhanko_statuses(pdf_bytes(document))
    assert [s.signer_cert.subject.native["common_name"] for s, _st in statuses] == [
        "Đỗ Thị Hạnh",
        "Vũ Đức Thắng",
    ]
    assert all(status.bottom_line for _s, status in statuses)
    # The first signature certified the document, allowing the second (FILL_FORMS).
    assert statuses[0][1].modification_level.name == "FORM_FILLING"
    assert list(document.signatures.values_list("order", flat=True)) == [1, 2]


def test_a_signer_without_a_key_is_told_so(decided, world, settings, tmp_path):
    document = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    settings.SIGNING_KEYS_DIR = str(tmp_path)
    with pytest.raises(ValidationError, match="no signing key"):
        services.document_sign(actor=world.head_a, document=document)


def test_an_old_version_cannot_be_signed(decided, world):
    first = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    Nominee.objects.filter(pk=decided.nominees[0].pk).update(position="Tổ trưởng chuyên môn")
    services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    with pytest.raises(TransitionNotAllowed, match="newer version"):
        services.document_sign(actor=world.head_a, document=first)


def set_title_in_sql(decision, title):
    """Change a decision's row the only way left round the model: raw SQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Decision._meta.db_table} SET title = %s WHERE id = %s", [title, decision.pk])


def test_a_signed_decision_is_never_changed(decision_doc, decided, world):
    assert Decision.objects.get(pk=decided.pk).signed_at is None
    services.document_sign(actor=world.chair, document=decision_doc)
    decision = Decision.objects.get(pk=decided.pk)
    assert decision.signed_at == Signature.objects.get(document=decision_doc).signed_at
    decision.title = "Về việc tặng Giấy khen (sửa)"
    with pytest.raises(TransitionNotAllowed, match="is signed"):
        decision.save()
    award = Award.objects.filter(decision=decided).first()
    award.amount = 1
    with pytest.raises(TransitionNotAllowed):
        award.save()
    other = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    with pytest.raises(TransitionNotAllowed), transaction.atomic():  # add() runs in the caller's transaction
        decision.dossiers.add(other)
    with pytest.raises(TransitionNotAllowed, match="is signed"):
        Decision.objects.filter(pk=decided.pk).update(title="Về việc tặng Giấy khen (sửa)")
    # Data changed behind the model's back: rendering refuses rather than replace the signed text.
    set_title_in_sql(decided, "Về việc tặng Giấy khen (sửa)")
    with pytest.raises(TransitionNotAllowed, match="is signed"):
        services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    set_title_in_sql(decided, "Về việc tặng Giấy khen")
    assert services.document_render(actor=world.chair, kind=K.DECISION, subject=decided).pk == decision_doc.pk
    # Revoking (a new decision) is still possible, and marks the award.
    revocation = approvals.decision_revoke(actor=world.chair, awards=[award], reason="Giấy tờ giả")
    assert Award.objects.get(pk=award.pk).revoked_by == revocation


def test_a_stored_file_altered_on_disk_is_not_signed(decision_doc, world):
    path = decision_doc.file.path
    with open(path, "ab") as handle:
        handle.write(b"%tampered\n")
    with pytest.raises(TransitionNotAllowed, match="recorded hash"):
        services.document_sign(actor=world.chair, document=decision_doc)


def test_issue_signing_cert_is_idempotent(world, settings, tmp_path):
    settings.SIGNING_KEYS_DIR = str(tmp_path / "keys")
    call_command("issue_signing_cert", "chair", "head_a", stdout=io.StringIO())
    first = {p.name: p.read_bytes() for p in (tmp_path / "keys").iterdir()}
    assert set(first) == {"ca.pem", "ca-key.pem", "chair.p12", "head_a.p12"}
    assert oct(os.stat(tmp_path / "keys" / "chair.p12").st_mode & 0o777) == "0o600"
    out = io.StringIO()
    call_command("issue_signing_cert", "chair", "head_a", stdout=out)
    assert {p.name: p.read_bytes() for p in (tmp_path / "keys").iterdir()} == first
    assert "exists  chair.p12" in out.getvalue()
    cert = signing.load_signer("chair").signing_cert
    assert cert.subject.native["common_name"] == world.chair.get_full_name()
    assert cert.key_usage_value.native == {"digital_signature", "non_repudiation"}
