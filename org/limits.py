"""How long a text a user types may be, in one place.

Every text field has a limit that the model declares (`max_length`), the web form shows (the
`maxlength` attribute and a "at most 2,000 characters" hint), the API enforces (its serializers,
and the OpenAPI schema says `maxLength`) and the services check again, since the admin, the
management commands and the API call them too. An over-long text is refused, naming the field;
it is never cut short behind the writer's back.

The limits are what an office writes, not what a database column could hold: a title is a line,
a reason or a note a paragraph, an objection or an opinion a page, a dossier's summary and a
nominee's achievements a few pages (the full report of achievements is an attached file).
Every event of the audit chain carries only bounded texts.
"""

from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext as _

# A title or a name: one line.
TITLE = 255
NAME = 255
# A place (where a council meets), a position or a workplace.
PLACE = 255
# A reason or a note: withdrawing, declining, cancelling, a further return, a nominee found
# ineligible, a conflict of interest, a written vote's comment; the legal basis of a rule.
SHORT_TEXT = 2_000
# A page: the reasons for a rejection, an objection and how it was resolved, the vice-chair's
# opinion, the reason for revoking an award.
TEXT = 5_000
# A few pages: a dossier's summary, a nominee's achievements, a council meeting's conclusion.
LONG_TEXT = 10_000
# The words of a search (a list's filter).
SEARCH = 200
# A return for supplement lists what is missing, one item a line.
RETURN_ITEM = 500
RETURN_ITEMS = 50
# The ids (or rows) one request may send in a list: the dossiers of one decision or meeting, the
# members present, a tie's order (org.api_fields).
ID_LIST = 1_000


def grouped(number: int) -> str:
    """2000 as the user's language writes it: “2,000” in English, “2.000” in Vietnamese (whose
    Django format groups no digits unless told)."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def too_long_message(limit: int, length: int) -> str:
    """“At most 2,000 characters (this text has 2,431).”, in the user's language."""
    return _("At most %(limit)s characters (this text has %(length)s).") % {
        "limit": grouped(limit),
        "length": grouped(length),
    }


def text_errors(texts: dict) -> dict:
    """{field: [message]} for each `field: (value, limit)` whose text is longer than its limit."""
    errors = {}
    for field, (value, limit) in texts.items():
        if value is not None and len(value) > limit:
            errors[field] = [too_long_message(limit, len(value))]
    return errors


def require_texts(texts: dict) -> None:
    """Refuse, naming each field, the texts longer than their limit.

    `texts` maps a field to `(value, limit)`; a missing value (None) is not checked. Services call
    this before anything else, next to their check for a blank text, so nothing is written.
    """
    errors = text_errors(texts)
    if errors:
        raise ValidationError(errors)


def require_text(field: str, value, limit: int) -> None:
    """The same for one field."""
    require_texts({field: (value, limit)})


def require_lines(field: str, lines, *, limit: int, count: int | None = None) -> None:
    """A list of texts under one field (the items of a return, the comments of a written vote):
    each at most `limit` characters and, when `count` is given, at most `count` of them."""
    lines = list(lines or [])
    if count is not None and len(lines) > count:
        raise ValidationError(
            {
                field: [
                    _("At most %(count)s items (this list has %(length)s).")
                    % {"count": count, "length": len(lines)}
                ]
            }
        )
    for line in lines:
        if isinstance(line, str) and len(line) > limit:
            raise ValidationError({field: [too_long_message(limit, len(line))]})
