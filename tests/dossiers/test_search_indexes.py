"""On PostgreSQL a search inside a text (the lists' `q`, the award register's folded names) reads
a trigram index instead of every row: at a province's 100,000 dossiers a `LIKE '%…%'` scan is what
made the searching lists slow."""

import pytest
from django.db import connection, transaction

from dossiers.models import AwardRecord, Dossier, Nominee
from dossiers.selectors import text_q
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROWS = 20_000


def copies(model, row, n, varied):
    """`n` copies of one row made by the database itself, `varied` (a column) numbered."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    table = model._meta.db_table
    chosen = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f"\"{c}\" || ' ' || g" if c == varied else f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({chosen}) SELECT {values} FROM "{table}", generate_series(1, %s) g '
            f'WHERE "{table}".id = %s',
            [n, row.pk],
        )
        cursor.execute(f'ANALYZE "{table}"')


@pytest.fixture
def many(world):
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    nominee = f.NomineeFactory(dossier=dossier, name="Nguyễn Văn An")
    copies(Dossier, dossier, ROWS, "title")
    copies(Nominee, nominee, ROWS, "search_text")
    return dossier, nominee


def usable_plan(queryset) -> str:
    """Whether an index CAN serve the lookup (its expression is the one Django writes), whatever
    the planner's estimate for a test-sized table under a busy suite. Sequential and plain index
    scans are priced out and the ordering cleared: otherwise walking an ordering's btree backwards
    and filtering every row (what a trigram index is for) can look cheaper on a fresh ANALYZE's
    sample. A GIN index is read only by a bitmap scan, so it is then the one way left; without a
    matching one the plan still falls back to a scan, and the test fails."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        return queryset.order_by().explain()


def test_a_title_search_reads_the_trigram_index(many):
    plan = usable_plan(Dossier.objects.filter(text_q("hồ sơ 1234")))
    assert "dossier_title_trgm" in plan, plan
    assert "Seq Scan on dossiers_dossier" not in plan, plan


def test_the_title_or_the_units_name_finds_the_same_dossiers_as_a_scan(many, world):
    found = set(Dossier.objects.filter(text_q("1234")).values_list("pk", flat=True))
    assert found == set(Dossier.objects.filter(title__icontains="1234").values_list("pk", flat=True))
    assert len(found) == len([n for n in range(1, ROWS + 1) if "1234" in str(n)])
    by_unit = Dossier.objects.filter(text_q(world.school_a.name[-6:]))
    assert by_unit.count() == ROWS + 1


def test_a_folded_name_search_reads_the_trigram_index(many):
    plan = usable_plan(Nominee.objects.filter(search_text__contains="nguyen van an 777"))
    assert "nominee_search_trgm" in plan, plan
    assert "Seq Scan on dossiers_nominee" not in plan, plan


def test_the_recorded_awards_have_their_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'awardrecord_search_trgm'")
        (definition,) = cursor.fetchone()
    assert AwardRecord._meta.db_table in definition
    assert "gin_trgm_ops" in definition
