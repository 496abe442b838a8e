from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/inspection/", include("inspection.api_urls")),
    path("api/", include("meetings.api_urls")),
    path("api/", include("documents.api_urls")),
    path("api/", include("workflows.api_urls")),
    # Before dossiers' own routes: the steps of the process, submit and withdraw among them.
    path("inspection/", include("inspection.urls")),
    path("", include("org.urls")),
    path("", include("meetings.urls")),
    path("", include("workflows.urls")),
    path("", include("documents.urls")),
    path("", include("dossiers.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
