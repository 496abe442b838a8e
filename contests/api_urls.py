from django.urls import path

from . import api

# A contest's set-up and its entries (contests.api).
urlpatterns = [
    path("contests/", api.ContestListApi.as_view(), name="contest-list-api"),
    path("contests/<int:pk>/", api.ContestDetailApi.as_view(), name="contest-detail-api"),
    path("contests/<int:pk>/open/", api.ContestOpenApi.as_view(), name="contest-open-api"),
    path("contests/<int:pk>/criteria/", api.CriterionListApi.as_view(), name="contest-criteria-api"),
    path(
        "contests/<int:pk>/criteria/<int:item_pk>/",
        api.CriterionDetailApi.as_view(),
        name="contest-criterion-api",
    ),
    path("contests/<int:pk>/prizes/", api.PrizeListApi.as_view(), name="contest-prizes-api"),
    path("contests/<int:pk>/prizes/<int:item_pk>/", api.PrizeDetailApi.as_view(), name="contest-prize-api"),
    path("contests/<int:pk>/jurors/", api.JurorListApi.as_view(), name="contest-jurors-api"),
    path("contests/<int:pk>/jurors/<int:item_pk>/", api.JurorDetailApi.as_view(), name="contest-juror-api"),
    path("contests/<int:pk>/conflicts/", api.ConflictListApi.as_view(), name="contest-conflicts-api"),
    path("contests/<int:pk>/entries/", api.EntryListApi.as_view(), name="contest-entries-api"),
    path("contests/entries/<int:entry_pk>/", api.EntryDetailApi.as_view(), name="contest-entry-api"),
    path(
        "contests/entries/<int:entry_pk>/files/", api.EntryFileApi.as_view(), name="contest-entry-files-api"
    ),
    path(
        "contests/entries/<int:entry_pk>/files/<int:file_pk>/",
        api.EntryFileDetailApi.as_view(),
        name="contest-entry-file-api",
    ),
    path("contests/entries/<int:entry_pk>/send/", api.EntrySendApi.as_view(), name="contest-entry-send-api"),
    path(
        "contests/entries/<int:entry_pk>/withdraw/",
        api.EntryWithdrawApi.as_view(),
        name="contest-entry-withdraw-api",
    ),
    path(
        "contests/entries/<int:entry_pk>/refuse/",
        api.EntryRefuseApi.as_view(),
        name="contest-entry-refuse-api",
    ),
]

# The jury's rounds and scores (contests.round_api).
from . import round_api  # noqa: E402

ROUND = "contests/<int:pk>/rounds/<str:kind>/"
urlpatterns += [
    path(f"{ROUND}start/", round_api.RoundStartApi.as_view(), name="contest-round-start-api"),
    path(f"{ROUND}close/", round_api.RoundCloseApi.as_view(), name="contest-round-close-api"),
    path(f"{ROUND}progress/", round_api.RoundProgressApi.as_view(), name="contest-round-progress-api"),
    path(f"{ROUND}scores/", round_api.RoundScoresApi.as_view(), name="contest-round-scores-api"),
    path(f"{ROUND}my-scores/", round_api.MyScoresApi.as_view(), name="contest-my-scores-api"),
    path(
        f"{ROUND}entries/<int:entry_pk>/scores/",
        round_api.EntryScoresApi.as_view(),
        name="contest-entry-scores-api",
    ),
]

# The results: ranking, placings, ties, the results decision and the public results (contests.results_api).
from . import results_api  # noqa: E402

RESULTS = "contests/<int:pk>/results/"
urlpatterns += [
    path(RESULTS, results_api.ResultsApi.as_view(), name="contest-results-api"),
    path(f"{RESULTS}rank/", results_api.RankApi.as_view(), name="contest-results-rank-api"),
    path(f"{RESULTS}tie/", results_api.TieApi.as_view(), name="contest-results-tie-api"),
    path(f"{RESULTS}decision/", results_api.DecisionApi.as_view(), name="contest-results-decision-api"),
    path(f"{RESULTS}decision/sign/", results_api.DecisionSignApi.as_view(), name="contest-results-sign-api"),
    path(
        f"{RESULTS}decision/issue/", results_api.DecisionIssueApi.as_view(), name="contest-results-issue-api"
    ),
    path(
        f"{RESULTS}certificates/",
        results_api.CertificatesApi.as_view(),
        name="contest-results-certificates-api",
    ),
    path(
        "contests/public/<int:pk>/", results_api.PublicResultsApi.as_view(), name="public-contest-results-api"
    ),
]
