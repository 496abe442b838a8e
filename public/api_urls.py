"""/api/public/…: what the public pages offer, for tools, without an account."""

from django.urls import path

from . import api

app_name = "public_api"

urlpatterns = [
    path("notices/<int:pk>/objections/", api.PublicObjectionApi.as_view(), name="objection-lodge"),
    path("objections/<str:code>/", api.PublicObjectionStatusApi.as_view(), name="objection-status"),
]
