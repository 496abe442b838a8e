"""The workflow's JSON API: every step the dossier's page offers, the inboxes, the decisions —
through the same services and selectors as the UI, refused the same way (dossiers.api_errors:
403 not yours, 404 not visible, 409 not now, 400 with every reason)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from viewflow.workflow.models import Task

from approvals import services as approvals
from approvals.models import Objection
from approvals.selectors import access_decision
from dossiers import selectors as dossier_selectors
from dossiers.api import dossier_detail_data as dossier_data
from dossiers.permissions import can_view_dossier
from dossiers.serializers import (
    ConflictOutput,
    DossierDetailOutput,
    DossierWithdrawInput,
    ErrorOutput,
    RefusalOutput,
)
from org.calendar import WorkingCalendar

from . import selectors, services
from . import serializers as s
from .flows import STEPS

NOT_FOUND = OpenApiResponse(ErrorOutput, description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="Not your step: your role or unit may not take it.")
CONFLICT = OpenApiResponse(
    ConflictOutput,
    description="Not possible now: the dossier is in another state, or someone else completed or is completing "
    "this step (reload and look).",
)
REFUSED = OpenApiResponse(
    RefusalOutput, description='Refused: every reason, or a field map `{"field": ["message", ...]}`.'
)
STEP_ERRORS = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


def _dossier(request, pk):
    return dossier_selectors.access_dossier(user=request.user, pk=pk)


def _detail(request, pk, code=status.HTTP_200_OK):
    return Response(dossier_data(request, pk), status=code)


def _parse(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- the unit head ------------------------------------------------------------------------------


class SubmitApi(APIView):
    @extend_schema(
        operation_id="dossiers_submit",
        summary="Submit the dossier to the standing body, or resubmit it after a return (unit head)",
        request=None,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        services.dossier_submit(actor=request.user, dossier=_dossier(request, pk))
        return _detail(request, pk)


class WithdrawApi(APIView):
    @extend_schema(
        operation_id="dossiers_withdraw",
        summary="Withdraw the dossier, saying why (unit head); its process stops",
        request=DossierWithdrawInput,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        data = _parse(DossierWithdrawInput, request)
        services.dossier_withdraw(actor=request.user, dossier=dossier, **data)
        return _detail(request, pk)


# --- the standing body ----------------------------------------------------------------------------


class ReceiveApi(APIView):
    @extend_schema(
        operation_id="dossiers_receive",
        summary="Receive a submitted dossier and start appraising it (standing body)",
        request=None,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        services.appraisal_receive(actor=request.user, dossier=_dossier(request, pk))
        return _detail(request, pk)


class AcceptApi(APIView):
    @extend_schema(
        operation_id="dossiers_accept",
        summary="Accept the appraised dossier, setting aside ineligible nominees with reasons",
        request=s.AcceptInput,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        data = _parse(s.AcceptInput, request)
        try:
            ineligible = {int(k): v for k, v in data["ineligible"].items()}
        except ValueError:
            ineligible = {-1: ""}  # not a nominee id: the service refuses it as unknown
        services.appraisal_accept(actor=request.user, dossier=dossier, ineligible=ineligible)
        return _detail(request, pk)


class ReturnApi(APIView):
    @extend_schema(
        operation_id="dossiers_return",
        summary="Return the dossier to the unit with the list of what is missing",
        request=s.ReturnInput,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        data = _parse(s.ReturnInput, request)
        services.appraisal_return(actor=request.user, dossier=dossier, **data)
        return _detail(request, pk)


class RejectApi(APIView):
    @extend_schema(
        operation_id="dossiers_reject",
        summary="Reject an ineligible dossier, with reasons",
        request=s.RejectInput,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        services.appraisal_reject(actor=request.user, dossier=dossier, **_parse(s.RejectInput, request))
        return _detail(request, pk)


class ObjectionListApi(APIView):
    @extend_schema(
        operation_id="objections_list",
        summary="Objections to the dossier's public notice",
        responses={200: s.ObjectionOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        dossier = _dossier(request, pk)
        objections = Objection.objects.filter(dossier=dossier).select_related("lodged_by", "resolved_by")
        return Response(s.ObjectionOutput(objections, many=True).data)

    @extend_schema(
        operation_id="objections_create",
        summary="Object while the nominee list is publicly noticed (anyone who may see the dossier)",
        request=s.ObjectionInput,
        responses={201: s.ObjectionOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        data = _parse(s.ObjectionInput, request)
        nominee = None
        if data.get("nominee") is not None:
            nominee = dossier.nominees.current().filter(pk=data["nominee"]).first()
            if nominee is None:
                raise Http404
        objection = approvals.objection_lodge(
            actor=request.user, dossier=dossier, text=data["text"], nominee=nominee
        )
        return Response(s.ObjectionOutput(objection).data, status=status.HTTP_201_CREATED)


class ObjectionResolveApi(APIView):
    @extend_schema(
        operation_id="objections_resolve",
        summary="Resolve an objection (standing body)",
        request=s.ResolveInput,
        responses={200: s.ObjectionOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        objection = get_object_or_404(Objection.objects.select_related("dossier__unit"), pk=pk)
        if not can_view_dossier(request.user, objection.dossier):
            raise Http404
        objection = approvals.objection_resolve(
            actor=request.user, objection=objection, **_parse(s.ResolveInput, request)
        )
        return Response(s.ObjectionOutput(objection).data)


class NoticeCloseApi(APIView):
    @extend_schema(
        operation_id="dossiers_close_notice",
        summary="End the public notice once its period has run and every objection is resolved",
        request=None,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        services.notice_close(actor=request.user, dossier=_dossier(request, pk))
        return _detail(request, pk)


# --- the council, the vice-chair, the chair -------------------------------------------------------


class CouncilResultGoneApi(APIView):
    """Where the council's result used to be typed in by hand. It now comes only from a closed
    meeting of the council (/api/meetings/…: closed in the engine, or held on paper and recorded
    with its minutes), so this answers 410 Gone with the way to do it; it is not in the schema."""

    @extend_schema(exclude=True)
    def post(self, request, pk):
        return Response(
            {"detail": services.council_result_gone_message(), "code": "gone"}, status=status.HTTP_410_GONE
        )


class OpinionApi(APIView):
    @extend_schema(
        operation_id="dossiers_opinion",
        summary="The written opinion of the vice-chair in charge",
        request=s.OpinionInput,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        services.opinion_give(actor=request.user, dossier=dossier, **_parse(s.OpinionInput, request))
        return _detail(request, pk)


class DecideApi(APIView):
    @extend_schema(
        operation_id="dossiers_decide",
        summary="Sign the award decision (chair; a vice-chair signs as KT.)",
        request=s.DecideInput,
        responses={201: s.DecisionOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        decision = services.decision_issue(
            actor=request.user, dossiers=[dossier], **_parse(s.DecideInput, request)
        )
        decision = access_decision(user=request.user, pk=decision.pk)
        return Response(s.DecisionOutput(decision).data, status=status.HTTP_201_CREATED)


class ForwardApi(APIView):
    @extend_schema(
        operation_id="dossiers_forward",
        summary="Forward the approved nominees to the next level in a new dossier (chair)",
        request=s.ForwardInput,
        responses={201: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        upward = services.dossier_forward(
            actor=request.user, dossiers=[dossier], **_parse(s.ForwardInput, request)
        )
        return _detail(request, upward.pk, status.HTTP_201_CREATED)


class DeclineApi(APIView):
    @extend_schema(
        operation_id="dossiers_decline",
        summary="Decline the dossier, with the reason (chair)",
        request=s.DeclineInput,
        responses={200: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = _dossier(request, pk)
        services.dossier_decline(actor=request.user, dossier=dossier, **_parse(s.DeclineInput, request))
        return _detail(request, pk)


class WorkflowApi(APIView):
    @extend_schema(
        operation_id="dossiers_workflow",
        summary="The dossier's open step with its deadlines, what the caller may do on it now, the "
        "written record of the steps taken, the chain of forwarded dossiers and what changed since the "
        "last return",
        responses={200: s.WorkflowOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        dossier = _dossier(request, pk)
        actions = selectors.dossier_actions(user=request.user, dossier=dossier)
        wf = actions.workflow
        wf.actions = sorted(actions.allowed)
        if actions.changes is None and wf.returns:
            actions.changes = selectors.changes_since_return(dossier=dossier)
        wf.changes = actions.changes
        return Response(s.WorkflowOutput(wf).data)


# --- inboxes ------------------------------------------------------------------------------------


class _InboxApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
    filter_class = s.TaskFilterInput
    output_class = s.TaskOutput

    def tasks(self, request, filters, calendar):
        raise NotImplementedError

    def get(self, request):
        filters = self.filter_class(data=request.query_params)
        filters.is_valid(raise_exception=True)
        calendar = WorkingCalendar()
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            self.tasks(request, filters.validated_data, calendar), request, view=self
        )
        rows = selectors.task_rows(page, calendar)
        return paginator.get_paginated_response(self.output_class(rows, many=True).data)


class MyTasksApi(_InboxApi):
    @extend_schema(
        operation_id="tasks_list",
        summary="My tasks: steps I hold, and steps open to my role in my unit that nobody has taken",
        parameters=[s.TaskFilterInput],
        responses=s.TaskOutput(many=True),
    )
    def get(self, request):
        return super().get(request)

    def tasks(self, request, filters, calendar):
        return selectors.my_tasks(user=request.user, filters=filters)


class QueueApi(_InboxApi):
    filter_class = s.QueueFilterInput

    @extend_schema(
        operation_id="queue_list",
        summary="The standing body's queue at my level, earliest deadline first (working days)",
        parameters=[s.QueueFilterInput],
        responses=s.TaskOutput(many=True),
    )
    def get(self, request):
        return super().get(request)

    def tasks(self, request, filters, calendar):
        return selectors.standing_queue(user=request.user, filters=filters, calendar=calendar)


class ToSignApi(_InboxApi):
    output_class = s.ToSignOutput

    @extend_schema(
        operation_id="to_sign_list",
        summary="The chair's dossiers awaiting a decision",
        parameters=[s.TaskFilterInput],
        responses=s.ToSignOutput(many=True),
    )
    def get(self, request):
        return super().get(request)

    def tasks(self, request, filters, calendar):
        return selectors.to_sign(user=request.user, filters=filters)


class TaskClaimApi(APIView):
    @extend_schema(
        operation_id="tasks_claim",
        summary="Take an open task (for the appraisal: receive the dossier)",
        request=None,
        responses={200: s.TaskOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        task = Task.objects.filter(pk=pk, flow_task__in=list(STEPS.values())).first()
        if task is None:
            raise Http404
        dossier = task.process.coerced.dossier
        if not can_view_dossier(request.user, dossier):
            raise Http404
        task = services.task_claim(actor=request.user, task=task)
        task = Task.objects.select_related(
            *selectors.TASK_RELATED, f"{selectors.DOSSIER}__public_notice"
        ).get(pk=task.pk)
        return Response(s.TaskOutput(selectors.task_rows([task])[0]).data)


class UnitDossiersApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="unit_dossiers_list",
        summary="My unit's dossiers by section: drafts, returned, in review, decided, withdrawn",
        parameters=[s.UnitFilterInput],
        responses=s.UnitDossierOutput(many=True),
    )
    def get(self, request):
        filters = s.UnitFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        dossiers = selectors.unit_dossiers(
            user=request.user, section=data["section"], filters={"q": data.get("q")}
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(dossiers.select_related("reviewing_unit"), request, view=self)
        return paginator.get_paginated_response(s.UnitDossierOutput(page, many=True).data)


# --- decisions ------------------------------------------------------------------------------------


class DecisionListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="decisions_list",
        summary="Decisions on dossiers I may see, newest first",
        responses=s.DecisionRefOutput(many=True),
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.decisions_for(user=request.user), request, view=self)
        return paginator.get_paginated_response(s.DecisionRefOutput(page, many=True).data)


class DecisionDetailApi(APIView):
    @extend_schema(
        operation_id="decisions_retrieve",
        summary="A decision: NN/QĐ-<issuer>, signer and capacity, awardees and their cash",
        responses={200: s.DecisionOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(s.DecisionOutput(access_decision(user=request.user, pk=pk)).data)


class DecisionRevokeApi(APIView):
    @extend_schema(
        operation_id="decisions_revoke",
        summary="Revoke awards of this decision by a new decision citing it (the authority that granted them)",
        request=s.RevokeInput,
        responses={201: s.DecisionOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        decision = access_decision(user=request.user, pk=pk)
        data = _parse(s.RevokeInput, request)
        by_id = {a.pk: a for a in decision.award_list}
        unknown = [i for i in data["awards"] if i not in by_id]
        if unknown:
            raise ValidationError({"awards": [_("These are not awards of this decision: %s") % unknown]})
        revocation = approvals.decision_revoke(
            actor=request.user,
            awards=[by_id[i] for i in data["awards"]],
            reason=data["reason"],
            capacity=data["capacity"],
            return_by=data.get("return_by"),
        )
        revocation = access_decision(user=request.user, pk=revocation.pk)
        return Response(s.DecisionOutput(revocation).data, status=status.HTTP_201_CREATED)
