"""Writes to the register of outgoing documents (org.registers) by its records clerk: a number
the body issued outside the engine (on paper), recorded so the engine never gives it again. The
numbers the engine gives are taken by the issuing services (org.register_numbers)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import scope_of

from .models import Role
from .register_numbers import check_text, register_locked
from .registers import EntrySource, RegisterEntry, RegisterSeries
from .scopes import has_role_in


def may_record_outside(actor, unit) -> bool:
    """The records clerk of that body (or an administrator) keeps its register."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or has_role_in(actor, {Role.RECORDS_CLERK, Role.ADMIN}, unit))
    )


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
    symbol, subject = check_text(symbol, subject)
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
        register = register_locked(unit, year, series)
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
