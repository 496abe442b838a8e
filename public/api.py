"""/api/public/…: the objection form of the public notice pages, for tools, without an account:
the same service, the same per-client limit (shared with the page) and the same refusals
(400 with every reason, 404 for a list not under notice, 409 outside the notice period)."""

from django.conf import settings
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.notice_services import objection_by_receipt, objection_lodge_public
from documents.throttle import over_limit
from dossiers.models import Nominee
from dossiers.serializers import ConflictOutput, ErrorOutput, RefusalOutput
from org import limits

from . import selectors

NOT_FOUND = OpenApiResponse(ErrorOutput, description="No list under public notice, or no such code.")
CONFLICT = OpenApiResponse(ConflictOutput, description="Outside the notice period.")
REFUSED = OpenApiResponse(RefusalOutput, description="Refused, with every reason.")
THROTTLED = OpenApiResponse(ErrorOutput, description="Too many requests from this client: see Retry-After.")


class PublicObjectionInput(serializers.Serializer):
    name = serializers.CharField(max_length=limits.NAME, allow_blank=True)
    contact = serializers.CharField(
        max_length=limits.NAME, allow_blank=True, help_text="A phone number or an e-mail address."
    )
    nominee = serializers.IntegerField(
        required=False, allow_null=True, help_text="A nominee of the list; empty: the whole list."
    )
    text = serializers.CharField(max_length=limits.TEXT, allow_blank=True)


class PublicObjectionOutput(serializers.Serializer):
    receipt_code = serializers.CharField(help_text="The code to note, to follow the objection up.")
    lodged_at = serializers.DateTimeField()
    nominee = serializers.CharField(source="nominee.name", allow_null=True, default=None)
    answered = serializers.SerializerMethodField()
    answered_at = serializers.DateTimeField(source="resolved_at", allow_null=True)
    answer = serializers.CharField(source="resolution")

    def get_answered(self, objection) -> bool:
        return objection.resolved_at is not None


def _throttle(request, scope, rate):
    wait = over_limit(request, scope, rate)
    if wait:
        raise Throttled(
            wait=wait,
            detail=ngettext(
                "Too many objections or look-ups have come from your connection in a short time. "
                "Please try again in %(seconds)s second.",
                "Too many objections or look-ups have come from your connection in a short time. "
                "Please try again in %(seconds)s seconds.",
                wait,
            )
            % {"seconds": wait},
        )


class PublicObjectionApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_objection_lodge",
        summary="Lodge an objection to a list under public notice, without an account",
        request=PublicObjectionInput,
        responses={
            201: PublicObjectionOutput,
            400: REFUSED,
            404: NOT_FOUND,
            409: CONFLICT,
            429: THROTTLED,
        },
    )
    def post(self, request, pk):
        _throttle(request, "public-objection", settings.PUBLIC_OBJECTION_THROTTLE_RATE)
        notice = selectors.notice_for_objection(pk=pk)
        data = PublicObjectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        nominee = None
        if values.get("nominee") is not None:
            nominee = Nominee.objects.filter(pk=values["nominee"]).first() or Nominee(pk=values["nominee"])
        objection = objection_lodge_public(
            notice=notice,
            name=values["name"],
            contact=values["contact"],
            text=values["text"],
            nominee=nominee,
        )
        return Response(PublicObjectionOutput(objection).data, status=status.HTTP_201_CREATED)


class PublicObjectionStatusApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_objection_status",
        summary="An objection lodged without an account, by its receipt code: received or answered",
        responses={200: PublicObjectionOutput, 404: NOT_FOUND, 429: THROTTLED},
    )
    def get(self, request, code):
        _throttle(request, "public-receipt", settings.VERIFY_THROTTLE_RATE)
        objection = objection_by_receipt(code)
        if objection is None:
            raise NotFound
        return Response(PublicObjectionOutput(objection).data)
