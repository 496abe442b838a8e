"""/api/meetings/…: the council's meetings, mirroring every action of the meeting pages through
the same selectors and services (the close: workflows.council). Refusals are answered in one
place (dossiers.api_errors): 403 not yours, 404 not visible, 409 not now, 400 with every reason.

A secret ballot is never shown, to anyone: the API says THAT a member voted, never how.
"""

import dataclasses
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import meeting_selectors as selectors
from approvals import meeting_services as services
from approvals.models import CouncilMeeting, VoteChoice
from dossiers.files import file_response
from dossiers.selectors import dossier_list_for
from dossiers.serializers import ConflictOutput, ErrorOutput, RefusalOutput
from org import limits
from org.api_fields import IdList, bounded_many
from workflows import council

NOT_FOUND = OpenApiResponse(ErrorOutput, description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(
    ErrorOutput, description="Your role, or your place in this meeting, does not allow it."
)
CONFLICT = OpenApiResponse(ConflictOutput, description="Not possible in the meeting's present state.")
REFUSED = OpenApiResponse(RefusalOutput, description="Refused: every reason, or a field map.")
ERRORS = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


# --- serializers ------------------------------------------------------------------------------


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class MeetingOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    council = serializers.CharField(source="council.name")
    council_id = serializers.IntegerField()
    scheduled_at = serializers.DateTimeField()
    place = serializers.CharField()
    chairperson = PersonOutput()
    secretary = PersonOutput()
    secret_ballot = serializers.BooleanField()
    allow_abstention = serializers.BooleanField()
    state = serializers.CharField()
    members_total = serializers.IntegerField(allow_null=True)
    quorum = serializers.SerializerMethodField()
    recorded_from_paper = serializers.BooleanField(
        help_text="Held outside the engine and recorded afterwards from its signed minutes."
    )
    written_votes = serializers.IntegerField(
        allow_null=True, help_text="Written votes of absent members, for a meeting recorded from paper."
    )
    minutes_file = serializers.SerializerMethodField(
        help_text="Where to download the signed minutes of a meeting recorded from paper."
    )
    round = serializers.IntegerField(help_text="1, or the number of a run-off round.")
    runoff_of = serializers.IntegerField(
        source="runoff_of_id", allow_null=True, help_text="The meeting this run-off round belongs to."
    )
    ties = serializers.JSONField(
        help_text='Ties at a quota\'s line still to resolve: [{"nominees": [id, …], "places": n, '
        '"rule": "runoff" | "chair"}].'
    )
    tie_reason = serializers.CharField(help_text="The chair's recorded reason when they decided a tie.")

    def get_minutes_file(self, meeting) -> str | None:
        return f"/api/meetings/{meeting.pk}/minutes/file/" if meeting.minutes_file else None

    def get_quorum(self, meeting) -> str:
        return (
            f"{meeting.quorum_numerator}/{meeting.quorum_denominator}" if meeting.quorum_denominator else ""
        )


class MeetingListOutput(MeetingOutput):
    nominee_count = serializers.IntegerField()
    my_votes = serializers.IntegerField(
        help_text="Nominees you have voted on (0 when you are not on the roll)."
    )
    invited = serializers.SerializerMethodField()

    def get_invited(self, meeting) -> bool:
        return bool(meeting.on_roll)


class AttachmentLinkOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField(source="kind.name")
    download = serializers.SerializerMethodField()

    def get_download(self, attachment) -> str:
        return f"/api/attachments/{attachment.pk}/download/"


class AgendaItemOutput(serializers.Serializer):
    position = serializers.IntegerField(source="item.position")
    nominee_id = serializers.IntegerField(source="item.nominee_id")
    name = serializers.CharField(source="item.nominee.name")
    kind = serializers.CharField(source="item.nominee.kind")
    award = serializers.CharField(source="item.nominee.award_type.name")
    achievements = serializers.CharField(source="item.nominee.achievements")
    dossier_id = serializers.IntegerField(source="item.dossier_id")
    unit = serializers.CharField(source="item.dossier.unit.name")
    attachments = AttachmentLinkOutput(many=True)
    voted = serializers.BooleanField(help_text="You have voted on this nominee.")
    how = serializers.CharField(help_text="in_room or written, when you have voted.")
    my_choice = serializers.CharField(
        source="choice", help_text="Your current vote, in open voting only; never for a secret ballot."
    )
    recused = serializers.CharField(source="recusal", help_text="Why you do not vote on this nominee, if so.")
    votes_for = serializers.IntegerField(source="item.votes_for", allow_null=True)
    votes_against = serializers.IntegerField(source="item.votes_against", allow_null=True)
    abstentions = serializers.IntegerField(source="item.abstentions", allow_null=True)
    result = serializers.CharField(source="item.result")
    rank = serializers.IntegerField(
        source="item.rank", allow_null=True, help_text="Rank for the campaign's quotas (equal = tied)."
    )


class MeetingDetailOutput(serializers.Serializer):
    meeting = MeetingOutput()
    attendance = serializers.CharField(
        allow_null=True, help_text="Your attendance, when you are on the roll."
    )
    votable_left = serializers.IntegerField()
    agenda = AgendaItemOutput(many=True)


class MeetingScheduleInput(serializers.Serializer):
    council = serializers.IntegerField()
    title = serializers.CharField(max_length=limits.TITLE, required=False, allow_blank=True, default="")
    scheduled_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=limits.PLACE)
    chairperson = serializers.IntegerField()
    secretary = serializers.IntegerField()
    dossiers = IdList(allow_empty=True)
    secret_ballot = serializers.BooleanField(default=True)
    allow_abstention = serializers.BooleanField(default=False)


class PaperVoteInput(serializers.Serializer):
    nominee = serializers.IntegerField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField(required=False, default=0)
    abstentions = serializers.IntegerField(required=False, default=0)
    recused = IdList(
        required=False,
        default=list,
        help_text="Ids of the members who did not vote on this nominee (conflict of interest).",
    )


def _absence_reasons(value) -> dict:
    """{"member id": "reason"} → {member id: reason}; a reason is a short text."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str | int) and str(k).isdigit() and isinstance(v, str) for k, v in value.items()
    ):
        raise serializers.ValidationError('An object {"member id": "reason for absence"}.')
    for text in value.values():
        if len(text) > limits.SHORT_TEXT:
            raise serializers.ValidationError(limits.too_long_message(limits.SHORT_TEXT, len(text)))
    return {int(k): v for k, v in value.items()}


class PaperMeetingInput(serializers.Serializer):
    council = serializers.IntegerField()
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    held_at = serializers.DateTimeField(help_text="When the meeting was held (not in the future).")
    place = serializers.CharField(max_length=255)
    chairperson = serializers.IntegerField()
    present = IdList(help_text="Ids of the members present.")
    written_votes = serializers.IntegerField(required=False, default=0)
    secret_ballot = serializers.BooleanField(required=False, default=True)
    dossiers = IdList()
    votes = serializers.JSONField(
        help_text="A JSON list, one entry per eligible nominee of the dossiers: "
        '[{"nominee": id, "votes_for": n, "votes_against": n, "abstentions": n, "recused": [member ids]}].'
    )
    conclusion = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    minutes = serializers.FileField(help_text="The signed minutes, a PDF.")
    ended_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When the meeting ended, as the minutes say."
    )
    absence_reasons = serializers.JSONField(
        required=False,
        default=dict,
        help_text='A JSON object: why each absent member was absent, {"member id": "reason"}.',
    )

    def validate_absence_reasons(self, value):
        return _absence_reasons(value)

    def validate_votes(self, value):
        rows = PaperVoteInput(data=value, many=True, max_length=limits.ID_LIST)
        if not isinstance(value, list) or not rows.is_valid():
            raise serializers.ValidationError(
                "A list of {nominee, votes_for, votes_against, abstentions, recused} objects."
            )
        return rows.validated_data


class AttendanceInput(serializers.Serializer):
    present = IdList(help_text="Ids of the members present.")
    absence_reasons = serializers.DictField(
        child=serializers.CharField(max_length=limits.SHORT_TEXT, allow_blank=True),
        required=False,
        help_text="Why each absent member is absent, by member id; without it the reasons recorded "
        "stay for the members still absent.",
    )

    def validate_absence_reasons(self, value):
        return _absence_reasons(value)


class BallotInput(serializers.Serializer):
    nominee = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=VoteChoice.choices)


class BallotOutput(serializers.Serializer):
    nominee = serializers.IntegerField()
    voted = serializers.BooleanField()
    how = serializers.CharField()


class WrittenVoteItemInput(serializers.Serializer):
    nominee = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    comment = serializers.CharField(
        max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default=""
    )


class WrittenVoteInput(serializers.Serializer):
    votes = bounded_many(WrittenVoteItemInput)


class RecusalInput(serializers.Serializer):
    nominee = serializers.IntegerField()
    note = serializers.CharField(max_length=limits.SHORT_TEXT)
    member = serializers.IntegerField(required=False, help_text="The secretary records a member's conflict.")


class CloseInput(serializers.Serializer):
    conclusion = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )


class TieDecisionInput(serializers.Serializer):
    chosen = IdList(help_text="The tied nominees who take the places left.")
    reason = serializers.CharField(max_length=limits.TEXT, allow_blank=True)


class LeaveInput(serializers.Serializer):
    member = serializers.IntegerField(help_text="The member present who has left the meeting.")


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.SHORT_TEXT)


class LiveMemberOutput(serializers.Serializer):
    member = PersonOutput(source="attendance.member")
    attendance = serializers.CharField(source="attendance.status")
    absence_reason = serializers.CharField(source="attendance.absence_reason")
    voted = serializers.IntegerField()
    written = serializers.BooleanField()


class LiveItemOutput(serializers.Serializer):
    nominee_id = serializers.IntegerField(source="item.nominee_id")
    name = serializers.CharField(source="item.nominee.name")
    voted = serializers.IntegerField()
    recused = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Open voting only.")
    result = serializers.CharField(source="item.result", help_text="Once the vote is counted.")
    rank = serializers.IntegerField(
        source="item.rank", allow_null=True, help_text="Rank for the campaign's quotas (equal = tied)."
    )


class LiveOutput(serializers.Serializer):
    state = serializers.CharField(source="meeting.state")
    ties = serializers.JSONField(source="meeting.ties", help_text="Ties at a quota's line still to resolve.")
    participations = serializers.IntegerField()
    members = LiveMemberOutput(many=True)
    items = LiveItemOutput(many=True)


def _plain(value):
    """The minutes as JSON: decimals as strings (never floats), times as ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# --- views ------------------------------------------------------------------------------------


def _meeting(request, pk):
    return selectors.access_meeting(user=request.user, pk=pk)


def _detail(request, meeting, code=status.HTTP_200_OK):
    meeting = _meeting(request, meeting.pk)
    page = selectors.meeting_page(user=request.user, meeting=meeting)
    data = {
        "meeting": meeting,
        "attendance": page.me.status if page.me else None,
        "votable_left": page.votable_left if page.me else 0,
        "agenda": page.items,
    }
    return Response(MeetingDetailOutput(data).data, status=code)


def _parse(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class MeetingListApi(APIView):
    @extend_schema(
        operation_id="meetings_list",
        summary="Meetings of your councils, newest first",
        responses=MeetingListOutput(many=True),
    )
    def get(self, request):
        meetings = selectors.meeting_list_for(user=request.user)[:200]
        return Response(MeetingListOutput(meetings, many=True).data)

    @extend_schema(
        operation_id="meetings_create",
        summary="Convene a meeting (the council's secretary)",
        request=MeetingScheduleInput,
        responses={201: MeetingDetailOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request):
        data = _parse(MeetingScheduleInput, request)
        council_ = selectors.access_council_to_convene(user=request.user, pk=data["council"])
        users = get_user_model().objects.in_bulk([data["chairperson"], data["secretary"]])
        unknown = {f: ["Unknown person."] for f in ("chairperson", "secretary") if data[f] not in users}
        if unknown:
            raise ValidationError(unknown)
        # Dossiers the user may not see are unknown to them, like missing ones.
        dossiers = list(dossier_list_for(user=request.user).filter(pk__in=data["dossiers"]).order_by("pk"))
        if len(dossiers) != len(set(data["dossiers"])):
            raise ValidationError({"dossiers": ["Unknown dossier."]})
        meeting = services.meeting_schedule(
            actor=request.user,
            council=council_,
            title=data["title"],
            scheduled_at=data["scheduled_at"],
            place=data["place"],
            chairperson=users[data["chairperson"]],
            secretary=users[data["secretary"]],
            dossiers=dossiers,
            secret_ballot=data["secret_ballot"],
            allow_abstention=data["allow_abstention"],
        )
        return _detail(request, meeting, status.HTTP_201_CREATED)


class PaperMeetingApi(APIView):
    """A meeting the council held on paper, recorded from its signed minutes (multipart, with the
    PDF): checked against the council's members on the meeting date, then closed and its results
    handed over to each dossier (workflows.council.paper_meeting_record)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="meetings_record_paper",
        summary="Record a meeting held on paper, with its signed minutes (the council's secretary)",
        request={"multipart/form-data": PaperMeetingInput},
        responses={201: MeetingDetailOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request):
        data = _parse(PaperMeetingInput, request)
        council_ = selectors.access_council_to_convene(user=request.user, pk=data["council"])
        chairperson = get_user_model().objects.filter(pk=data["chairperson"]).first()
        if chairperson is None:
            raise ValidationError({"chairperson": ["Unknown person."]})
        # Dossiers the user may not see are unknown to them, like missing ones.
        dossiers = list(dossier_list_for(user=request.user).filter(pk__in=data["dossiers"]).order_by("pk"))
        if len(dossiers) != len(set(data["dossiers"])):
            raise ValidationError({"dossiers": ["Unknown dossier."]})
        meeting = council.paper_meeting_record(
            actor=request.user,
            council=council_,
            title=data["title"],
            held_at=data["held_at"],
            place=data["place"],
            chairperson=chairperson,
            present=data["present"],
            written_votes=data["written_votes"],
            secret_ballot=data["secret_ballot"],
            dossiers=dossiers,
            counts={
                v["nominee"]: {k: v[k] for k in ("votes_for", "votes_against", "abstentions")}
                for v in data["votes"]
            },
            recusals={v["nominee"]: v["recused"] for v in data["votes"] if v["recused"]},
            conclusion=data["conclusion"],
            minutes=data["minutes"],
            ended_at=data["ended_at"],
            absence_reasons=data["absence_reasons"],
        )
        return _detail(request, meeting, status.HTTP_201_CREATED)


class MeetingMinutesFileApi(APIView):
    @extend_schema(
        operation_id="meetings_minutes_file",
        summary="The signed minutes of a meeting recorded from paper (PDF)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The signed minutes."),
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk):
        meeting = _meeting(request, pk)
        if not meeting.minutes_file:
            raise Http404
        return file_response(
            meeting.minutes_file.open("rb"),
            filename=f"bien-ban-hop-{meeting.pk}.pdf",
            content_type="application/pdf",
        )

    def perform_content_negotiation(self, request, force=False):
        # Accept: application/pdf gets the file, and any error as JSON, instead of 406.
        return super().perform_content_negotiation(request, force=True)


class MeetingDetailApi(APIView):
    @extend_schema(
        operation_id="meetings_retrieve",
        summary="A meeting: its agenda, with your own state on each nominee",
        responses={200: MeetingDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return _detail(request, _meeting(request, pk))


class MeetingAttendanceApi(APIView):
    @extend_schema(
        operation_id="meetings_attendance",
        summary="Record who is present (the meeting's secretary)",
        request=AttendanceInput,
        responses={200: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = _parse(AttendanceInput, request)
        services.meeting_attendance_record(
            actor=request.user,
            meeting=meeting,
            present=data["present"],
            absence_reasons=data.get("absence_reasons"),
        )
        return _detail(request, meeting)


class MeetingOpenApi(APIView):
    @extend_schema(
        operation_id="meetings_open",
        summary="Open the vote, with a quorum (the meeting's secretary)",
        request=None,
        responses={200: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        services.meeting_open_voting(actor=request.user, meeting=meeting)
        return _detail(request, meeting)


class MeetingCancelApi(APIView):
    @extend_schema(
        operation_id="meetings_cancel",
        summary="Cancel a meeting before its vote opens",
        request=CancelInput,
        responses={200: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = _parse(CancelInput, request)
        services.meeting_cancel(actor=request.user, meeting=meeting, reason=data["reason"])
        return _detail(request, meeting)


class BallotApi(APIView):
    @extend_schema(
        operation_id="meetings_ballot",
        summary="Vote on one nominee (a member present); by secret ballot the answer never says how",
        request=BallotInput,
        responses={201: BallotOutput, **ERRORS},
    )
    def post(self, request, pk):
        try:
            # The vote checks the member's place on the roll, which only one who may see the
            # meeting holds: the view's own read of the meeting is needed only to answer a refusal.
            data = _parse(BallotInput, request)
            participation = services.ballot_cast(
                actor=request.user, meeting=pk, nominee=data["nominee"], choice=data["choice"]
            )
        except CouncilMeeting.DoesNotExist:
            raise Http404 from None
        except Exception:
            _meeting(request, pk)  # a meeting they may not see is a 404 before any other refusal
            raise
        out = {"nominee": data["nominee"], "voted": True, "how": participation.how}
        return Response(BallotOutput(out).data, status=status.HTTP_201_CREATED)


class WrittenVoteApi(APIView):
    @extend_schema(
        operation_id="meetings_written_vote",
        summary="Vote in writing before the meeting (a member who will be absent)",
        request=WrittenVoteInput,
        responses={201: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = _parse(WrittenVoteInput, request)
        votes = {v["nominee"]: {"choice": v["choice"], "comment": v["comment"]} for v in data["votes"]}
        services.written_vote_cast(actor=request.user, meeting=meeting, votes=votes)
        return _detail(request, meeting, status.HTTP_201_CREATED)


class RecusalApi(APIView):
    @extend_schema(
        operation_id="meetings_recusal",
        summary="Declare a conflict of interest on a nominee (the member, or the secretary for them)",
        request=RecusalInput,
        responses={201: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = _parse(RecusalInput, request)
        member = get_object_or_404(get_user_model(), pk=data["member"]) if data.get("member") else None
        services.recusal_declare(
            actor=request.user, meeting=meeting, nominee=data["nominee"], note=data["note"], member=member
        )
        return _detail(request, meeting, status.HTTP_201_CREATED)


class MeetingCloseApi(APIView):
    @extend_schema(
        operation_id="meetings_close",
        summary="Close the vote (the chairperson); each dossier's results go on to the next step",
        request=CloseInput,
        responses={200: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = _parse(CloseInput, request)
        council.meeting_close(actor=request.user, meeting=meeting, conclusion=data["conclusion"])
        return _detail(request, meeting)


class MeetingLiveApi(APIView):
    @extend_schema(
        operation_id="meetings_live",
        summary="Who has voted so far (never how, by secret ballot)",
        responses={200: LiveOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        meeting = selectors.access_live_meeting(user=request.user, pk=pk)
        return Response(LiveOutput(selectors.meeting_live(meeting=meeting)).data)


class MeetingMinutesApi(APIView):
    @extend_schema(
        operation_id="meetings_minutes",
        summary="The minutes (biên bản) as structured data",
        responses={(200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        meeting = _meeting(request, pk)
        return Response(_plain(dataclasses.asdict(selectors.meeting_minutes(meeting))))


class MeetingRunoffApi(APIView):
    @extend_schema(
        operation_id="meetings_runoff",
        summary="Open a run-off round among the nominees tied at a quota's line (the chairperson)",
        request=None,
        responses={201: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        runoff = services.meeting_runoff_start(actor=request.user, meeting=meeting)
        return _detail(request, runoff, status.HTTP_201_CREATED)


class MeetingTieDecisionApi(APIView):
    @extend_schema(
        operation_id="meetings_tie_decide",
        summary="Decide a tie at a quota's line with a reason (the chairperson, where the rules say so)",
        request=TieDecisionInput,
        responses={200: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = _parse(TieDecisionInput, request)
        council.meeting_tie_decide(
            actor=request.user, meeting=meeting, chosen=data["chosen"], reason=data["reason"]
        )
        return _detail(request, meeting)


class MeetingLeaveApi(APIView):
    @extend_schema(
        operation_id="meetings_leave",
        summary="Record that a member present has left while the vote is open (the secretary)",
        request=LeaveInput,
        responses={200: MeetingDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        data = _parse(LeaveInput, request)
        member = get_object_or_404(get_user_model(), pk=data["member"])
        services.attendance_leave(actor=request.user, meeting=meeting, member=member)
        return _detail(request, meeting)
