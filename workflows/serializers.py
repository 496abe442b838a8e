"""The workflow API's shapes. Input serializers only parse; every rule is the services'."""

from django.urls import reverse
from rest_framework import serializers

from approvals.models import Award, Decision, Objection, Opinion, PublicNotice, ReturnRequest, SignerCapacity
from dossiers.models import Dossier
from dossiers.serializers import CampaignRefOutput, UnitRefOutput
from org import limits
from org.api_fields import IdList

from .flows import STEPS
from .selectors import UNIT_SECTIONS

# --- input ----------------------------------------------------------------------------------------


class AcceptInput(serializers.Serializer):
    ineligible = serializers.DictField(
        child=serializers.CharField(max_length=limits.SHORT_TEXT, allow_blank=True),
        required=False,
        default=dict,
        help_text="Nominees found ineligible: {nominee id: reason}. The others go on.",
    )


class ReturnInput(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.CharField(max_length=limits.RETURN_ITEM, allow_blank=True),
        max_length=limits.RETURN_ITEMS,
        help_text="What the unit must supply, one item each.",
    )
    further_return_reason = serializers.CharField(
        max_length=limits.SHORT_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required from the second return on.",
    )


class RejectInput(serializers.Serializer):
    reasons = serializers.CharField(max_length=limits.TEXT, allow_blank=True)


class ObjectionInput(serializers.Serializer):
    text = serializers.CharField(max_length=limits.TEXT, allow_blank=True)
    nominee = serializers.IntegerField(
        required=False, allow_null=True, help_text="A nominee of this dossier."
    )


class ResolveInput(serializers.Serializer):
    resolution = serializers.CharField(max_length=limits.TEXT, allow_blank=True)


class OpinionInput(serializers.Serializer):
    text = serializers.CharField(max_length=limits.TEXT, allow_blank=True)
    agrees = serializers.BooleanField(required=False, default=True)


class DecideInput(serializers.Serializer):
    title = serializers.CharField(max_length=limits.TITLE, allow_blank=True)
    capacity = serializers.ChoiceField(
        choices=SignerCapacity.choices, required=False, default="", allow_blank=True
    )
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)


class ForwardInput(serializers.Serializer):
    title = serializers.CharField(max_length=limits.TITLE, allow_blank=True)


class DeclineInput(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.SHORT_TEXT, allow_blank=True)


class RevokeInput(serializers.Serializer):
    awards = IdList(help_text="Ids of awards of this decision.")
    reason = serializers.CharField(max_length=limits.TEXT, allow_blank=True)
    capacity = serializers.ChoiceField(
        choices=SignerCapacity.choices, required=False, default="", allow_blank=True
    )
    return_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The day the cash and the certificate must be returned by; 30 days after signing "
        "when not given.",
    )


class TaskFilterInput(serializers.Serializer):
    q = serializers.CharField(
        max_length=limits.SEARCH,
        required=False,
        allow_blank=True,
        help_text="Words of the title or the unit.",
    )
    step = serializers.ChoiceField(choices=sorted(STEPS), required=False, allow_blank=True)
    campaign = serializers.IntegerField(required=False)


class QueueFilterInput(TaskFilterInput):
    step = serializers.ChoiceField(choices=["appraise", "notice"], required=False, allow_blank=True)
    holder = serializers.ChoiceField(choices=["mine", "nobody"], required=False, allow_blank=True)
    overdue = serializers.BooleanField(
        required=False, help_text="Only appraisals past their 20 working days."
    )


class UnitFilterInput(serializers.Serializer):
    section = serializers.ChoiceField(choices=list(UNIT_SECTIONS), required=False, default="drafts")
    q = serializers.CharField(max_length=limits.SEARCH, required=False, allow_blank=True)


# --- output -------------------------------------------------------------------------------------


class PersonBriefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class DossierRefOutput(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display")
    unit = UnitRefOutput()
    reviewing_unit = UnitRefOutput(allow_null=True)
    campaign = CampaignRefOutput()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "title",
            "state",
            "state_display",
            "unit",
            "reviewing_unit",
            "campaign",
            "submitted_at",
            "submission_count",
            "is_upward",
        ]


class TaskOutput(serializers.Serializer):
    id = serializers.IntegerField(source="task.pk")
    step = serializers.CharField(source="step.name")
    step_title = serializers.CharField(source="step.task_title")
    status = serializers.CharField(source="task.status")
    created = serializers.DateTimeField(source="task.created")
    holder = PersonBriefOutput(allow_null=True)
    dossier = DossierRefOutput()
    due = serializers.DateField(allow_null=True, help_text="Appraisal: 20 working days from the submission.")
    overdue = serializers.BooleanField()
    return_by = serializers.DateField(allow_null=True, help_text="Appraisal: 5 working days to return it.")
    notice_until = serializers.DateField(allow_null=True)
    ready = serializers.BooleanField(help_text="Public notice whose period has run.")


class ToSignOutput(TaskOutput):
    approved_count = serializers.IntegerField(source="task.approved_count")


class UnitDossierOutput(DossierRefOutput):
    nominee_count = serializers.IntegerField()

    class Meta(DossierRefOutput.Meta):
        fields = [*DossierRefOutput.Meta.fields, "nominee_count", "updated_at"]


class ReturnRequestOutput(serializers.ModelSerializer):
    created_by = PersonBriefOutput()

    class Meta:
        model = ReturnRequest
        fields = ["id", "items", "further_return_reason", "created_by", "created_at"]


class PublicNoticeOutput(serializers.ModelSerializer):
    class Meta:
        model = PublicNotice
        fields = ["starts_on", "ends_on", "closed_at"]


class ObjectionOutput(serializers.ModelSerializer):
    # Empty for an objection lodged on the public page: its lodger_name and lodger_contact say who.
    lodged_by = PersonBriefOutput(allow_null=True)
    resolved_by = PersonBriefOutput(allow_null=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "nominee",
            "text",
            "lodged_by",
            "lodger_name",
            "lodger_contact",
            "lodged_at",
            "resolution",
            "resolved_by",
            "resolved_at",
        ]


class OpinionOutput(serializers.ModelSerializer):
    author = PersonBriefOutput()

    class Meta:
        model = Opinion
        fields = ["id", "text", "agrees", "author", "created_at"]


class DecisionRefOutput(serializers.ModelSerializer):
    symbol = serializers.CharField()
    kind = serializers.CharField(help_text="award, revocation or decline")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "symbol", "kind", "title", "signed_on", "url"]

    def get_url(self, decision) -> str:
        return reverse("api:decision-detail", args=[decision.pk])


class ChangesOutput(serializers.Serializer):
    returned_at = serializers.DateTimeField()
    return_items = serializers.ListField(child=serializers.CharField())
    attachments_added = serializers.SerializerMethodField()
    attachments_replaced = serializers.SerializerMethodField()
    attachments_removed = serializers.SerializerMethodField()
    nominees_added = serializers.SerializerMethodField()
    nominees_removed = serializers.SerializerMethodField()
    dossier_fields = serializers.SerializerMethodField()
    nominee_fields = serializers.SerializerMethodField()

    @staticmethod
    def _file(a):
        return {
            "id": a.pk,
            "kind": a.kind.code,
            "nominee": a.nominee_id,
            "version": a.version,
            "name": a.original_name,
        }

    def get_attachments_added(self, changes) -> list[dict]:
        return [self._file(a) for a in changes.attachments_added]

    def get_attachments_replaced(self, changes) -> list[dict]:
        return [{**self._file(a), "same_content": same} for a, same in changes.attachments_replaced]

    def get_attachments_removed(self, changes) -> list[dict]:
        return [self._file(a) for a in changes.attachments_removed]

    def get_nominees_added(self, changes) -> list[dict]:
        return [{"id": n.pk, "name": n.name} for n in changes.nominees_added]

    def get_nominees_removed(self, changes) -> list[dict]:
        return [{"id": n.pk, "name": n.name} for n in changes.nominees_removed]

    def get_dossier_fields(self, changes) -> list[dict]:
        return [
            {"field": label, "before": before, "after": after}
            for label, before, after in changes.dossier_fields
        ]

    def get_nominee_fields(self, changes) -> list[dict]:
        return [
            {"nominee": name, "field": label, "before": before, "after": after}
            for name, fields in changes.nominee_fields.items()
            for label, before, after in fields
        ]


class WorkflowOutput(serializers.Serializer):
    dossier = DossierRefOutput()
    tasks = TaskOutput(many=True, help_text="The open steps (one, in this flow) and their deadlines.")
    actions = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the caller may do on the dossier now, as its page offers it: edit, submit, "
        "withdraw, receive, accept, return, reject, close_notice, resolve, objection, opinion, "
        "decide, forward, decline, claim. The server decides again when the action is posted.",
    )
    returns = ReturnRequestOutput(many=True)
    notice = PublicNoticeOutput(allow_null=True)
    objections = ObjectionOutput(many=True)
    opinions = OpinionOutput(many=True)
    decisions = DecisionRefOutput(many=True)
    forwarded_to = DossierRefOutput(allow_null=True)
    forwarded_from = DossierRefOutput(many=True)
    changes = ChangesOutput(allow_null=True, help_text="What changed since the last return.")


class AwardOutput(serializers.ModelSerializer):
    nominee = serializers.SerializerMethodField()
    revoked_by = DecisionRefOutput(allow_null=True)

    class Meta:
        model = Award
        fields = ["id", "nominee", "amount", "revoked_by", "revoked_reason"]

    def get_nominee(self, award) -> dict:
        n = award.nominee
        return {
            "id": n.pk,
            "name": n.name,
            "kind": n.kind,
            "award_type": n.award_type.code,
            "dossier": n.dossier_id,
        }


class DecisionOutput(serializers.ModelSerializer):
    symbol = serializers.CharField()
    kind = serializers.CharField(help_text="award, revocation or decline")
    signer_capacity = serializers.CharField(help_text="'' (own right), TM, KT, TL or TUQ")
    issuer = UnitRefOutput()
    signed_by = PersonBriefOutput()
    signer_capacity_display = serializers.CharField(source="get_signer_capacity_display")
    dossiers = DossierRefOutput(many=True, source="covered_dossiers")
    awards = AwardOutput(
        many=True, source="award_list", help_text="Awardees; for a revocation, the awards revoked."
    )
    total_amount = serializers.IntegerField()
    revokes = DecisionRefOutput(allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "symbol",
            "number",
            "year",
            "kind",
            "title",
            "issuer",
            "signed_on",
            "signed_by",
            "signer_capacity",
            "signer_capacity_display",
            "base_salary",
            "reason",
            "revokes",
            "dossiers",
            "awards",
            "total_amount",
        ]
