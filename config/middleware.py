import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class CookieLocaleMiddleware:
    """Vietnamese unless the user chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC set up
    in English would open in English; public-sector users expect Vietnamese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.supported and request.path.startswith("/api/"):
            # API clients are programs: they say what they want in Accept-Language.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


RETRY_AFTER_SECONDS = 60


def database_unavailable_response(request):
    """503 with Retry-After: JSON `{"detail": ...}` under /api/, else the 503 page.

    Nothing here touches the database: the page is rendered without a request, so no context
    processor (the user, messages) runs.
    """
    message = _("The database is unavailable at the moment. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": str(message)}, status=503)
    else:
        response = HttpResponse(
            loader.render_to_string("503.html", {"message": message, "retry_after": RETRY_AFTER_SECONDS}),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_database_outage(exc) -> bool:
    # The classes every backend's connection errors are mapped to (psycopg's and sqlite3's).
    return isinstance(exc, (OperationalError, InterfaceError))


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 (try again later), not a server error.

    An outage is not a defect of the request or of the code: a client, a monitor or a load
    balancer must be able to tell it apart from a 500, and a person must be told to come back.
    Errors of the views come through process_exception; those of the middleware below through
    the 500 handler (config/urls.py), which asks `is_database_outage` too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self._outage(request, exc)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return self._outage(request, exception)
        return None

    def _outage(self, request, exc):
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, exc)
        return database_unavailable_response(request)
