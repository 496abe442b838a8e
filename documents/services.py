"""Every write of documents: render (a new version only when the data changed), sign, and the
batch of certificates of a decision. Each is one transaction with its audit event.

Immutability: a stored PDF is never replaced. Rendering the same data gives the same HTML (its
hash is kept), so rendering again returns the existing version; changed data makes version n+1
and marks the old one superseded. A signature appends to the bytes (the earlier state stays as
the prefix, and its hash stays on record). A signed decision refuses any change.
"""

import datetime as dt
import io
import logging
import secrets
import zipfile

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from approvals.models import Award, Decision, DecisionKind, SignerCapacity
from audit import services as audit
from dossiers.models import Dossier, Nominee
from fund import services as fund_services
from org.errors import TransitionNotAllowed
from org.models import RegisterEntry, RegisterSeries
from org.register_numbers import register_take

from . import appearance, contexts, permissions, rendering, signing
from .models import (
    SUBJECT_FIELD,
    UNFINISHED,
    BatchState,
    CertificateBatch,
    CertificateBatchItem,
    GeneratedDocument,
    GeneratedKind,
    Signature,
    SignatureImage,
    VerificationCode,
    batch_max_attempts,
    subject_key,
)
from .providers import provider_for

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
    if kind == K.DECISION and subject.kind != DecisionKind.AWARD and provider_for(subject) is None:
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


def certificate_number_for(award) -> str:
    """The certificate's number in its issuer's register of certificates ("05/GK"), taken the
    first time it is made (in that transaction) and kept for every later version: a series of
    its own, apart from the register of outgoing documents (org.registers)."""
    entry = RegisterEntry.objects.filter(
        register__series=RegisterSeries.CERTIFICATES,
        content_type=ContentType.objects.get_for_model(Award),
        object_id=str(award.pk),
    ).first()
    if entry is None:
        decision, nominee = award.decision, award.nominee
        entry = register_take(
            unit=decision.issuer,
            year=decision.signed_on.year,
            symbol=contexts.certificate_symbol(nominee.award_type),
            subject=f"{nominee.award_type.name}: {nominee.name} ({decision.symbol})",
            on=decision.signed_on,
            actor=None,
            series=RegisterSeries.CERTIFICATES,
            target=award,
        )
    return entry.document_number


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
        return certificate_html(
            [contexts.certificate_context(award, verification_code_for(award), certificate_number_for(award))]
        )
    provider = provider_for(subject) if kind == K.DECISION else None
    if provider is not None:
        return rendering.render_html(*provider.document(subject))
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
            certify=False,  # approval signatures: later visible ones may follow (module docstring)
            reason=_signing_reason(document, capacity),
            location=_location(document),
            appearance=_signer_appearance(before, actor),
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
            provider = provider_for(document.decision)
            if provider is not None:  # e.g. a contest is decided when its results decision is signed
                provider.on_signed(actor=actor, decision=document.decision)
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


def _signer_appearance(pdf, actor):
    """The signer's signature image in the box the template reserved for them (Decree 30,
    Appendix I), or None (an invisible signature) when they have no image or there is no box."""
    image = SignatureImage.objects.filter(user=actor).first()
    box = appearance.signer_box(pdf, contexts.person_name(actor))
    if image is None or box is None:
        return None
    with image.image.open("rb") as handle:
        return signing.Appearance(box=box, image=handle.read())


SIGNATURE_IMAGE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_IMAGE_MAX_SIDE = 4000  # pixels


def signature_image_set(*, actor, user, uploaded_file) -> SignatureImage:
    """Keep `uploaded_file` as the image of `user`'s handwritten signature, shown by their later
    digital signatures (Decree 30, Appendix I). The person themselves or an administrator; a PNG
    only, checked by its content like every upload (dossiers.files.sniff)."""
    from dossiers.files import PNG, FileRejected, sniff
    from org.models import Role
    from org.scopes import roles_of

    with transaction.atomic():
        if not (actor.pk == user.pk or Role.ADMIN in roles_of(actor)):
            raise PermissionDenied(_("Only the person or an administrator sets a signature image."))
        try:
            sniffed = sniff(uploaded_file, max_bytes=SIGNATURE_IMAGE_MAX_BYTES)
        except FileRejected as exc:
            raise ValidationError({"image": str(exc)}) from None
        if sniffed.content_type != PNG:
            raise ValidationError({"image": _("The signature image must be a PNG picture.")})
        from PIL import Image

        with Image.open(uploaded_file) as picture:
            width, height = picture.size
        uploaded_file.seek(0)
        if max(width, height) > SIGNATURE_IMAGE_MAX_SIDE or min(width, height) < 20:
            raise ValidationError(
                {"image": _("The signature image must be between 20 and 4000 pixels on each side.")}
            )
        image, _created = SignatureImage.objects.select_for_update().get_or_create(
            user=user, defaults={"sha256": sniffed.sha256, "uploaded_by": actor}
        )
        image.sha256, image.uploaded_by = sniffed.sha256, actor
        image.image.save(f"{user.pk}.png", ContentFile(uploaded_file.read()), save=False)
        image.save()
        audit.record(
            actor=actor,
            action="signature_image.set",
            target=image,
            scope=audit.scope_of(user.unit) if user.unit_id else None,
            data={"user": user.get_username(), "sha256": sniffed.sha256, "width": width, "height": height},
        )
    return image


# --- issuance: the agency's signature ----------------------------------------------------------


def issued(document) -> bool:
    return document.signatures.filter(agency__isnull=False).exists()


def document_issue(*, actor, document, acknowledge_overdraw=False) -> GeneratedDocument:
    """The records office issues a signed decision: it appends the issuing body's digital
    signature (its agency key), shown as the body's seal over the left third of the signer's
    signature and, on the annex, as the body's name and the time at the top right (Decree
    30/2020, Article 15 and Appendix I).

    Order: the register number and date are taken when the decision is made (before the signer
    signs, org.register_services), so they are in the text the signer signs; the agency's
    signature adds no content, only itself. The signer's signature is an approval signature: what
    may follow it is another signature (a new signature field, its appearance) and nothing else,
    so both stay valid and any later change of the content invalidates both.

    Refused: anyone but a records clerk of the issuing body; a document that is not a decision;
    a superseded version; one its signer has not signed yet; one already issued; a stored file
    whose bytes no longer match their hash; a body without an agency key or seal on this server.

    In the same transaction the decision's cash is charged to the body's award fund (a revocation
    returns the revoked cash), once (fund.services.issue_settle); a charge that would overdraw a
    fund whose budget is set is refused unless `acknowledge_overdraw` (recorded in its event).
    """
    with transaction.atomic():
        # Only the document's row is locked (PostgreSQL locks no outer-joined row).
        document = (
            GeneratedDocument.objects.select_for_update(of=("self",))
            .select_related("decision__issuer", "decision__signed_by")
            .get(pk=document.pk)
        )
        if document.kind not in permissions.ISSUED_KINDS:
            raise ValidationError(_("Only a decision is issued by the records office."))
        if not permissions.can_issue(actor, document):
            raise PermissionDenied(_("Only a records clerk of the issuing body issues this decision."))
        decision = document.decision
        if document.superseded_by_id:
            raise TransitionNotAllowed(_("A newer version of this document exists: issue that one."))
        if issued(document):
            raise TransitionNotAllowed(_("This decision has already been issued."))
        if not document.signatures.filter(signer_id=decision.signed_by_id, agency__isnull=True).exists():
            raise TransitionNotAllowed(
                _("%(name)s has not signed this decision yet: it is issued after the signature.")
                % {"name": decision.signed_by.get_full_name()}
            )
        fund_services.issue_settle(decision, actor=actor, acknowledge_overdraw=acknowledge_overdraw)
        body = decision.issuer
        key_name = signing.agency_key_name(body)
        try:
            signer = signing.load_signer(key_name)
            seal = signing.seal_path(body).read_bytes()
        except (signing.SigningKeyMissing, FileNotFoundError):
            raise ValidationError(
                _("%(body)s has no agency key and seal on this server (%(path)s).")
                % {"body": body.name, "path": key_name}
            ) from None
        before = _read(document)
        if rendering.sha256(before) != document.sha256:
            raise TransitionNotAllowed(
                _("The stored file does not match its recorded hash: it is not issued.")
            )
        signed_at = timezone.now()
        order = document.signatures.count() + 1
        seal_look, annex_look = _agency_appearance(before, decision, seal, signed_at)
        reason = f"Ban hành Quyết định {decision.symbol}"
        signatures = [(f"Sig{order}", reason, seal_look)]
        if annex_look is not None:
            # The agency's information on the annex is a signature of its own, by the same key
            # in the same act: one signature shown in two places (a field with two widgets) is
            # read as unsigned by poppler (pdfsig, Okular) and older pdf.js.
            signatures.append((f"Sig{order}{signing.ANNEX_FIELD_SUFFIX}", f"{reason}: phụ lục", annex_look))
        signed, location = before, _location(document)
        for field_name, why, look in signatures:
            signed = signing.sign(
                signed,
                signer=signer,
                field_name=field_name,
                certify=False,
                reason=why,
                location=location,
                appearance=look,
            )
        info = signing.certificate_info(signer.signing_cert)
        digest = rendering.sha256(signed)
        signature = Signature(
            document=document,
            order=order,
            field_name=f"Sig{order}",
            signer=actor,
            agency=body,
            capacity="",
            certificate_subject=info["subject"][:500],
            certificate_serial=info["serial"],
            certificate_fingerprint=info["fingerprint"],
            signed_at=signed_at,
            sha256_before=document.sha256,
            sha256=digest,
            size=len(signed),
            signed_digest=signing.last_message_digest(signed),
        )
        signature.file.save(f"{document.pk}-{order}.pdf", ContentFile(signed), save=False)
        signature.save()
        document.file = signature.file.name
        document.sha256, document.size = digest, len(signed)
        document.save(update_fields=["file", "sha256", "size"])
        audit.record(
            actor=actor,
            action="document.issue",
            target=document,
            data={
                "kind": document.kind,
                "subject": document.subject_key,
                "version": document.version,
                "order": order,
                "agency_id": body.pk,
                "agency": body.name,
                "symbol": decision.symbol,
                "sha256_before": signature.sha256_before,
                "sha256": digest,
                "certificate_serial": info["serial"],
                "certificate_fingerprint": info["fingerprint"],
                "certificate_subject": signature.certificate_subject,
            },
        )
        provider = provider_for(decision)
        if provider is not None:
            provider.on_issued(actor=actor, decision=decision)
    return document


def _agency_appearance(pdf, decision, seal, signed_at):
    """(the seal over the left third of the signer's signature, the body's name and the time as
    text at the top right of the annex or None when there is no annex). (None, None), invisible,
    when the template has no signer's box."""
    found = appearance.anchors(pdf)
    signer = appearance.signer_box(pdf, contexts.person_name(decision.signed_by))
    if signer is None:
        return None, None
    annex = appearance.anchor_box(pdf, appearance.AGENCY_INFO_ANCHOR, found)
    when = timezone.localtime(signed_at)
    annex_look = None
    if annex is not None:
        annex_look = signing.Appearance(
            box=annex,
            text="Cơ quan: %(agency)s\nThời gian ký: %(when)s",
            params={
                "agency": contexts.nfc(decision.issuer.name),
                "when": when.strftime("%d.%m.%Y %H:%M:%S ")
                + when.strftime("%z")[:3]
                + ":"
                + when.strftime("%z")[3:],
            },
        )
    return signing.Appearance(box=appearance.seal_box(signer), image=seal), annex_look


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
#
# A batch survives the death of its worker (kill -9, a host lost, a broker that drops the
# message): the worker holds a lease that it renews with each certificate it commits, and a
# batch whose lease has expired is stale. The next request for the decision's certificates, or
# the periodic recovery (task documents.recover_stale_batches, `manage.py recover_stale_batches`),
# sends it again; the next worker claims it with a token of its own (a conditional UPDATE: one
# claim wins), reuses the certificates already made (CertificateBatchItem) and makes the rest.
# Every write of a worker is fenced by its token: a worker that lost its lease commits nothing.
# After DOCUMENTS_BATCH_MAX_ATTEMPTS runs without finishing, the batch fails and a new one may be
# asked for.


class LeaseLost(Exception):
    """Another worker holds the batch now (this one was too slow, or thought dead): stop."""


def batch_lease() -> dt.timedelta:
    """How long a worker's claim lasts without a sign of life."""
    return dt.timedelta(seconds=getattr(settings, "DOCUMENTS_BATCH_LEASE_SECONDS", 120))


def batch_pickup() -> dt.timedelta:
    """How long a batch sent to the queue may wait for a worker before it is sent again."""
    return dt.timedelta(seconds=getattr(settings, "DOCUMENTS_BATCH_PICKUP_SECONDS", 600))


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
    background into one ZIP. A batch already under way is returned instead of a second one; if
    its worker has died, it is sent again first (or failed, past the limit of attempts)."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.kind != DecisionKind.AWARD:
            raise ValidationError(_("Only an award decision has certificates."))
        if not permissions.can_render(actor, K.DECISION, decision):
            raise PermissionDenied(_("You may not make the certificates of this decision."))
        running = (
            CertificateBatch.objects.with_lease()
            .select_for_update()
            .filter(decision=decision, state__in=UNFINISHED)
            .first()
        )
        if running is not None:
            if running.interrupted:
                _recover(running, actor=actor)
            batch = running
        else:
            batch = _create_batch(actor=actor, decision=decision)
    # As it is now (in-process runs have already run), with its lease read from the database.
    return CertificateBatch.objects.with_lease().get(pk=batch.pk)


def _create_batch(*, actor, decision) -> CertificateBatch:
    total = Award.objects.filter(decision=decision, revoked_by__isnull=True).count()
    if not total:
        raise ValidationError(_("This decision has no award left to certify."))
    batch = CertificateBatch.objects.create(decision=decision, requested_by=actor, total=total)
    CertificateBatch.objects.filter(pk=batch.pk).update(leased_until=Now() + batch_pickup())
    audit.record(
        actor=actor,
        action="certificate_batch.start",
        target=batch,
        data={"decision_id": decision.pk, "symbol": decision.symbol, "total": total},
    )
    transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def certificate_batches_recover() -> list[tuple[int, str]]:
    """Send again every batch whose worker has gone silent past its lease (or fail it, past the
    limit of attempts). Run by Celery beat and by `manage.py recover_stale_batches`; returns
    (batch id, "resent" | "retried" | "failed") for each batch it acted on."""
    acted = []
    for pk in CertificateBatch.objects.stale().order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            batch = CertificateBatch.objects.with_lease().select_for_update().filter(pk=pk).first()
            if batch is None or not batch.interrupted:
                continue  # finished or claimed since the list was read
            acted.append((pk, _recover(batch, actor="system")))
    return acted


def _recover(batch, *, actor) -> str:
    """A stale batch (locked by the caller): send it again, or fail it past the limit."""
    if batch.state == BatchState.PENDING:
        # No worker has claimed it since it was sent: the message was lost, or no worker is up.
        # Sending it again changes nothing of the batch itself, so no event.
        CertificateBatch.objects.filter(pk=batch.pk).update(leased_until=Now() + batch_pickup())
        transaction.on_commit(lambda: _enqueue(batch.pk))
        logger.warning("certificate batch %s: no worker took it, sent again", batch.pk)
        return "resent"
    silent = _("the worker stopped without finishing (no sign of life since %(time)s)") % {
        "time": _when(batch.heartbeat_at)
    }
    if batch.attempts >= batch_max_attempts():
        _fail(batch, actor=actor, reason=silent)
        return "failed"
    _release_for_retry(batch, actor=actor, reason="lease_expired", detail=silent)
    return "retried"


def _when(moment) -> str:
    if moment is None:
        return "?"
    return timezone.localtime(moment).strftime("%H:%M:%S %d/%m/%Y")


def _release_for_retry(batch, *, actor, reason, detail):
    """Put a batch whose run did not finish back in the queue, keeping what it made."""
    made = batch.items.count()
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.PENDING,
        worker_token="",
        leased_until=Now() + batch_pickup(),
        resumed_from=made,
        done=made,
    )
    audit.record(
        actor=actor,
        action="certificate_batch.retry",
        target=batch,
        data={
            "decision_id": batch.decision_id,
            "reason": reason,
            "detail": detail,
            "attempts": batch.attempts,
            "done": made,
            "total": batch.total,
        },
    )
    transaction.on_commit(lambda: _enqueue(batch.pk))


def _fail(batch, *, actor, reason):
    made = batch.items.count()
    error = _(
        "Stopped after %(attempts)d attempts, at %(done)d of %(total)d certificates: %(reason)s. "
        "Ask for the certificates again."
    ) % {"attempts": batch.attempts, "done": made, "total": batch.total, "reason": reason}
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.FAILED,
        worker_token="",
        leased_until=None,
        done=made,
        error=error[:2000],
        finished_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="certificate_batch.fail",
        target=batch,
        data={
            "decision_id": batch.decision_id,
            "attempts": batch.attempts,
            "done": made,
            "total": batch.total,
            "error": error[:2000],
        },
    )


def _enqueue(batch_id):
    from .tasks import certificates_for_decision

    certificates_for_decision.delay(batch_id)


def _claim(batch_id, token) -> CertificateBatch | None:
    """Take the batch for this worker, or None: finished, or another worker's lease is alive.

    The claim is a conditional UPDATE on the state read (state, token, attempts): of two workers
    that read the same row, one UPDATE matches and the other finds nothing to update. A worker
    that takes over a running batch whose lease expired (a task the broker delivered again after
    its worker died) records the restart, as the recovery does."""
    with transaction.atomic():
        batch = CertificateBatch.objects.with_lease().select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.finished:
            return None
        takeover = batch.state == BatchState.RUNNING
        if takeover and not batch.interrupted:
            return None
        if takeover and batch.attempts >= batch_max_attempts():
            _recover(batch, actor="system")  # fails it
            return None
        made = batch.items.count()
        claimed = CertificateBatch.objects.filter(
            pk=batch.pk, state=batch.state, worker_token=batch.worker_token, attempts=batch.attempts
        ).update(
            state=BatchState.RUNNING,
            worker_token=token,
            attempts=F("attempts") + 1,
            leased_until=Now() + batch_lease(),
            heartbeat_at=Now(),
            done=made,
            resumed_from=made if batch.attempts else None,
        )
        if not claimed:
            return None
        if takeover:
            audit.record(
                actor="system",
                action="certificate_batch.retry",
                target=batch,
                data={
                    "decision_id": batch.decision_id,
                    "reason": "redelivered",
                    "detail": "the task came back from the broker after its worker was lost",
                    "attempts": batch.attempts,
                    "done": made,
                    "total": batch.total,
                },
            )
    return CertificateBatch.objects.select_related("decision", "requested_by").get(pk=batch_id)


def _beat(batch_id, token, **fields):
    """Renew the lease (and write progress); LeaseLost when the batch is no longer this worker's.
    Called first in each certificate's transaction, so that certificate commits only under a
    lease that is still this worker's."""
    renewed = CertificateBatch.objects.filter(
        pk=batch_id, state=BatchState.RUNNING, worker_token=token
    ).update(leased_until=Now() + batch_lease(), heartbeat_at=Now(), **fields)
    if not renewed:
        raise LeaseLost(batch_id)


def certificate_batch_run(*, batch_id) -> CertificateBatch:
    """The background part: claim the batch, make one certificate per award (each in its own
    transaction with its audit event and the lease renewed, so a crash keeps what was made and a
    restart reuses it), then one ZIP. Does nothing when the batch has finished or another worker
    holds it."""
    token = secrets.token_hex(16)
    batch = _claim(batch_id, token)
    if batch is None:
        return CertificateBatch.objects.get(pk=batch_id)
    try:
        _make(batch, token)
    except LeaseLost:
        logger.warning("certificate batch %s: taken over by another worker, this one stops", batch_id)
    except Exception as exc:
        logger.exception("certificate batch %s failed", batch_id)
        _after_error(batch_id, token, exc)
    return CertificateBatch.objects.get(pk=batch_id)


def _make(batch, token):
    awards = _awards_to_certify(batch.decision)
    items = {
        item.award_id: item
        for item in CertificateBatchItem.objects.filter(batch=batch).select_related("document")
    }
    kept = {
        award_id: item.document
        for award_id, item in items.items()
        if item.document.superseded_by_id is None  # changed since: made again, as a new version
    }
    _beat(batch.pk, token, total=len(awards))
    documents = []
    for index, award in enumerate(awards, start=1):
        document = kept.get(award.pk)
        if document is None:
            with transaction.atomic():
                _beat(batch.pk, token, done=index)
                document = document_render(actor=batch.requested_by, kind=K.CERTIFICATE, subject=award)
                if award.pk in items:
                    CertificateBatchItem.objects.filter(pk=items[award.pk].pk).update(document=document)
                else:
                    CertificateBatchItem.objects.create(batch=batch, award=award, document=document)
        elif index % PROGRESS_EVERY == 0:
            _beat(batch.pk, token, done=index)
        documents.append(document)
    data = build_zip(documents, awards)
    with transaction.atomic():
        _beat(batch.pk, token)
        batch = CertificateBatch.objects.select_for_update().get(pk=batch.pk)
        batch.file.save(f"{batch.decision_id}.zip", ContentFile(data), save=False)
        batch.sha256, batch.state, batch.finished_at = rendering.sha256(data), BatchState.DONE, timezone.now()
        batch.done = batch.total = len(documents)
        batch.worker_token, batch.leased_until, batch.error = "", None, ""
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
                "attempts": batch.attempts,
                "reused": len([a for a in awards if a.pk in kept]),
            },
        )


def _after_error(batch_id, token, exc):
    """A run that raised: retried while attempts remain, else failed with the error shown."""
    with transaction.atomic():
        batch = CertificateBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.state != BatchState.RUNNING or batch.worker_token != token:
            return  # no longer this worker's
        reason = str(exc) or exc.__class__.__name__
        if batch.attempts >= batch_max_attempts():
            _fail(batch, actor="system", reason=reason)
        else:
            _release_for_retry(batch, actor="system", reason="error", detail=reason[:2000])


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
