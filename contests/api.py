"""/api/contests/…: a contest's set-up and its entries, through the same selectors and services as
the pages (contests.selectors, contests.services). Refusals are answered in one place
(dossiers.api_errors): 403 not yours, 404 not visible, 409 not now, 400 with every reason. Money
is an integer of đồng; dates are ISO 8601."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.serializers import ConflictOutput, ErrorOutput, RefusalOutput
from org import limits
from org.api_fields import bounded_many
from org.models import Unit, User

from . import permissions as perms
from . import selectors, services
from .models import (
    Aggregation,
    ConflictOfInterest,
    Contest,
    ContestTieRule,
    Criterion,
    EntrantKind,
    Entry,
    EntryAuthor,
    EntryFile,
    Juror,
    JurorRole,
    Prize,
    RoundKind,
)

NOT_FOUND = OpenApiResponse(ErrorOutput, description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="Your role or unit may not do this.")
CONFLICT = OpenApiResponse(ConflictOutput, description="Not possible in the present state.")
REFUSED = OpenApiResponse(RefusalOutput, description="Refused: every reason, or a field map.")
ERRORS = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
TAG = ["contests"]

# --- shapes ----------------------------------------------------------------------------------------


class ContestCriterionOutput(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "round", "name", "weight", "max_score", "position"]


class ContestPrizeOutput(serializers.ModelSerializer):
    class Meta:
        model = Prize
        fields = ["id", "entrant_kind", "name", "position", "count", "amount"]


class ContestJurorOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Juror
        fields = ["id", "user", "username", "full_name", "role"]


class ContestConflictOutput(serializers.ModelSerializer):
    class Meta:
        model = ConflictOfInterest
        fields = ["id", "juror", "entry", "reason", "declared_by", "declared_at"]


class ContestOutput(serializers.ModelSerializer):
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)

    class Meta:
        model = Contest
        fields = [
            "id",
            "organizer",
            "organizer_name",
            "name",
            "year",
            "plan_reference",
            "legal_basis",
            "description",
            "entry_cap_per_unit",
            "entries_deadline",
            "appraisal_deadline",
            "final_deadline",
            "finalists",
            "aggregation",
            "tie_rule",
            "state",
            "created_at",
        ]


class ContestDetailOutput(ContestOutput):
    criteria = ContestCriterionOutput(many=True, read_only=True)
    prizes = ContestPrizeOutput(many=True, read_only=True)
    jurors = ContestJurorOutput(many=True, read_only=True)
    prize_count = serializers.SerializerMethodField()
    prize_cash = serializers.SerializerMethodField()

    class Meta(ContestOutput.Meta):
        fields = [*ContestOutput.Meta.fields, "criteria", "prizes", "jurors", "prize_count", "prize_cash"]

    def get_prize_count(self, contest) -> int:
        return services.prize_totals(contest.prizes.all())["count"]

    def get_prize_cash(self, contest) -> int:
        return services.prize_totals(contest.prizes.all())["cash"]


class ContestInput(serializers.Serializer):
    organizer = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    name = serializers.CharField(max_length=limits.TITLE)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    plan_reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    legal_basis = serializers.CharField(max_length=limits.SHORT_TEXT, required=False, allow_blank=True)
    description = serializers.CharField(max_length=limits.LONG_TEXT, required=False, allow_blank=True)
    entry_cap_per_unit = serializers.IntegerField(min_value=1, default=3)
    entries_deadline = serializers.DateField()
    appraisal_deadline = serializers.DateField()
    final_deadline = serializers.DateField()
    finalists = serializers.IntegerField(min_value=1)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, default=Aggregation.MEAN)
    tie_rule = serializers.ChoiceField(choices=ContestTieRule.choices, default=ContestTieRule.APPRAISAL_SCORE)


class ContestUpdateInput(ContestInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("organizer")
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class ContestCriterionInput(serializers.Serializer):
    round = serializers.ChoiceField(choices=RoundKind.choices)
    name = serializers.CharField(max_length=limits.TITLE)
    weight = serializers.IntegerField(min_value=1, max_value=100)
    max_score = serializers.IntegerField(min_value=1, default=10)
    position = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class ContestPrizeInput(serializers.Serializer):
    entrant_kind = serializers.ChoiceField(choices=EntrantKind.choices)
    name = serializers.CharField(max_length=64)
    count = serializers.IntegerField(min_value=1)
    amount = serializers.IntegerField(min_value=0, help_text="Cash of each prize, in đồng.")
    position = serializers.IntegerField(min_value=1, required=False, allow_null=True)


def _partial(serializer_class):
    class Partial(serializer_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                field.required = False
                field.default = serializers.empty

    Partial.__name__ = f"{serializer_class.__name__.removesuffix('Input')}UpdateInput"
    return Partial


ContestCriterionUpdateInput = _partial(ContestCriterionInput)
ContestPrizeUpdateInput = _partial(ContestPrizeInput)


class ContestJurorInput(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    role = serializers.ChoiceField(choices=JurorRole.choices, default=JurorRole.MEMBER)


class ContestConflictInput(serializers.Serializer):
    juror = serializers.IntegerField()
    entry = serializers.IntegerField()
    reason = serializers.CharField(max_length=limits.TITLE)


class ContestEntryAuthor(serializers.Serializer):
    name = serializers.CharField(max_length=limits.TITLE)
    position = serializers.CharField(max_length=limits.TITLE, required=False, allow_blank=True)


class ContestEntryFileOutput(serializers.ModelSerializer):
    class Meta:
        model = EntryFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class ContestEntryOutput(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    authors = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id",
            "contest",
            "unit",
            "unit_name",
            "title",
            "summary",
            "entrant_kind",
            "entrant_name",
            "contact",
            "preselection_note",
            "state",
            "submitted_at",
            "ineligible_reason",
            "authors",
        ]

    def get_authors(self, entry) -> list[dict]:
        authors: list[EntryAuthor] = list(entry.authors.all())
        return [{"name": a.name, "position": a.position} for a in authors]


class ContestEntryDetailOutput(ContestEntryOutput):
    files = ContestEntryFileOutput(many=True, read_only=True)

    class Meta(ContestEntryOutput.Meta):
        fields = [*ContestEntryOutput.Meta.fields, "files"]


class ContestEntryInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    title = serializers.CharField(max_length=limits.TITLE)
    summary = serializers.CharField(max_length=limits.LONG_TEXT, required=False, allow_blank=True)
    entrant_kind = serializers.ChoiceField(choices=EntrantKind.choices)
    entrant_name = serializers.CharField(max_length=limits.TITLE)
    contact = serializers.CharField(max_length=limits.TITLE, required=False, allow_blank=True)
    preselection_note = serializers.CharField(max_length=limits.TEXT, required=False, allow_blank=True)
    authors = bounded_many(ContestEntryAuthor, required=False)


class ContestEntryUpdateInput(ContestEntryInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("unit")
        for field in self.fields.values():
            field.required = False


class ContestEntryFileInput(serializers.Serializer):
    file = serializers.FileField(help_text="The entry's description (PDF or DOCX) or a picture (JPEG, PNG).")


class ContestReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.TEXT, required=False, allow_blank=True)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _contest_detail(contest):
    contest = (
        Contest.objects.select_related("organizer").prefetch_related("criteria", "prizes").get(pk=contest.pk)
    )
    contest._prefetched_objects_cache["jurors"] = list(selectors.jury_of(contest))
    return ContestDetailOutput(contest).data


# --- contests --------------------------------------------------------------------------------------


class ContestListApi(APIView):
    @extend_schema(
        operation_id="contests_list",
        tags=TAG,
        summary="The contests that concern you",
        responses=ContestOutput(many=True),
    )
    def get(self, request):
        return Response(ContestOutput(selectors.contest_list_for(user=request.user), many=True).data)

    @extend_schema(
        operation_id="contests_create",
        tags=TAG,
        summary="Prepare a contest (the organiser's standing body); `organizer` defaults to your body",
        request=ContestInput,
        responses={201: ContestDetailOutput, **ERRORS},
    )
    def post(self, request):
        data = dict(_valid(ContestInput, request))
        organizer = data.pop("organizer", None)
        if organizer is None:
            units = perms.organising_unit_ids(request.user)
            organizer = Unit.objects.filter(pk__in=units).order_by("path").first()
            if organizer is None:
                raise Http404
        contest = services.contest_create(actor=request.user, organizer=organizer, **data)
        return Response(_contest_detail(contest), status=status.HTTP_201_CREATED)


class ContestDetailApi(APIView):
    @extend_schema(
        operation_id="contests_read",
        tags=TAG,
        summary="A contest: rules, deadlines, criteria, prizes and jury",
        responses={200: ContestDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(_contest_detail(selectors.access_contest(user=request.user, pk=pk)))

    @extend_schema(
        operation_id="contests_update",
        tags=TAG,
        summary="Change the rules of a contest being prepared",
        request=ContestUpdateInput,
        responses={200: ContestDetailOutput, **ERRORS},
    )
    def patch(self, request, pk):
        contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
        contest = services.contest_update(
            actor=request.user, contest=contest, **_valid(ContestUpdateInput, request)
        )
        return Response(_contest_detail(contest))


class ContestOpenApi(APIView):
    @extend_schema(
        operation_id="contests_open",
        tags=TAG,
        summary="Open the contest to entries (checks criteria, weights, prizes, jury, deadlines)",
        request=None,
        responses={200: ContestDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
        return Response(_contest_detail(services.contest_open(actor=request.user, contest=contest)))


# --- criteria, prizes, jury, conflicts ---------------------------------------------------------------


class CriterionListApi(APIView):
    @extend_schema(
        operation_id="contest_criteria_list", tags=TAG, responses=ContestCriterionOutput(many=True)
    )
    def get(self, request, pk):
        contest = selectors.access_contest(user=request.user, pk=pk)
        return Response(ContestCriterionOutput(contest.criteria.all(), many=True).data)

    @extend_schema(
        operation_id="contest_criteria_add",
        tags=TAG,
        summary="Add a criterion to a round (a round's weights add up to 100)",
        request=ContestCriterionInput,
        responses={201: ContestCriterionOutput, **ERRORS},
    )
    def post(self, request, pk):
        contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
        criterion = services.criterion_add(
            actor=request.user, contest=contest, **_valid(ContestCriterionInput, request)
        )
        return Response(ContestCriterionOutput(criterion).data, status=status.HTTP_201_CREATED)


def _criterion(request, pk, item_pk):
    contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
    criterion = Criterion.objects.filter(contest=contest, pk=item_pk).first()
    if criterion is None:
        raise Http404
    return criterion


class CriterionDetailApi(APIView):
    @extend_schema(
        operation_id="contest_criteria_update",
        tags=TAG,
        request=ContestCriterionUpdateInput,
        responses={200: ContestCriterionOutput, **ERRORS},
    )
    def patch(self, request, pk, item_pk):
        criterion = _criterion(request, pk, item_pk)
        criterion = services.criterion_update(
            actor=request.user, criterion=criterion, **_valid(ContestCriterionUpdateInput, request)
        )
        return Response(ContestCriterionOutput(criterion).data)

    @extend_schema(operation_id="contest_criteria_remove", tags=TAG, responses={204: None, **ERRORS})
    def delete(self, request, pk, item_pk):
        services.criterion_remove(actor=request.user, criterion=_criterion(request, pk, item_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PrizeListApi(APIView):
    @extend_schema(operation_id="contest_prizes_list", tags=TAG, responses=ContestPrizeOutput(many=True))
    def get(self, request, pk):
        contest = selectors.access_contest(user=request.user, pk=pk)
        return Response(ContestPrizeOutput(contest.prizes.all(), many=True).data)

    @extend_schema(
        operation_id="contest_prizes_add",
        tags=TAG,
        summary="Add a level of the prize structure",
        request=ContestPrizeInput,
        responses={201: ContestPrizeOutput, **ERRORS},
    )
    def post(self, request, pk):
        contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
        prize = services.prize_add(actor=request.user, contest=contest, **_valid(ContestPrizeInput, request))
        return Response(ContestPrizeOutput(prize).data, status=status.HTTP_201_CREATED)


def _prize(request, pk, item_pk):
    contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
    prize = Prize.objects.filter(contest=contest, pk=item_pk).first()
    if prize is None:
        raise Http404
    return prize


class PrizeDetailApi(APIView):
    @extend_schema(
        operation_id="contest_prizes_update",
        tags=TAG,
        request=ContestPrizeUpdateInput,
        responses={200: ContestPrizeOutput, **ERRORS},
    )
    def patch(self, request, pk, item_pk):
        prize = services.prize_update(
            actor=request.user, prize=_prize(request, pk, item_pk), **_valid(ContestPrizeUpdateInput, request)
        )
        return Response(ContestPrizeOutput(prize).data)

    @extend_schema(operation_id="contest_prizes_remove", tags=TAG, responses={204: None, **ERRORS})
    def delete(self, request, pk, item_pk):
        services.prize_remove(actor=request.user, prize=_prize(request, pk, item_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class JurorListApi(APIView):
    @extend_schema(operation_id="contest_jurors_list", tags=TAG, responses=ContestJurorOutput(many=True))
    def get(self, request, pk):
        contest = selectors.access_contest(user=request.user, pk=pk)
        return Response(ContestJurorOutput(selectors.jury_of(contest), many=True).data)

    @extend_schema(
        operation_id="contest_jurors_add",
        tags=TAG,
        summary="Appoint a juror (exactly one chairs the jury)",
        request=ContestJurorInput,
        responses={201: ContestJurorOutput, **ERRORS},
    )
    def post(self, request, pk):
        contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
        juror = services.juror_add(actor=request.user, contest=contest, **_valid(ContestJurorInput, request))
        return Response(ContestJurorOutput(juror).data, status=status.HTTP_201_CREATED)


class JurorDetailApi(APIView):
    @extend_schema(operation_id="contest_jurors_remove", tags=TAG, responses={204: None, **ERRORS})
    def delete(self, request, pk, item_pk):
        contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
        juror = Juror.objects.filter(contest=contest, pk=item_pk).first()
        if juror is None:
            raise Http404
        services.juror_remove(actor=request.user, juror=juror)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConflictListApi(APIView):
    def _contest(self, request, pk):
        contest = selectors.access_contest(user=request.user, pk=pk)
        if not perms.can_organise(request.user, contest) and perms.juror_of(request.user, contest) is None:
            raise Http404
        return contest

    @extend_schema(
        operation_id="contest_conflicts_list", tags=TAG, responses=ContestConflictOutput(many=True)
    )
    def get(self, request, pk):
        return Response(
            ContestConflictOutput(selectors.conflicts_of(self._contest(request, pk)), many=True).data
        )

    @extend_schema(
        operation_id="contest_conflicts_declare",
        tags=TAG,
        summary="Declare a juror's conflict of interest with an entry (the organiser, or the juror themself)",
        request=ContestConflictInput,
        responses={201: ContestConflictOutput, **ERRORS},
    )
    def post(self, request, pk):
        contest = self._contest(request, pk)
        data = _valid(ContestConflictInput, request)
        juror = Juror.objects.filter(contest=contest, pk=data["juror"]).select_related("user").first()
        entry = selectors.entries_for(user=request.user, contest=contest).filter(pk=data["entry"]).first()
        if juror is None or entry is None:
            raise Http404
        conflict = services.conflict_declare(
            actor=request.user, juror=juror, entry=entry, reason=data["reason"]
        )
        return Response(ContestConflictOutput(conflict).data, status=status.HTTP_201_CREATED)


# --- entries ---------------------------------------------------------------------------------------


def _entry_detail(entry):
    return ContestEntryDetailOutput(selectors.entry_with_details(entry.pk)).data


class EntryListApi(APIView):
    @extend_schema(
        operation_id="contest_entries_list",
        tags=TAG,
        summary="The contest's entries you may see (your unit's, or what was sent)",
        responses=ContestEntryOutput(many=True),
    )
    def get(self, request, pk):
        contest = selectors.access_contest(user=request.user, pk=pk)
        return Response(
            ContestEntryOutput(selectors.entries_for(user=request.user, contest=contest), many=True).data
        )

    @extend_schema(
        operation_id="contest_entries_create",
        tags=TAG,
        summary="Draft an entry of your unit",
        request=ContestEntryInput,
        responses={201: ContestEntryDetailOutput, **ERRORS},
    )
    def post(self, request, pk):
        contest = selectors.access_contest(user=request.user, pk=pk)
        data = dict(_valid(ContestEntryInput, request))
        entry = services.entry_create(actor=request.user, contest=contest, **data)
        return Response(_entry_detail(entry), status=status.HTTP_201_CREATED)


class EntryDetailApi(APIView):
    @extend_schema(
        operation_id="contest_entries_read",
        tags=TAG,
        responses={200: ContestEntryDetailOutput, 404: NOT_FOUND},
    )
    def get(self, request, entry_pk):
        return Response(ContestEntryDetailOutput(selectors.access_entry(user=request.user, pk=entry_pk)).data)

    @extend_schema(
        operation_id="contest_entries_update",
        tags=TAG,
        summary="Change a draft entry (authors replaced when given)",
        request=ContestEntryUpdateInput,
        responses={200: ContestEntryDetailOutput, **ERRORS},
    )
    def patch(self, request, entry_pk):
        entry = selectors.access_entry(user=request.user, pk=entry_pk)
        data = dict(_valid(ContestEntryUpdateInput, request))
        entry = services.entry_update(actor=request.user, entry=entry, **data)
        return Response(_entry_detail(entry))


class EntryFileApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="contest_entries_file_add",
        tags=TAG,
        summary="Attach a file to a draft entry (type judged by content; SHA-256 kept)",
        request={"multipart/form-data": ContestEntryFileInput},
        responses={201: ContestEntryFileOutput, **ERRORS},
    )
    def post(self, request, entry_pk):
        entry = selectors.access_entry(user=request.user, pk=entry_pk)
        data = _valid(ContestEntryFileInput, request)
        record = services.entry_file_add(actor=request.user, entry=entry, uploaded_file=data["file"])
        return Response(ContestEntryFileOutput(record).data, status=status.HTTP_201_CREATED)


class EntryFileDetailApi(APIView):
    @extend_schema(operation_id="contest_entries_file_remove", tags=TAG, responses={204: None, **ERRORS})
    def delete(self, request, entry_pk, file_pk):
        entry = selectors.access_entry(user=request.user, pk=entry_pk)
        record = EntryFile.objects.filter(entry=entry, pk=file_pk).select_related("entry__contest").first()
        if record is None:
            raise Http404
        services.entry_file_remove(actor=request.user, entry_file=record)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EntryActionApi(APIView):
    """send / withdraw / refuse: one service each."""

    action = ""

    def post(self, request, entry_pk):
        entry = selectors.access_entry(user=request.user, pk=entry_pk)
        if self.action == "send":
            entry = services.entry_send(actor=request.user, entry=entry)
        else:
            reason = _valid(ContestReasonInput, request).get("reason", "")
            service = services.entry_withdraw if self.action == "withdraw" else services.entry_refuse
            entry = service(actor=request.user, entry=entry, reason=reason)
        return Response(_entry_detail(entry))


class EntrySendApi(EntryActionApi):
    action = "send"

    @extend_schema(
        operation_id="contest_entries_send",
        tags=TAG,
        summary="Send the entry (the unit's head; within the unit's cap, by the deadline)",
        request=None,
        responses={200: ContestEntryDetailOutput, **ERRORS},
    )
    def post(self, request, entry_pk):
        return super().post(request, entry_pk)


class EntryWithdrawApi(EntryActionApi):
    action = "withdraw"

    @extend_schema(
        operation_id="contest_entries_withdraw",
        tags=TAG,
        summary="Withdraw a sent entry before the deadline (the unit's head)",
        request=ContestReasonInput,
        responses={200: ContestEntryDetailOutput, **ERRORS},
    )
    def post(self, request, entry_pk):
        return super().post(request, entry_pk)


class EntryRefuseApi(EntryActionApi):
    action = "refuse"

    @extend_schema(
        operation_id="contest_entries_refuse",
        tags=TAG,
        summary="Mark a sent entry not admitted, with its reason (the organiser, before the appraisal round)",
        request=ContestReasonInput,
        responses={200: ContestEntryDetailOutput, **ERRORS},
    )
    def post(self, request, entry_pk):
        return super().post(request, entry_pk)
