from django.urls import path

from . import views

urlpatterns = [
    path("emulation/", views.plan_list, name="emulation-plans"),
    path("emulation/plans/new/", views.PlanOpenView.as_view(), name="emulation-plan-open"),
    path("emulation/plans/<int:pk>/", views.plan_detail, name="emulation-plan"),
    path("emulation/plans/<int:pk>/export.xlsx", views.plan_export, name="emulation-plan-export"),
    path(
        "emulation/plans/<int:pk>/units/<int:unit_pk>/",
        views.UnitRegistrationView.as_view(),
        name="emulation-unit",
    ),
    path(
        "emulation/plans/<int:pk>/units/<int:unit_pk>/nominees/<int:nominee_pk>/override/",
        views.UnitNomineeOverrideView.as_view(),
        name="emulation-unit-nominee-override",
    ),
    path(
        "emulation/registrations/<int:pk>/withdraw/",
        views.RegistrationWithdrawView.as_view(),
        name="emulation-registration-withdraw",
    ),
    path(
        "emulation/nominees/<int:pk>/override/",
        views.NomineeOverrideView.as_view(),
        name="emulation-nominee-override",
    ),
]
