from django.urls import path

from . import api

urlpatterns = [
    path("fund/funds/", api.FundListApi.as_view(), name="fund-api-list"),
    path("fund/funds/<int:pk>/", api.FundStatementApi.as_view(), name="fund-api-statement"),
    path("fund/funds/<int:pk>/additions/", api.FundAdditionApi.as_view(), name="fund-api-addition"),
    path("fund/funds/<int:pk>/corrections/", api.FundCorrectionApi.as_view(), name="fund-api-correction"),
    path("fund/decisions/<int:pk>/payments/", api.DecisionPaymentApi.as_view(), name="fund-api-payment"),
]
