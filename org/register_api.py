"""/api/registers/: the register of outgoing documents through the API, with the same selectors
and service as its pages (a body whose register the user may not read is a 404; refusals become
403/400 in the project's exception handler)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .register_numbers import SUBJECT_MAX, SYMBOL_MAX
from .register_selectors import access_register_unit, register_entries, register_units_for
from .register_services import register_record_outside
from .registers import RegisterEntry, RegisterSeries

ERROR = inline_serializer("RegisterError", {"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(ERROR, description="Not found, or not visible to you.")


class RegisterUnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class RegisterEntryOutput(serializers.ModelSerializer):
    series = serializers.CharField(source="register.series")
    document_number = serializers.CharField()
    object_type = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)

    class Meta:
        model = RegisterEntry
        fields = [
            "id",
            "series",
            "number",
            "symbol",
            "document_number",
            "issued_on",
            "subject",
            "source",
            "object_type",
            "object_id",
            "recorded_by",
            "recorded_at",
        ]

    def get_object_type(self, entry) -> str:
        ct = entry.content_type_id and entry.content_type
        return f"{ct.app_label}.{ct.model}" if ct else ""


class OutsideNumberInput(serializers.Serializer):
    series = serializers.ChoiceField(choices=RegisterSeries.choices, default=RegisterSeries.DOCUMENTS)
    number = serializers.IntegerField(min_value=1)
    symbol = serializers.CharField(max_length=SYMBOL_MAX)
    issued_on = serializers.DateField()
    subject = serializers.CharField(max_length=SUBJECT_MAX)


class RegisterUnitsApi(APIView):
    @extend_schema(
        operation_id="registers_list",
        summary="The issuing bodies whose register of outgoing documents you keep or may read",
        responses={200: RegisterUnitOutput(many=True)},
    )
    def get(self, request):
        return Response(RegisterUnitOutput(register_units_for(request.user), many=True).data)


class RegisterYearApi(APIView):
    @extend_schema(
        operation_id="register_entries",
        summary="A body's register for a year: every number, given by the system or recorded from paper",
        responses={200: RegisterEntryOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, unit_id, year):
        unit = access_register_unit(request.user, unit_id)
        entries = register_entries(unit, year).select_related("content_type")
        return Response(RegisterEntryOutput(entries, many=True).data)


class RegisterOutsideApi(APIView):
    @extend_schema(
        operation_id="register_record_outside",
        summary="Record a number the body issued on paper, so the system never gives it again",
        request=OutsideNumberInput,
        responses={
            201: RegisterEntryOutput,
            400: OpenApiResponse(description="Refused, with every reason (e.g. the number is taken)."),
            403: OpenApiResponse(ERROR, description="Only the body's records clerk records numbers."),
            404: NOT_FOUND,
        },
    )
    def post(self, request, unit_id, year):
        unit = access_register_unit(request.user, unit_id)
        data = OutsideNumberInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = register_record_outside(actor=request.user, unit=unit, year=year, **data.validated_data)
        return Response(RegisterEntryOutput(entry).data, status=status.HTTP_201_CREATED)
