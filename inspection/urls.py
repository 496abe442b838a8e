"""/inspection/…: the inspector's workspace in the web UI (read-only: GET only)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.events, name="inspection-events"),
    path("dossiers/<int:pk>/", views.dossier_timeline, name="inspection-dossier"),
    path("dossiers/<int:pk>/evidence.zip", views.dossier_evidence, name="inspection-evidence"),
    path("chain/", views.chain, name="inspection-chain"),
]
