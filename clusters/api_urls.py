"""/api/clusters/…: the clusters and blocs, their years, scoring, ranking and proposal."""

from django.urls import path

from . import api

YEAR = "clusters/<int:pk>/years/<int:year>/"

urlpatterns = [
    path("clusters/", api.ClusterListCreateApi.as_view(), name="api-cluster-list"),
    path(YEAR, api.TermApi.as_view(), name="api-cluster-year"),
    path(f"{YEAR}members/", api.ClusterYearMembersApi.as_view(), name="api-cluster-members"),
    path(f"{YEAR}leadership/", api.ClusterYearLeadershipApi.as_view(), name="api-cluster-leadership"),
    path(f"{YEAR}criteria/", api.CriteriaApi.as_view(), name="api-cluster-criteria"),
    path(f"{YEAR}open/", api.ScoringOpenApi.as_view(), name="api-cluster-open"),
    path(f"{YEAR}self-scores/", api.SelfScoresApi.as_view(), name="api-cluster-self-scores"),
    path(
        f"{YEAR}self-scores/<int:unit>/confirm/",
        api.SelfConfirmApi.as_view(),
        name="api-cluster-self-confirm",
    ),
    path(f"{YEAR}cross-scoring/open/", api.CrossOpenApi.as_view(), name="api-cluster-cross-open"),
    path(f"{YEAR}cross-scores/", api.CrossScoresApi.as_view(), name="api-cluster-cross-scores"),
    path(f"{YEAR}cross-scoring/close/", api.CrossCloseApi.as_view(), name="api-cluster-cross-close"),
    path(f"{YEAR}reviewed-scores/", api.ReviewScoresApi.as_view(), name="api-cluster-review"),
    path(f"{YEAR}close/", api.CloseApi.as_view(), name="api-cluster-close"),
    path(f"{YEAR}proposal/", api.ProposalApi.as_view(), name="api-cluster-proposal"),
]
