from django.urls import path

urlpatterns = []

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
