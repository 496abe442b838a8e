"""Is this PDF one we issued, unchanged, and who signed it when?

A file is recognised (in this order) by:
1. the SHA-256 of the whole file: a state we stored (as rendered, or right after a signature);
2. the SHA-256 of a signed revision (the bytes a signature covers): the document as we signed
   it, with something appended afterwards;
3. the digest a signature signed (CMS messageDigest): the file claims to be one we signed but
   its signed bytes were altered.
Each embedded signature is validated with pyHanko against our trust roots.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from approvals.models import Award

from . import formatting, rendering, signing
from .models import GeneratedDocument, Signature, VerificationCode

EXACT, SIGNED_REVISION, CLAIMED = "exact", "signed_revision", "claimed"

# What pyHanko's modification level (the changes made to the file after a signature) means to a
# reader; any other level (annotations, other changes) is a warning.
CHANGES_AFTER = {
    "NONE": _("not changed after this signature"),
    "LTA_UPDATES": _("only signature validation data added afterwards"),
    "FORM_FILLING": _("only digital signatures added afterwards"),
}
CHANGED_WARNING = _(
    "Warning: the file was changed after this signature (annotations or content): what you see "
    "may differ from what was signed."
)


@dataclass
class SignatureReport:
    field_name: str
    signer_name: str
    certificate_subject: str
    certificate_serial: str
    signed_at: object
    intact: bool
    valid: bool
    trusted: bool
    modification_level: str
    coverage: str
    bottom_line: bool
    # From our own record of that signature, when we have it.
    capacity: str = ""
    signer_username: str = ""
    recorded: bool = False
    # The agency whose own signature this is (the records office's seal, Decree 30/2020), or "".
    agency: str = ""
    # The certificate's organisation (O), shown instead of its whole subject (which holds the
    # user id).
    organisation: str = ""
    # The capacity lines over the signature ("KT. CHỦ TỊCH · PHÓ CHỦ TỊCH"), from our record.
    capacity_lines: str = ""

    @property
    def on_annex(self) -> bool:
        """The agency's signature shown on the decision's annex (its seal is another one)."""
        return self.field_name.endswith(signing.ANNEX_FIELD_SUFFIX)

    @property
    def changed_beyond_signatures(self) -> bool:
        """Something other than further signatures was changed in the file after this one."""
        return bool(self.modification_level) and self.modification_level not in CHANGES_AFTER

    @property
    def changes_after(self) -> str:
        """The changes made after this signature, in words ("" when pyHanko could not tell)."""
        if not self.modification_level:
            return ""
        return str(CHANGES_AFTER.get(self.modification_level, CHANGED_WARNING))


@dataclass
class Verification:
    sha256: str
    size: int
    is_pdf: bool = True
    document: GeneratedDocument | None = None
    match: str = ""  # EXACT, SIGNED_REVISION, CLAIMED or ""
    signatures: list[SignatureReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def unsigned(self) -> bool:
        """A readable PDF without any digital signature."""
        return self.is_pdf and not self.signatures

    @property
    def issued(self) -> bool:
        """A document this system issued (possibly with something appended after a signature)."""
        return self.match in (EXACT, SIGNED_REVISION)

    @property
    def unchanged(self) -> bool:
        """Byte for byte a state we stored, and every signature in it holds."""
        return self.match == EXACT and all(s.bottom_line for s in self.signatures)

    @property
    def signatures_valid(self) -> bool:
        return bool(self.signatures) and all(s.bottom_line for s in self.signatures)

    @property
    def modified_after_signing(self) -> bool:
        """Bytes were changed or appended after a signature (other than a later signature of ours)."""
        if self.match == CLAIMED:
            return True
        return self.match == SIGNED_REVISION or any(
            not s.intact or not s.bottom_line for s in self.signatures
        )

    @property
    def verdict(self) -> str:
        if not self.is_pdf:
            return "not_pdf"
        if self.unchanged:
            return "authentic"
        if self.issued or self.match == CLAIMED:
            return "modified"
        return "unknown"

    @property
    def superseded(self) -> bool:
        return bool(self.document and self.document.superseded_by_id)

    @property
    def revoked(self) -> bool:
        """A certificate or decision whose award(s) were revoked since."""
        if not self.document:
            return False
        if self.document.award_id:
            return bool(self.document.award.revoked_by_id)
        if self.document.decision_id:
            return Award.objects.filter(
                decision_id=self.document.decision_id, revoked_by__isnull=False
            ).exists()
        return False


def _documents():
    return GeneratedDocument.objects.select_related("decision__issuer", "award", "dossier", "nominee")


def verify_pdf(data: bytes) -> Verification:
    result = Verification(sha256=rendering.sha256(data), size=len(data))
    if not data.startswith(b"%PDF-"):
        result.is_pdf = False
        return result
    result.document = _by_whole_file(result.sha256)
    if result.document is not None:
        result.match = EXACT
    try:
        checks = signing.validate(data)
    except Exception as exc:  # a PDF pyHanko cannot read: not ours, whatever it is
        result.problems.append(str(exc)[:300])
        checks = []
    if result.document is None:
        _by_signed_revision(result, data, checks)
    recorded = {}
    if result.document is not None:
        recorded = {
            s.certificate_fingerprint: s
            for s in result.document.signatures.select_related("signer", "agency")
        }
    for check in checks:
        own = recorded.get(check.certificate["fingerprint"])
        result.signatures.append(
            SignatureReport(
                field_name=check.field_name,
                signer_name=check.signer_name,
                certificate_subject=check.certificate["subject"],
                certificate_serial=check.certificate["serial"],
                signed_at=check.signed_at,
                intact=check.intact,
                valid=check.valid,
                trusted=check.trusted,
                modification_level=check.modification_level,
                coverage=check.coverage,
                bottom_line=check.bottom_line,
                capacity=own.capacity if own else "",
                signer_username=own.signer.get_username() if own else "",
                recorded=own is not None,
                agency=own.agency.name if own and own.agency_id else "",
                organisation=check.certificate.get("organisation", ""),
                capacity_lines=_capacity_lines(result.document, own),
            )
        )
    return result


def _capacity_lines(document, own) -> str:
    """The signer's capacity as the decision prints it (Decree 30/2020), when our record of the
    signature holds one."""
    if own is None or not own.capacity or own.agency_id:
        return ""
    if document.decision_id:
        return " · ".join(formatting.signing_lines(document.decision.issuer, own.capacity))
    return f"{own.capacity}."


def _by_whole_file(digest):
    document = _documents().filter(Q(sha256=digest) | Q(rendered_sha256=digest)).first()
    if document is not None:
        return document
    signature = Signature.objects.filter(sha256=digest).select_related("document").first()
    return _documents().get(pk=signature.document_id) if signature else None


def _by_signed_revision(result, data, checks):
    """The last signature whose covered bytes are a state we stored wins; failing that, one whose
    signed digest we recorded (the file was altered inside the signed range)."""
    for check in reversed(checks):
        if check.covered_end and check.covered_end <= len(data):
            prefix = rendering.sha256(data[: check.covered_end])
            signature = Signature.objects.filter(sha256=prefix).first()
            if signature is not None:
                result.document, result.match = _documents().get(pk=signature.document_id), SIGNED_REVISION
                return
    fingerprints = [c.certificate["fingerprint"] for c in checks]
    if fingerprints:
        signature = Signature.objects.filter(certificate_fingerprint__in=fingerprints).order_by("-pk")
        for s in signature:
            if any(c.message_digest and c.message_digest == s.signed_digest for c in checks):
                result.document, result.match = _documents().get(pk=s.document_id), CLAIMED
                return


def certificate_status(code: str) -> dict | None:
    """What the public page of a certificate code shows: whose award, which, under which
    decision, and whether it was revoked. Nothing else."""
    normalised = (code or "").replace("-", "").replace(" ", "").upper()
    entry = (
        VerificationCode.objects.filter(code=normalised)
        .select_related("award__nominee__award_type", "award__decision__issuer", "award__revoked_by__issuer")
        .first()
    )
    if entry is None:
        return None
    award = entry.award
    return {
        "code": f"{entry.code[:4]}-{entry.code[4:]}",
        "name": award.nominee.name,
        "award": award.nominee.award_type.name,
        "decision_symbol": award.decision.symbol,
        "decision_date": award.decision.signed_on,
        "issuer": award.decision.issuer.name,
        "revoked": bool(award.revoked_by_id),
        "revoked_by_symbol": award.revoked_by.symbol if award.revoked_by_id else "",
        "revoked_on": award.revoked_by.signed_on if award.revoked_by_id else None,
    }
