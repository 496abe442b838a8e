"""Several writes in one statement on PostgreSQL (org.statements): the rows are those the ORM
writes statement by statement, the new ids land on the objects in their order, and an update
says how many rows it changed. SQLite writes with the ORM (its callers' path), so these run on
PostgreSQL only."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from org import statements
from org.models import Register, RegisterEntry, RegisterSeries
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SHOWN = ("register_id", "number", "symbol", "issued_on", "subject", "source", "object_id")


def entries(register, numbers):
    return [
        RegisterEntry(
            register=register,
            number=n,
            symbol="QĐ-UBND",
            issued_on=timezone.localdate(),
            subject=f"Quyết định số {n}",
            source="outside",
        )
        for n in numbers
    ]


def test_inserts_and_updates_go_in_one_round_trip_and_write_the_orms_rows():
    unit = f.UnitFactory()
    year = timezone.localdate().year
    mine, theirs = (
        Register.objects.create(unit=unit, year=year, series=s) for s in RegisterSeries.values[:2]
    )
    new = entries(mine, [3, 1, 2])
    with CaptureQueriesContext(connection) as ctx:
        counts = statements.write_together(
            inserts=[(RegisterEntry, new), (Register, [])],
            updates=[
                (Register.objects.filter(pk=theirs.pk), {"year": year + 1}),
                (Register.objects.filter(pk=-1), {"year": year + 1}),
            ],
        )
    assert len(ctx.captured_queries) == 1
    assert counts == [1, 0]
    # The ids are set in the objects' order, and the objects are saved ones.
    assert [e.pk for e in new] == sorted(e.pk for e in new)
    assert all(not e._state.adding for e in new)
    by_id = {e.pk: e for e in RegisterEntry.objects.filter(register=mine)}
    assert [by_id[e.pk].number for e in new] == [3, 1, 2]
    # The same rows as the ORM writes them (its defaults and auto_now_add included).
    made = RegisterEntry.objects.bulk_create(entries(theirs, [3, 1, 2]))
    ours = RegisterEntry.objects.filter(pk__in=[e.pk for e in new]).order_by("pk").values(*SHOWN)
    orms = RegisterEntry.objects.filter(pk__in=[e.pk for e in made]).order_by("pk").values(*SHOWN)
    assert [{**r, "register_id": 0} for r in ours] == [{**r, "register_id": 0} for r in orms]
    assert all(e.recorded_at is not None for e in RegisterEntry.objects.filter(register=mine))
    theirs.refresh_from_db()
    assert theirs.year == year + 1


def test_a_refused_statement_writes_none_of_its_parts():
    """One statement: a unique constraint broken by one part leaves every part unwritten."""
    register = Register.objects.create(unit=f.UnitFactory(), year=timezone.localdate().year)
    RegisterEntry.objects.bulk_create(entries(register, [1]))
    with pytest.raises(IntegrityError), transaction.atomic():
        statements.write_together(
            inserts=[(RegisterEntry, entries(register, [2])), (RegisterEntry, entries(register, [1]))],
            updates=[(Register.objects.filter(pk=register.pk), {"year": register.year + 1})],
        )
    register.refresh_from_db()
    assert list(register.entries.values_list("number", flat=True)) == [1]
    assert register.year == timezone.localdate().year


def test_each_its_own_sets_every_row_to_its_value_in_one_update():
    register = Register.objects.create(unit=f.UnitFactory(), year=timezone.localdate().year)
    rows = RegisterEntry.objects.bulk_create(entries(register, [1, 2, 3]))
    wanted = {rows[0].pk: "QĐ-UBND", rows[1].pk: "TTr-UBND", rows[2].pk: "BC-UBND"}
    with CaptureQueriesContext(connection) as ctx:
        (counted,) = statements.write_together(
            updates=[statements.each_its_own(RegisterEntry, "symbol", wanted)]
        )
    assert len(ctx.captured_queries) == 1 and counted == 3
    assert dict(RegisterEntry.objects.values_list("pk", "symbol")) == wanted
    # One value for all: a plain value, no CASE.
    queryset, values = statements.each_its_own(RegisterEntry, "symbol", dict.fromkeys(wanted, "CV-UBND"))
    assert values == {"symbol": "CV-UBND"} and queryset.update(**values) == 3
