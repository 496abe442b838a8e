"""/api/contests/<id>/results/…: the ranking, the placings, resolving a tie, the results decision
(prepare, sign, issue) and the public results, through the same selectors and services as the
pages (contests.results_selectors, contests.results_services). Refusals are answered in one place
(dossiers.api_errors): 403 not yours, 404 not visible, 409 not now, 400 with every reason. Cash is
an integer number of đồng; scores are strings with two decimals, never JSON floats.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.files import file_response
from dossiers.serializers import ConflictOutput, ErrorOutput, RefusalOutput
from org import limits
from org.api_fields import IdList
from org.models import User

from . import results_selectors as selectors
from . import results_services as services

NOT_FOUND = OpenApiResponse(ErrorOutput, description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="Not the organiser, the signer or the records clerk.")
CONFLICT = OpenApiResponse(ConflictOutput, description="Not possible in the contest's present state.")
REFUSED = OpenApiResponse(RefusalOutput, description="Refused: every reason, or a field map.")
ERRORS = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
SCORE = {"max_digits": 7, "decimal_places": 2}


class ContestPlacingOutput(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    title = serializers.CharField(source="entry.title")
    entrant_kind = serializers.CharField(source="entry.entrant_kind")
    entrant = serializers.CharField(source="entry.entrant_name")
    unit = serializers.CharField(source="entry.unit.name")
    rank = serializers.IntegerField()
    appraisal_score = serializers.DecimalField(source="entry.appraisal_score", allow_null=True, **SCORE)
    final_score = serializers.DecimalField(source="entry.final_score", allow_null=True, **SCORE)
    prize = serializers.CharField(source="prize.name", allow_null=True, default=None)
    amount = serializers.IntegerField(help_text="Cash in đồng.")
    tie_note = serializers.CharField()
    tie_unresolved = serializers.BooleanField(help_text="Tied at a prize's line: the organiser decides.")


class ContestPublicPlacingOutput(serializers.Serializer):
    title = serializers.CharField(source="entry.title")
    entrant_kind = serializers.CharField(source="entry.entrant_kind")
    entrant = serializers.CharField(source="entry.entrant_name")
    unit = serializers.CharField(source="entry.unit.name")
    rank = serializers.IntegerField()
    prize = serializers.CharField(source="prize.name")
    amount = serializers.IntegerField(help_text="Cash in đồng.")


class ContestKindOutput(serializers.Serializer):
    kind = serializers.CharField()
    prizes = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Cash in đồng.")
    placings = ContestPlacingOutput(many=True)


class ContestPublicKindOutput(ContestKindOutput):
    placings = ContestPublicPlacingOutput(many=True)


class ContestDecisionOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    symbol = serializers.CharField()
    title = serializers.CharField()
    signed_on = serializers.DateField()
    signed_by = serializers.CharField(source="signed_by.get_full_name")
    capacity = serializers.CharField(source="signer_capacity")


class ContestResultsOutput(serializers.Serializer):
    contest = serializers.IntegerField(source="contest.pk")
    state = serializers.CharField(source="contest.state")
    tie_rule = serializers.CharField(source="contest.tie_rule")
    total = serializers.IntegerField(help_text="Cash in đồng, every kind.")
    kinds = ContestKindOutput(many=True)
    decision = ContestDecisionOutput(source="contest.decision", allow_null=True)
    document = serializers.IntegerField(
        source="document.pk", allow_null=True, default=None, help_text="The decision's current PDF."
    )
    document_signed = serializers.BooleanField(source="document.signed", default=False)


class ContestPublicResultsOutput(serializers.Serializer):
    contest = serializers.IntegerField(source="contest.pk")
    name = serializers.CharField(source="contest.name")
    organizer = serializers.CharField(source="contest.organizer.name")
    decision_symbol = serializers.CharField(source="contest.decision.symbol")
    decision_date = serializers.DateField(source="contest.decision.signed_on")
    total = serializers.IntegerField()
    kinds = ContestPublicKindOutput(many=True)


class ContestTieInput(serializers.Serializer):
    entries = IdList(min_length=2, help_text="The tied entries' ids, best first.")
    reason = serializers.CharField(max_length=limits.TITLE)


class ContestDecisionInput(serializers.Serializer):
    title = serializers.CharField(max_length=limits.TITLE, required=False, allow_blank=True)
    signer = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    capacity = serializers.CharField(
        max_length=4, required=False, allow_blank=True, default="", help_text='"" (own right), "TM" or "KT".'
    )


def _results(contest) -> dict:
    kinds = selectors.results_of(contest)
    return {
        "contest": contest,
        "total": sum(k.total for k in kinds),
        "kinds": kinds,
        "document": services.current_document(contest),
    }


class ResultsApi(APIView):
    @extend_schema(
        responses={200: ContestResultsOutput, 404: NOT_FOUND}, summary="A contest's ranking and placings"
    )
    def get(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        return Response(ContestResultsOutput(_results(contest)).data)


class RankApi(APIView):
    @extend_schema(
        request=None,
        responses={200: ContestResultsOutput, **ERRORS},
        summary="Rank the finalists (organiser)",
    )
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        services.contest_rank(actor=request.user, contest=contest)
        return Response(ContestResultsOutput(_results(selectors.contest_for_results(request.user, pk))).data)


class TieApi(APIView):
    @extend_schema(
        request=ContestTieInput,
        responses={200: ContestResultsOutput, **ERRORS},
        summary="Resolve a tie at a prize's line",
    )
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        data = ContestTieInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.contest_tie_resolve(
            actor=request.user,
            contest=contest,
            entries=data.validated_data["entries"],
            reason=data.validated_data["reason"],
        )
        return Response(ContestResultsOutput(_results(contest)).data)


class DecisionApi(APIView):
    @extend_schema(
        request=ContestDecisionInput,
        responses={201: ContestDecisionOutput, **ERRORS},
        summary="Prepare the results decision",
    )
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        data = ContestDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.contest_decision_prepare(
            actor=request.user,
            contest=contest,
            signer=data.validated_data["signer"],
            title=data.validated_data.get("title", ""),
            capacity=data.validated_data.get("capacity", ""),
        )
        return Response(ContestDecisionOutput(decision).data, status=201)


class DecisionSignApi(APIView):
    @extend_schema(
        request=None, responses={200: ContestResultsOutput, **ERRORS}, summary="Sign the results decision"
    )
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        services.contest_decision_sign(actor=request.user, contest=contest)
        return Response(ContestResultsOutput(_results(selectors.contest_for_results(request.user, pk))).data)


class DecisionIssueApi(APIView):
    @extend_schema(
        request=None,
        responses={200: ContestResultsOutput, **ERRORS},
        summary="Issue the results decision (records clerk)",
    )
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        services.contest_decision_issue(actor=request.user, contest=contest)
        return Response(ContestResultsOutput(_results(contest)).data)


class ContestCertificatesOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    version = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Giấy khen in the PDF, one page each.")
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    made_at = serializers.DateTimeField()


class CertificatesApi(APIView):
    """The prize winners' Giấy khen: POST makes them (organiser or records clerk, once the results
    decision is issued), GET returns the PDF to whoever may read the decision's PDF."""

    @extend_schema(
        operation_id="contests_results_certificates_make",
        request=None,
        responses={200: ContestCertificatesOutput, **ERRORS},
        summary="Make the prize winners' Giấy khen (one PDF)",
    )
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        made = services.contest_certificates_make(actor=request.user, contest=contest)
        return Response(ContestCertificatesOutput(made).data)

    @extend_schema(
        operation_id="contests_results_certificates_download",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND},
        summary="The prize winners' Giấy khen (PDF)",
    )
    def get(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        made = selectors.certificates_for(request.user, contest)
        return file_response(
            made.file.open("rb"),
            filename=f"giay-khen-hoi-thi-{contest.pk}-v{made.version}.pdf",
            content_type="application/pdf",
        )

    def perform_content_negotiation(self, request, force=False):
        # A client asking for the PDF (Accept: application/pdf) gets it, and any error as JSON.
        return super().perform_content_negotiation(request, force=True)


class PublicResultsApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={200: ContestPublicResultsOutput, 404: NOT_FOUND},
        summary="A contest's prizes, once its results decision is issued (no login)",
    )
    def get(self, request, pk):
        contest = selectors.public_contest(pk)
        kinds = selectors.results_of(contest, prized_only=True)
        return Response(
            ContestPublicResultsOutput(
                {"contest": contest, "total": sum(k.total for k in kinds), "kinds": kinds}
            ).data
        )
