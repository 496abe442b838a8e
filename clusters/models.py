"""Emulation clusters and blocs (cụm, khối thi đua) of a province: who belongs to which each year,
the year's leader and deputy, the criteria and their weights, the self-scores with their evidence,
the cross-scores given at the cluster's meeting, the standing body's reviewed scores, the ranking,
and the proposal that becomes an award dossier.

The year's scoring is one `ClusterTerm` (a cluster and a year); everything scored hangs on it. Its
state moves only through clusters.services.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from org import limits
from org.models import Unit, User


class ClusterKind(models.TextChoices):
    # Communes of one area form a cluster; departments of one sector form a bloc.
    CLUSTER = "cluster", _("Emulation cluster")
    BLOC = "bloc", _("Emulation bloc")


class Cluster(models.Model):
    name = models.CharField(_("name of the cluster or bloc"), max_length=limits.TITLE)
    kind = models.CharField(_("kind"), max_length=16, choices=ClusterKind.choices)
    # The province whose standing body sets the cluster up and reviews its scores.
    organizer = models.ForeignKey(
        Unit, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="organised_clusters"
    )
    description = models.TextField(_("description"), max_length=limits.SHORT_TEXT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        constraints = [models.UniqueConstraint(fields=["organizer", "name"], name="uniq_cluster_name")]

    def __str__(self):
        return self.name

    @property
    def unit(self):
        """The audit scope of the cluster: its province's."""
        return self.organizer


class ClusterMembership(models.Model):
    """A unit belongs to a cluster for a year. `kind` repeats the cluster's so that the database
    itself refuses a second cluster of the same kind for the same unit and year."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(max_length=16, choices=ClusterKind.choices, editable=False)

    class Meta:
        ordering = ["cluster", "year", "unit__name"]
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="uniq_cluster_member_kind_year"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.cluster} ({self.year})"


class TermState(models.TextChoices):
    SETUP = "setup", _("Being set up")
    SELF_SCORING = "self_scoring", _("Self-scoring")
    CROSS_SCORING = "cross_scoring", _("Cross-scoring")
    REVIEW = "review", _("Under review by the standing body")
    CLOSED = "closed", _("Closed and ranked")


class ClusterTerm(models.Model):
    """A cluster's year: its leader (cụm trưởng / khối trưởng) and deputy (cụm phó), its scoring
    deadline and where its scoring stands."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="terms")
    year = models.PositiveSmallIntegerField(_("year"))
    leader = models.ForeignKey(
        Unit, verbose_name=_("leader unit"), on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        Unit, verbose_name=_("deputy unit"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Why the same unit leads two years running (the leader rotates unless the standing body says why).
    repeat_reason = models.TextField(_("reason the leader is kept"), max_length=limits.SHORT_TEXT, blank=True)
    self_scoring_deadline = models.DateField(_("self-scoring deadline"))
    state = models.CharField(_("state"), max_length=16, choices=TermState.choices, default=TermState.SETUP)
    # The standing body's reasoned decision on a tie the criteria did not break.
    tie_reason = models.TextField(
        _("reason for the order of tied units"), max_length=limits.SHORT_TEXT, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster", "-year"]
        verbose_name = _("cluster year")
        verbose_name_plural = _("cluster years")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="uniq_cluster_term_year"),
            models.CheckConstraint(condition=~Q(leader=F("deputy")), name="cluster_leader_not_deputy"),
        ]

    def __str__(self):
        return f"{self.cluster} — {self.year}"

    @property
    def unit(self):
        """The province organising it: the audit scope of everything of the term."""
        return self.cluster.organizer


class Criterion(models.Model):
    term = models.ForeignKey(ClusterTerm, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("criterion"), max_length=limits.TITLE)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    max_points = models.PositiveSmallIntegerField(_("maximum points"))

    class Meta:
        ordering = ["term", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["term", "position"], name="uniq_criterion_position"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="criterion_max_points_positive"),
        ]

    def __str__(self):
        return self.name


POINTS = {"max_digits": 6, "decimal_places": 2}


class SelfAssessment(models.Model):
    """A member unit's own scoring: entered by its staff or head; counted once its head confirms."""

    term = models.ForeignKey(ClusterTerm, on_delete=models.CASCADE, related_name="self_assessments")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [models.UniqueConstraint(fields=["term", "unit"], name="uniq_self_assessment")]

    def __str__(self):
        return f"{self.unit} — {self.term}"


def evidence_path(instance, filename):
    return f"clusters/{instance.assessment.term_id}/{instance.assessment.unit_id}/{filename}"


class SelfScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    note = models.TextField(_("evidence note"), max_length=limits.SHORT_TEXT, blank=True)
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=128, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["criterion__position"]
        verbose_name = _("self-score")
        verbose_name_plural = _("self-scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="uniq_self_score")]

    def __str__(self):
        return f"{self.assessment.unit_id}: {self.criterion} = {self.points}"


class CrossScore(models.Model):
    """One member unit's score of another on one criterion, given at the cluster's meeting."""

    term = models.ForeignKey(ClusterTerm, on_delete=models.CASCADE, related_name="cross_scores")
    scorer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    scored = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("cross-score")
        verbose_name_plural = _("cross-scores")
        constraints = [
            models.UniqueConstraint(fields=["scorer", "scored", "criterion"], name="uniq_cross_score"),
            models.CheckConstraint(condition=~Q(scorer=F("scored")), name="cross_score_not_self"),
        ]

    def __str__(self):
        return f"{self.scorer_id} → {self.scored_id}: {self.points}"


class ReviewedScore(models.Model):
    """The standing body's score of a unit on a criterion; its reason where it departs from the
    mean of the cross-scores."""

    term = models.ForeignKey(ClusterTerm, on_delete=models.CASCADE, related_name="reviewed_scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    reason = models.TextField(_("reason"), max_length=limits.SHORT_TEXT, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("reviewed score")
        verbose_name_plural = _("reviewed scores")
        constraints = [models.UniqueConstraint(fields=["unit", "criterion"], name="uniq_reviewed_score")]

    def __str__(self):
        return f"{self.unit_id}: {self.criterion} = {self.points}"


class ClusterResult(models.Model):
    """A unit's place in the year's ranking, written when the standing body closes the term."""

    term = models.ForeignKey(ClusterTerm, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("weighted total (of 100)"), **POINTS)
    rank = models.PositiveSmallIntegerField(_("rank"))
    # How the unit's place against an equal total was settled: "criteria" or "decision".
    tie_broken_by = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["term", "rank"]
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        constraints = [
            models.UniqueConstraint(fields=["term", "unit"], name="uniq_cluster_result_unit"),
            models.UniqueConstraint(fields=["term", "rank"], name="uniq_cluster_result_rank"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.unit}"


class ClusterProposal(models.Model):
    """The leader unit's proposal for the year: one draft award dossier with the ranked units as
    collective nominees. One a year: a second click finds the first."""

    term = models.OneToOneField(ClusterTerm, on_delete=models.PROTECT, related_name="proposal")
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="cluster_proposal"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cluster proposal")
        verbose_name_plural = _("cluster proposals")

    def __str__(self):
        return f"{self.term}: {self.dossier}"
