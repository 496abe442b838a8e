from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_index, name="report-index"),
    path("reports/<slug:slug>/", views.report_form, name="report-form"),
    path("reports/<slug:slug>/xlsx/", views.report_xlsx, name="report-xlsx"),
    path("reports/<slug:slug>/pdf/", views.report_pdf, name="report-pdf"),
    path("reports/<slug:slug>/figure/", views.report_cell, name="report-cell"),
    path("reports/<slug:slug>/figure/xlsx/", views.report_cell_xlsx, name="report-cell-xlsx"),
]
