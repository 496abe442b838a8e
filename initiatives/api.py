"""The initiatives API: the same selectors and services as the pages; refusals become HTTP answers
in one place (dossiers.api_errors)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from dossiers.api import CONFLICT, FORBIDDEN, NOT_FOUND, REFUSED
from org import limits
from org.api_fields import IdList, bounded_many
from org.models import Unit, User

from . import selectors, services
from .models import (
    EffectScope,
    Initiative,
    InitiativeAgendaItem,
    InitiativeAuthor,
    InitiativeBallotChoice,
    InitiativeFile,
    InitiativeMeeting,
    InitiativeRecognition,
    InitiativeState,
)

# --- shapes ----------------------------------------------------------------------------------------


class InitiativeAuthorOutput(serializers.ModelSerializer):
    class Meta:
        model = InitiativeAuthor
        fields = ["id", "person", "name", "date_of_birth", "position", "share_percent"]


class InitiativeFileOutput(serializers.ModelSerializer):
    class Meta:
        model = InitiativeFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class InitiativeRecognitionOutput(serializers.ModelSerializer):
    signer = serializers.CharField(source="signer.get_full_name", read_only=True)

    class Meta:
        model = InitiativeRecognition
        fields = [
            "id",
            "initiative",
            "decision_number",
            "decision_date",
            "signer",
            "signer_position",
            "effect_scope",
            "meeting",
        ]


class InitiativeReviewOutput(serializers.ModelSerializer):
    held_on = serializers.DateField(source="meeting.held_on", read_only=True)
    members_total = serializers.IntegerField(source="meeting.members_total", read_only=True, allow_null=True)
    recused = serializers.SerializerMethodField()

    class Meta:
        model = InitiativeAgendaItem
        fields = ["meeting", "held_on", "members_total", "votes_for", "votes_against", "result", "recused"]

    def get_recused(self, item) -> list[str]:
        return [str(r.member) for r in item.recusals.all()]


class InitiativeOutput(serializers.ModelSerializer):
    authors = InitiativeAuthorOutput(many=True, read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "title",
            "field",
            "summary",
            "improvement",
            "applied_on",
            "state",
            "authors",
        ]


class InitiativeDetailOutput(InitiativeOutput):
    files = InitiativeFileOutput(many=True, read_only=True)
    reviews = serializers.SerializerMethodField()
    recognition = serializers.SerializerMethodField()

    class Meta(InitiativeOutput.Meta):
        fields = [*InitiativeOutput.Meta.fields, "files", "reviews", "recognition"]

    def get_reviews(self, initiative) -> InitiativeReviewOutput(many=True):
        return InitiativeReviewOutput(selectors.review_history(initiative), many=True).data

    def get_recognition(self, initiative) -> InitiativeRecognitionOutput(allow_null=True):
        r = selectors.recognition_of(initiative)
        return InitiativeRecognitionOutput(r).data if r else None


class InitiativeAuthorInput(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    name = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    position = serializers.CharField(max_length=limits.PLACE, required=False, allow_blank=True)
    share_percent = serializers.IntegerField(min_value=1, max_value=100, required=False)


class InitiativeInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    year = serializers.IntegerField()
    title = serializers.CharField(max_length=limits.TITLE)
    field = serializers.CharField(max_length=limits.TITLE)
    summary = serializers.CharField(max_length=limits.LONG_TEXT)
    improvement = serializers.CharField(max_length=limits.TEXT)
    applied_on = serializers.DateField(required=False, allow_null=True)
    authors = bounded_many(InitiativeAuthorInput, required=False)


class InitiativeRecogniseInput(serializers.Serializer):
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()
    effect_scope = serializers.ChoiceField(choices=EffectScope.choices)


class InitiativeFileInput(serializers.Serializer):
    file = serializers.FileField()


class InitiativeMeetingItemOutput(serializers.ModelSerializer):
    title = serializers.CharField(source="initiative.title", read_only=True)
    recused = serializers.SerializerMethodField()
    voted = serializers.BooleanField(read_only=True)

    class Meta:
        model = InitiativeAgendaItem
        fields = ["initiative", "title", "votes_for", "votes_against", "result", "recused", "voted"]

    def get_recused(self, item) -> list[str]:
        return [str(r.member) for r in item.recusals.all()]


class InitiativeMeetingOutput(serializers.ModelSerializer):
    council = serializers.CharField(source="council.name", read_only=True)
    present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = InitiativeMeeting
        fields = [
            "id",
            "council",
            "held_on",
            "place",
            "state",
            "members_total",
            "present",
            "opened_at",
            "closed_at",
        ]


class InitiativeMeetingDetailOutput(InitiativeMeetingOutput):
    agenda = serializers.SerializerMethodField()

    class Meta(InitiativeMeetingOutput.Meta):
        fields = [*InitiativeMeetingOutput.Meta.fields, "agenda"]

    def get_agenda(self, meeting) -> InitiativeMeetingItemOutput(many=True):
        return InitiativeMeetingItemOutput(
            selectors.meeting_agenda(meeting, self.context["request"].user), many=True
        ).data


class InitiativeScheduleInput(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=limits.PLACE)
    initiatives = IdList(min_length=1)


class InitiativeOpenInput(serializers.Serializer):
    present = IdList(min_length=1)


class InitiativeBallotInput(serializers.Serializer):
    initiative = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=InitiativeBallotChoice.choices)


# --- endpoints -------------------------------------------------------------------------------------


def _initiative(request, pk):
    return selectors.access_initiative(user=request.user, pk=pk)


def _detail(request, initiative, code=status.HTTP_200_OK):
    initiative = _initiative(request, initiative.pk)
    return Response(InitiativeDetailOutput(initiative).data, status=code)


class InitiativeListCreateApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="initiatives_list",
        summary="Initiatives of the units you may see, newest year first (filters: year, state)",
        responses=InitiativeOutput(many=True),
    )
    def get(self, request):
        filters = {}
        year = request.query_params.get("year", "")
        if year.isdigit():
            filters["year"] = int(year)
        if request.query_params.get("state") in InitiativeState.values:
            filters["state"] = request.query_params["state"]
        rows = selectors.initiative_list_for(user=request.user, filters=filters)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(InitiativeOutput(page, many=True).data)

    @extend_schema(
        operation_id="initiatives_register",
        summary="Register an initiative (an author of the unit, or the unit's staff for anyone of it)",
        request=InitiativeInput,
        responses={201: InitiativeDetailOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        data = InitiativeInput(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = services.initiative_register(actor=request.user, **data.validated_data)
        return _detail(request, initiative, status.HTTP_201_CREATED)


class InitiativeDetailApi(APIView):
    @extend_schema(
        operation_id="initiatives_retrieve",
        summary="An initiative: authors, files, review history and recognition",
        responses={200: InitiativeDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(InitiativeDetailOutput(_initiative(request, pk)).data)


class InitiativeSubmitApi(APIView):
    @extend_schema(
        operation_id="initiatives_submit",
        summary="Submit a registered initiative to the unit's initiative council (the unit's head)",
        request=None,
        responses={200: InitiativeDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        initiative = services.initiative_submit(actor=request.user, initiative=_initiative(request, pk))
        return _detail(request, initiative)


class InitiativeWithdrawApi(APIView):
    @extend_schema(
        operation_id="initiatives_withdraw",
        summary="Withdraw an initiative before its review (its authors or the unit's staff)",
        request=None,
        responses={200: InitiativeDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        initiative = services.initiative_withdraw(actor=request.user, initiative=_initiative(request, pk))
        return _detail(request, initiative)


class InitiativeFileApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="initiatives_file_add",
        summary="Attach a file to an initiative before its review",
        request={"multipart/form-data": InitiativeFileInput},
        responses={201: InitiativeFileOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        data = InitiativeFileInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.initiative_file_add(
            actor=request.user, initiative=_initiative(request, pk), uploaded_file=data.validated_data["file"]
        )
        return Response(InitiativeFileOutput(row).data, status=status.HTTP_201_CREATED)


class InitiativeRecogniseApi(APIView):
    @extend_schema(
        operation_id="initiatives_recognise",
        summary="Recognise, by decision, an initiative the council passed (the unit's head)",
        request=InitiativeRecogniseInput,
        responses={
            201: InitiativeRecognitionOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        data = InitiativeRecogniseInput(data=request.data)
        data.is_valid(raise_exception=True)
        recognition = services.initiative_recognise(
            actor=request.user, initiative=_initiative(request, pk), **data.validated_data
        )
        return Response(InitiativeRecognitionOutput(recognition).data, status=status.HTTP_201_CREATED)


class RecognitionDetailApi(APIView):
    @extend_schema(
        operation_id="initiative_recognitions_retrieve",
        summary="A decision recognising an initiative",
        responses={200: InitiativeRecognitionOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(
            InitiativeRecognitionOutput(selectors.access_recognition(user=request.user, pk=pk)).data
        )


class MeetingListCreateApi(APIView):
    @extend_schema(
        operation_id="initiative_meetings_list",
        summary="Initiative council meetings you may see (at most 100, newest first)",
        responses=InitiativeMeetingOutput(many=True),
    )
    def get(self, request):
        meetings = selectors.meeting_list_for(user=request.user).prefetch_related("present")[:100]
        return Response(InitiativeMeetingOutput(meetings, many=True).data)

    @extend_schema(
        operation_id="initiative_meetings_schedule",
        summary="Convene the initiative council on submitted initiatives (its chair or secretary)",
        request=InitiativeScheduleInput,
        responses={201: InitiativeMeetingDetailOutput, 400: REFUSED, 403: FORBIDDEN, 409: CONFLICT},
    )
    def post(self, request):
        data = InitiativeScheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        initiatives = [_initiative(request, pk) for pk in data.validated_data["initiatives"]]
        council = selectors.council_of(initiatives[0].unit)
        if council is None:
            raise Http404
        meeting = services.meeting_schedule(
            actor=request.user,
            council=council,
            held_on=data.validated_data["held_on"],
            place=data.validated_data["place"],
            initiatives=initiatives,
        )
        return Response(
            InitiativeMeetingDetailOutput(meeting, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _meeting(request, pk):
    return selectors.access_meeting(user=request.user, pk=pk)


def _meeting_detail(request, pk):
    return Response(InitiativeMeetingDetailOutput(_meeting(request, pk), context={"request": request}).data)


class MeetingDetailApi(APIView):
    @extend_schema(
        operation_id="initiative_meetings_retrieve",
        summary="An initiative council meeting: agenda, recusals, your votes cast (never a choice), results",
        responses={200: InitiativeMeetingDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return _meeting_detail(request, pk)


class MeetingOpenApi(APIView):
    @extend_schema(
        operation_id="initiative_meetings_open",
        summary="Record the members present and open the vote (quorum of the council's members)",
        request=InitiativeOpenInput,
        responses={
            200: InitiativeMeetingDetailOutput,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = InitiativeOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        present = list(User.objects.filter(pk__in=data.validated_data["present"]))
        if len(present) != len(set(data.validated_data["present"])):
            raise serializers.ValidationError({"present": ["Unknown person."]})
        services.meeting_open_voting(actor=request.user, meeting=meeting, present=present)
        return _meeting_detail(request, pk)


class MeetingBallotApi(APIView):
    @extend_schema(
        operation_id="initiative_meetings_ballot",
        summary="Cast your secret ballot on one initiative of the meeting (once)",
        request=InitiativeBallotInput,
        responses={204: None, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = InitiativeBallotInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = (
            meeting.agenda.filter(initiative_id=data.validated_data["initiative"])
            .select_related("initiative")
            .first()
        )
        if item is None:
            raise Http404
        services.ballot_cast(
            actor=request.user,
            meeting=meeting,
            initiative=item.initiative,
            choice=data.validated_data["choice"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingCloseApi(APIView):
    @extend_schema(
        operation_id="initiative_meetings_close",
        summary="Close the vote: open the sealed ballots and count (the council's chair or secretary)",
        request=None,
        responses={200: InitiativeMeetingDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        services.meeting_close(actor=request.user, meeting=_meeting(request, pk))
        return _meeting_detail(request, pk)
