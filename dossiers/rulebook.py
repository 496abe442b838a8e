"""What a process keeps of the rulebook between submissions: the rules in force for a set of
awards on a day, with the documents they require, and their conditions on award history.

Every submission needs them, and they change a few times a year, when the law or the body's
regulation does. Reading them costs a submission three queries. Instead the submission reads
the rulebook's stamp with its nominees (`STAMP`, one more column of a query it makes anyway);
the database changes the stamp's token on every write to the rulebook's tables, whoever makes it
(RulebookStamp, its triggers). What was kept under the same token is what the tables hold:
it is used unread. Under another token everything kept is dropped and read again.

What is read under a token is read after the stamp was (in a later statement), so it is never
older than the token says: at worst a rule changed in between is already seen, as a plain read
a moment later would see it. A token is random: one written by a transaction that is rolled
back never comes back. With no stamp (a database being flushed), nothing is kept.

The objects kept are shared by the requests a process serves: callers read them, never change
them.
"""

from django.db import connection
from django.db.models import Subquery

from .models import RulebookStamp

# The stamp's token, as a column of the caller's query.
STAMP = Subquery(RulebookStamp.objects.filter(pk=1).values("token")[:1])

# At most this many answers kept under one token (days and sets of awards asked for); past it,
# they are dropped and kept again as asked.
KEPT_AT_MOST = 512

_kept: dict[str, tuple[str, dict]] = {}  # {database alias: (token, {key: answer})}


def kept(token: str | None, key: tuple, read):
    """The answer to `key` kept under `token`, or `read()`'s, kept under it from now."""
    if not token:
        return read()
    alias = connection.alias
    held = _kept.get(alias)
    if held is None or held[0] != token:
        held = (token, {})
        _kept[alias] = held
    answers = held[1]
    if key in answers:
        return answers[key]
    answer = read()
    if len(answers) >= KEPT_AT_MOST:
        answers.clear()
    answers[key] = answer
    return answer


def forget() -> None:
    """Drop everything kept (for a test that needs the reads)."""
    _kept.clear()
