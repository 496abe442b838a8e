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


# PostgreSQL: the register locked, then its next free number found, in ONE round trip: two
# statements in one message (three when the document's id is reserved with it). The second takes
# its own snapshot once the lock is granted (READ COMMITTED), so it sees the number of the
# transaction that held the lock before; one statement would read the numbers as they were
# before it waited (audit.services reads the chain's head the same way). The next free number is
# found in the database (1, or the first number after a taken one that is not taken: the
# register's unique index answers), not by reading the year's numbers: a busy body's register
# holds thousands.
_ENTRIES_OF = (
    f"FROM {_quoted(RegisterEntry)} AS e JOIN {_quoted(Register)} AS r ON r.id = e.register_id "
    "WHERE r.unit_id = %s AND r.year = %s AND r.series = %s"
)
_PG_LOCK_AND_NEXT = (
    f"SELECT id FROM {_quoted(Register)} WHERE unit_id = %s AND year = %s AND series = %s FOR UPDATE; "  # noqa: S608
    f"SELECT CASE WHEN NOT EXISTS (SELECT 1 {_ENTRIES_OF} AND e.number = 1) THEN 1 "
    f"ELSE (SELECT min(e.number) + 1 {_ENTRIES_OF} AND NOT EXISTS (SELECT 1 FROM {_quoted(RegisterEntry)} "
    "AS f WHERE f.register_id = e.register_id AND f.number = e.number + 1)) END"
)
_PG_RESERVE_ID = "; SELECT nextval(pg_get_serial_sequence(%s, %s))"
# The year's first use: the register created unless it exists, sent before the above in the same
# message. Two first uses at once: the second waits on the unique index until the first commits,
# then creates nothing and waits on the first's lock.
_PG_CREATE = (
    f"INSERT INTO {_quoted(Register)} (unit_id, year, series) VALUES (%s, %s, %s) "  # noqa: S608
    "ON CONFLICT (unit_id, year, series) DO NOTHING; "
)


def _locked_with_next(unit, year, series, reserve=None) -> tuple[Register, int, int | None]:
    """The register locked (as `register_locked`), its next free number, and, on PostgreSQL
    with `reserve` (a model), the id the next row of that model will have (None elsewhere)."""
    if connection.vendor != "postgresql":
        register = register_locked(unit, year, series)
        return (
            register,
            _next_free(register.entries.order_by("number").values_list("number", flat=True)),
            None,
        )
    found = _pg_locked_with_next(unit, year, series, reserve)
    if found is None:  # the year's first use: created (or found, made by another), then as usual
        found = _pg_locked_with_next(unit, year, series, reserve, create=True)
    register_id, number, reserved = found
    register = Register(pk=register_id, unit=unit, year=year, series=series)
    register._state.adding, register._state.db = False, connection.alias
    return register, number, reserved


def _pg_locked_with_next(unit, year, series, reserve, create=False) -> tuple[int, int, int | None] | None:
    sql, params = _PG_LOCK_AND_NEXT, [unit.pk, year, series] * 3
    if reserve is not None:
        sql += _PG_RESERVE_ID
        params += [reserve._meta.db_table, reserve._meta.pk.column]
    if create:
        sql, params = _PG_CREATE + sql, [unit.pk, year, series, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if create:
            cursor.nextset()
        found = cursor.fetchone()
        if found is None:
            return None
        cursor.nextset()
        (number,) = cursor.fetchone()
        reserved = None
        if reserve is not None:
            cursor.nextset()
            (reserved,) = cursor.fetchone()
    return found[0], number, reserved


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
    symbol, subject = _checked(symbol, subject, on, year)
    register, number, _reserved = _locked_with_next(unit, year, series)
    link = {}
    if callable(target):
        target = target(number)
        link = _link_to(target)
    entry = _engine_entry(register, number, symbol, subject, on, actor, **link)
    entry.save(force_insert=True)
    if target is not None and not link:
        register_attach(entry=entry, target=target)
    return entry


def register_reserve(*, unit, year, symbol, subject, on, actor, model, series=RegisterSeries.DOCUMENTS):
    """On PostgreSQL, `register_take` for a document of `model` the caller writes itself, with
    its entry, in one statement of its own (org.statements): the register locked, its next number
    taken and the document's id reserved in one round trip. Returns the entry, unsaved, already
    linked to that id; the caller creates the document with that id and `entry.number`."""
    if not transaction.get_connection().in_atomic_block or connection.vendor != "postgresql":
        raise RuntimeError("register_reserve runs on PostgreSQL, inside the document's transaction")
    symbol, subject = _checked(symbol, subject, on, year)
    register, number, reserved = _locked_with_next(unit, year, series, reserve=model)
    return _engine_entry(
        register,
        number,
        symbol,
        subject,
        on,
        actor,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(reserved),
    )


def _engine_entry(register, number, symbol, subject, on, actor, **link) -> RegisterEntry:
    """The register's entry, unsaved, for a document the engine issues."""
    return RegisterEntry(
        register=register,
        number=number,
        symbol=symbol,
        issued_on=on,
        subject=subject,
        source=EntrySource.ENGINE,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **link,
    )


def _checked(symbol, subject, on, year) -> tuple[str, str]:
    symbol, subject = check_text(symbol, (subject or "")[:SUBJECT_MAX])
    if on.year != year:
        raise ValidationError(
            _("A document dated %(date)s is numbered in the register of %(day_year)s, not %(year)s.")
            % {"date": on.strftime("%d/%m/%Y"), "day_year": on.year, "year": year}
        )
    return symbol, subject


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
