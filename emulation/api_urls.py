"""/api/emulation/…: the year's plans, the units' registrations, and a nominee's registration
(the override included): the API mirror of the emulation pages."""

from django.urls import path

from . import api

urlpatterns = [
    path("emulation/plans/", api.PlanListCreateApi.as_view(), name="api-emulation-plans"),
    path("emulation/plans/<int:pk>/overview/", api.PlanOverviewApi.as_view(), name="api-emulation-overview"),
    path(
        "emulation/plans/<int:pk>/units/<int:unit_pk>/registrations/",
        api.UnitRegistrationsApi.as_view(),
        name="api-emulation-unit-registrations",
    ),
    path(
        "emulation/registrations/<int:pk>/withdraw/",
        api.RegistrationWithdrawApi.as_view(),
        name="api-emulation-registration-withdraw",
    ),
    path(
        "emulation/nominees/<int:pk>/registration/",
        api.NomineeRegistrationApi.as_view(),
        name="api-emulation-nominee-registration",
    ),
]
