"""/api/contests/<id>/rounds/…: the jury's scoring and the organiser's rounds, through the same
selectors and services as the pages (contests.round_selectors, contests.round_services).
Refusals are answered in one place (dossiers.api_errors): 403 not yours, 404 not visible, 409
not now, 400 with every reason. Scores are strings with two decimals, never JSON floats.

A juror reads only their own scores until the round closes; the organiser reads progress (how
many entries each juror has scored), not values; after the close the jury and the organiser read
every score.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.serializers import ConflictOutput, ErrorOutput, RefusalOutput
from org import limits
from org.errors import TransitionNotAllowed

from . import round_selectors as selectors
from . import round_services as services
from .models import RoundKind

NOT_FOUND = OpenApiResponse(ErrorOutput, description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="Not a juror of this entry, or not the organiser.")
CONFLICT = OpenApiResponse(ConflictOutput, description="Not possible in the round's present state.")
REFUSED = OpenApiResponse(RefusalOutput, description="Refused: every reason, or a field map.")
ERRORS = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
SCORE = {"max_digits": 5, "decimal_places": 2}


def _seat_and_round(request, pk, kind, *, required=True):
    if kind not in RoundKind.values:
        raise Http404
    seat = selectors.seat_for(request.user, pk)
    round_ = selectors.rounds_of(seat.contest).get(kind)
    if round_ is None and required:
        raise TransitionNotAllowed(_("This round has not been opened."))
    return seat, round_


# --- shapes ----------------------------------------------------------------------------------------


class ContestRoundOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    contest = serializers.IntegerField(source="contest_id")
    kind = serializers.CharField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    close_reason = serializers.CharField()


class EntryScoresInput(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(max_length=16),
        help_text='{"<criterion id>": "8.50", …}: every criterion of the round, 0 to its highest score.',
    )


class JurorEntryOutput(serializers.Serializer):
    entry = serializers.IntegerField(source="entry.pk")
    title = serializers.CharField(source="entry.title")
    unit = serializers.CharField(source="entry.unit.name")
    conflict = serializers.CharField(help_text="The conflict of interest that keeps you from scoring it.")
    scores = serializers.SerializerMethodField(help_text='{"<criterion id>": "8.50"}: your own scores.')
    total = serializers.DecimalField(allow_null=True, help_text="Your weighted score out of 100.", **SCORE)

    def get_scores(self, row) -> dict[str, str]:
        return {str(k): f"{v:.2f}" for k, v in row.scores.items()}


class JurorProgressOutput(serializers.Serializer):
    juror = serializers.IntegerField(source="juror.pk")
    name = serializers.CharField(source="juror.user.get_full_name")
    scored = serializers.IntegerField(help_text="Entries with every criterion scored.")
    expected = serializers.IntegerField(help_text="Entries the juror has no conflict with.")


class ScoreCellOutput(serializers.Serializer):
    juror = serializers.IntegerField(source="juror.pk")
    total = serializers.DecimalField(allow_null=True, **SCORE)
    values = serializers.ListField(child=serializers.DecimalField(allow_null=True, **SCORE))
    conflict = serializers.CharField()
    excluded = serializers.BooleanField(help_text="Left out at the close: counts for no entry.")


class ScoreTableRowOutput(serializers.Serializer):
    entry = serializers.IntegerField(source="entry.pk")
    title = serializers.CharField(source="entry.title")
    state = serializers.CharField(source="entry.state")
    score = serializers.DecimalField(allow_null=True, **SCORE)
    cells = ScoreCellOutput(many=True)


class RoundCloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.TEXT, required=False, allow_blank=True, default="")


# --- endpoints ---------------------------------------------------------------------------------


class RoundStartApi(APIView):
    @extend_schema(
        request=None, responses={201: ContestRoundOutput, **ERRORS}, summary="Open a round (organiser)"
    )
    def post(self, request, pk, kind):
        seat, _round = _seat_and_round(request, pk, kind, required=False)
        opened = services.round_start(actor=request.user, contest=seat.contest, kind=kind)
        return Response(ContestRoundOutput(opened).data, status=201)


class RoundCloseApi(APIView):
    @extend_schema(
        request=RoundCloseInput,
        responses={200: ContestRoundOutput, **ERRORS},
        summary="Close a round and compute the scores (organiser); a reason when scores are missing",
    )
    def post(self, request, pk, kind):
        seat, _round = _seat_and_round(request, pk, kind)
        data = RoundCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        closed = services.round_close(
            actor=request.user, contest=seat.contest, kind=kind, reason=data.validated_data["reason"]
        )
        return Response(ContestRoundOutput(closed).data)


class EntryScoresApi(APIView):
    @extend_schema(
        request=EntryScoresInput,
        responses={200: JurorEntryOutput, **ERRORS},
        summary="Put your scores of one entry (juror): every criterion of the open round at once",
    )
    def put(self, request, pk, kind, entry_pk):
        seat, round_ = _seat_and_round(request, pk, kind)
        if seat.juror is None:
            raise PermissionDenied(_("Only the contest's jurors score its entries."))
        entries = selectors.entries_of(round_)
        entry = next((e for e in entries if e.pk == entry_pk), None)
        if entry is None:
            raise Http404
        data = EntryScoresInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.scores_save(actor=request.user, entry=entry, kind=kind, values=data.validated_data["scores"])
        row = next(r for r in selectors.my_entries(round_, seat.juror, [entry]))
        return Response(JurorEntryOutput(row).data)


class MyScoresApi(APIView):
    @extend_schema(
        responses={200: JurorEntryOutput(many=True), **ERRORS}, summary="Your own scores in a round"
    )
    def get(self, request, pk, kind):
        seat, round_ = _seat_and_round(request, pk, kind)
        if seat.juror is None:
            raise Http404
        return Response(JurorEntryOutput(selectors.my_entries(round_, seat.juror), many=True).data)


class RoundProgressApi(APIView):
    @extend_schema(
        responses={200: JurorProgressOutput(many=True), **ERRORS},
        summary="How many entries each juror has scored (organiser; no values)",
    )
    def get(self, request, pk, kind):
        seat, round_ = _seat_and_round(request, pk, kind)
        if not seat.organiser:
            raise PermissionDenied(_("Only the organiser follows the jurors' progress."))
        return Response(JurorProgressOutput(selectors.progress(round_), many=True).data)


class RoundScoresApi(APIView):
    @extend_schema(
        responses={200: ScoreTableRowOutput(many=True), **ERRORS},
        summary="Every juror's scores, once the round is closed (jury and organiser)",
    )
    def get(self, request, pk, kind):
        _seat, round_ = _seat_and_round(request, pk, kind)
        if not round_.is_closed:
            raise TransitionNotAllowed(_("The scores are shown to the jury once the round is closed."))
        _jurors, rows = selectors.scores_table(round_)
        return Response(ScoreTableRowOutput(rows, many=True).data)
