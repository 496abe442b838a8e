from django.urls import path

from . import views

urlpatterns = [
    path("clusters/", views.ClusterListView.as_view(), name="cluster-list"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster-detail"),
    path("clusters/<int:pk>/<int:year>/", views.TermView.as_view(), name="cluster-term"),
    path(
        "clusters/<int:pk>/<int:year>/self/<int:unit>/",
        views.SelfScoreView.as_view(),
        name="cluster-self-score",
    ),
    path(
        "clusters/<int:pk>/<int:year>/cross/<int:unit>/",
        views.CrossScoreView.as_view(),
        name="cluster-cross-score",
    ),
    path(
        "clusters/<int:pk>/<int:year>/review/<int:unit>/", views.ReviewView.as_view(), name="cluster-review"
    ),
    path("clusters/evidence/<int:pk>/", views.evidence_download, name="cluster-evidence"),
]
