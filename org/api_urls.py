from django.urls import path

from . import register_api

urlpatterns = [
    path("registers/", register_api.RegisterUnitsApi.as_view(), name="api-registers"),
    path("registers/<int:unit_id>/<int:year>/", register_api.RegisterYearApi.as_view(), name="api-register"),
    path(
        "registers/<int:unit_id>/<int:year>/outside/",
        register_api.RegisterOutsideApi.as_view(),
        name="api-register-outside",
    ),
]
