"""Generated documents (tờ trình, trích ngang, biên bản, quyết định, certificates), their digital
signatures, the short codes printed on certificates, and batches of certificates.

A generated document is immutable: its bytes are kept with their SHA-256, a signature appends a
new state (the previous bytes stay as the prefix and their hash stays on record), and rendering
after a change of the data makes version n+1, never an overwrite.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from approvals.models import Award, Decision, SignerCapacity
from dossiers.models import Dossier, Nominee
from org.models import Unit


class GeneratedKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission letter (tờ trình)")
    ACHIEVEMENT = "achievement", _("Achievement extract (trích ngang)")
    MINUTES = "minutes", _("Council minutes (biên bản)")
    DECISION = "decision", _("Award decision")
    REVOCATION = "revocation", _("Revocation decision")
    CERTIFICATE = "certificate", _("Certificate")


# What each kind renders: the field that holds its subject.
SUBJECT_FIELD = {
    GeneratedKind.SUBMISSION: "dossier",
    GeneratedKind.ACHIEVEMENT: "nominee",
    GeneratedKind.MINUTES: "dossier",
    GeneratedKind.DECISION: "decision",
    GeneratedKind.REVOCATION: "decision",
    GeneratedKind.CERTIFICATE: "award",
}
# Short names, for file names (the ones of docs/samples/).
FILE_SLUG = {
    GeneratedKind.SUBMISSION: "to-trinh",
    GeneratedKind.ACHIEVEMENT: "trich-ngang",
    GeneratedKind.MINUTES: "bien-ban",
    GeneratedKind.DECISION: "quyet-dinh",
    GeneratedKind.REVOCATION: "quyet-dinh-huy-bo",
    GeneratedKind.CERTIFICATE: "giay-khen",
}


def subject_key(subject) -> str:
    """ "dossier:12", "award:7": one string, so that (subject, kind, version) can be unique."""
    return f"{subject._meta.model_name}:{subject.pk}"


def document_path(instance, filename):
    # Random names: a stored file is never replaced, each state of a document is a new file.
    return f"documents/{instance.kind}/{uuid.uuid4().hex}.pdf"


def signed_path(instance, filename):
    return f"documents/{instance.document.kind}/{uuid.uuid4().hex}-signed.pdf"


class GeneratedDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=GeneratedKind.choices)
    subject_key = models.CharField(max_length=64, editable=False)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    version = models.PositiveIntegerField(_("version"))
    # The bytes as they are now: as rendered, or after the last signature.
    file = models.FileField(upload_to=document_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    # The bytes as rendered, before any signature (the prefix of every signed state).
    rendered_sha256 = models.CharField(max_length=64, db_index=True)
    # The HTML the data produced: the same data gives the same HTML and the same PDF, so an
    # identical source means "nothing changed", and no new version is made.
    source_sha256 = models.CharField(max_length=64)
    rendered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rendered_at = models.DateTimeField(_("rendered"), auto_now_add=True)
    signed = models.BooleanField(_("signed"), default=False)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )

    class Meta:
        ordering = ["kind", "subject_key", "-version"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        constraints = [
            models.UniqueConstraint(fields=["subject_key", "kind", "version"], name="uniq_document_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="document_version_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject_key} v{self.version}"

    @property
    def subject(self):
        return getattr(self, SUBJECT_FIELD[self.kind])

    @property
    def download_name(self) -> str:
        return f"{FILE_SLUG[self.kind]}-{self.subject_key.replace(':', '-')}-v{self.version}.pdf"


class Signature(models.Model):
    """One digital signature (PAdES) appended to a document, and the state it left the file in."""

    document = models.ForeignKey(GeneratedDocument, on_delete=models.PROTECT, related_name="signatures")
    order = models.PositiveSmallIntegerField()
    field_name = models.CharField(max_length=32)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("signs as"), max_length=4, choices=SignerCapacity.choices, blank=True)
    certificate_subject = models.CharField(_("certificate subject"), max_length=500)
    certificate_serial = models.CharField(_("certificate serial"), max_length=80)
    certificate_fingerprint = models.CharField(_("certificate SHA-256"), max_length=64)
    signed_at = models.DateTimeField(_("signed"))
    sha256_before = models.CharField(max_length=64)
    # The whole file right after this signature: what a reader holding that state downloads.
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    # The digest the signer signed (CMS messageDigest): still readable in a file altered since.
    signed_digest = models.CharField(max_length=128, db_index=True)
    file = models.FileField(upload_to=signed_path, max_length=200)
    # Set for the agency's signature, applied by its records office at issuance with the body's
    # key (the seal), `signer` being the records clerk who applied it; empty for a person's.
    agency = models.ForeignKey(
        Unit, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["document", "order"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="uniq_signature_order"),
            models.UniqueConstraint(fields=["document", "signer"], name="uniq_signer_per_document"),
        ]

    def __str__(self):
        return f"{self.signer} — {self.document}"


def signature_image_path(instance, filename):
    return f"signature-images/{uuid.uuid4().hex}.png"


class SignatureImage(models.Model):
    """The image of a person's handwritten signature (PNG): their digital signatures show it at
    the signing block, between the title and the printed name (Decree 30/2020, Appendix I).
    Uploaded by the person or an administrator; a newer upload replaces it for later signatures
    (a document already signed keeps the image it was signed with)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signature_image"
    )
    image = models.FileField(_("signature image"), upload_to=signature_image_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)

    class Meta:
        verbose_name = _("signature image")
        verbose_name_plural = _("signature images")

    def __str__(self):
        return str(self.user)


class VerificationCode(models.Model):
    """The short code printed on a certificate (and in its QR code): /verify/<code>/ tells anyone
    whose award it is and whether it still stands. One per award, the same for every version."""

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="verification_code")
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")

    def __str__(self):
        return self.code


class BatchState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


UNFINISHED = (BatchState.PENDING, BatchState.RUNNING)


def batch_max_attempts() -> int:
    """Runs a batch may start without finishing before it fails (a worker killed each time)."""
    return getattr(settings, "DOCUMENTS_BATCH_MAX_ATTEMPTS", 3)


def batch_path(instance, filename):
    return f"documents/batches/{uuid.uuid4().hex}.zip"


class CertificateBatchQuerySet(models.QuerySet):
    """Leases are compared with the database's clock, the one clock every worker and web process
    shares (a host's own clock may drift, and is pinned in tests)."""

    def stale_q(self) -> Q:
        # No lease at all: a batch from before leases existed, or one whose worker never wrote one.
        return Q(state__in=UNFINISHED) & (Q(leased_until__isnull=True) | Q(leased_until__lt=Now()))

    def with_lease(self):
        """Each batch with `lease_expired`: unfinished, and no worker has shown a sign of life
        within its lease (the page then says "interrupted" rather than "running")."""
        return self.annotate(
            lease_expired=ExpressionWrapper(self.stale_q(), output_field=models.BooleanField())
        )

    def stale(self):
        return self.filter(self.stale_q())


class CertificateBatch(models.Model):
    """Certificates for every award of a decision, made in the background into one ZIP.

    A worker runs a batch under a lease: it claims the batch with a token of its own (a
    conditional UPDATE, so two workers never run the same batch), and renews `leased_until` with
    every certificate it commits. A worker that dies stops renewing: once the lease has expired
    the batch is stale, and the next request for the certificates or the periodic recovery sends
    it again. The certificates already made are kept (one CertificateBatchItem per award) and not
    made again; after `attempts` reaches the limit the batch fails and a new one may be asked for.
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificate_batches")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=BatchState.choices, default=BatchState.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=batch_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease: who runs the batch now, until when without a new sign of life, how many runs
    # have started, and where the last restart took over from (for the page: "resumed at 12/40").
    worker_token = models.CharField(max_length=32, blank=True, editable=False)
    leased_until = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    resumed_from = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = CertificateBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self):
        return f"{self.decision} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total

    @property
    def finished(self) -> bool:
        return self.state in (BatchState.DONE, BatchState.FAILED)

    @property
    def interrupted(self) -> bool:
        """Unfinished and its worker silent past the lease (needs `with_lease()`)."""
        return bool(getattr(self, "lease_expired", False)) and not self.finished

    @property
    def max_attempts(self) -> int:
        return batch_max_attempts()

    @property
    def next_attempt(self) -> int:
        return self.attempts + 1


class CertificateBatchItem(models.Model):
    """The certificate a batch made for one award: kept as it is made, so that a batch resumed
    after a crash reuses it, and never two for one award in one batch."""

    batch = models.ForeignKey(CertificateBatch, on_delete=models.PROTECT, related_name="items")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(GeneratedDocument, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("certificate of a batch")
        verbose_name_plural = _("certificates of a batch")
        constraints = [
            models.UniqueConstraint(fields=["batch", "award"], name="uniq_batch_award"),
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.award_id} → {self.document_id}"


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """The publications standing now (not taken down)."""
        return self.filter(withdrawn_at__isnull=True)


class Publication(models.Model):
    """Công bố: an issued decision made public on the public pages (documents.publication). The
    row names the very document published (the issued, sealed PDF). Taking it down keeps the row
    with who did it, when and why; publishing again makes a new row."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="publications")
    document = models.ForeignKey(GeneratedDocument, on_delete=models.PROTECT, related_name="publications")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken down by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("taken down"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for taking it down"), max_length=2_000, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["decision"], condition=Q(withdrawn_at__isnull=True), name="uniq_current_publication"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="publication_withdrawn_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.decision_id} ({self.published_at:%d/%m/%Y})"
