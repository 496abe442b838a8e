"""The JSON API of dossiers: every action the UI offers, through the same selectors and services.

Each view parses its input, calls one selector or service, and serializes the answer. Refusals
are the services' own exceptions, turned into HTTP answers in one place (dossiers.api_errors).
A dossier the user may not see is a 404, whether it exists or not.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from . import permissions, selectors, services
from . import serializers as s
from .files import ALLOWED as ATTACHMENT_TYPES
from .files import file_response
from .models import DocumentKind
from .selectors import attachment_slots

NOT_FOUND = OpenApiResponse(s.ErrorOutput, description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(s.ErrorOutput, description="Your role or unit may not do this.")
CONFLICT = OpenApiResponse(s.ConflictOutput, description="Not possible in the dossier's state.")
REFUSED = OpenApiResponse(
    s.RefusalOutput,
    description=(
        "Refused: `errors` lists every reason; when the reasons concern fields the body is a "
        'field map instead, `{"field": ["message", ...]}`.'
    ),
)


def dossier_detail_data(request, pk):
    """The dossier as GET /api/dossiers/{id}/ shows it, read afresh after a write."""
    dossier = selectors.dossier_detail(user=request.user, pk=pk)
    dossier.attachment_slots = _slots(dossier.all_attachments)
    context = {"request": request, "show_id_numbers": dossier.show_id_numbers}
    return s.DossierDetailOutput(dossier, context=context).data


def nominee_data(request, nominee, dossier=None):
    """A nominee as the API shows it to `request.user`: the ID number only in scope."""
    show = permissions.can_see_id_number(request.user, dossier or nominee.dossier)
    return s.NomineeOutput(nominee, context={"request": request, "show_id_numbers": show}).data


def _slots(attachments):
    """Each slot's current version, carrying the ones it replaced (selectors.attachment_slots)."""
    current = []
    for slot in attachment_slots(attachments):
        slot["current"].earlier_versions = slot["older"]
        current.append(slot["current"])
    return current


# --- dossiers ---------------------------------------------------------------------------------


class DossierListCreateApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="dossiers_list",
        summary="Dossiers you may see, most recently changed first",
        parameters=[s.DossierFilterInput],
        responses=s.DossierListOutput(many=True),
    )
    def get(self, request):
        filters = s.DossierFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        dossiers = selectors.dossier_list_for(user=request.user, filters=filters.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(dossiers, request, view=self)
        data = s.DossierListOutput(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="dossiers_create",
        summary="Draft a dossier for your unit",
        request=s.DossierCreateInput,
        responses={201: s.DossierDetailOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        data = s.DossierCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        dossier = services.dossier_create(actor=request.user, **data.validated_data)
        return Response(dossier_detail_data(request, dossier.pk), status=status.HTTP_201_CREATED)


class DossierDetailApi(APIView):
    @extend_schema(
        operation_id="dossiers_retrieve",
        summary="A dossier with its nominees and attachments",
        responses={200: s.DossierDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(dossier_detail_data(request, pk))

    @extend_schema(
        operation_id="dossiers_update",
        summary="Edit a draft or returned dossier",
        request=s.DossierUpdateInput,
        responses={
            200: s.DossierDetailOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def patch(self, request, pk):
        dossier = selectors.access_dossier(user=request.user, pk=pk)
        data = s.DossierUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.dossier_update(actor=request.user, dossier=dossier, **data.validated_data)
        return Response(dossier_detail_data(request, pk))


# --- nominees ---------------------------------------------------------------------------------


class NomineeListCreateApi(APIView):
    @extend_schema(
        operation_id="nominees_list",
        summary="The dossier's current nominees",
        responses={200: s.NomineeOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        dossier = selectors.dossier_detail(user=request.user, pk=pk)
        context = {"request": request, "show_id_numbers": dossier.show_id_numbers}
        return Response(s.NomineeOutput(dossier.current_nominees, many=True, context=context).data)

    @extend_schema(
        operation_id="nominees_create",
        summary="Propose a nominee for an award",
        request=s.NomineeCreateInput,
        responses={
            201: s.NomineeOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        dossier = selectors.access_dossier(user=request.user, pk=pk)
        data = s.NomineeCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        nominee = services.nominee_add(actor=request.user, dossier=dossier, **data.validated_data)
        return Response(nominee_data(request, nominee, dossier), status=status.HTTP_201_CREATED)


class NomineeDetailApi(APIView):
    @extend_schema(
        operation_id="nominees_retrieve",
        summary="One nominee of the dossier",
        responses={200: s.NomineeOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk, nominee_id):
        nominee = selectors.access_nominee(user=request.user, dossier_pk=pk, pk=nominee_id)
        return Response(nominee_data(request, nominee))

    @extend_schema(
        operation_id="nominees_update",
        summary="Edit a nominee of a draft or returned dossier",
        request=s.NomineeUpdateInput,
        responses={
            200: s.NomineeOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def patch(self, request, pk, nominee_id):
        nominee = selectors.access_nominee(user=request.user, dossier_pk=pk, pk=nominee_id)
        data = s.NomineeUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        nominee = services.nominee_update(actor=request.user, nominee=nominee, **data.validated_data)
        return Response(nominee_data(request, nominee))

    @extend_schema(
        operation_id="nominees_destroy",
        summary="Take a nominee off the dossier (kept as history)",
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def delete(self, request, pk, nominee_id):
        nominee = selectors.access_nominee(
            user=request.user, dossier_pk=pk, pk=nominee_id, include_removed=True
        )
        services.nominee_remove(actor=request.user, nominee=nominee)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NomineeAuthorCreateApi(APIView):
    @extend_schema(
        operation_id="nominee_authors_create",
        summary="Add an author to an initiative or research topic",
        request=s.NomineeAuthorInput,
        responses={201: s.NomineeOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk, nominee_id):
        nominee = selectors.access_nominee(user=request.user, dossier_pk=pk, pk=nominee_id)
        data = s.NomineeAuthorInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.nominee_author_add(actor=request.user, nominee=nominee, **data.validated_data)
        nominee = selectors.access_nominee(user=request.user, dossier_pk=pk, pk=nominee_id)
        return Response(nominee_data(request, nominee), status=status.HTTP_201_CREATED)


class NomineeAuthorDetailApi(APIView):
    @extend_schema(
        operation_id="nominee_authors_destroy",
        summary="Take an author off an initiative",
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def delete(self, request, pk, nominee_id, author_id):
        nominee = selectors.access_nominee(user=request.user, dossier_pk=pk, pk=nominee_id)
        author = selectors.access_nominee_author(nominee=nominee, pk=author_id)
        services.nominee_author_remove(actor=request.user, author=author)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- attachments ------------------------------------------------------------------------------


class AttachmentListCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="attachments_list",
        summary="The dossier's current files, each with the versions it replaced",
        responses={200: s.AttachmentSlotOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        dossier = selectors.dossier_detail(user=request.user, pk=pk)
        slots = _slots(dossier.all_attachments)
        return Response(s.AttachmentSlotOutput(slots, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="attachments_create",
        summary="Attach a file (a new version when the slot already has one)",
        request={"multipart/form-data": s.AttachmentCreateInput},
        responses={
            201: s.AttachmentOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        dossier = selectors.access_dossier(user=request.user, pk=pk)
        data = s.AttachmentCreateInput(data=request.data, context={"dossier": dossier})
        data.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            actor=request.user,
            dossier=dossier,
            kind=data.validated_data["kind"],
            nominee=data.validated_data.get("nominee"),
            uploaded_file=data.validated_data["file"],
        )
        out = s.AttachmentOutput(attachment, context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)


class AttachmentDownloadApi(APIView):
    @extend_schema(
        operation_id="attachments_download",
        summary="The file itself",
        responses={
            # The file with its real content type: one of those a dossier may carry.
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
                for content_type in ATTACHMENT_TYPES
            },
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk):
        attachment = selectors.access_attachment(user=request.user, pk=pk)
        return file_response(
            attachment.file.open("rb"),
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )

    def perform_content_negotiation(self, request, force=False):
        # A client asking for the file's own type (Accept: application/pdf) gets the file, and
        # any error as JSON, instead of 406.
        return super().perform_content_negotiation(request, force=True)


# --- reference data ---------------------------------------------------------------------------


class CampaignListApi(APIView):
    @extend_schema(
        operation_id="campaigns_list",
        summary="Open campaigns and the awards each offers",
        responses=s.CampaignOutput(many=True),
    )
    def get(self, request):
        campaigns = selectors.open_campaigns(today=timezone.localdate()).select_related("organizer")
        return Response(s.CampaignOutput(campaigns, many=True).data)


class AwardTypeListApi(APIView):
    @extend_schema(
        operation_id="award_types_list",
        summary="Award types, with the rule in force today and the documents it requires",
        responses=s.AwardTypeOutput(many=True),
    )
    def get(self, request):
        award_types = selectors.award_types_with_rules(day=timezone.localdate())
        return Response(s.AwardTypeOutput(award_types, many=True).data)


class DocumentKindListApi(APIView):
    @extend_schema(
        operation_id="document_kinds_list",
        summary="Kinds of document a dossier may carry",
        responses=s.DocumentKindOutput(many=True),
    )
    def get(self, request):
        return Response(s.DocumentKindOutput(DocumentKind.objects.all(), many=True).data)
