"""/api/decisions/…: one decision for many dossiers — its preview, the standing body's draft and
the chair's signature — through the same services as the page. A dossier id that is unknown or
not visible is named; so is a dossier that blocks (dossiers.api_errors: 403, 409, 400)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import services as approvals
from approvals.models import DecisionDraft, SignerCapacity
from approvals.permissions import can_prepare_decision
from approvals.selectors import access_decision
from dossiers.models import Dossier
from dossiers.permissions import can_view_dossier
from org import limits
from org.api_fields import IdList

from . import confirm, services
from . import serializers as s
from .api import STEP_ERRORS

# An id is a positive 64-bit integer (BigAutoField): a larger one is refused as a 400 naming the field
# before it reaches the database (SQLite cannot even bind it in an `in` list), and the schema says so.
ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


class DecisionBatchInput(serializers.Serializer):
    dossiers = IdList(child=serializers.IntegerField(**ID_RANGE), allow_empty=False)
    title = serializers.CharField(max_length=limits.TITLE, allow_blank=True, required=False, default="")
    capacity = serializers.ChoiceField(
        choices=SignerCapacity.choices, required=False, default="", allow_blank=True
    )
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    draft = serializers.IntegerField(required=False, allow_null=True, default=None, **ID_RANGE)
    acknowledge_overdraw = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Sign although the decision's cash overdraws the award fund (recorded)",
    )


class AnnexRowOutput(serializers.Serializer):
    dossier_id = serializers.IntegerField()
    nominee_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    award = serializers.CharField()
    full_amount = serializers.IntegerField(help_text="The award's own cash (đồng).")
    amount = serializers.IntegerField(
        help_text="What is paid: several titles for a period pay the highest only."
    )
    cash_covered_by_nominee_id = serializers.IntegerField(allow_null=True)


class DecisionPreviewOutput(serializers.Serializer):
    signed_on = serializers.DateField()
    base_salary = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField())
    awards = AnnexRowOutput(many=True)


class DecisionDraftOutput(serializers.ModelSerializer):
    dossiers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = DecisionDraft
        fields = ["id", "issuer", "title", "dossiers", "prepared_by", "prepared_at", "decision"]


def _dossiers(user, ids) -> list[Dossier]:
    """The dossiers by id, each visible to `user`; an unknown or invisible id is named."""
    found = {
        d.pk: d
        for d in Dossier.objects.filter(pk__in=ids).select_related("unit", "campaign", "reviewing_unit")
    }
    missing = [pk for pk in dict.fromkeys(ids) if pk not in found or not can_view_dossier(user, found[pk])]
    if missing:
        raise ValidationError(
            {
                "dossiers": [
                    _("Dossier no. %(pk)s does not exist or is not visible to you.") % {"pk": pk}
                    for pk in missing
                ]
            }
        )
    return [found[pk] for pk in dict.fromkeys(ids)]


def _parse(request):
    data = DecisionBatchInput(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class DecisionPreviewApi(APIView):
    @extend_schema(
        operation_id="decisions_preview",
        summary="What one decision on these dossiers would award (nothing is written)",
        request=DecisionBatchInput,
        responses={200: DecisionPreviewOutput, **STEP_ERRORS},
    )
    def post(self, request):
        data = _parse(request)
        dossiers = _dossiers(request.user, data["dossiers"])
        if not _prepares(request.user, dossiers):
            approvals.decision_refusals(request.user, dossiers, data["capacity"])
        preview = confirm.decision_preview(
            actor=request.user,
            dossiers=dossiers,
            title=data["title"],
            signed_on=data["signed_on"],
            capacity=data["capacity"],
        )
        awards = [
            {
                "dossier_id": p.dossier.pk,
                "nominee_id": p.nominee.pk,
                "name": p.nominee.name,
                "kind": p.nominee.kind,
                "award": p.nominee.award_type.name,
                "full_amount": p.full,
                "amount": p.amount,
                "cash_covered_by_nominee_id": p.covered_by.nominee.pk if p.covered_by is not None else None,
            }
            for p in preview["planned"]
        ]
        body = {
            "signed_on": preview["day"],
            "base_salary": preview["base_salary"],
            "total": preview["total"],
            "problems": preview["problems"],
            "awards": awards,
        }
        return Response(DecisionPreviewOutput(body).data)


def _prepares(user, dossiers) -> bool:
    return bool(dossiers) and can_prepare_decision(user, dossiers[0].reviewing_unit)


class DecisionDraftApi(APIView):
    @extend_schema(
        operation_id="decisions_draft_create",
        summary="Prepare a decision for the chair (standing body): its dossiers and subject",
        request=DecisionBatchInput,
        responses={201: DecisionDraftOutput, **STEP_ERRORS},
    )
    def post(self, request):
        data = _parse(request)
        draft = approvals.decision_draft_prepare(
            actor=request.user, dossiers=_dossiers(request.user, data["dossiers"]), title=data["title"]
        )
        return Response(DecisionDraftOutput(draft).data, status=status.HTTP_201_CREATED)


class DecisionIssueApi(APIView):
    @extend_schema(
        operation_id="decisions_issue",
        summary="Sign ONE award decision for these dossiers (chair; a vice-chair signs as KT.)",
        request=DecisionBatchInput,
        responses={201: s.DecisionOutput, **STEP_ERRORS},
    )
    def post(self, request):
        data = _parse(request)
        dossiers = _dossiers(request.user, data["dossiers"])
        draft = None
        if data["draft"]:
            draft = DecisionDraft.objects.filter(
                pk=data["draft"], issuer__in=[d.reviewing_unit_id for d in dossiers]
            ).first()
            if draft is None:
                raise ValidationError({"draft": [_("This draft is not one of this body's.")]})
        decision = services.decision_issue(
            actor=request.user,
            dossiers=dossiers,
            title=data["title"],
            signed_on=data["signed_on"],
            capacity=data["capacity"],
            draft=draft,
            acknowledge_overdraw=data["acknowledge_overdraw"],
        )
        decision = access_decision(user=request.user, pk=decision.pk)
        return Response(s.DecisionOutput(decision).data, status=status.HTTP_201_CREATED)
