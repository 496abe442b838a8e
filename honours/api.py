"""The API of the state honours proposals: the same selectors and services as the pages
(honours.selectors, honours.services); refusals become HTTP answers in one place
(dossiers.api_errors): 403 role, 404 out of scope, 409 state, 400 rules."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from dossiers.api import CONFLICT, FORBIDDEN, NOT_FOUND, REFUSED
from dossiers.models import Nominee
from org import limits
from org.models import Unit

from . import selectors, services
from .models import HonoursProposal, ProposedNominee
from .views import XLSX, document_response


class EntryOutput(serializers.ModelSerializer):
    nominee = serializers.IntegerField(source="nominee_id")
    name = serializers.CharField(source="nominee.name")
    kind = serializers.CharField(source="nominee.kind")
    award_type = serializers.CharField(source="nominee.award_type.code")
    dossier = serializers.IntegerField(source="nominee.dossier_id")
    award_record = serializers.IntegerField(source="award_record_id", allow_null=True)

    class Meta:
        model = ProposedNominee
        fields = [
            "id",
            "nominee",
            "name",
            "kind",
            "award_type",
            "dossier",
            "result",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "reason",
            "award_record",
        ]


class ProposalOutput(serializers.ModelSerializer):
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


class ProposalDetailOutput(ProposalOutput):
    entries = serializers.SerializerMethodField()

    class Meta(ProposalOutput.Meta):
        fields = [*ProposalOutput.Meta.fields, "entries"]

    def get_entries(self, proposal) -> list[dict]:
        return EntryOutput(selectors.entries_of(proposal), many=True).data


class CandidateOutput(serializers.ModelSerializer):
    award_type = serializers.CharField(source="award_type.code")
    dossier_title = serializers.CharField(source="dossier.title")

    class Meta:
        model = Nominee
        fields = ["id", "name", "kind", "award_type", "dossier", "dossier_title"]


class ProposalInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=limits.TITLE)
    central_body = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=limits.TEXT, required=False, allow_blank=True)


class NomineeInput(serializers.Serializer):
    nominee = serializers.IntegerField()


class SubmitInput(serializers.Serializer):
    dispatch_date = serializers.DateField(required=False, allow_null=True)


class ResultInput(serializers.Serializer):
    awarded = serializers.BooleanField()
    decision_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=limits.SHORT_TEXT, required=False, allow_blank=True)


def _detail(proposal, code=status.HTTP_200_OK):
    return Response(ProposalDetailOutput(proposal).data, status=code)


class ProposalListCreateApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="honours_proposals_list",
        summary="State honours proposals of the provinces in your scope, newest first",
        responses=ProposalOutput(many=True),
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.proposal_list_for(user=request.user), request, view=self)
        return paginator.get_paginated_response(ProposalOutput(page, many=True).data)

    @extend_schema(
        operation_id="honours_proposals_create",
        summary="Open a draft proposal (the province's standing body)",
        request=ProposalInput,
        responses={201: ProposalDetailOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        body = ProposalInput(data=request.data)
        body.is_valid(raise_exception=True)
        return _detail(
            services.proposal_create(actor=request.user, **body.validated_data), status.HTTP_201_CREATED
        )


class ProposalDetailApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_retrieve",
        summary="A proposal with its nominees and their results",
        responses={200: ProposalDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return _detail(selectors.proposal_get_for(user=request.user, pk=pk))


class CandidateListApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_candidates",
        summary="Nominees the province may still propose (voted for a central award, at the chair's)",
        responses={200: CandidateOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        return Response(CandidateOutput(selectors.candidates_for(proposal.unit), many=True).data)


class NomineeAddApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_nominee_add",
        summary="Add a nominee to a draft proposal",
        request=NomineeInput,
        responses={201: ProposalDetailOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        body = NomineeInput(data=request.data)
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
        responses={200: ProposalDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
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
        request=SubmitInput,
        responses={200: ProposalDetailOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        body = SubmitInput(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_submit(
            actor=request.user, proposal=proposal, dispatch_date=body.validated_data.get("dispatch_date")
        )
        return _detail(proposal)


class ResultApi(APIView):
    @extend_schema(
        operation_id="honours_proposals_result",
        summary="Record the central level's result for one nominee",
        request=ResultInput,
        responses={200: ProposalDetailOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk, entry):
        proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        body = ResultInput(data=request.data)
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
        responses={200: ProposalDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
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
