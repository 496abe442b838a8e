"""The inspector's workspace in the API (/api/inspection/): the same searches, timeline, chain
status and evidence bundle as the pages, through the same functions, read-only. Anyone who is not
an inspector gets 404, as for anything they may not see. Each call is an audited read."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .views import evidence_response, search

NOT_FOUND = OpenApiResponse(description="Not an inspector, or not in your scope.")
EVENT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "Events in the export's contract format (seq, ts, actor, action, object_type, object_id, "
        "data, prev_hash, hash, and actor_roles, scope and case_id when set), each with `label`, `unit` "
        "and `changes` ([{field, label, before, after}] for an edit)."
    ),
)
INVALID_FILTERS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='An invalid filter, by field: {"since": ["Enter a valid date."]}.',
)
SEARCH_PARAMETERS = [
    OpenApiParameter("dossier", int, description="only this dossier's events"),
    OpenApiParameter("unit", int, description="only events of this unit and the units under it"),
    OpenApiParameter("actor", str, description="username"),
    OpenApiParameter("action", str, description='exact, or a prefix ending with "." (e.g. "dossier.")'),
    OpenApiParameter("since", OpenApiTypes.DATE, description="from this day (local time)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="up to and including this day"),
    OpenApiParameter("before", int, description="the page after: events with a lower seq"),
]


class InspectionEventListApi(APIView):
    @extend_schema(
        operation_id="inspection_events_list",
        summary="Search the audit trail in your scope, newest first (50 a page)",
        parameters=SEARCH_PARAMETERS,
        responses={200: EVENT, 400: INVALID_FILTERS, 404: NOT_FOUND},
    )
    def get(self, request):
        paths = selectors.require_inspector(request.user)
        found = search(paths=paths, params=request.query_params)
        if found["form"].errors:
            # 400 with the fields named: {"since": ["Enter a valid date."]}.
            raise ValidationError(found["form"].errors.as_data())
        next_url = None
        if found["next_before"]:
            query = request.query_params.copy()
            query["before"] = found["next_before"]
            next_url = request.build_absolute_uri(f"{reverse('inspection-api:events')}?{query.urlencode()}")
        return Response({"results": [selectors.entry_json(e) for e in found["entries"]], "next": next_url})


class InspectionDossierTimelineApi(APIView):
    @extend_schema(
        operation_id="inspection_dossier_timeline",
        summary="A dossier's events, oldest first, with what each edit changed",
        responses={200: EVENT, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        paths = selectors.require_inspector(request.user)
        dossier = selectors.access_dossier(paths=paths, pk=pk)
        units_by_path = {u.path: u.name for u in selectors.units_in_scope(paths)}
        entries = selectors.entries(selectors.dossier_events(dossier), units_by_path)
        return Response(
            {
                "dossier": {
                    "id": dossier.pk,
                    "title": dossier.title,
                    "unit": dossier.unit.name,
                    "state": dossier.state,
                },
                "events": [selectors.entry_json(e) for e in entries],
            }
        )


class InspectionChainApi(APIView):
    @extend_schema(
        operation_id="inspection_chain_status",
        summary="Whether the whole chain verifies, its head, and the latest signed checkpoint",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 404: NOT_FOUND},
    )
    def get(self, request):
        selectors.require_inspector(request.user)
        return Response(selectors.chain_status())


class InspectionEvidenceApi(APIView):
    @extend_schema(
        operation_id="inspection_dossier_evidence",
        summary="The dossier's evidence bundle (ZIP), to check offline with tools/check_evidence.py",
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The bundle."),
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk):
        paths = selectors.require_inspector(request.user)
        dossier = selectors.access_dossier(paths=paths, pk=pk)
        return evidence_response(request._request, dossier)

    def perform_content_negotiation(self, request, force=False):
        # A client asking for application/zip gets it (and any error as JSON) instead of 406.
        return super().perform_content_negotiation(request, force=True)
