"""The number a document the engine issues takes from its body's register (org.registers):
steps of the issuing service (a decision, a meeting's close), run in its transaction, whose own
audit event records the number.

No gaps, no duplicates: a number is taken under a row lock on the register (one writer at a time
per body, year and series) and the unique constraint (register, number) is the backstop. The lock
and the new entry belong to the CALLER's transaction: if it rolls back, the entry goes with it and
the next document takes the same number again.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import limits
from .registers import EntrySource, Register, RegisterEntry, RegisterSeries

SYMBOL_MAX = RegisterEntry._meta.get_field("symbol").max_length
SUBJECT_MAX = RegisterEntry._meta.get_field("subject").max_length


def register_locked(unit, year, series) -> Register:
    """The register of `unit` for `year` and `series`, created on first use, locked for the rest
    of the caller's transaction. Two first uses at once: one creates it, the other waits on the
    unique constraint and then finds it (get_or_create's savepoint)."""
    locked = (
        Register.objects.select_for_update().filter(unit=unit, year=year, series=series).order_by().first()
    )
    if locked is not None:  # every use but the year's first: one query
        return locked
    return _created_locked(unit, year, series)


def _created_locked(unit, year, series) -> Register:
    register, _created = Register.objects.get_or_create(unit=unit, year=year, series=series)
    return Register.objects.select_for_update().get(pk=register.pk)


def _quoted(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# PostgreSQL: the register locked, then its numbers read, in ONE round trip: two statements in
# one message. The second takes its own snapshot once the lock is granted (READ COMMITTED), so
# it sees the number of the transaction that held the lock before; one statement would read the
# numbers as they were before it waited (audit.services reads the chain's head the same way).
_PG_LOCK_AND_NUMBERS = (
    f"SELECT id FROM {_quoted(Register)} WHERE unit_id = %s AND year = %s AND series = %s FOR UPDATE; "  # noqa: S608
    f"SELECT e.number FROM {_quoted(RegisterEntry)} AS e JOIN {_quoted(Register)} AS r "
    "ON r.id = e.register_id WHERE r.unit_id = %s AND r.year = %s AND r.series = %s ORDER BY e.number"
)


def _locked_with_numbers(unit, year, series) -> tuple[Register, list[int]]:
    """The register locked (as `register_locked`) and the numbers it holds, in order."""
    if connection.vendor == "postgresql":
        key = (unit.pk, year, series)
        with connection.cursor() as cursor:
            cursor.execute(_PG_LOCK_AND_NUMBERS, key * 2)
            found = cursor.fetchone()
            cursor.nextset()
            numbers = [number for (number,) in cursor.fetchall()]
        if found is not None:  # every use but the year's first: one round trip
            register = Register(pk=found[0], unit=unit, year=year, series=series)
            register._state.adding, register._state.db = False, connection.alias
            return register, numbers
        register = _created_locked(unit, year, series)
    else:
        register = register_locked(unit, year, series)
    return register, list(register.entries.order_by("number").values_list("number", flat=True))


def _next_free(numbers) -> int:
    """The smallest number not in `numbers` (in order): numbers recorded from outside are
    skipped, and a gap an outside number left ahead is filled, so the register never has a hole."""
    for expected, number in enumerate(numbers, 1):
        if number != expected:
            return expected
    return len(numbers) + 1


def check_text(symbol, subject) -> tuple[str, str]:
    symbol, subject = (symbol or "").strip(), (subject or "").strip()
    errors = {}
    if not symbol:
        errors["symbol"] = [_("Give the document's symbol (e.g. QĐ-UBND).")]
    if not subject:
        errors["subject"] = [_("Give the document's subject.")]
    if errors:
        raise ValidationError(errors)
    limits.require_texts({"symbol": (symbol, SYMBOL_MAX), "subject": (subject, SUBJECT_MAX)})
    return symbol, subject


def register_take(
    *, unit, year, symbol, subject, on, actor, series=RegisterSeries.DOCUMENTS, target=None
) -> RegisterEntry:
    """The next number of `unit`'s register for `year` (and `series`), for a document the engine
    issues on `on`; `entry.number` is the number the document bears. Runs inside the caller's
    transaction (which has checked that `actor` may issue the document): the register stays
    locked until it commits, and a rollback frees the number. `target` (or later
    `register_attach`) links the entry to the object it numbers; `target` may also be a function
    that, given the number, creates that object: it is then created first and the entry written
    already linked (one query fewer than an attach). The caller's own audit event records the
    number (a step of the caller's service, not a service of its own).

    Nghị định 30/2020/NĐ-CP, Điều 15: the number is the body's running number in the year,
    registered by its records office (see org.registers for the series)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register_take runs inside the transaction of the document it numbers")
    symbol, subject = check_text(symbol, (subject or "")[:SUBJECT_MAX])
    if on.year != year:
        raise ValidationError(
            _("A document dated %(date)s is numbered in the register of %(day_year)s, not %(year)s.")
            % {"date": on.strftime("%d/%m/%Y"), "day_year": on.year, "year": year}
        )
    register, numbers = _locked_with_numbers(unit, year, series)
    number = _next_free(numbers)
    link = {}
    if callable(target):
        target = target(number)
        link = _link_to(target)
    entry = RegisterEntry.objects.create(
        register=register,
        number=number,
        symbol=symbol,
        issued_on=on,
        subject=subject,
        source=EntrySource.ENGINE,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **link,
    )
    if target is not None and not link:
        register_attach(entry=entry, target=target)
    return entry


def _link_to(target) -> dict:
    return {"content_type": ContentType.objects.get_for_model(type(target)), "object_id": str(target.pk)}


def register_attach(*, target, entry=None, entries=None) -> None:
    """Link a number taken before its object existed (a decision is created with its number) to
    that object, in the same transaction: `entry`, or the entries of a queryset (one UPDATE)."""
    link = _link_to(target)
    if entry is not None:
        for field, value in link.items():
            setattr(entry, field, value)
        entry.save(update_fields=list(link))
    if entries is not None:
        entries.update(**link)
