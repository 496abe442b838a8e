"""POST /api/forwardings/: the chair gathers the approved nominees of many dossiers awaiting
their decision into one upward dossier to the next level (the same service as the pages:
workflows.services.dossier_forward, with the same checks). Each dossier named must be one the
caller may see (else 404, as everywhere)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers import selectors as dossier_selectors
from dossiers.api import dossier_detail_data
from dossiers.serializers import DossierDetailOutput
from org import limits

from . import services
from .api import STEP_ERRORS


class GatherInput(serializers.Serializer):
    dossiers = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=500,
        help_text="The ids of the dossiers awaiting your decision whose approved nominees go up.",
    )
    title = serializers.CharField(max_length=limits.TITLE, allow_blank=True)


class GatherApi(APIView):
    @extend_schema(
        operation_id="forwardings_create",
        summary="Forward the approved nominees of several dossiers in one upward dossier (chair)",
        request=GatherInput,
        responses={201: DossierDetailOutput, **STEP_ERRORS},
    )
    def post(self, request):
        data = GatherInput(data=request.data)
        data.is_valid(raise_exception=True)
        dossiers = [
            dossier_selectors.access_dossier(user=request.user, pk=pk)
            for pk in dict.fromkeys(data.validated_data["dossiers"])
        ]
        upward = services.dossier_forward(
            actor=request.user, dossiers=dossiers, title=data.validated_data["title"]
        )
        return Response(dossier_detail_data(request, upward.pk), status=status.HTTP_201_CREATED)
