"""The API's shapes: input serializers only parse (types, choices, references by code or id) and
output serializers only present. Every rule (who may, in which state, what is complete) is the
services' and selectors' business, so the API answers exactly as the UI does."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org import limits
from org.api_fields import bounded_many
from org.models import Unit, User

from . import selectors
from .models import (
    Attachment,
    AwardRule,
    AwardType,
    Campaign,
    DocumentKind,
    Dossier,
    DossierState,
    Nominee,
    NomineeAuthor,
    NomineeKind,
    NomineeSex,
    ProcedureKind,
)

# The codes of award types and document kinds (their SlugField's max_length).
CODE_LENGTH = AwardType._meta.get_field("code").max_length

# --- reference data ---------------------------------------------------------------------------


class UnitRefOutput(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "code"]


class AwardTypeRefOutput(serializers.ModelSerializer):
    class Meta:
        model = AwardType
        fields = ["id", "code", "name"]


class DocumentKindOutput(serializers.ModelSerializer):
    class Meta:
        model = DocumentKind
        fields = ["id", "code", "name", "scope"]


class RequiredDocumentOutput(serializers.Serializer):
    kind = DocumentKindOutput()
    enterprise_only = serializers.BooleanField()


class AwardRuleOutput(serializers.ModelSerializer):
    # Plain strings: an enum here would be a second name for the `kind` enum of nominees, which
    # drf-spectacular warns about (and `check --deploy` fails on) without ENUM_NAME_OVERRIDES.
    nominee_kinds = serializers.ListField(
        child=serializers.CharField(),
        help_text="The values of a nominee's `kind` this award may go to.",
    )
    required_documents = RequiredDocumentOutput(many=True, source="ruledocument_set.all")

    class Meta:
        model = AwardRule
        fields = [
            "id",
            "valid_from",
            "valid_to",
            "legal_basis",
            "nominee_kinds",
            "deciding_level",
            "threshold_kind",
            "threshold_percent",
            "quorum_numerator",
            "quorum_denominator",
            "public_notice_days",
            "simplified",
            "cash_individual",
            "cash_collective",
            "required_documents",
        ]


class AwardTypeOutput(serializers.ModelSerializer):
    rule_in_force = serializers.SerializerMethodField(
        help_text="The rule in force today: who may receive the award and what documents it needs."
    )

    class Meta:
        model = AwardType
        fields = ["id", "code", "name", "rule_in_force"]

    @extend_schema_field(AwardRuleOutput(allow_null=True))
    def get_rule_in_force(self, award_type):
        # selectors.award_types_with_rules prefetched the rules in force, newest first.
        rules = award_type.rules_in_force
        return AwardRuleOutput(rules[0]).data if rules else None


class CampaignOutput(serializers.ModelSerializer):
    organizer = UnitRefOutput()
    award_types = AwardTypeRefOutput(many=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "organizer",
            "procedure_kind",
            "period_start",
            "period_end",
            "submission_deadline",
            "legal_basis",
            "award_types",
            "max_nominees_per_unit",
            "tie_rule",
        ]


class CampaignRefOutput(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "submission_deadline"]


# --- dossiers ---------------------------------------------------------------------------------


class DossierFilterInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=DossierState.choices, required=False)
    campaign = serializers.IntegerField(required=False, min_value=1)
    q = serializers.CharField(
        required=False, max_length=limits.SEARCH, help_text="Words in the title or unit name."
    )
    overdue = serializers.ChoiceField(
        choices=["appraisal", "notice"],
        required=False,
        help_text="Only the steps past their time limit, as the dashboard counts them.",
    )


@extend_schema_field(OpenApiTypes.INT)
class _OpenCampaignField(serializers.PrimaryKeyRelatedField):
    """One of the campaigns open today: the same choice the UI's form offers."""

    def get_queryset(self):
        return selectors.open_campaigns(today=timezone.localdate())


class DossierCreateInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    campaign = _OpenCampaignField(help_text="An open campaign (GET /api/campaigns/).")
    # Blank is let through so the service answers with its own message.
    title = serializers.CharField(max_length=limits.TITLE, allow_blank=True)
    procedure_kind = serializers.ChoiceField(
        choices=ProcedureKind.choices,
        required=False,
        help_text="Defaults to the campaign's kind.",
    )
    summary = serializers.CharField(max_length=limits.LONG_TEXT, required=False, allow_blank=True, default="")


class DossierUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=limits.TITLE, allow_blank=True, required=False)
    summary = serializers.CharField(max_length=limits.LONG_TEXT, allow_blank=True, required=False)
    procedure_kind = serializers.ChoiceField(choices=ProcedureKind.choices, required=False)


class DossierWithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.SHORT_TEXT, allow_blank=True, required=False, default="")


class DossierListOutput(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display")
    unit = UnitRefOutput()
    campaign = CampaignRefOutput()
    nominee_count = serializers.IntegerField()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "title",
            "state",
            "state_display",
            "procedure_kind",
            "unit",
            "campaign",
            "nominee_count",
            "submitted_at",
            "created_at",
            "updated_at",
        ]


class NomineeAuthorOutput(serializers.ModelSerializer):
    class Meta:
        model = NomineeAuthor
        fields = ["id", "name", "position", "share_percent", "person"]


class NomineeOutput(serializers.ModelSerializer):
    """A nominee. `id_number` is personal data: null unless the reader's scope covers the dossier
    (the view says so in the context, `show_id_numbers`)."""

    award_type = AwardTypeRefOutput()
    kind_display = serializers.CharField(source="get_kind_display")
    outcome_display = serializers.CharField(source="get_outcome_display")
    sex_display = serializers.CharField(source="get_sex_display")
    id_number = serializers.SerializerMethodField(
        help_text="The ID number (CCCD), only for the unit and the reviewing bodies; else null."
    )
    authors = serializers.SerializerMethodField(help_text="The authors of an initiative (empty otherwise).")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_id_number(self, nominee):
        return nominee.id_number if self.context.get("show_id_numbers") else None

    @extend_schema_field(NomineeAuthorOutput(many=True))
    def get_authors(self, nominee):
        if nominee.kind != NomineeKind.INITIATIVE:
            return []
        return NomineeAuthorOutput(nominee.authors.all(), many=True).data

    class Meta:
        model = Nominee
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "position",
            "workplace",
            "person",
            "is_enterprise",
            "award_type",
            "achievements",
            "under_discipline",
            "under_investigation",
            "pending_complaint",
            "sex",
            "sex_display",
            "date_of_birth",
            "hometown",
            "id_number",
            "qualifications",
            "collective_unit",
            "authors",
            "rule",
            "outcome",
            "outcome_display",
        ]


class AttachmentVersionOutput(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.get_full_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "version",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, attachment) -> str:
        url = reverse("api:attachment-download", kwargs={"pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentOutput(AttachmentVersionOutput):
    kind = DocumentKindOutput()
    # None for a document of the dossier as a whole.
    nominee = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta(AttachmentVersionOutput.Meta):
        fields = ["kind", "nominee", *AttachmentVersionOutput.Meta.fields]


class AttachmentSlotOutput(AttachmentOutput):
    """The current file of a (kind, nominee) slot, with the versions it replaced."""

    earlier_versions = AttachmentVersionOutput(many=True, read_only=True)

    class Meta(AttachmentOutput.Meta):
        fields = [*AttachmentOutput.Meta.fields, "earlier_versions"]


class DossierDetailOutput(DossierListOutput):
    created_by = serializers.CharField(source="created_by.get_full_name")
    nominees = NomineeOutput(many=True, source="current_nominees")
    attachments = AttachmentSlotOutput(many=True, source="attachment_slots")

    class Meta(DossierListOutput.Meta):
        fields = [
            "id",
            "title",
            "state",
            "state_display",
            "procedure_kind",
            "summary",
            "unit",
            "campaign",
            "created_by",
            "submitted_at",
            "rules_date",
            "submission_count",
            "unit_name_at_submission",
            "created_at",
            "updated_at",
            "nominees",
            "attachments",
        ]


# --- nominees ---------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "maxLength": CODE_LENGTH})
class CodeField(serializers.SlugRelatedField):
    """A reference data row by its code (a slug of at most CODE_LENGTH characters)."""


class _NomineeFields(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NomineeKind.choices)
    position = serializers.CharField(max_length=limits.PLACE, allow_blank=True, required=False)
    workplace = serializers.CharField(max_length=limits.PLACE, allow_blank=True, required=False)
    person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text="The nominee's account in the system, when they have one.",
    )
    is_enterprise = serializers.BooleanField(required=False)
    award_type = CodeField(
        slug_field="code", queryset=AwardType.objects.all(), help_text="An award type's code."
    )
    under_discipline = serializers.BooleanField(required=False)
    under_investigation = serializers.BooleanField(required=False)
    pending_complaint = serializers.BooleanField(required=False)
    sex = serializers.ChoiceField(choices=NomineeSex.choices, allow_blank=True, required=False)
    date_of_birth = serializers.DateField(allow_null=True, required=False)
    hometown = serializers.CharField(max_length=limits.PLACE, allow_blank=True, required=False)
    # Checked by the service (12 digits, consistent with sex and date of birth).
    id_number = serializers.CharField(max_length=20, allow_blank=True, required=False)
    qualifications = serializers.CharField(max_length=limits.PLACE, allow_blank=True, required=False)
    collective_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        allow_null=True,
        required=False,
        help_text="For a collective: the unit it is (the dossier's unit or one below it).",
    )


class NomineeAuthorInput(serializers.Serializer):
    name = serializers.CharField(max_length=limits.NAME, allow_blank=True)
    position = serializers.CharField(max_length=limits.PLACE, allow_blank=True, required=False, default="")
    share_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, required=False, coerce_to_string=False
    )
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)


class NomineeCreateInput(_NomineeFields):
    # Blank is let through so the service answers with its own messages.
    name = serializers.CharField(max_length=limits.NAME, allow_blank=True)
    achievements = serializers.CharField(max_length=limits.LONG_TEXT, allow_blank=True)
    authors = bounded_many(NomineeAuthorInput, required=False, help_text="An initiative's authors.")


class NomineeUpdateInput(_NomineeFields):
    name = serializers.CharField(max_length=limits.NAME, required=False)
    achievements = serializers.CharField(max_length=limits.LONG_TEXT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


# --- attachments ------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class _DossierNomineeField(serializers.PrimaryKeyRelatedField):
    """A current nominee of the dossier in the serializer's context; any other id is unknown."""

    def get_queryset(self):
        return Nominee.objects.current().filter(dossier=self.context["dossier"])


class AttachmentCreateInput(serializers.Serializer):
    kind = CodeField(
        slug_field="code", queryset=DocumentKind.objects.all(), help_text="A document kind's code."
    )
    nominee = _DossierNomineeField(
        required=False,
        allow_null=True,
        help_text="For a document kind whose scope is a nominee: which nominee of this dossier.",
    )
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, JPEG or PNG, judged by content.")


# --- errors (for the schema; dossiers.api_errors builds them) ---------------------------------


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class ConflictOutput(ErrorOutput):
    code = serializers.CharField(help_text="transition_not_allowed")


class RefusalOutput(ErrorOutput):
    errors = serializers.ListField(child=serializers.CharField(), help_text="Every reason, one by one.")
