"""Audit chain throughput: events appended per second (1 and 4 writers) and the round trips of
one append, events verified per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/audit.py [--events N] [--busy K]

With PostgreSQL it works in a throwaway database (`tdkt_bench_audit`, created next to the one the URL
names and dropped at the end); otherwise in a temporary SQLite file. With the default million
events it runs for a few minutes (most of it building the chain).

Verification is measured with this process pinned to one CPU (the database server runs apart):
`verify_audit`'s own path (raw rows, fast canonical JSON), and for comparison the contract's
plain reading (exported dicts, each hashed through `canonical_json`) and the `rfc8785` reference.
Each rate is given per second of wall time and per second of this process's CPU time (what one
core does when it is not shared). `--busy K` starts K processes that only spin while it
verifies, one of them on the verifier's CPU: a loaded machine.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and this file would hide the `audit` app.
sys.path[0] = str(ROOT)

BENCH_DB = "tdkt_bench_audit"
ROUNDS = 3  # interleaved, because speed drifts between batches (shared/notes/audit-chain.md)
APPEND_SECONDS = 4
WRITERS = (1, 4)
VERIFY_EVENTS = 1_000_000
PLAIN_SAMPLE = 100_000  # the slow comparison reads only the first events
PAYLOAD = {"unit": "Trường THPT Nguyễn Du", "title": "Hồ sơ đề nghị khen thưởng", "round": 1}
# What a web event carries besides its data (audit.services.record): roles, scope, the client.
CLIENT = {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0"}
SCOPE = "/1/4/9/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=VERIFY_EVENTS, help="events to verify")
    parser.add_argument(
        "--busy", type=int, nargs="+", default=[0], help="spinning processes while verifying (each in turn)"
    )
    parser.add_argument("--no-append", action="store_true", help="skip the append rates")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")  # DEBUG would keep every query in memory
    url = os.environ.get("DATABASE_URL", "")
    with throwaway_database(url) as bench_url:
        os.environ["DATABASE_URL"] = bench_url
        import django

        django.setup()
        run(events=options.events, busy=options.busy, append=not options.no_append)


def throwaway_database(url: str):
    """A fresh database for the run: PostgreSQL `BENCH_DB`, else a temporary SQLite file."""
    from bench.databases import throwaway_database as fresh

    return fresh(url, name=BENCH_DB)


def run(*, events: int, busy: list[int], append: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {database_version()}, {os.cpu_count()} CPUs")

    if append:
        print(f"one append, roles, scope and case given: {append_round_trips()} round trips")
        results = {writers: [] for writers in WRITERS}
        for _ in range(ROUNDS):
            for writers in WRITERS:
                results[writers].append(append_rate(writers, APPEND_SECONDS))
        for writers, rates in results.items():
            print(f"append, {writers} writer{'s' if writers > 1 else ''}: {spread(rates)} events/s")

    began = time.perf_counter()
    total = top_up_chain(events)
    print(f"chain of {total:,} events ready in {time.perf_counter() - began:,.0f} s")
    for spinning in busy:
        verify_figures(total, spinning)


def verify_figures(total: int, busy: int) -> None:
    cpu = sorted(os.sched_getaffinity(0))[-1]
    everywhere = os.sched_getaffinity(0)
    spinners = start_spinners(busy, cpu)
    os.sched_setaffinity(0, {cpu})
    try:
        rates = {}
        for _ in range(ROUNDS):
            for name, rate in verify_rates(total).items():
                rates.setdefault(name, []).append(rate)
        reference = reference_rate()
    finally:
        os.sched_setaffinity(0, everywhere)
        for spinner in spinners:
            spinner.terminate()
    load = f", {busy} busy process{'es' if busy != 1 else ''} running" if busy else ""
    print(f"on CPU {cpu} only{load}; events/s per second of wall time | of CPU time:")
    print(f"read {total:,} events (raw rows): {both(rates, 'read')}")
    print(f"verify {total:,} events (verify_audit): {both(rates, 'verify')}")
    print(f"  of which checking only (rows already read): {both(rates, 'check')}")
    plain = min(total, PLAIN_SAMPLE)
    print(f"verify the first {plain:,} events (exported dicts, canonical_json): {both(rates, 'plain')}")
    print(f"hash with rfc8785 (the reference, for comparison): {reference:,.0f} events/s")


def both(rates, name) -> str:
    return f"{spread(rates[name])} | {spread(rates[name + ' cpu'])}"


def _spin() -> None:
    while True:
        pass


def start_spinners(count: int, cpu: int) -> list:
    """`count` processes that only spin, the first on `cpu` (the verifier's), the others anywhere."""
    spinners = []
    for n in range(count):
        spinner = multiprocessing.Process(target=_spin, daemon=True)
        spinner.start()
        if n == 0:
            os.sched_setaffinity(spinner.pid, {cpu})
        spinners.append(spinner)
    return spinners


def append_round_trips() -> int:
    """Queries one `record` issues when the caller gives the roles, the scope and the case."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from audit.services import record

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        record(
            actor="bench",
            action="dossier.submit",
            object_type="dossiers.dossier",
            object_id=0,
            data=PAYLOAD,
            scope=SCOPE,
            actor_roles=["unit_head"],
            case_id=0,
        )
    return len(queries)


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


def append_rate(writers: int, seconds: float) -> float:
    """Events per second with `writers` threads, each appending one event per transaction."""
    from django.db import connection, transaction

    from audit.services import record

    counts = [0] * writers
    errors = []
    start = threading.Barrier(writers + 1)

    def writer(number: int) -> None:
        try:
            start.wait()
            while time.perf_counter() < deadline:
                with transaction.atomic():
                    record(
                        actor=f"bench{number}",
                        action="dossier.submit",
                        object_type="dossiers.dossier",
                        object_id=counts[number],
                        data={**PAYLOAD, "client": CLIENT},
                        scope=SCOPE,
                        actor_roles=["unit_head"],
                        case_id=counts[number],
                    )
                counts[number] += 1
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    began = time.perf_counter()
    deadline = began + seconds
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return sum(counts) / elapsed


def top_up_chain(total: int) -> int:
    """Extend the chain to `total` events with bulk inserts: appending them one by one would
    take minutes, and verification only needs a valid chain."""
    from datetime import UTC, datetime

    from django.db import transaction

    from audit.chain import GENESIS_HASH, compute_hash, event_dict
    from audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = last or (0, GENESIS_HASH)
    batch = []
    with transaction.atomic():
        while seq < total:
            seq += 1
            ts = datetime.now(UTC)
            fields = {
                "actor": "bench",
                "action": "dossier.submit",
                "object_type": "dossiers.dossier",
                "object_id": str(seq),
                "data": {**PAYLOAD, "round": seq, "client": CLIENT},
                "scope": SCOPE,
                # Two events in three concern a dossier, a thousand events a dossier.
                "case_id": seq // 1000 if seq % 3 else None,
            }
            event = event_dict(seq=seq, ts=ts, prev_hash=prev_hash, actor_roles=["unit_head"], **fields)
            hash_ = compute_hash(event)
            batch.append(
                AuditEvent(seq=seq, ts=ts, prev_hash=prev_hash, hash=hash_, actor_roles="unit_head", **fields)
            )
            prev_hash = hash_
            if len(batch) == 5000:
                _insert(batch)
                batch = []
        _insert(batch)
    return AuditEvent.objects.count()


def _insert(batch) -> None:
    from audit.models import AuditEvent

    AuditEvent.objects.bulk_create(batch)


def verify_rates(expected: int) -> dict[str, float]:
    """Events per second (of wall time, and of this process's CPU time: `… cpu`): read as raw
    rows only; verified as verify_audit does (reading and checking); checked only, from rows
    already in memory; verified through the exported dicts (selectors.events_exported +
    verify.verify_events)."""
    from itertools import islice

    from audit.selectors import chain_rows, events_exported
    from audit.verify import verify_database, verify_events, verify_rows

    rates = {}
    rows = []

    def read():
        rows.extend(chain_rows())
        return SimpleResult(len(rows))

    checks = (
        ("read", read),
        ("verify", verify_database),
        ("check", lambda: verify_rows(rows)),
        ("plain", lambda: verify_events(islice(events_exported(), PLAIN_SAMPLE))),
    )
    for name, verify in checks:
        began, cpu = time.perf_counter(), time.process_time()
        result = verify()
        wall, used = time.perf_counter() - began, time.process_time() - cpu
        rates[name], rates[name + " cpu"] = result.count / wall, result.count / used
        if not (result.ok and result.count == (min(expected, PLAIN_SAMPLE) if name == "plain" else expected)):
            raise SystemExit(f"chain did not verify: {result}")
    return rates


class SimpleResult:
    ok = True

    def __init__(self, count):
        self.count = count


def reference_rate(sample: int = 20_000) -> float:
    """Events hashed per second with the reference rfc8785 (what verification cost before)."""
    import hashlib
    from itertools import islice

    import rfc8785

    from audit.selectors import events_exported

    events = [{k: v for k, v in e.items() if k != "hash"} for e in islice(events_exported(), sample)]
    began = time.perf_counter()
    for event in events:
        hashlib.sha256(rfc8785.dumps(event)).hexdigest()
    return len(events) / (time.perf_counter() - began)


def spread(rates: list[float]) -> str:
    """min / median / max, as in shared/notes/audit-chain.md."""
    low, mid, high = min(rates), statistics.median(rates), max(rates)
    return f"{low:,.0f} / {mid:,.0f} / {high:,.0f}"


if __name__ == "__main__":
    main()
