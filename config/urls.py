from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's script from a URL of its own (no inline script); its page keeps a <style> and
    # Swagger UI styles its widgets inline: the only page allowed inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("api/inspection/", include("inspection.api_urls")),
    path("api/public/", include("public.api_urls")),
    path("api/reports/", include("reports.statistics_api_urls")),
    path("api/", include("meetings.api_urls")),
    path("api/", include("contests.api_urls")),
    path("api/", include("honours.api_urls")),
    path("api/", include("clusters.api_urls")),
    path("api/", include("emulation.api_urls")),
    path("api/", include("initiatives.api_urls")),
    path("api/", include("fund.api_urls")),
    path("api/", include("documents.api_urls")),
    path("api/", include("workflows.api_urls")),
    path("api/", include("org.api_urls")),
    path("api/", include("reports.export_api_urls")),
    # Before dossiers' own routes: the steps of the process, submit and withdraw among them.
    path("inspection/", include("inspection.urls")),
    path("", include("org.urls")),
    path("", include("reports.urls")),
    path("", include("public.urls")),
    path("", include("notices.urls")),
    path("", include("meetings.urls")),
    path("", include("contests.urls")),
    path("", include("honours.urls")),
    path("", include("clusters.urls")),
    path("", include("emulation.urls")),
    path("", include("initiatives.urls")),
    path("", include("fund.urls")),
    path("", include("workflows.urls")),
    path("", include("documents.urls")),
    path("", include("dossiers.urls")),
]

# JSON under /api/, the pages elsewhere; a database outage raised outside a view is a 503 too.
handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
