"""Reads of clusters that depend on who asks. A unit sees the clusters it belongs to (in any
year); the province's standing body sees all it organises; inspectors see those of the units they
inspect. Anything else is a 404, in the pages, the files and the API alike."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from . import permissions
from .models import (
    Cluster,
    ClusterMembership,
    ClusterProposal,
    ClusterResult,
    ClusterTerm,
    Criterion,
    CrossScore,
    ReviewedScore,
    SelfAssessment,
    SelfScore,
)
from .scoring import UnitScores, compute


def cluster_list_for(*, user):
    clusters = Cluster.objects.select_related("organizer").order_by("kind", "name")
    if not user.is_authenticated or not user.is_active:
        return clusters.none()
    if user.is_superuser:
        return clusters
    visible = Q(organizer_id__in=permissions.organiser_unit_ids(user))
    for path in permissions.inspected_paths(user):
        visible |= Q(organizer__path__startswith=path)
    units = permissions.member_unit_ids(user)
    if units:
        visible |= Q(pk__in=ClusterMembership.objects.filter(unit_id__in=units).values("cluster_id"))
    return clusters.filter(visible)


def access_cluster(*, user, pk) -> Cluster:
    cluster = cluster_list_for(user=user).filter(pk=pk).first()
    if cluster is None:
        raise Http404
    return cluster


def access_term(*, user, cluster_pk, year) -> ClusterTerm:
    cluster = access_cluster(user=user, pk=cluster_pk)
    term = ClusterTerm.objects.select_related("leader", "deputy").filter(cluster=cluster, year=year).first()
    if term is None:
        raise Http404
    term.cluster = cluster
    return term


def access_self_score(*, user, pk) -> SelfScore:
    """A self-score's evidence file: seen by whoever sees its cluster."""
    score = SelfScore.objects.select_related("assessment__term").filter(pk=pk).first()
    if score is None or not score.evidence:
        raise Http404
    access_cluster(user=user, pk=score.assessment.term.cluster_id)
    return score


def members_of(cluster, year):
    return [
        m.unit
        for m in ClusterMembership.objects.filter(cluster=cluster, year=year)
        .select_related("unit")
        .order_by("unit__name")
    ]


@dataclass
class TermSheet:
    """Everything the cluster's page shows for a year, read in a fixed number of queries."""

    term: ClusterTerm
    members: list
    criteria: list
    rows: list  # UnitScores per member, ranked when closed
    assessments: dict  # unit id → SelfAssessment
    self_scores: dict  # (unit id, criterion id) → SelfScore
    cross_done: set  # scorer unit ids with a complete sheet
    proposal: ClusterProposal | None

    @property
    def weights_total(self):
        return sum(c.weight for c in self.criteria)


def term_sheet(term) -> TermSheet:
    members = members_of(term.cluster, term.year)
    criteria = list(Criterion.objects.filter(term=term).order_by("position"))
    assessments = {
        a.unit_id: a for a in SelfAssessment.objects.filter(term=term).select_related("confirmed_by")
    }
    self_scores = {
        (s.assessment.unit_id, s.criterion_id): s
        for s in SelfScore.objects.filter(assessment__term=term).select_related("assessment")
    }
    rows = {u.pk: UnitScores(unit=u) for u in members}
    for (unit_id, criterion_id), s in self_scores.items():
        if unit_id in rows:
            rows[unit_id].self_points[criterion_id] = s.points
    sheets = {}
    for scorer_id, scored_id, criterion_id, points in CrossScore.objects.filter(term=term).values_list(
        "scorer_id", "scored_id", "criterion_id", "points"
    ):
        if scored_id in rows:
            rows[scored_id].cross_points.setdefault(criterion_id, []).append(points)
        sheets[scorer_id] = sheets.get(scorer_id, 0) + 1
    for unit_id, criterion_id, points in ReviewedScore.objects.filter(term=term).values_list(
        "unit_id", "criterion_id", "points"
    ):
        if unit_id in rows:
            rows[unit_id].reviewed[criterion_id] = points
    compute(criteria, list(rows.values()))
    expected = (len(members) - 1) * len(criteria)
    cross_done = {unit_id for unit_id, count in sheets.items() if expected and count == expected}
    ordered = list(rows.values())
    if term.state == "closed":
        results = {r.unit_id: r for r in ClusterResult.objects.filter(term=term)}
        for row in ordered:
            result = results.get(row.unit.pk)
            if result:
                row.rank, row.tie_broken_by = result.rank, result.tie_broken_by
        ordered.sort(key=lambda r: (r.rank is None, r.rank or 0))
    proposal = ClusterProposal.objects.filter(term=term).select_related("dossier").first()
    return TermSheet(
        term=term,
        members=members,
        criteria=criteria,
        rows=ordered,
        assessments=assessments,
        self_scores=self_scores,
        cross_done=cross_done,
        proposal=proposal,
    )


def table_rows(sheet: TermSheet) -> list[dict]:
    """The scores table of the year's page: per member, per criterion its self-score (with its
    evidence), the mean of the cross-scores and the reviewed score; its total and place."""
    out = []
    for row in sheet.rows:
        cells = []
        for c in sheet.criteria:
            cells.append(
                {
                    "criterion": c,
                    "self": sheet.self_scores.get((row.unit.pk, c.pk)),
                    "cross": row.cross_mean_decimal(c.pk),
                    "reviewed": row.reviewed.get(c.pk),
                }
            )
        out.append(
            {
                "unit": row.unit,
                "cells": cells,
                "total": row.total_decimal,
                "rank": row.rank,
                "tie": row.tie_broken_by,
                "assessment": sheet.assessments.get(row.unit.pk),
                "sheet_done": row.unit.pk in sheet.cross_done,
                "leader": row.unit.pk == sheet.term.leader_id,
                "deputy": row.unit.pk == sheet.term.deputy_id,
            }
        )
    return out
