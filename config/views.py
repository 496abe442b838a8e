"""The site's own error handlers (config/urls.py): under /api/ errors are JSON `{"detail": ...}`,
as the API documents them, never the HTML pages meant for people."""

import sys

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions

from .middleware import database_unavailable_response, is_database_outage


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(exc_class, status):
    return JsonResponse({"detail": str(exc_class.default_detail)}, status=status)


def bad_request(request, exception):
    if _is_api(request):
        return _api_error(exceptions.ParseError, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _api_error(exceptions.PermissionDenied, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """An address the API does not have (an id that is not a number, an unknown path): the same
    JSON 404 as an object that does not exist or is hidden."""
    if _is_api(request):
        return _api_error(exceptions.NotFound, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500, unless the error was the database being unreachable: then 503 (middleware.py).

    Reached for errors raised outside the views (in a middleware, e.g. while saving a session),
    which the middleware's process_exception never sees; Django calls it inside its `except`.
    """
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if _is_api(request):
        return _api_error(exceptions.APIException, 500)
    return defaults.server_error(request)
