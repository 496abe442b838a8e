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

# The dashboard and the award register (tra cứu khen thưởng), and their API.
from . import api_register, views_dashboard, views_register  # noqa: E402

urlpatterns += [
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("award-register/", views_register.register_list, name="award-register"),
    path("award-register/<str:ref>/", views_register.awardee_detail, name="awardee-detail"),
    path("api/award-register/", api_register.RegisterListApi.as_view(), name="api-award-register"),
    path("api/award-register/<str:ref>/", api_register.AwardeeApi.as_view(), name="api-awardee-detail"),
    path("api/dashboard/", api_register.DashboardApi.as_view(), name="api-dashboard"),
]

# Lists exported to xlsx with the filters of their page; a long one runs in the background.
from . import export_views  # noqa: E402

urlpatterns += [
    path("exports/<slug:name>.xlsx", export_views.export_list, name="export-list"),
    path("exports/jobs/<int:pk>/", export_views.export_job, name="export-job"),
    path("exports/jobs/<int:pk>/progress/", export_views.export_job_progress, name="export-job-progress"),
    path("exports/jobs/<int:pk>/download/", export_views.export_job_download, name="export-job-download"),
]
