"""The API of the state honours proposals: the same selectors and services as the pages
(honours.selectors, honours.services); refusals become HTTP answers in one place
(dossiers.api_errors): 403 role, 404 out of scope, 409 state, 400 rules."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from dossiers.api import CONFLICT, FORBIDDEN, NOT_FOUND, REFUSED
from dossiers.models import Nominee
from org import limits
from org.models import Unit

from . import selectors, services
from .models import HonoursProposal, NomineeResult, ProposedNominee
from .views import XLSX, document_response


class HonoursEntryOutput(serializers.ModelSerializer):
    nominee = serializers.IntegerField(source="nominee_id")
    name = serializers.CharField(source="nominee.name")
    kind = serializers.CharField(source="nominee.kind")
    award_type = serializers.CharField(source="nominee.award_type.code")
    dossier = serializers.IntegerField(source="nominee.dossier_id")
    award_record = serializers.IntegerField(source="award_record_id", allow_null=True)
    # Named apart from the other APIs' "result" fields (a council's passed / failed).
    central_result = serializers.ChoiceField(source="result", choices=NomineeResult.choices, read_only=True)

    class Meta:
        model = ProposedNominee
        fields = [
            "id",
            "nominee",
            "name",
            "kind",
            "award_type",
            "dossier",
            "central_result",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "reason",
            "award_record",
        ]


class HonoursProposalOutput(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = HonoursProposal
        fields = [
            "id",
            "unit",
            "year",
            "title",
            "central_body",
            "summary",
            "state",
            "dispatch_number",
            "dispatch_date",
            "submitted_at",
            "closed_at",
        ]


class HonoursProposalDetailOutput(HonoursProposalOutput):
    entries = serializers.SerializerMethodField()

    class Meta(HonoursProposalOutput.Meta):
        fields = [*HonoursProposalOutput.Meta.fields, "entries"]

    @extend_schema_field(HonoursEntryOutput(many=True))
    def get_entries(self, proposal) -> list[dict]:
        return HonoursEntryOutput(selectors.entries_of(proposal), many=True).data


class HonoursCandidateOutput(serializers.ModelSerializer):
    award_type = serializers.CharField(source="award_type.code")
    dossier_title = serializers.CharField(source="dossier.title")

    class Meta:
        model = Nominee
        fields = ["id", "name", "kind", "award_type", "dossier", "dossier_title"]


class HonoursProposalInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=limits.TITLE)
    central_body = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=limits.TEXT, required=False, allow_blank=True)


class HonoursNomineeInput(serializers.Serializer):
    nominee = serializers.IntegerField()


class HonoursSubmitInput(serializers.Serializer):
    dispatch_date = serializers.DateField(required=False, allow_null=True)


class HonoursResultInput(serializers.Serializer):
    awarded = serializers.BooleanField()
    decision_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=limits.SHORT_TEXT, required=False, allow_blank=True)


def _detail(proposal, code=status.HTTP_200_OK):
    return Response(HonoursProposalDetailOutput(proposal).data, status=code)


class ProposalListCreateApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="honours_proposals_list",
        summary="State honours proposals of the provinces in your scope, newest first",
        responses=HonoursProposalOutput(many=True),
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.proposal_list_for(user=request.user), request, view=self)
        return paginator.get_paginated_response(HonoursProposalOutput(page, many=True).data)

    @extend_schema(
        operation_id="honours_proposals_create",
        summary="Open a draft proposal (the province's standing body)",
        request=HonoursProposalInput,
        responses={201: HonoursProposalDetailOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        body = HonoursProposalInput(data=request.data)
        body.is_valid(raise_exception=True)
        return _detail(
            services.proposal_create(actor=request.user, **body.validated_data), status.HTTP_201_CREATED
        )


class ProposalDetailApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_retrieve",
        summary="A proposal with its nominees and their results",
        responses={200: HonoursProposalDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return _detail(selectors.proposal_get_for(user=request.user, pk=pk))


class CandidateListApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_candidates",
        summary="Nominees the province may still propose (voted for a central award, at the chair's)",
        responses={200: HonoursCandidateOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        return Response(HonoursCandidateOutput(selectors.candidates_for(proposal.unit), many=True).data)


class NomineeAddApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_nominee_add",
        summary="Add a nominee to a draft proposal",
        request=HonoursNomineeInput,
        responses={
            201: HonoursProposalDetailOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        body = HonoursNomineeInput(data=request.data)
        body.is_valid(raise_exception=True)
        nominee = get_object_or_404(
            Nominee, pk=body.validated_data["nominee"], dossier__unit__path__startswith=proposal.unit.path
        )
        services.proposal_nominee_add(actor=request.user, proposal=proposal, nominee=nominee)
        return _detail(proposal, status.HTTP_201_CREATED)


class NomineeRemoveApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_nominee_remove",
        summary="Take a nominee out of a draft proposal",
        request=None,
        responses={200: HonoursProposalDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk, entry):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        services.proposal_nominee_remove(
            actor=request.user, entry=get_object_or_404(ProposedNominee, pk=entry, proposal=proposal)
        )
        return _detail(proposal)


class SubmitApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_submit",
        summary="The chair signs and submits the proposal to the central level",
        request=HonoursSubmitInput,
        responses={
            200: HonoursProposalDetailOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        body = HonoursSubmitInput(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_submit(
            actor=request.user, proposal=proposal, dispatch_date=body.validated_data.get("dispatch_date")
        )
        return _detail(proposal)


class ResultApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_result",
        summary="Record the central level's result for one nominee",
        request=HonoursResultInput,
        responses={
            200: HonoursProposalDetailOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk, entry):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        body = HonoursResultInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.result_record(
            actor=request.user,
            entry=get_object_or_404(ProposedNominee, pk=entry, proposal=proposal),
            **body.validated_data,
        )
        return _detail(selectors.proposal_get_for(user=request.user, pk=pk))


class CloseApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_close",
        summary="Close a proposal whose results are all recorded",
        request=None,
        responses={200: HonoursProposalDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        return _detail(services.proposal_close(actor=request.user, proposal=proposal))


class DocumentApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_document",
        summary="The tờ trình with the list (pdf) or the list (xlsx), in the Ministry's format",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY),
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk, fmt):
        if fmt not in ("pdf", "xlsx"):
            raise Http404
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        data = services.proposal_document_render(actor=request.user, proposal=proposal, fmt=fmt)
        return document_response(proposal, data, fmt)
