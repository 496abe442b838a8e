"""/api/inspection/…: the inspector's workspace in the API (read-only: GET only)."""

from django.urls import path

from . import api

app_name = "inspection-api"

urlpatterns = [
    path("events/", api.InspectionEventListApi.as_view(), name="events"),
    path("dossiers/<int:pk>/timeline/", api.InspectionDossierTimelineApi.as_view(), name="dossier-timeline"),
    path("dossiers/<int:pk>/evidence/", api.InspectionEvidenceApi.as_view(), name="dossier-evidence"),
    path("chain/", api.InspectionChainApi.as_view(), name="chain"),
]
