"""The API's JSON parser: hostile bodies are refused with a message, never a 500.

DRF's JSONParser reads the request stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (which
Django applies when it reads `request.body` or a form) never limits a JSON body; and Python's json
module raises RecursionError, not ValueError, on deeply nested arrays or objects (100,000 "[" from
anyone, even without signing in), which DRF does not catch. A number beyond a database integer
(19 digits) would reach a query as an id and fail there (PostgreSQL: "bigint out of range";
SQLite: OverflowError): it is refused here, whichever field holds it.
"""

import io

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from dossiers.api_errors import RequestTooLarge


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise RequestTooLarge.over_the_limit()
            stream = io.BytesIO(body)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error - the body is nested too deeply.")) from None
        if _has_huge_integer(data):
            raise exceptions.ParseError(
                _("JSON parse error - a number is too large (at most %(max)s).")
                % {"max": number_format(BIGGEST, force_grouping=True)}
            )
        return data


BIGGEST = 2**63 - 1  # a database's integer (PostgreSQL's bigint, SQLite's INTEGER)


def _has_huge_integer(data) -> bool:
    """Whether an integer anywhere in parsed JSON lies outside the database's integers (a walk,
    not a recursion: the body's depth is the sender's choice)."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, int) and not isinstance(value, bool) and not -BIGGEST - 1 <= value <= BIGGEST:
            return True
    return False
