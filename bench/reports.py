"""The statistical forms and a 10,000-row xlsx export on a province with 100,000 dossiers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reports.py
    ... bench/reports.py --dossiers 20000 --repeats 5

It works in a throwaway PostgreSQL database (`tdkt_reports`, created next to the one the URL
names and dropped at the end); without a PostgreSQL URL, in a temporary SQLite file (small sizes
only). The world is bench/scale.py's (one province, about 480 units, dossiers in every state with
their nominees and decisions), without its audit events; then every nominee of a decided dossier
gets its award, a tenth of them revoked, and 20,000 awards are recorded from elsewhere.

For each form it builds the figures for the province (everything) and for one commune, as the
province's chair and the commune's standing officer would, and prints p50/p95 in milliseconds and
the queries; then the same at a tenth of the dossiers, to show that the queries do not grow. Last,
the list behind the province's awards figure, its first 10,000 rows, written to xlsx.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    # Run as a script, this folder comes first on sys.path and would hide the project's apps.
    sys.path[0] = str(ROOT)

BENCH_DB = "tdkt_reports"
RECORDED = 20_000
EXPORT_ROWS = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"  # DEBUG would keep every query in memory
    url = os.environ.get("DATABASE_URL", "")
    with throwaway_database(url) as bench_url:
        os.environ["DATABASE_URL"] = bench_url
        import django

        django.setup()
        run(args.dossiers, repeats=args.repeats)


def throwaway_database(url: str):
    from bench.databases import throwaway_database as fresh

    return fresh(url, name=BENCH_DB)


# --- the data ------------------------------------------------------------------------------------


def grow(world, size: int) -> None:
    from bench.scale import add_dossiers

    while world.dossiers < size:
        add_dossiers(world, min(20_000, size - world.dossiers), events_per_dossier=False)
    award_decided_nominees()


def award_decided_nominees() -> int:
    """Every nominee of a decided dossier not yet awarded gets its award on the dossier's
    decision (one INSERT … SELECT); every tenth is revoked by a revocation of the same issuer."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO approvals_award (decision_id, nominee_id, amount, revoked_reason)
            SELECT MIN(dd.decision_id), n.id, 702000, ''
            FROM dossiers_nominee n
            JOIN approvals_decision_dossiers dd ON dd.dossier_id = n.dossier_id
            WHERE n.removed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM approvals_award a WHERE a.nominee_id = n.id)
            GROUP BY n.id
            """
        )
        added = cursor.rowcount
    revoke_some()
    return added


def revoke_some() -> None:
    from django.db.models import Min

    from approvals.models import Award, Decision

    for issuer_id, first in (
        Decision.objects.filter(kind="award").values_list("issuer_id").annotate(first=Min("pk")).order_by()
    ):
        model = Decision.objects.get(pk=first)
        revocation, _ = Decision.objects.get_or_create(
            issuer_id=issuer_id,
            year=model.year,
            number=9999,
            defaults=dict(
                kind="revocation",
                title="Về việc hủy bỏ khen thưởng",
                signed_on=model.signed_on,
                signed_by_id=model.signed_by_id,
            ),
        )
        ids = list(
            Award.objects.filter(decision__issuer_id=issuer_id, revoked_by__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[::10]
        )
        Award.objects.filter(pk__in=ids).update(revoked_by=revocation, revoked_reason="Bench")


def record_awards(world, count: int) -> None:
    import datetime as dt
    import random

    from django.utils import timezone

    from dossiers.models import AwardRecord, AwardType

    rng = random.Random(7)
    types = list(AwardType.objects.values_list("pk", flat=True))
    titles = [
        "Huân chương Lao động hạng Ba",
        "Bằng khen của Thủ tướng Chính phủ",
        "Kỷ niệm chương vì sự nghiệp",
    ]
    units = list(world.proposers)
    recorder = world.people[("standing_officer", world.province)][0]
    today = timezone.localdate()
    rows = []
    for i in range(count):
        day = today - dt.timedelta(days=rng.randrange(0, 3 * 365))
        titled = rng.random() < 0.3
        rows.append(
            AwardRecord(
                kind=rng.choice(["individual", "individual", "collective", "household"]),
                unit_id=rng.choice(units),
                name=f"Người được khen {i}",
                award_type_id=None if titled else rng.choice(types),
                award_title=rng.choice(titles) if titled else "",
                year=day.year,
                decision_number=f"{i % 900 + 1}/QĐ-UBND",
                decision_date=day,
                issuer="Ủy ban nhân dân tỉnh",
                recorded_by_id=recorder,
            )
        )
    AwardRecord.objects.bulk_create(rows, batch_size=2000)


# --- measuring -----------------------------------------------------------------------------------


def timed(fn, repeats: int):
    """(p50 ms, p95 ms, queries of one run, result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, result, queries = [], None, 0
    for i in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - began) * 1000)
        if i == 0:
            queries = len(captured)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, queries, result


def measure_forms(world, repeats: int) -> dict:
    from django.utils import timezone

    from bench.scale import DEPARTMENTS
    from org.models import User
    from reports.periods import parse_period
    from reports.statistics import FORMS
    from reports.statistics_selectors import report_table

    today = timezone.localdate()
    period = parse_period(f"{today.year - 3}-{today.year}", today)
    commune = world.deciders[1 + DEPARTMENTS]
    readers = {
        "province": (world.people[("chair", world.province)][0], world.province),
        "commune": (world.people[("standing_officer", commune)][0], commune),
    }
    out = {}
    for slug in FORMS:
        for where, (user_id, unit_id) in readers.items():

            def build(user_id=user_id, unit_id=unit_id, slug=slug):
                user = User.objects.get(pk=user_id)  # a request's user: scopes loaded afresh
                return report_table(user=user, slug=slug, period=period, unit_id=unit_id, today=today)

            p50, p95, queries, table = timed(build, repeats)
            first = next(r for r in table.rows if r.spec is not None)
            total = sum(v or 0 for c in table.columns if not c.total for v in [table.value(first, c)])
            out[(slug, where)] = (p50, p95, queries, total)
    return out


def measure_export(world, repeats: int):
    from django.utils import timezone

    from org.models import User
    from reports.periods import parse_period
    from reports.statistics_exports import listings_xlsx
    from reports.statistics_selectors import cell_listings, report_table

    today = timezone.localdate()
    period = parse_period(f"{today.year - 3}-{today.year}", today)
    user = User.objects.get(pk=world.people[("chair", world.province)][0])
    table = report_table(user=user, slug="tong-hop", period=period, unit_id=world.province, today=today)

    def export():
        listings = cell_listings(table, "total", "awards")
        for listing in listings:
            listing.queryset = listing.queryset[:EXPORT_ROWS]
        return listings_xlsx(listings, "Khen thưởng")

    p50, p95, queries, data = timed(export, max(3, repeats // 3))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(data), read_only=True).worksheets[0]
    rows = sum(1 for _ in sheet.iter_rows()) - 3
    return p50, p95, queries, rows, len(data)


def run(size: int, *, repeats: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from approvals.models import Award
    from bench.scale import build_world
    from dossiers.models import AwardRecord, Dossier

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}, {os.cpu_count()} CPUs", flush=True)
    world = build_world()
    record_awards(world, RECORDED)
    results = {}
    for n in (size // 10, size):
        began = time.perf_counter()
        grow(world, n)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"{Dossier.objects.count():,} dossiers, {Award.objects.count():,} awards, "
            f"{AwardRecord.objects.count():,} recorded, built in {time.perf_counter() - began:,.0f} s",
            flush=True,
        )
        results[n] = measure_forms(world, repeats)
    print()
    print(f"{'form':<10}{'unit':<10}" + "".join(f"{f'{n:,} dossiers':>38}" for n in results))
    print(
        f"{'':<20}" + "".join(f"{'p50 ms':>10}{'p95 ms':>10}{'queries':>8}{'first row':>10}" for _ in results)
    )
    for key in results[size]:
        line = f"{key[0]:<10}{key[1]:<10}"
        for n in results:
            p50, p95, queries, total = results[n][key]
            line += f"{p50:>10.1f}{p95:>10.1f}{queries:>8}{total:>10,}"
        print(line)
    p50, p95, queries, rows, length = measure_export(world, repeats)
    print()
    print(
        f"xlsx of the list behind the province's awards figure: {rows:,} rows, {length / 1024:,.0f} KiB, "
        f"p50 {p50:,.0f} ms, p95 {p95:,.0f} ms, {queries} queries"
    )


if __name__ == "__main__":
    main()
