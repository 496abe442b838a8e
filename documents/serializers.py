"""The API's shapes for documents: inputs only parse, outputs only present."""

from django.urls import reverse
from rest_framework import serializers

from approvals.models import SignerCapacity

from .forms import DOSSIER_KINDS
from .models import CertificateBatch, GeneratedDocument, Signature


class SignatureOutput(serializers.ModelSerializer):
    signer = serializers.CharField(source="signer.get_username")
    signer_name = serializers.CharField(source="signer.get_full_name")
    agency = serializers.CharField(
        source="agency.name",
        allow_null=True,
        default=None,
        help_text="The issuing body, for its signature (applied by its records clerk, the signer); null for a person's",
    )

    class Meta:
        model = Signature
        fields = [
            "order",
            "signer",
            "signer_name",
            "capacity",
            "certificate_subject",
            "certificate_serial",
            "certificate_fingerprint",
            "signed_at",
            "agency",
            "sha256_before",
            "sha256",
            "size",
        ]


class DocumentOutput(serializers.ModelSerializer):
    # Plain strings: a choice field here would be a second enum named "kind" (or "state") in
    # the schema, which drf-spectacular warns about (and `check --deploy` fails on).
    kind = serializers.CharField(
        help_text="submission, achievement, minutes, decision, revocation or certificate"
    )
    kind_label = serializers.CharField(source="get_kind_display")
    subject = serializers.CharField(source="subject_key")
    rendered_by = serializers.CharField(source="rendered_by.get_username")
    superseded = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    signatures = SignatureOutput(many=True)

    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject",
            "version",
            "sha256",
            "rendered_sha256",
            "size",
            "signed",
            "superseded",
            "superseded_by",
            "rendered_by",
            "rendered_at",
            "download_url",
            "signatures",
        ]

    def get_superseded(self, document) -> bool:
        return document.superseded_by_id is not None

    def get_download_url(self, document) -> str:
        return reverse("documents_api:document-download", args=[document.pk])


class BatchOutput(serializers.ModelSerializer):
    state = serializers.CharField(help_text="pending, running, done or failed")
    percent = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()
    interrupted = serializers.BooleanField(
        help_text="Unfinished and its worker silent past its lease: it will be sent again "
        "(asking for the certificates again sends it now)"
    )
    attempts = serializers.IntegerField(help_text="Runs started so far (a restart after a crash is one more)")
    max_attempts = serializers.IntegerField(help_text="Runs a batch may start before it fails")
    resumed_from = serializers.IntegerField(
        allow_null=True, help_text="Certificates already made when the last restart took over"
    )
    heartbeat_at = serializers.DateTimeField(allow_null=True, help_text="The worker's last sign of life")

    class Meta:
        model = CertificateBatch
        fields = [
            "id",
            "decision",
            "state",
            "total",
            "done",
            "percent",
            "sha256",
            "error",
            "requested_at",
            "finished_at",
            "download_url",
            "interrupted",
            "attempts",
            "max_attempts",
            "resumed_from",
            "heartbeat_at",
        ]

    def get_download_url(self, batch) -> str | None:
        return reverse("documents_api:batch-download", args=[batch.pk]) if batch.file else None


class DecisionDocumentsOutput(serializers.Serializer):
    decision = serializers.IntegerField(source="decision.pk")
    symbol = serializers.CharField(source="decision.symbol")
    documents = DocumentOutput(many=True)
    certificates = DocumentOutput(many=True)
    batch = BatchOutput(allow_null=True)


class DossierRenderInput(serializers.Serializer):
    kind = serializers.CharField(
        max_length=16, help_text="submission (tờ trình), minutes (biên bản) or achievement (trích ngang)"
    )
    nominee = serializers.IntegerField(required=False, help_text="For an achievement extract (trích ngang).")

    def validate_kind(self, value):
        if value not in {k.value for k, _label in DOSSIER_KINDS}:
            raise serializers.ValidationError("Choose submission, minutes or achievement.")
        return value


class SignInput(serializers.Serializer):
    capacity = serializers.CharField(
        max_length=4,
        required=False,
        allow_blank=True,
        help_text="TM, KT, TL, TUQ or empty; by default the one the decision states.",
    )

    def validate_capacity(self, value):
        if value not in SignerCapacity.values:
            raise serializers.ValidationError("Choose TM, KT, TL, TUQ or leave empty.")
        return value


class VerifyInput(serializers.Serializer):
    file = serializers.FileField()


class SignatureReportOutput(serializers.Serializer):
    field_name = serializers.CharField()
    signer_name = serializers.CharField()
    signer_username = serializers.CharField()
    capacity = serializers.CharField()
    certificate_subject = serializers.CharField()
    certificate_serial = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    intact = serializers.BooleanField()
    valid = serializers.BooleanField()
    trusted = serializers.BooleanField()
    modification_level = serializers.CharField()
    coverage = serializers.CharField()
    bottom_line = serializers.BooleanField()
    recorded = serializers.BooleanField(help_text="We hold a record of this signature.")


class VerificationOutput(serializers.Serializer):
    verdict = serializers.CharField(help_text="authentic, modified, unknown or not_pdf")
    issued = serializers.BooleanField(help_text="A document this system issued.")
    unchanged = serializers.BooleanField(help_text="Byte for byte as issued, every signature valid.")
    modified_after_signing = serializers.BooleanField()
    match = serializers.CharField(help_text="exact, signed_revision, claimed or empty")
    sha256 = serializers.CharField()
    document = serializers.SerializerMethodField()
    superseded = serializers.BooleanField()
    revoked = serializers.BooleanField()
    signatures = SignatureReportOutput(many=True)

    def get_document(self, result) -> dict | None:
        d = result.document
        if d is None:
            return None
        return {
            "id": d.pk,
            "kind": d.kind,
            "subject": d.subject_key,
            "version": d.version,
            "rendered_at": d.rendered_at,
            "sha256": d.sha256,
        }


class CertificateStatusOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    award = serializers.CharField()
    decision_symbol = serializers.CharField()
    decision_date = serializers.DateField()
    issuer = serializers.CharField()
    revoked = serializers.BooleanField()
    revoked_by_symbol = serializers.CharField()
    revoked_on = serializers.DateField(allow_null=True)


class IssueInput(serializers.Serializer):
    sha256 = serializers.CharField(
        max_length=64,
        required=False,
        help_text="The SHA-256 of the file you looked at: refused if it has changed since",
    )
    acknowledge_overdraw = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Go on although the decision's cash overdraws the award fund (recorded)",
    )
