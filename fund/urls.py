from django.urls import path

from . import views

urlpatterns = [
    path("fund/", views.fund_list, name="fund-list"),
    path("fund/open/", views.FundOpenView.as_view(), name="fund-open"),
    path("fund/<int:pk>/", views.fund_detail, name="fund-detail"),
    path("fund/<int:pk>/statement.xlsx", views.fund_statement_xlsx, name="fund-statement-xlsx"),
    path("fund/<int:pk>/addition/", views.FundEntryView.as_view(), name="fund-addition"),
    path("fund/<int:pk>/correction/", views.FundCorrectionView.as_view(), name="fund-correction"),
    path(
        "fund/decisions/<int:pk>/payments/",
        views.DecisionPaymentsView.as_view(),
        name="fund-decision-payments",
    ),
]
