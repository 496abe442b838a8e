"""Pages of contests. The rounds and the results add their routes below their own comment."""

from django.urls import path

from . import results_views, round_views, views

urlpatterns = [
    # setup and entries (contests.views)
    path("contests/", views.contest_list, name="contest-list"),
    path("contests/new/", views.ContestFormView.as_view(), name="contest-create"),
    path("contests/<int:pk>/", views.contest_detail, name="contest-detail"),
    path("contests/<int:pk>/edit/", views.ContestFormView.as_view(), name="contest-edit"),
    path("contests/<int:pk>/open/", views.contest_open, name="contest-open"),
    path("contests/<int:pk>/criteria/", views.CriteriaView.as_view(), name="contest-criteria"),
    path(
        "contests/<int:pk>/criteria/<int:item_pk>/remove/",
        views.criterion_remove,
        name="contest-criterion-remove",
    ),
    path("contests/<int:pk>/prizes/", views.PrizesView.as_view(), name="contest-prizes"),
    path("contests/<int:pk>/prizes/<int:item_pk>/remove/", views.prize_remove, name="contest-prize-remove"),
    path("contests/<int:pk>/jury/", views.JuryView.as_view(), name="contest-jury"),
    path("contests/<int:pk>/jury/<int:item_pk>/remove/", views.juror_remove, name="contest-juror-remove"),
    path(
        "contests/<int:pk>/conflicts/new/",
        views.ConflictDeclareView.as_view(),
        name="contest-conflict-declare",
    ),
    path("contests/<int:pk>/entries/new/", views.EntryFormView.as_view(), name="contest-entry-create"),
    path("contests/entries/<int:entry_pk>/", views.EntryView.as_view(), name="contest-entry"),
    path("contests/entries/<int:entry_pk>/edit/", views.EntryFormView.as_view(), name="contest-entry-edit"),
    path("contests/entries/<int:entry_pk>/send/", views.entry_send, name="contest-entry-send"),
    path("contests/entries/<int:entry_pk>/withdraw/", views.entry_withdraw, name="contest-entry-withdraw"),
    path("contests/entries/<int:entry_pk>/refuse/", views.entry_refuse, name="contest-entry-refuse"),
    path(
        "contests/entries/<int:entry_pk>/files/<int:file_pk>/",
        views.entry_file_download,
        name="contest-entry-file",
    ),
    path(
        "contests/entries/<int:entry_pk>/files/<int:file_pk>/remove/",
        views.entry_file_remove,
        name="contest-entry-file-remove",
    ),
    # rounds (contests.round_views)
    path("contests/scoring/", round_views.scoring_home, name="contest-scoring"),
    path("contests/<int:pk>/rounds/", round_views.round_panel, name="contest-rounds"),
    path(
        "contests/<int:pk>/rounds/<str:kind>/start/",
        round_views.RoundStartView.as_view(),
        name="contest-round-start",
    ),
    path(
        "contests/<int:pk>/rounds/<str:kind>/close/",
        round_views.RoundCloseView.as_view(),
        name="contest-round-close",
    ),
    path(
        "contests/<int:pk>/rounds/<str:kind>/entries/<int:entry_pk>/score/",
        round_views.ScoreView.as_view(),
        name="contest-score",
    ),
    # results (contests.results_views)
    path("contests/<int:pk>/results/", results_views.ResultsView.as_view(), name="contest-results"),
    path("contests/<int:pk>/results/rank/", results_views.RankView.as_view(), name="contest-results-rank"),
    path(
        "contests/<int:pk>/results/tie/", results_views.TieResolveView.as_view(), name="contest-results-tie"
    ),
    path(
        "contests/<int:pk>/results/decision/",
        results_views.DecisionView.as_view(),
        name="contest-results-decision",
    ),
    path(
        "contests/<int:pk>/results/decision/sign/",
        results_views.DecisionSignView.as_view(),
        name="contest-results-sign",
    ),
    path(
        "contests/<int:pk>/results/decision/issue/",
        results_views.DecisionIssueView.as_view(),
        name="contest-results-issue",
    ),
    path(
        "contests/<int:pk>/results/certificates/",
        results_views.CertificatesView.as_view(),
        name="contest-results-certificates",
    ),
    # the public results, without login, once the results decision is issued
    path("cong-khai/hoi-thi/", results_views.public_list, name="public-contests"),
    path("cong-khai/hoi-thi/<int:pk>/", results_views.public_detail, name="public-contest-results"),
    path(
        "cong-khai/hoi-thi/<int:pk>/quyet-dinh.pdf",
        results_views.public_decision_pdf,
        name="public-contest-decision-pdf",
    ),
]
