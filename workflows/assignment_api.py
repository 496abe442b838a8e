"""The standing body's assignments in the API, beside the pages (workflows.assignment_views):
assign or reassign a dossier (its leader), and each specialist's load. Same services and
selectors, refused the same way (dossiers.api_errors)."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import assignment_selectors
from dossiers import selectors as dossier_selectors
from org import limits
from org.models import Unit

from . import services
from .api import STEP_ERRORS
from .assignment_views import led_units


class AssignInput(serializers.Serializer):
    assignee = serializers.IntegerField(
        help_text="The specialist's user id (a standing body officer of the unit)."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=limits.SHORT_TEXT,
        help_text="Required for a reassignment.",
    )


class AssignmentPersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()


def _person(user) -> dict:
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name()}


class AssignmentOutput(serializers.Serializer):
    dossier = serializers.IntegerField()
    assignee = AssignmentPersonOutput()
    assigned_by = AssignmentPersonOutput()
    assigned_at = serializers.DateTimeField()
    reason = serializers.CharField()


class LoadRowOutput(serializers.Serializer):
    specialist = AssignmentPersonOutput()
    open = serializers.IntegerField(help_text="Dossiers assigned to them still with the standing body.")
    overdue = serializers.IntegerField(help_text="Of those, past the 20 working days of appraisal.")


class UnitLoadOutput(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    specialists = LoadRowOutput(many=True)


class AssignApi(APIView):
    @extend_schema(
        operation_id="dossiers_assign",
        summary="Assign the dossier to a specialist, or reassign it with a reason (standing body's leader)",
        request=AssignInput,
        responses={200: AssignmentOutput, **STEP_ERRORS},
    )
    def post(self, request, pk):
        dossier = dossier_selectors.access_dossier(user=request.user, pk=pk)
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = get_user_model().objects.filter(pk=data.validated_data["assignee"]).first()
        assignment = services.dossier_assign(
            actor=request.user,
            dossier=dossier,
            assignee=assignee,
            reason=data.validated_data.get("reason", ""),
        )
        return Response(
            {
                "dossier": dossier.pk,
                "assignee": _person(assignment.assignee),
                "assigned_by": _person(assignment.assigned_by),
                "assigned_at": assignment.assigned_at,
                "reason": assignment.reason,
            }
        )


class LoadApi(APIView):
    @extend_schema(
        operation_id="standing_body_load",
        summary="Each specialist's open and overdue dossiers, for the standing bodies you lead",
        responses={200: UnitLoadOutput(many=True)},
    )
    def get(self, request):
        rows = []
        for unit in Unit.objects.filter(pk__in=led_units(request.user)).order_by("path"):
            load = assignment_selectors.specialist_load(unit=unit)
            rows.append(
                {
                    "unit": unit.pk,
                    "unit_name": unit.name,
                    "specialists": [
                        {"specialist": _person(r.user), "open": r.open_count, "overdue": r.overdue_count}
                        for r in load
                    ],
                }
            )
        return Response(rows)
