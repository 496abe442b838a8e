"""Writes to the register of outgoing documents (org.registers): a number taken for a document
the engine issues, and a number the body issued outside the engine (on paper), recorded.

No gaps, no duplicates: a number is taken under a row lock on the register (one writer at a time
per body, year and series) and the unique constraint (register, number) is the backstop. The lock
and the new entry belong to the CALLER's transaction (the decision, the meeting's close …): if it
rolls back, the entry goes with it and the next document takes the same number again.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import scope_of

from . import limits
from .models import Role
from .registers import EntrySource, Register, RegisterEntry, RegisterSeries
from .scopes import has_role_in

SYMBOL_MAX = RegisterEntry._meta.get_field("symbol").max_length
SUBJECT_MAX = RegisterEntry._meta.get_field("subject").max_length


def may_record_outside(actor, unit) -> bool:
    """The records clerk of that body (or an administrator) keeps its register."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or has_role_in(actor, {Role.RECORDS_CLERK, Role.ADMIN}, unit))
    )


def _register(unit, year, series) -> Register:
    """The register of `unit` for `year` and `series`, created on first use, locked for the rest
    of the caller's transaction. Two first uses at once: one creates it, the other waits on the
    unique constraint and then finds it (get_or_create's savepoint)."""
    register, _created = Register.objects.get_or_create(unit=unit, year=year, series=series)
    return Register.objects.select_for_update().get(pk=register.pk)


def _next_free(register) -> int:
    """The smallest number not yet in the register: numbers recorded from outside are skipped,
    and a gap an outside number left ahead is filled, so the register never has a hole."""
    numbers = list(register.entries.order_by("number").values_list("number", flat=True))
    for expected, number in enumerate(numbers, 1):
        if number != expected:
            return expected
    return len(numbers) + 1


def _check_text(symbol, subject) -> tuple[str, str]:
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
    `register_attach`) links the entry to the object it numbers.

    Nghị định 30/2020/NĐ-CP, Điều 15: the number is the body's running number in the year,
    registered by its records office (see org.registers for the series)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register_take runs inside the transaction of the document it numbers")
    symbol, subject = _check_text(symbol, (subject or "")[:SUBJECT_MAX])
    if on.year != year:
        raise ValidationError(
            _("A document dated %(date)s is numbered in the register of %(day_year)s, not %(year)s.")
            % {"date": on.strftime("%d/%m/%Y"), "day_year": on.year, "year": year}
        )
    register = _register(unit, year, series)
    entry = RegisterEntry.objects.create(
        register=register,
        number=_next_free(register),
        symbol=symbol,
        issued_on=on,
        subject=subject,
        source=EntrySource.ENGINE,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if target is not None:
        register_attach(entry=entry, target=target)
    return entry


def register_attach(*, entry, target) -> RegisterEntry:
    """Link a number taken before its object existed (a decision is created with its number) to
    that object, in the same transaction."""
    entry.content_type = ContentType.objects.get_for_model(type(target))
    entry.object_id = str(target.pk)
    entry.save(update_fields=["content_type", "object_id"])
    return entry


def register_record_outside(
    *, actor, unit, year, number, symbol, issued_on, subject, series=RegisterSeries.DOCUMENTS
) -> RegisterEntry:
    """The records clerk records a number the body issued outside the engine (on paper), so the
    engine never gives it again: the next engine number skips it. A number already in the
    register (from the engine or recorded before) is refused."""
    if not may_record_outside(actor, unit):
        raise PermissionDenied(
            _("Only the records clerk of %(unit)s may record numbers in its register.") % {"unit": unit}
        )
    symbol, subject = _check_text(symbol, subject)
    errors = {}
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        errors["number"] = [_("The number is a whole number from 1.")]
    if not isinstance(issued_on, dt.date):
        errors["issued_on"] = [_("Give the date the document was issued.")]
    elif issued_on.year != year:
        errors["issued_on"] = [
            _("A document dated %(date)s belongs to the register of %(day_year)s, not %(year)s.")
            % {"date": issued_on.strftime("%d/%m/%Y"), "day_year": issued_on.year, "year": year}
        ]
    if series not in RegisterSeries.values:
        errors["series"] = [_("Choose one of the register's series.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        register = _register(unit, year, series)
        taken = register.entries.filter(number=number).first()
        if taken is not None:
            raise ValidationError(
                {
                    "number": [
                        _(
                            "Number %(number)s is already in the register: %(document)s of %(date)s, “%(subject)s”."
                        )
                        % {
                            "number": f"{number:02d}",
                            "document": taken.document_number,
                            "date": taken.issued_on.strftime("%d/%m/%Y"),
                            "subject": taken.subject,
                        }
                    ]
                }
            )
        entry = RegisterEntry.objects.create(
            register=register,
            number=number,
            symbol=symbol,
            issued_on=issued_on,
            subject=subject,
            source=EntrySource.OUTSIDE,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="register.record_outside",
            target=entry,
            scope=scope_of(unit),
            data={
                "unit_id": unit.pk,
                "year": year,
                "series": str(series),
                "number": number,
                "symbol": symbol,
                "issued_on": issued_on.isoformat(),
                "subject": subject,
            },
        )
    return entry
