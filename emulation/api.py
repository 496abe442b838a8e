"""The API of the year's emulation plans and registrations: the same selectors, permissions and
services as the pages; refusals become HTTP answers in one place (dossiers.api_errors)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.api import CONFLICT, FORBIDDEN, NOT_FOUND, REFUSED
from dossiers.history import access_nominee_history
from dossiers.models import AwardType
from dossiers.serializers import CodeField
from org import limits
from org.models import Unit, User

from . import permissions, selectors, services
from .checks import nominee_registrations
from .models import EmulationPlan, Registration, RegistrationKind

# --- shapes ----------------------------------------------------------------------------------------


class PlanOutput(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = EmulationPlan
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "title",
            "number",
            "issued_on",
            "registration_deadline",
            "legal_basis",
            "state",
            "opened_at",
        ]


class PlanInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=limits.TITLE)
    number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    registration_deadline = serializers.DateField()
    legal_basis = serializers.CharField(
        max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default=""
    )


class TitleCount(serializers.Serializer):
    award_type = serializers.CharField(source="award_type__name")
    kind = serializers.CharField()
    count = serializers.IntegerField()


class UnitCount(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    collectives = serializers.IntegerField()
    individuals = serializers.IntegerField()


class OverviewOutput(serializers.Serializer):
    plan = PlanOutput()
    total = serializers.IntegerField()
    per_title = TitleCount(many=True)
    units = UnitCount(many=True)
    not_registered = serializers.ListField(child=serializers.IntegerField())


class RegistrationOutput(serializers.ModelSerializer):
    award_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    award_name = serializers.CharField(source="award_type.name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "plan",
            "unit",
            "award_type",
            "award_name",
            "kind",
            "person",
            "name",
            "date_of_birth",
            "position",
            "collective_unit",
            "registered_at",
            "late_reason",
            "withdrawn_at",
            "withdrawal_reason",
        ]


class RegistrationInput(serializers.Serializer):
    # By its code, bounded as the code is (CodeField), so the schema and the API agree on a limit.
    award_type = CodeField(slug_field="code", queryset=AwardType.objects.all())
    kind = serializers.ChoiceField(choices=RegistrationKind.choices)
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    name = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    position = serializers.CharField(max_length=limits.PLACE, required=False, allow_blank=True, default="")
    collective_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    late_reason = serializers.CharField(
        max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default=""
    )


class EmulationReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.SHORT_TEXT)


class NomineeRegistrationOutput(serializers.Serializer):
    nominee = serializers.IntegerField()
    required = serializers.BooleanField()
    registration = serializers.IntegerField(allow_null=True)
    override_reason = serializers.CharField(allow_null=True)


def nominee_registration_data(nominee) -> dict:
    found = nominee_registrations(nominee.dossier, [nominee]).get(nominee.pk)
    return NomineeRegistrationOutput(
        {
            "nominee": nominee.pk,
            "required": bool(found),
            "registration": found.registration.pk if found and found.registration else None,
            "override_reason": found.override.reason if found and found.override else None,
        }
    ).data


# --- views -----------------------------------------------------------------------------------------


class PlanListCreateApi(APIView):
    @extend_schema(
        operation_id="emulation_plans_list",
        summary="The emulation plans you may open: of the bodies above your unit, or your own body's",
        responses=PlanOutput(many=True),
    )
    def get(self, request):
        return Response(PlanOutput(selectors.plan_list_for(user=request.user), many=True).data)

    @extend_schema(
        operation_id="emulation_plans_create",
        summary="The standing body issues the year's emulation plan and opens it for registration",
        request=PlanInput,
        responses={201: PlanOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        body = PlanInput(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_open(actor=request.user, **body.validated_data)
        return Response(PlanOutput(plan).data, status=status.HTTP_201_CREATED)


class PlanOverviewApi(APIView):
    @extend_schema(
        operation_id="emulation_plans_overview",
        summary="The plan's registrations counted per title and per unit, and the units not registered",
        responses={200: OverviewOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        plan = selectors.access_plan(user=request.user, pk=pk)
        if not permissions.can_read_plan_overview(request.user, plan):
            raise Http404
        overview = selectors.plan_overview(plan=plan)
        data = {**overview, "plan": plan, "not_registered": [u.pk for u in overview["not_registered"]]}
        return Response(OverviewOutput(data).data)


class UnitRegistrationsApi(APIView):
    @extend_schema(
        operation_id="emulation_unit_registrations_list",
        summary="A unit's registrations in the plan (withdrawn ones included)",
        responses={200: RegistrationOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk, unit_pk):
        plan, unit = selectors.access_plan_unit(user=request.user, plan_pk=pk, unit_pk=unit_pk)
        rows = selectors.unit_registrations(plan=plan, unit=unit)
        return Response(RegistrationOutput(rows, many=True).data)

    @extend_schema(
        operation_id="emulation_unit_registrations_create",
        summary="Register a collective or a person of the unit for a title (refused after the deadline)",
        request=RegistrationInput,
        responses={201: RegistrationOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk, unit_pk):
        plan, unit = selectors.access_plan_unit(user=request.user, plan_pk=pk, unit_pk=unit_pk)
        body = RegistrationInput(data=request.data)
        body.is_valid(raise_exception=True)
        registration = services.registration_add(
            actor=request.user, plan=plan, unit=unit, **body.validated_data
        )
        return Response(RegistrationOutput(registration).data, status=status.HTTP_201_CREATED)


class RegistrationWithdrawApi(APIView):
    @extend_schema(
        operation_id="emulation_registrations_withdraw",
        summary="Withdraw a registration, with the reason (kept on record)",
        request=EmulationReasonInput,
        responses={200: RegistrationOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        registration = selectors.access_registration(user=request.user, pk=pk)
        body = EmulationReasonInput(data=request.data)
        body.is_valid(raise_exception=True)
        registration = services.registration_withdraw(
            actor=request.user, registration=registration, reason=body.validated_data["reason"]
        )
        return Response(RegistrationOutput(registration).data)


class NomineeRegistrationApi(APIView):
    @extend_schema(
        operation_id="nominee_emulation_registration",
        summary="Whether the nominee's title needs a registration, and its registration or override",
        responses={200: NomineeRegistrationOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        nominee = access_nominee_history(user=request.user, pk=pk)
        return Response(nominee_registration_data(nominee))

    @extend_schema(
        operation_id="nominee_emulation_registration_override",
        summary="The standing body lets a nominee without a registration be proposed, with its reason",
        request=EmulationReasonInput,
        responses={
            201: NomineeRegistrationOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        nominee = access_nominee_history(user=request.user, pk=pk)
        body = EmulationReasonInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.registration_override_record(
            actor=request.user, nominee=nominee, reason=body.validated_data["reason"]
        )
        return Response(nominee_registration_data(nominee), status=status.HTTP_201_CREATED)
