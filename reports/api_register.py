"""The API of the award register and of the dashboard: the same selectors as the pages
(reports.register_search, reports.dashboard), the same filters and scope."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from dossiers.api import NOT_FOUND
from dossiers.history_forms import AWARDEE_KINDS
from dossiers.models import NomineeKind

from .dashboard import dashboard_for
from .register_forms import RegisterFilterForm
from .register_search import ENGINE, RECORDED, awardee_page_for, register_for

# --- shapes ----------------------------------------------------------------------------------------


class RegisterRowOutput(serializers.Serializer):
    ref = serializers.CharField(help_text="The awardee's page: /api/register/<ref>/.")
    source = serializers.CharField(
        help_text=f"`{ENGINE}`: an award of a decision made here; `{RECORDED}`: recorded from elsewhere."
    )
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=NomineeKind.choices)
    year = serializers.IntegerField()
    award_name = serializers.CharField()
    unit_name = serializers.CharField()
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    issuer = serializers.CharField()


class AwardeeAwardOutput(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField()
    award_name = serializers.CharField()
    decision = serializers.IntegerField(
        source="decision_id", allow_null=True, help_text="Only when you may see the decision."
    )
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    issuer = serializers.CharField()
    source = serializers.CharField(
        help_text="`engine`: a decision made here; `recorded`: recorded from elsewhere."
    )


class AwardeeOutput(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=NomineeKind.choices)
    unit_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True, help_text="Only in the scope of the ID number.")
    id_number = serializers.CharField(
        help_text="In full when your scope covers it, else its last four digits (or empty)."
    )
    id_number_in_full = serializers.BooleanField()
    awards = AwardeeAwardOutput(many=True, source="entries", help_text="Oldest first.")


class BarOutput(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.IntegerField()
    url = serializers.CharField(help_text="The page listing what the bar counts.")


class ChartOutput(serializers.Serializer):
    key = serializers.ChoiceField(choices=["level", "kind", "year", "awardee", "state", "overdue"])
    title = serializers.CharField()
    total = serializers.IntegerField()
    bars = BarOutput(many=True)


class DashboardOutput(serializers.Serializer):
    charts = ChartOutput(many=True)


FILTERS = [
    OpenApiParameter("q", str, description="Words of the name, with or without accents."),
    OpenApiParameter("unit", int, description="A unit: its awardees and those of every unit under it."),
    OpenApiParameter("award_type", int, description="An award type (id)."),
    OpenApiParameter("year", int),
    OpenApiParameter("kind", str, enum=[k for k, _label in AWARDEE_KINDS]),
    OpenApiParameter(
        "level", str, description="The deciding body's unit level, or `elsewhere` for recorded awards."
    ),
]


# --- views -----------------------------------------------------------------------------------------


class RegisterListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="register_list",
        summary="The award register: the awards you may see, from decisions and recorded, by name then year",
        parameters=FILTERS,
        responses=RegisterRowOutput(many=True),
    )
    def get(self, request):
        form = RegisterFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.errors)
        rows = register_for(user=request.user, filters=form.cleaned_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(RegisterRowOutput(page, many=True).data)


class AwardeeApi(APIView):
    @extend_schema(
        operation_id="register_awardee",
        summary="One awardee of the register with all their awards over the years",
        responses={200: AwardeeOutput, 404: NOT_FOUND},
    )
    def get(self, request, ref):
        awardee = awardee_page_for(user=request.user, ref=ref)
        # As the page: an inspector's read is audited as a read of that nominee or record.
        request._request.audit_read = {"object_type": awardee.subject[0], "object_id": awardee.subject[1]}
        return Response(AwardeeOutput(awardee).data)


class DashboardApi(APIView):
    @extend_schema(
        operation_id="dashboard",
        summary="Your dashboard's figures: awards by level, form and year; dossiers by state; overdue steps",
        responses=DashboardOutput,
    )
    def get(self, request):
        return Response(DashboardOutput(dashboard_for(user=request.user)).data)
