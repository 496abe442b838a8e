from django.urls import path

from . import register_views, views

urlpatterns = [
    path("account/api-token/", views.api_token, name="api-token"),
    path("registers/", register_views.register_list, name="register-list"),
    path("registers/<int:unit_id>/<int:year>/", register_views.register_detail, name="register-detail"),
]
