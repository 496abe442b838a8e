"""Documents issued at the same moment, on PostgreSQL: each takes its own number of the register,
none twice, none skipped, even when the register of the year does not exist yet and when some of
the issues roll back."""

import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction

from dossiers.reference_data import seed_reference_data
from org.models import Register, RegisterEntry
from org.register_numbers import register_take
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 16


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    seed_reference_data(django_apps)


class Abandoned(Exception):
    pass


def at_once(calls):
    """Each call in its own thread and its own connection, all released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = ("done", call())
        except Abandoned:
            results[i] = ("rolled back", None)
        except Exception as exc:
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def issue(unit, day, *, abandon=False):
    with transaction.atomic():
        number = register_take(
            unit=unit, year=day.year, symbol="QĐ-UBND", subject="Về việc khen thưởng", on=day, actor="system"
        ).number
        if abandon:
            raise Abandoned
    return number


def test_documents_issued_at_once_take_every_number_once(world):
    results = at_once([lambda: issue(world.commune, world.today) for _ in range(THREADS)])

    assert [r[0] for r in results] == ["done"] * THREADS, results
    assert sorted(r[1] for r in results) == list(range(1, THREADS + 1))
    assert Register.objects.filter(unit=world.commune).count() == 1
    stored = sorted(RegisterEntry.objects.values_list("number", flat=True))
    assert stored == list(range(1, THREADS + 1))


def test_issues_rolled_back_amid_the_others_leave_no_gap(world):
    calls = [lambda i=i: issue(world.commune, world.today, abandon=i % 4 == 0) for i in range(THREADS)]
    results = at_once(calls)

    kept = THREADS - THREADS // 4
    assert sorted(r[0] for r in results).count("done") == kept, results
    assert all(r[0] in ("done", "rolled back") for r in results), results
    assert sorted(RegisterEntry.objects.values_list("number", flat=True)) == list(range(1, kept + 1))
    assert issue(world.commune, world.today) == kept + 1


def test_two_bodies_issuing_at_once_each_keep_their_own_series(world):
    other = f.UnitFactory(name="Xã Bát Tràng", code="UBND", parent=world.province, grants_awards=True)
    calls = [lambda u=u: issue(u, world.today) for u in [world.commune, other] * (THREADS // 2)]
    results = at_once(calls)

    assert [r[0] for r in results] == ["done"] * THREADS, results
    for unit in (world.commune, other):
        numbers = RegisterEntry.objects.filter(register__unit=unit).values_list("number", flat=True)
        assert sorted(numbers) == list(range(1, THREADS // 2 + 1))
