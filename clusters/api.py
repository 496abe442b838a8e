"""The API of the clusters and blocs: the same selectors and services as the pages; refusals
become HTTP answers in one place (dossiers.api_errors). A cluster the caller may not see is a 404."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.api import FORBIDDEN, NOT_FOUND, REFUSED
from dossiers.models import Campaign
from org import limits
from org.api_fields import IdList, bounded_many
from org.models import Unit

from . import selectors, services
from .models import Cluster, ClusterKind, Criterion, SelfAssessment

POINTS = {"max_digits": 6, "decimal_places": 2, "min_value": 0}
# "9999.99" and room for a sign the range check refuses: a points string longer than this is refused
# before it is read as a number, and the schema says so (every request string declares its limit).
POINTS_LENGTH = POINTS["max_digits"] + 2


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^-?\d{0,4}(?:\.\d{0,2})?$",
        "maxLength": POINTS_LENGTH,
    }
)
class PointsField(serializers.DecimalField):
    """A score's points as a decimal string ("8.50"), never a float."""

    MAX_STRING_LENGTH = POINTS_LENGTH

    def __init__(self, **kwargs):
        super().__init__(**POINTS, **kwargs)


# --- shapes ----------------------------------------------------------------------------------------


class ClusterOutput(serializers.ModelSerializer):
    years = serializers.SerializerMethodField()

    class Meta:
        model = Cluster
        fields = ["id", "name", "kind", "organizer", "description", "years"]

    def get_years(self, cluster) -> list[int]:
        return [t.year for t in cluster.terms.all()]


class ClusterInput(serializers.Serializer):
    organizer = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    name = serializers.CharField(max_length=limits.TITLE)
    kind = serializers.ChoiceField(choices=ClusterKind.choices)
    description = serializers.CharField(
        max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default=""
    )


class ClusterUnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ClusterCriterionOutput(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", "name", "weight", "max_points"]


class ClusterCellOutput(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion.pk")
    self_points = serializers.SerializerMethodField()
    cross_mean = serializers.DecimalField(
        source="cross", allow_null=True, **{k: v for k, v in POINTS.items() if k != "min_value"}
    )
    reviewed = serializers.DecimalField(
        allow_null=True, **{k: v for k, v in POINTS.items() if k != "min_value"}
    )

    def get_self_points(self, cell) -> str | None:
        return str(cell["self"].points) if cell["self"] else None


class ClusterRowOutput(serializers.Serializer):
    unit = ClusterUnitOutput()
    cells = ClusterCellOutput(many=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    tie = serializers.CharField()
    self_confirmed = serializers.SerializerMethodField()

    def get_self_confirmed(self, row) -> bool:
        return bool(row["assessment"] and row["assessment"].confirmed_at)


class ClusterTermOutput(serializers.Serializer):
    cluster = serializers.IntegerField(source="term.cluster_id")
    year = serializers.IntegerField(source="term.year")
    state = serializers.CharField(source="term.state")
    leader = ClusterUnitOutput(source="term.leader")
    deputy = ClusterUnitOutput(source="term.deputy", allow_null=True)
    repeat_reason = serializers.CharField(source="term.repeat_reason")
    self_scoring_deadline = serializers.DateField(source="term.self_scoring_deadline")
    tie_reason = serializers.CharField(source="term.tie_reason")
    members = ClusterUnitOutput(many=True)
    criteria = ClusterCriterionOutput(many=True)
    rows = ClusterRowOutput(many=True)
    proposal_dossier = serializers.IntegerField(allow_null=True)


def term_data(term):
    sheet = selectors.term_sheet(term)
    return ClusterTermOutput(
        {
            "term": term,
            "members": sheet.members,
            "criteria": sheet.criteria,
            "rows": selectors.table_rows(sheet),
            "proposal_dossier": sheet.proposal.dossier_id if sheet.proposal else None,
        }
    ).data


class ClusterMembersInput(serializers.Serializer):
    units = IdList(child=serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all()))


class ClusterLeadershipInput(serializers.Serializer):
    leader = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    deputy = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    self_scoring_deadline = serializers.DateField()
    repeat_reason = serializers.CharField(
        max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default=""
    )


class ClusterCriterionInput(serializers.Serializer):
    name = serializers.CharField(max_length=limits.TITLE)
    weight = serializers.IntegerField(min_value=1, max_value=100)
    max_points = serializers.IntegerField(min_value=1, max_value=1000)


class ClusterCriteriaInput(serializers.Serializer):
    criteria = bounded_many(ClusterCriterionInput)


class ClusterSelfScoreInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = PointsField()
    note = serializers.CharField(max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default="")


class ClusterSelfScoresInput(serializers.Serializer):
    unit = serializers.IntegerField()
    scores = bounded_many(ClusterSelfScoreInput)


class ClusterCrossScoreInput(serializers.Serializer):
    scored = serializers.IntegerField()
    criterion = serializers.IntegerField()
    points = PointsField()


class ClusterCrossScoresInput(serializers.Serializer):
    scorer = serializers.IntegerField()
    scores = bounded_many(ClusterCrossScoreInput)


class ClusterReviewScoreInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = PointsField()
    reason = serializers.CharField(max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default="")


class ClusterReviewScoresInput(serializers.Serializer):
    unit = serializers.IntegerField()
    scores = bounded_many(ClusterReviewScoreInput)


class ClusterCloseInput(serializers.Serializer):
    tie_order = IdList(required=False, default=list)
    tie_reason = serializers.CharField(
        max_length=limits.SHORT_TEXT, required=False, allow_blank=True, default=""
    )


class ClusterProposalInput(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    commendations = serializers.IntegerField(min_value=0, max_value=services.MAX_COMMENDATIONS, default=2)


# --- helpers ---------------------------------------------------------------------------------------


def _body(serializer_class, request):
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


def _units_of(term, ids):
    """The term's member units by id: an id that is not a member is a 404 (never a hint)."""
    members = {u.pk: u for u in selectors.members_of(term.cluster, term.year)}
    try:
        return [members[i] for i in ids]
    except KeyError:
        raise Http404 from None


def _criteria_of(term):
    return {c.pk: c for c in Criterion.objects.filter(term=term)}


def _criterion(criteria, pk):
    if pk not in criteria:
        raise Http404
    return criteria[pk]


# --- views -----------------------------------------------------------------------------------------


class ClusterListCreateApi(APIView):
    @extend_schema(
        operation_id="clusters_list",
        summary="The clusters and blocs you see",
        responses=ClusterOutput(many=True),
    )
    def get(self, request):
        clusters = selectors.cluster_list_for(user=request.user).prefetch_related("terms")
        return Response(ClusterOutput(clusters, many=True).data)

    @extend_schema(
        operation_id="clusters_create",
        summary="Form a cluster or a bloc (the province's standing body)",
        request=ClusterInput,
        responses={201: ClusterOutput, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        cluster = services.cluster_create(actor=request.user, **_body(ClusterInput, request))
        return Response(ClusterOutput(cluster).data, status=status.HTTP_201_CREATED)


class ClusterYearMembersApi(APIView):
    @extend_schema(
        operation_id="clusters_members_set",
        summary="Set a year's member units (the standing body)",
        request=ClusterMembersInput,
        responses={200: ClusterUnitOutput(many=True), 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk, year):
        cluster = selectors.access_cluster(user=request.user, pk=pk)
        units = services.cluster_members_set(
            actor=request.user, cluster=cluster, year=year, units=_body(ClusterMembersInput, request)["units"]
        )
        return Response(ClusterUnitOutput(units, many=True).data)


class ClusterYearLeadershipApi(APIView):
    @extend_schema(
        operation_id="clusters_leadership_set",
        summary="Set a year's leader and deputy units and the self-scoring deadline (the leader rotates)",
        request=ClusterLeadershipInput,
        responses={200: ClusterTermOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk, year):
        cluster = selectors.access_cluster(user=request.user, pk=pk)
        term = services.cluster_term_set(
            actor=request.user, cluster=cluster, year=year, **_body(ClusterLeadershipInput, request)
        )
        return Response(term_data(selectors.access_term(user=request.user, cluster_pk=pk, year=term.year)))


class TermApi(APIView):
    @extend_schema(
        operation_id="clusters_year_retrieve",
        summary="A cluster's year: members, leader and deputy, criteria, scores, ranking and proposal",
        responses={200: ClusterTermOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk, year):
        return Response(term_data(selectors.access_term(user=request.user, cluster_pk=pk, year=year)))


class _TermActionApi(APIView):
    """POST to a year: find it (404 when unseen), call the service, answer the year."""

    input_class = None

    def act(self, request, term, data):
        raise NotImplementedError

    def post(self, request, pk, year):
        term = selectors.access_term(user=request.user, cluster_pk=pk, year=year)
        data = _body(self.input_class, request) if self.input_class else {}
        self.act(request, term, data)
        term = selectors.access_term(user=request.user, cluster_pk=pk, year=year)
        return Response(term_data(term))


def _action_schema(operation_id, summary, request=None):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=request,
        responses={200: ClusterTermOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )


class CriteriaApi(_TermActionApi):
    input_class = ClusterCriteriaInput

    @_action_schema(
        "clusters_criteria_set", "Set the year's criteria (weights add up to 100)", ClusterCriteriaInput
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        services.cluster_criteria_set(
            actor=request.user, term=term, criteria=[dict(c) for c in data["criteria"]]
        )


class ScoringOpenApi(_TermActionApi):
    @_action_schema("clusters_scoring_open", "Open the year's self-scoring (the standing body)")
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        services.term_scoring_open(actor=request.user, term=term)


class SelfScoresApi(_TermActionApi):
    input_class = ClusterSelfScoresInput

    @_action_schema(
        "clusters_self_scores_enter",
        "A member unit's self-scores with a note as evidence (its staff or head; files through the page)",
        ClusterSelfScoresInput,
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        (unit,) = _units_of(term, [data["unit"]])
        criteria = _criteria_of(term)
        scores = [
            {"criterion": _criterion(criteria, s["criterion"]), "points": s["points"], "note": s["note"]}
            for s in data["scores"]
        ]
        services.self_assessment_enter(actor=request.user, term=term, unit=unit, scores=scores)


class SelfConfirmApi(_TermActionApi):
    @_action_schema("clusters_self_confirm", "The unit's head confirms its self-assessment")
    def post(self, request, pk, year, unit):
        self.unit_id = unit
        return super().post(request, pk, year)

    def act(self, request, term, data):
        assessment = (
            SelfAssessment.objects.filter(term=term, unit_id=self.unit_id).select_related("unit").first()
        )
        if assessment is None:
            raise Http404
        services.self_assessment_confirm(actor=request.user, assessment=assessment)


class CrossOpenApi(_TermActionApi):
    @_action_schema(
        "clusters_cross_open", "Open the cross-scoring at the cluster's meeting (the leader unit)"
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        services.term_cross_scoring_open(actor=request.user, term=term)


class CrossScoresApi(_TermActionApi):
    input_class = ClusterCrossScoresInput

    @_action_schema(
        "clusters_cross_scores_enter",
        "A member's cross-scoring sheet, keyed in by the leader unit",
        ClusterCrossScoresInput,
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        (scorer,) = _units_of(term, [data["scorer"]])
        members = {u.pk: u for u in _units_of(term, [s["scored"] for s in data["scores"]])}
        criteria = _criteria_of(term)
        scores = [
            {
                "scored": members[s["scored"]],
                "criterion": _criterion(criteria, s["criterion"]),
                "points": s["points"],
            }
            for s in data["scores"]
        ]
        services.cross_scores_enter(actor=request.user, term=term, scorer=scorer, scores=scores)


class CrossCloseApi(_TermActionApi):
    @_action_schema(
        "clusters_cross_close", "Send the complete cross-scores to the standing body (the leader unit)"
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        services.term_cross_scoring_close(actor=request.user, term=term)


class ReviewScoresApi(_TermActionApi):
    input_class = ClusterReviewScoresInput

    @_action_schema(
        "clusters_review_scores_set",
        "The standing body's reviewed scores of a unit",
        ClusterReviewScoresInput,
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        (unit,) = _units_of(term, [data["unit"]])
        criteria = _criteria_of(term)
        scores = [
            {"criterion": _criterion(criteria, s["criterion"]), "points": s["points"], "reason": s["reason"]}
            for s in data["scores"]
        ]
        services.reviewed_scores_set(actor=request.user, term=term, unit=unit, scores=scores)


class CloseApi(_TermActionApi):
    input_class = ClusterCloseInput

    @_action_schema(
        "clusters_close", "Close the year and rank the units (the standing body)", ClusterCloseInput
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        services.term_close(actor=request.user, term=term, **data)


class ProposalApi(_TermActionApi):
    input_class = ClusterProposalInput

    @_action_schema(
        "clusters_propose",
        "Draft the year's proposal as an award dossier (the leader unit)",
        ClusterProposalInput,
    )
    def post(self, request, pk, year):
        return super().post(request, pk, year)

    def act(self, request, term, data):
        services.cluster_proposal_create(actor=request.user, term=term, **data)
