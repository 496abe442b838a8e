from django.urls import path

from . import statistics_api as api

app_name = "reports_api"

urlpatterns = [
    path("", api.ReportFormsApi.as_view(), name="report-forms"),
    path("<slug:slug>/", api.ReportTableApi.as_view(), name="report-form"),
    path("<slug:slug>/figure/", api.ReportFigureApi.as_view(), name="report-figure"),
]
