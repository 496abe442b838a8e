"""The site's own error handlers (config/urls.py)."""

import sys

from django.views import defaults

from .middleware import database_unavailable_response, is_database_outage


def server_error(request):
    """500, unless the error was the database being unreachable: then 503 (middleware.py).

    Reached for errors raised outside the views (in a middleware, e.g. while saving a session),
    which the middleware's process_exception never sees; Django calls it inside its `except`.
    """
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return defaults.server_error(request)
