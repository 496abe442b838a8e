"""The public pages, under /cong-khai/ (no account needed)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cong-khai/", views.home, name="public-home"),
    path("cong-khai/quyet-dinh/", views.decision_list, name="public-decisions"),
    path("cong-khai/quyet-dinh/<int:pk>/", views.decision_detail, name="public-decision"),
    path("cong-khai/quyet-dinh/<int:pk>/tep/", views.decision_pdf, name="public-decision-pdf"),
    path("cong-khai/lay-y-kien/", views.notice_list, name="public-notices"),
    path("cong-khai/lay-y-kien/<int:pk>/", views.notice_detail, name="public-notice"),
    path("cong-khai/phan-anh/", views.receipt_lookup, name="public-receipt-lookup"),
    path("cong-khai/phan-anh/<str:code>/", views.receipt, name="public-receipt"),
]
