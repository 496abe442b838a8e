"""The award fund's API (/api/fund/…): the same selectors, services and permission checks as the
pages; refusals become HTTP answers in one place (dossiers.api_errors). Amounts are integer đồng."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Award
from approvals.selectors import access_decision
from dossiers.api import FORBIDDEN, NOT_FOUND, REFUSED
from org import limits
from org.models import Unit

from . import permissions, selectors, services
from .forms import MAX_AMOUNT, reversed_period
from .models import Fund, FundEntry


class AmountField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_AMOUNT, help_text="Whole đồng", **kwargs)


class FundOutput(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "unit", "unit_name", "year", "budget_set"]


class EntryOutput(serializers.ModelSerializer):
    decision_symbol = serializers.SerializerMethodField()
    running = serializers.IntegerField(read_only=True, help_text="The balance after this line")

    class Meta:
        model = FundEntry
        fields = [
            "id",
            "kind",
            "amount",
            "increases",
            "decision",
            "decision_symbol",
            "award",
            "note",
            "paid_on",
            "voucher",
            "paid_to",
            "overdraw_acknowledged",
            "shortfall",
            "created_at",
            "running",
        ]

    def get_decision_symbol(self, entry) -> str | None:
        return entry.decision.symbol if entry.decision_id else None


class TotalsOutput(serializers.Serializer):
    budget = serializers.IntegerField()
    addition = serializers.IntegerField()
    charge = serializers.IntegerField()
    payment = serializers.IntegerField(source="paid")
    correction_in = serializers.IntegerField()
    correction_out = serializers.IntegerField()
    returned = serializers.IntegerField(source="return")
    unpaid = serializers.IntegerField()


class StatementOutput(serializers.Serializer):
    fund = FundOutput()
    start = serializers.DateField()
    end = serializers.DateField()
    opening = serializers.IntegerField()
    closing = serializers.IntegerField()
    totals = TotalsOutput()
    lines = EntryOutput(many=True)


class PeriodInput(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, data):
        message = reversed_period(data.get("start"), data.get("end"))
        if message:
            raise serializers.ValidationError({"end": [message]})
        return data


class FundOpenInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    budget = AmountField()
    note = serializers.CharField(max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default="")


class AdditionInput(serializers.Serializer):
    amount = AmountField()
    note = serializers.CharField(max_length=limits.SHORT_TEXT)


class CorrectionInput(serializers.Serializer):
    amount = AmountField()
    increases = serializers.BooleanField()
    reason = serializers.CharField(max_length=limits.SHORT_TEXT)


class PaymentInput(serializers.Serializer):
    award = serializers.IntegerField(help_text="The award (of the decision in the path) paid")
    amount = AmountField()
    paid_on = serializers.DateField()
    voucher = serializers.CharField(max_length=services.VOUCHER_LENGTH)
    paid_to = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default="")


class FundListApi(APIView):
    @extend_schema(
        operation_id="fund_list", summary="The award funds you may read", responses=FundOutput(many=True)
    )
    def get(self, request):
        if not permissions.may_use_fund(request.user):
            raise Http404
        return Response(FundOutput(selectors.visible_funds(request.user), many=True).data)

    @extend_schema(
        operation_id="fund_open",
        summary="Set the year's budget of a body's award fund (its standing body's leader or its chair)",
        request=FundOpenInput,
        responses={201: FundOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        body = FundOpenInput(data=request.data)
        body.is_valid(raise_exception=True)
        fund = services.fund_open(actor=request.user, **body.validated_data)
        return Response(FundOutput(fund).data, status=status.HTTP_201_CREATED)


class FundStatementApi(APIView):
    @extend_schema(
        operation_id="fund_statement",
        summary="A fund's statement for a period (?start=YYYY-MM-DD&end=YYYY-MM-DD; the year by default)",
        responses={200: StatementOutput, 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        fund = selectors.access_fund(user=request.user, pk=pk)
        period = PeriodInput(data=request.query_params)
        period.is_valid(raise_exception=True)
        view = selectors.statement(fund, **period.validated_data)
        return Response(StatementOutput(view).data)


class FundAdditionApi(APIView):
    @extend_schema(
        operation_id="fund_addition",
        summary="Record an addition to a fund (its standing body's leader or its chair)",
        request=AdditionInput,
        responses={201: EntryOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        fund = selectors.access_fund(user=request.user, pk=pk)
        body = AdditionInput(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.fund_addition_record(actor=request.user, fund=fund, **body.validated_data)
        return Response(EntryOutput(entry).data, status=status.HTTP_201_CREATED)


class FundCorrectionApi(APIView):
    @extend_schema(
        operation_id="fund_correction",
        summary="Record a correction of a fund's ledger, with its reason (the standing body's leader)",
        request=CorrectionInput,
        responses={201: EntryOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        fund = selectors.access_fund(user=request.user, pk=pk)
        body = CorrectionInput(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.fund_correction_record(actor=request.user, fund=fund, **body.validated_data)
        return Response(EntryOutput(entry).data, status=status.HTTP_201_CREATED)


class DecisionPaymentApi(APIView):
    @extend_schema(
        operation_id="fund_payment",
        summary="Record the payment of an award of this decision (at most its unpaid cash)",
        request=PaymentInput,
        responses={201: EntryOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        decision = access_decision(user=request.user, pk=pk)
        if not permissions.can_view(request.user, decision.issuer):
            raise Http404
        body = PaymentInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        award = Award.objects.filter(decision=decision, pk=data.pop("award")).first()
        if award is None:
            raise Http404
        entry = services.fund_payment_record(actor=request.user, award=award, **data)
        return Response(EntryOutput(entry).data, status=status.HTTP_201_CREATED)
