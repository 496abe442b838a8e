"""The clusters and everything scored in them are records written by their services (each with
its audit event): the admin shows them read-only."""

from django.contrib import admin

from org.audited_admin import ReadOnlyAdmin

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


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "organizer", "created_at"]
    list_select_related = ["organizer"]
    list_filter = ["kind"]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(ReadOnlyAdmin):
    list_display = ["cluster", "year", "unit"]
    list_select_related = ["cluster", "unit"]
    list_filter = ["year"]


@admin.register(ClusterTerm)
class ClusterTermAdmin(ReadOnlyAdmin):
    list_display = ["cluster", "year", "leader", "deputy", "state", "self_scoring_deadline"]
    list_select_related = ["cluster", "leader", "deputy"]
    list_filter = ["state", "year"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["term", "position", "name", "weight", "max_points"]
    list_select_related = ["term__cluster"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["term", "unit", "entered_by", "entered_at", "confirmed_by", "confirmed_at"]
    list_select_related = ["term__cluster", "unit", "entered_by", "confirmed_by"]


@admin.register(SelfScore)
class SelfScoreAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "criterion", "points", "evidence_name"]
    list_select_related = ["assessment__term__cluster", "assessment__unit", "criterion"]


@admin.register(CrossScore)
class CrossScoreAdmin(ReadOnlyAdmin):
    list_display = ["term", "scorer", "scored", "criterion", "points"]
    list_select_related = ["term__cluster", "scorer", "scored", "criterion"]


@admin.register(ReviewedScore)
class ReviewedScoreAdmin(ReadOnlyAdmin):
    list_display = ["term", "unit", "criterion", "points", "reason"]
    list_select_related = ["term__cluster", "unit", "criterion"]


@admin.register(ClusterResult)
class ClusterResultAdmin(ReadOnlyAdmin):
    list_display = ["term", "rank", "unit", "total", "tie_broken_by"]
    list_select_related = ["term__cluster", "unit"]


@admin.register(ClusterProposal)
class ClusterProposalAdmin(ReadOnlyAdmin):
    list_display = ["term", "dossier", "created_by", "created_at"]
    list_select_related = ["term__cluster", "dossier", "created_by"]
