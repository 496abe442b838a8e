"""Every write of documents: render (a new version only when the data changed), sign, and the
batch of certificates of a decision. Each is one transaction with its audit event.

Immutability: a stored PDF is never replaced. Rendering the same data gives the same HTML (its
hash is kept), so rendering again returns the existing version; changed data makes version n+1
and marks the old one superseded. A signature appends to the bytes (the earlier state stays as
the prefix, and its hash stays on record). A signed decision refuses any change.
"""

import io
import logging
import secrets
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from approvals.models import Award, Decision, DecisionKind, SignerCapacity
from audit import services as audit
from dossiers.models import Dossier, Nominee
from org.errors import TransitionNotAllowed

from . import contexts, permissions, rendering, signing
from .models import (
    SUBJECT_FIELD,
    BatchState,
    CertificateBatch,
    GeneratedDocument,
    GeneratedKind,
    Signature,
    VerificationCode,
    subject_key,
)

K = GeneratedKind
logger = logging.getLogger(__name__)
SUBJECT_MODELS = {"dossier": Dossier, "nominee": Nominee, "decision": Decision, "award": Award}
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud and typed by hand
CODE_LENGTH = 8
PROGRESS_EVERY = 5  # certificates between two progress writes


def _lock_subject(kind, subject):
    model = SUBJECT_MODELS[SUBJECT_FIELD[kind]]
    if not isinstance(subject, model):
        raise ValidationError(
            _("This document is made from a %(model)s.") % {"model": model._meta.verbose_name}
        )
    return model.objects.select_for_update().get(pk=subject.pk)


def _check_subject(kind, subject):
    if kind == K.DECISION and subject.kind != DecisionKind.AWARD:
        raise ValidationError(_("Only an award decision is rendered as a decision."))
    if kind == K.REVOCATION and subject.kind != DecisionKind.REVOCATION:
        raise ValidationError(_("Only a revocation is rendered as a revocation decision."))
    if kind == K.CERTIFICATE and subject.revoked_by_id:
        raise TransitionNotAllowed(_("This award has been revoked: no certificate is made for it."))
    if kind == K.ACHIEVEMENT and subject.removed_at:
        raise ValidationError(_("This nominee was removed from the dossier."))


def verification_code_for(award) -> str:
    """The award's certificate code, made once and the same for every version."""
    existing = VerificationCode.objects.filter(award=award).values_list("code", flat=True).first()
    if existing:
        return existing
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not VerificationCode.objects.filter(code=code).exists():
            return VerificationCode.objects.create(award=award, code=code).code


def certificate_html(items: list[dict]) -> str:
    """One HTML for one or many certificates (each item a certificate context)."""
    for item in items:
        item.setdefault("qr_svg", contexts.qr_svg(item["url"]))
    return rendering.render_html("documents/certificates.html", {"certificates": items})


def document_html(kind, subject) -> str:
    """The HTML of a document of `kind` about `subject`, from the data as it is now; in
    Vietnamese whatever the request's language (labels read from other apps included)."""
    with translation.override("vi"):
        return _document_html(kind, subject)


def _document_html(kind, subject) -> str:
    if kind == K.CERTIFICATE:
        award = Award.objects.select_related(
            "decision__issuer", "decision__signed_by", "nominee__award_type", "nominee__dossier__campaign"
        ).get(pk=subject.pk)
        return certificate_html([contexts.certificate_context(award, verification_code_for(award))])
    template, build = contexts.BUILDERS[kind]
    return rendering.render_html(template, build(subject))


def document_render(*, actor, kind, subject) -> GeneratedDocument:
    """Render the document of `kind` about `subject` (a dossier, nominee, decision or award).

    Same data → the existing version, unchanged (no new row, no event). Changed data → version
    n+1, the previous one marked superseded, never overwritten. A decision whose document is
    signed refuses: a signed decision is not changed, it is revoked by a new one (Luật TĐKT
    2022). Refused before anything is written when the actor may not make this document.
    """
    kind = K(kind)
    with transaction.atomic():
        subject = _lock_subject(kind, subject)
        if not permissions.can_render(actor, kind, subject):
            raise PermissionDenied(_("You may not make this document."))
        _check_subject(kind, subject)
        html = document_html(kind, subject)
        return _store(actor=actor, kind=kind, subject=subject, html=html)


def _store(*, actor, kind, subject, html) -> GeneratedDocument:
    key = subject_key(subject)
    source = rendering.sha256(html)
    latest = GeneratedDocument.objects.filter(subject_key=key, kind=kind).order_by("-version").first()
    if latest is not None and latest.source_sha256 == source:
        return latest
    if latest is not None and latest.signed and kind in (K.DECISION, K.REVOCATION):
        raise TransitionNotAllowed(
            _("Decision %(symbol)s is signed: it is never changed. Revoke it by a new decision.")
            % {"symbol": subject.symbol}
        )
    pdf = rendering.html_to_pdf(html)
    digest = rendering.sha256(pdf)
    document = GeneratedDocument(
        kind=kind,
        subject_key=key,
        version=(latest.version + 1) if latest else 1,
        sha256=digest,
        rendered_sha256=digest,
        source_sha256=source,
        size=len(pdf),
        rendered_by=actor,
        **{SUBJECT_FIELD[kind]: subject},
    )
    _set_related(document, kind, subject)
    document.file.save(document.download_name, ContentFile(pdf), save=False)
    document.save()
    if latest is not None:
        GeneratedDocument.objects.filter(pk=latest.pk).update(superseded_by=document)
    audit.record(
        actor=actor,
        action="document.generate",
        target=document,
        data={
            "kind": kind.value,
            "subject": key,
            "version": document.version,
            "sha256": digest,
            "size": len(pdf),
            "supersedes": latest.pk if latest else None,
            **_dossier_ref(document),
        },
    )
    return document


def _set_related(document, kind, subject):
    """Also fill the links a list or a permission check needs (a nominee's dossier, an award's
    decision), so that those lookups are one indexed filter."""
    if kind == K.ACHIEVEMENT:
        document.dossier_id = subject.dossier_id
    elif kind == K.CERTIFICATE:
        document.decision_id = subject.decision_id
        document.nominee_id = subject.nominee_id


def _dossier_ref(document) -> dict:
    return {"dossier_id": document.dossier_id} if document.dossier_id else {}


# --- signing ----------------------------------------------------------------------------------


def document_sign(*, actor, document, capacity=None) -> GeneratedDocument:
    """Append the actor's digital signature (PAdES) to the current version of a document.

    The decision's signer signs it in the capacity it states (TM./KT./TL./TUQ., Decree 30);
    the unit head signs the unit's tờ trình and trích ngang; the council's secretary and chair
    sign its minutes. Refused: a superseded version, a second signature by the same person, a
    stored file whose bytes no longer match their hash, a signer without a key on this server.
    """
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if capacity is None:
            decision = permissions.subject_decision(document.kind, document.subject)
            capacity = decision.signer_capacity if decision else ""
        if capacity not in SignerCapacity.values:
            raise ValidationError({"capacity": _("Unknown signing capacity.")})
        refusal = permissions.signing_refusal(actor, document, capacity)
        if refusal:
            raise PermissionDenied(refusal)
        if document.superseded_by_id:
            raise TransitionNotAllowed(_("A newer version of this document exists: sign that one."))
        if document.signatures.filter(signer=actor).exists():
            raise TransitionNotAllowed(_("You have already signed this document."))
        try:
            signer = signing.load_signer(actor.get_username())
        except signing.SigningKeyMissing:
            raise ValidationError(
                _("%(name)s has no signing key on this server (%(path)s).")
                % {"name": actor.get_full_name(), "path": signing.key_path(actor.get_username()).name}
            ) from None
        before = _read(document)
        if rendering.sha256(before) != document.sha256:
            raise TransitionNotAllowed(
                _("The stored file does not match its recorded hash: it is not signed.")
            )
        order = document.signatures.count() + 1
        signed = signing.sign(
            before,
            signer=signer,
            field_name=f"Sig{order}",
            certify=order == 1,
            reason=_signing_reason(document, capacity),
            location=_location(document),
        )
        info = signing.certificate_info(signer.signing_cert)
        digest = rendering.sha256(signed)
        signature = Signature(
            document=document,
            order=order,
            field_name=f"Sig{order}",
            signer=actor,
            capacity=capacity,
            certificate_subject=info["subject"][:500],
            certificate_serial=info["serial"],
            certificate_fingerprint=info["fingerprint"],
            signed_at=timezone.now(),
            sha256_before=document.sha256,
            sha256=digest,
            size=len(signed),
            signed_digest=signing.last_message_digest(signed),
        )
        signature.file.save(f"{document.pk}-{order}.pdf", ContentFile(signed), save=False)
        signature.save()
        document.file = signature.file.name  # a new FieldFile: the old one caches the old file
        document.sha256, document.size, document.signed = digest, len(signed), True
        document.save(update_fields=["file", "sha256", "size", "signed"])
        if document.kind in (K.DECISION, K.REVOCATION):
            # From the first signature on, the decision itself refuses any change.
            Decision.objects.filter(pk=document.decision_id).mark_signed(at=signature.signed_at)
        audit.record(
            actor=actor,
            action="document.sign",
            target=document,
            data={
                "kind": document.kind,
                "subject": document.subject_key,
                "version": document.version,
                "order": order,
                "capacity": capacity,
                "sha256_before": signature.sha256_before,
                "sha256": digest,
                "certificate_serial": info["serial"],
                "certificate_fingerprint": info["fingerprint"],
                "certificate_subject": signature.certificate_subject,
                **_dossier_ref(document),
            },
        )
    return document


def _read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _signing_reason(document, capacity) -> str:
    label = {"": "", "TM": "TM. ", "KT": "KT. ", "TL": "TL. ", "TUQ": "TUQ. "}[capacity]
    decision = permissions.subject_decision(document.kind, document.subject)
    what = f"Quyết định {decision.symbol}" if decision else document.get_kind_display()
    return f"{label}Ký ban hành {what}".strip()


def _location(document) -> str:
    dossiers = permissions.subject_dossiers(document.kind, document.subject)
    unit = dossiers[0].reviewing_unit or dossiers[0].unit if dossiers else None
    return (unit.place_name or unit.name) if unit else ""


# --- certificates of a decision, in the background ---------------------------------------------


def _awards_to_certify(decision):
    return list(
        Award.objects.filter(decision=decision, revoked_by__isnull=True)
        .select_related(
            "decision__issuer", "decision__signed_by", "nominee__award_type", "nominee__dossier__campaign"
        )
        .order_by("nominee__dossier_id", "nominee_id")
    )


def certificate_batch_start(*, actor, decision) -> CertificateBatch:
    """Ask for the certificates of every award of a decision (not revoked), made in the
    background into one ZIP. A batch already under way is returned instead of a second one."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.kind != DecisionKind.AWARD:
            raise ValidationError(_("Only an award decision has certificates."))
        if not permissions.can_render(actor, K.DECISION, decision):
            raise PermissionDenied(_("You may not make the certificates of this decision."))
        running = CertificateBatch.objects.filter(
            decision=decision, state__in=[BatchState.PENDING, BatchState.RUNNING]
        ).first()
        if running is not None:
            return running
        total = Award.objects.filter(decision=decision, revoked_by__isnull=True).count()
        if not total:
            raise ValidationError(_("This decision has no award left to certify."))
        batch = CertificateBatch.objects.create(decision=decision, requested_by=actor, total=total)
        audit.record(
            actor=actor,
            action="certificate_batch.start",
            target=batch,
            data={"decision_id": decision.pk, "symbol": decision.symbol, "total": total},
        )
        transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def _enqueue(batch_id):
    from .tasks import certificates_for_decision

    certificates_for_decision.delay(batch_id)


def certificate_batch_run(*, batch_id) -> CertificateBatch:
    """The background part: one certificate document per award (each its own transaction and
    audit event, so a failure keeps what was made), progress written as it goes, then one ZIP."""
    batch = CertificateBatch.objects.select_related("decision", "requested_by").get(pk=batch_id)
    if batch.finished:
        return batch
    CertificateBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, done=0)
    try:
        awards = _awards_to_certify(batch.decision)
        CertificateBatch.objects.filter(pk=batch.pk).update(total=len(awards))
        documents = []
        for index, award in enumerate(awards, start=1):
            documents.append(document_render(actor=batch.requested_by, kind=K.CERTIFICATE, subject=award))
            if index % PROGRESS_EVERY == 0 or index == len(awards):
                CertificateBatch.objects.filter(pk=batch.pk).update(done=index)
        data = build_zip(documents, awards)
        with transaction.atomic():
            batch = CertificateBatch.objects.select_for_update().get(pk=batch.pk)
            batch.file.save(f"{batch.decision_id}.zip", ContentFile(data), save=False)
            batch.sha256, batch.state, batch.finished_at = (
                rendering.sha256(data),
                BatchState.DONE,
                timezone.now(),
            )
            batch.done = batch.total = len(documents)
            batch.save()
            audit.record(
                actor=batch.requested_by,
                action="certificate_batch.finish",
                target=batch,
                data={
                    "decision_id": batch.decision_id,
                    "count": len(documents),
                    "sha256": batch.sha256,
                    "documents": [d.pk for d in documents],
                },
            )
    except Exception as exc:
        logger.exception("certificate batch %s failed", batch_id)
        CertificateBatch.objects.filter(pk=batch_id).update(
            state=BatchState.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    return CertificateBatch.objects.get(pk=batch_id)


def ascii_slug(text) -> str:
    return slugify(str(text).replace("đ", "d").replace("Đ", "D")) or "x"


def build_zip(documents, awards) -> bytes:
    """One ZIP, its entries named 001-nguyen-thi-lan.pdf …, with a fixed date so the same
    certificates give the same ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (document, award) in enumerate(zip(documents, awards, strict=True), start=1):
            info = zipfile.ZipInfo(
                f"{index:03d}-{ascii_slug(award.nominee.name)}.pdf", date_time=(1980, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _read(document))
    return buffer.getvalue()
