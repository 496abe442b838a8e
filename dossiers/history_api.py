"""The API of the award history and of the legal grounds: the same selectors and services as the
pages (dossiers.history, dossiers.history_services); refusals become HTTP answers in one place
(dossiers.api_errors)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from org import limits
from org.models import Unit, User

from . import history_services as services
from .api import FORBIDDEN, NOT_FOUND, REFUSED
from .history import (
    access_award_record,
    access_nominee_history,
    award_history,
    award_record_list_for,
    nominee_eligibility,
)
from .models import AwardRecord, AwardType, EligibilityCondition, LegalGround, NomineeKind
from .serializers import CodeField

# --- shapes ----------------------------------------------------------------------------------------


class LegalGroundOutput(serializers.ModelSerializer):
    citation = serializers.CharField(read_only=True, help_text="The full sentence a document prints.")

    class Meta:
        model = LegalGround
        fields = [
            "id",
            "kind",
            "number",
            "issued_on",
            "issuer",
            "subject",
            "organises_issuer",
            "valid_from",
            "valid_to",
            "citation",
        ]


class AwardRecordOutput(serializers.ModelSerializer):
    award_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    award_name = serializers.CharField(read_only=True)
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = AwardRecord
        fields = [
            "id",
            "kind",
            "unit",
            "name",
            "person",
            "date_of_birth",
            "id_number",
            "collective_unit",
            "award_type",
            "award_title",
            "award_name",
            "year",
            "period",
            "decision_number",
            "decision_date",
            "issuer",
            "recorded_at",
            "voided_at",
            "void_reason",
        ]

    def get_id_number(self, record) -> str:
        """In full for the standing body that records it; its last four digits for the others."""
        request = self.context.get("request")
        if request is not None and services.can_record_awards(request.user, record.unit):
            return record.id_number
        return ("*" * max(len(record.id_number) - 4, 0) + record.id_number[-4:]) if record.id_number else ""


class AwardRecordInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NomineeKind.choices, default=NomineeKind.INDIVIDUAL)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    name = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True)
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    id_number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    collective_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    award_type = CodeField(
        slug_field="code", queryset=AwardType.objects.all(), required=False, allow_null=True
    )
    award_title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    year = serializers.IntegerField(min_value=1945, max_value=2100)
    period = serializers.CharField(max_length=64, required=False, allow_blank=True)
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()
    issuer = serializers.CharField(max_length=limits.NAME)


class AwardRecordCorrectionInput(AwardRecordInput):
    reason = serializers.CharField(max_length=limits.TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "reason":
                field.required = False


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.TEXT)


class OverrideInput(ReasonInput):
    condition = serializers.IntegerField()


class HistoryEntryOutput(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField()
    award_name = serializers.CharField()
    award_type = serializers.SerializerMethodField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    issuer = serializers.CharField()
    source = serializers.ChoiceField(choices=["recorded", "engine", "initiative"])

    def get_award_type(self, entry) -> str | None:
        codes = self.context.get("codes", {})
        return codes.get(entry.award_type_id)


class ConditionOutput(serializers.Serializer):
    condition = serializers.IntegerField(source="condition.pk")
    description = serializers.CharField(source="condition.description")
    legal_basis = serializers.CharField(source="condition.legal_basis")
    years = serializers.ListField(child=serializers.IntegerField(), source="window")
    found = serializers.ListField(child=serializers.IntegerField())
    missing = serializers.ListField(child=serializers.IntegerField())
    met = serializers.BooleanField()
    override_reason = serializers.SerializerMethodField()

    def get_override_reason(self, result) -> str | None:
        return result.override.reason if result.override else None


class NomineeHistoryOutput(serializers.Serializer):
    nominee = serializers.IntegerField()
    awards = HistoryEntryOutput(many=True)
    conditions = ConditionOutput(many=True)


def history_data(nominee):
    codes = dict(AwardType.objects.values_list("pk", "code"))
    data = {
        "nominee": nominee.pk,
        "awards": award_history(nominee),
        "conditions": nominee_eligibility(nominee),
    }
    return NomineeHistoryOutput(data, context={"codes": codes}).data


# --- views -----------------------------------------------------------------------------------------


class LegalGroundListApi(APIView):
    @extend_schema(
        operation_id="legal_grounds_list",
        summary="Legal grounds (laws, decrees, circulars, plans) with the citation documents print",
        responses=LegalGroundOutput(many=True),
    )
    def get(self, request):
        grounds = LegalGround.objects.order_by("-organises_issuer", "kind", "issued_on", "pk")
        return Response(LegalGroundOutput(grounds, many=True).data)


class AwardRecordListCreateApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="award_records_list",
        summary="Awards recorded from outside the system, in your units, newest year first",
        responses=AwardRecordOutput(many=True),
    )
    def get(self, request):
        filters = {
            "q": request.query_params.get("q", ""),
            "include_void": request.query_params.get("include_void"),
        }
        year = request.query_params.get("year", "")
        if year.isdigit():
            filters["year"] = int(year)
        records = award_record_list_for(user=request.user, filters=filters)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(records, request, view=self)
        data = AwardRecordOutput(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="award_records_create",
        summary="Record an award decided elsewhere (the standing body over the awardee's unit)",
        request=AwardRecordInput,
        responses={201: AwardRecordOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        body = AwardRecordInput(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.award_record_add(actor=request.user, **body.validated_data)
        return Response(
            AwardRecordOutput(record, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class AwardRecordDetailApi(APIView):
    @extend_schema(
        operation_id="award_records_retrieve",
        summary="A recorded award",
        responses={200: AwardRecordOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        record = access_award_record(user=request.user, pk=pk)
        return Response(AwardRecordOutput(record, context={"request": request}).data)

    @extend_schema(
        operation_id="award_records_correct",
        summary="Correct a recorded award, with the reason (audited: before and after are kept)",
        request=AwardRecordCorrectionInput,
        responses={200: AwardRecordOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request, pk):
        record = access_award_record(user=request.user, pk=pk)
        body = AwardRecordCorrectionInput(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        reason = changes.pop("reason", "")
        record = services.award_record_correct(actor=request.user, record=record, reason=reason, **changes)
        return Response(AwardRecordOutput(record, context={"request": request}).data)


class AwardRecordVoidApi(APIView):
    @extend_schema(
        operation_id="award_records_void",
        summary="Void a record entered by mistake (kept, no longer counted)",
        request=ReasonInput,
        responses={200: AwardRecordOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        record = access_award_record(user=request.user, pk=pk)
        body = ReasonInput(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.award_record_void(
            actor=request.user, record=record, reason=body.validated_data["reason"]
        )
        return Response(AwardRecordOutput(record, context={"request": request}).data)


class NomineeHistoryApi(APIView):
    @extend_schema(
        operation_id="nominee_history",
        summary="A nominee's awards over the years and how it stands against its award's conditions",
        responses={200: NomineeHistoryOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        nominee = access_nominee_history(user=request.user, pk=pk)
        return Response(history_data(nominee))


class EligibilityOverrideApi(APIView):
    @extend_schema(
        operation_id="nominee_eligibility_override",
        summary="The reviewing standing body lets a nominee through a history condition, with its reason",
        request=OverrideInput,
        responses={201: NomineeHistoryOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        nominee = access_nominee_history(user=request.user, pk=pk)
        body = OverrideInput(data=request.data)
        body.is_valid(raise_exception=True)
        condition = EligibilityCondition.objects.filter(pk=body.validated_data["condition"]).first()
        if condition is None:
            raise ValidationError({"condition": [_("Choose a condition of the nominee's award.")]})
        services.eligibility_override_record(
            actor=request.user, nominee=nominee, condition=condition, reason=body.validated_data["reason"]
        )
        return Response(history_data(nominee), status=status.HTTP_201_CREATED)
