"""A load a user would see: a mixed HTTP workload against gunicorn on PostgreSQL at a province's
scale (100,000 dossiers by default), N clients at once, throughput and p50/p95 per kind of
request and overall, with the errors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py
    ... bench/load.py --dossiers 2000 --seconds 20           (a quick run on a small world)
    ... bench/load.py --keep                                 (keep `tdkt_load` and its world)
    ... bench/load.py --reuse --seconds 120 --clients 32     (load the kept world again)
    ... bench/load.py --workers 5 --threads 2                (gunicorn's workers and threads)

The world is bench/scale.py's `build(n)` (about 480 units, 1,400 people, dossiers in every
state with their tasks and about eleven audit events each, in a database of its own,
`tdkt_load`, dropped at the end unless --keep). Building 100,000 dossiers takes about five
minutes on this 2-core machine; --keep then --reuse measures again without building. On top of
it, each run adds what the writes need: drafts complete with their files, ready for their unit
head to submit, and council meetings with the vote open (bench/voting.py's).

Each client is a thread with its own HTTP session, looping without pause until the time is up,
each time picking a kind of request by weight (KINDS): the lists (dossiers, their filters,
search, the API's), the inboxes (the standing body's queue, tasks, to sign, the unit's), a
dossier's page, the inspector's searches and a dossier's timeline, a unit head submitting a
draft (API), a council member casting a vote (API). Pages are read signed in as the roles
bench/scale.py measures (a school's staff and head, a commune's standing body and council, the
province's officer and chair, an inspector, the superuser). A request that fails (a status of
400 or more, or no answer) counts as an error of its kind and is listed. The server, client
threads and database share the machine: the figures are the whole system's.
"""

import argparse
import os
import pickle
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and would hide the apps.
sys.path[0] = str(ROOT)

BENCH_DB = "tdkt_load"
# Kinds of request and their share of the load.
KINDS = {
    "list": 30,
    "inbox": 15,
    "dossier page": 20,
    "inspector search": 10,
    "submit": 5,
    "vote": 20,
}
INBOX_PAGES = {"queue", "queue overdue", "queue, nobody", "my tasks", "to sign", "unit inbox", "unit decided"}
INBOX_PAGES |= {"api queue", "api tasks", "api to sign", "api unit", "home"}
INSPECTOR_PAGES = {"events", "events, action", "events, actor", "events, dossier", "timeline"}
DOSSIERS_PER_ROLE = 40  # dossier pages a role opens, picked among those it may see


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dossiers", type=int, default=100_000, help="dossiers in the world (default 100,000)"
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the measured run (default 60)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (default 5)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {BENCH_DB} and its world")
    parser.add_argument("--reuse", action="store_true", help=f"load a kept {BENCH_DB} instead of building")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/load.py needs DATABASE_URL=postgres://… (a server it may create a database on)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"
    import inspect

    from bench import scale

    scale.BENCH_DB = BENCH_DB  # the name bench/scale.py's throwaway database takes
    named = {"name": BENCH_DB} if "name" in inspect.signature(scale.bench_database).parameters else {}
    with (
        scale.bench_database(url, keep=args.keep, reuse=args.reuse, **named) as bench_url,
        tempfile.TemporaryDirectory(prefix="tdkt_load_") as scratch,
    ):
        os.environ["DATABASE_URL"] = bench_url
        os.environ["BALLOT_KEYS_DIR"] = str(Path(scratch) / "ballot-keys")
        os.environ["MEDIA_ROOT"] = str(Path(scratch) / "media")
        import django

        django.setup()
        run(bench_url, scratch, args)


def world_for(args):
    """bench/scale.py's world: built, or loaded when --reuse."""
    from django.core.management import call_command

    from audit.models import AuditEvent
    from bench import scale

    state = Path(tempfile.gettempdir()) / f"{BENCH_DB}.world"
    call_command("migrate", verbosity=0)
    if args.reuse:
        world = pickle.loads(state.read_bytes())
        print(f"reused {world.dossiers:,} dossiers, {AuditEvent.objects.count():,} events", flush=True)
        return world
    began = time.perf_counter()
    world = scale.build(args.dossiers)
    print(
        f"built {world.dossiers:,} dossiers, {AuditEvent.objects.count():,} events "
        f"in {time.perf_counter() - began:,.0f} s",
        flush=True,
    )
    if args.keep:
        state.write_bytes(pickle.dumps(world))
    return world


def reads(world, rng) -> dict:
    """{kind: [(role, url)]} of the pages each role reads, and {role: user}."""
    from bench import scale
    from dossiers.selectors import dossier_list_for
    from org.models import User

    by_kind = {"list": [], "inbox": [], "dossier page": [], "inspector search": []}
    users = {}
    for role, user_id in scale.roles_to_measure(world).items():
        user = User.objects.get(pk=user_id)
        users[role] = user
        for page, url in scale.pages_for(world, role, user).items():
            if page == "dossier page":
                continue
            kind = (
                "inspector search" if page in INSPECTOR_PAGES else "inbox" if page in INBOX_PAGES else "list"
            )
            by_kind[kind].append((role, url))
        visible = list(dossier_list_for(user=user).values_list("pk", flat=True)[: DOSSIERS_PER_ROLE * 5])
        for pk in rng.sample(visible, min(DOSSIERS_PER_ROLE, len(visible))):
            by_kind["dossier page"].append((role, f"/dossiers/{pk}/"))
    return by_kind, users


def sessions(users) -> dict:
    """{role: session cookie} signed in in the database's sessions, as a login would."""
    from django.conf import settings
    from django.test import Client

    cookies = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return cookies


def drafts_to_submit(world, count: int, rng) -> list:
    """`count` drafts of schools of the world, complete (a nominee with the report, the tờ trình
    and the biên bản), in a campaign still open: [(dossier id, the unit head's API key)]."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from dossiers import services as dossier_services
    from dossiers.models import AwardType, Campaign, DocumentKind
    from org.models import Unit, User
    from org.services import api_token_issue
    from tests.factories import pdf_bytes

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=f"Phong trào thi đua tải thử {rng.randrange(10**6)}",
        organizer_id=world.province,
        period_start=today - dt.timedelta(days=200),
        period_end=today + dt.timedelta(days=100),
        submission_deadline=today + dt.timedelta(days=60),
    )
    campaign.award_types.set(world.award_types)
    award = AwardType.objects.get(code="giay-khen")
    kinds = {
        k.code: k
        for k in DocumentKind.objects.filter(code__in=["to-trinh", "bien-ban", "bao-cao-thanh-tich"])
    }
    units = [
        u for u in world.proposers if ("unit_head", u) in world.people and ("unit_staff", u) in world.people
    ]
    keys, out = {}, []
    for number in range(count):
        unit = units[number % len(units)]
        staff = User.objects.get(pk=world.people[("unit_staff", unit)][0])
        head = User.objects.get(pk=world.people[("unit_head", unit)][0])
        if head.pk not in keys:
            keys[head.pk] = api_token_issue(actor=head).key
        dossier = dossier_services.dossier_create(
            actor=staff,
            unit=Unit.objects.get(pk=unit),
            campaign=campaign,
            title=f"Hồ sơ đề nghị khen thưởng tải thử {number}",
        )
        nominee = dossier_services.nominee_add(
            actor=staff,
            dossier=dossier,
            kind="individual",
            sex="female",
            name=f"Giáo viên tải thử {number}",
            award_type=award,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm học.",
        )
        for code, who in (("bao-cao-thanh-tich", nominee), ("to-trinh", None), ("bien-ban", None)):
            upload = SimpleUploadedFile(
                f"{code}.pdf", pdf_bytes(f"{code} {number}"), content_type="application/pdf"
            )
            dossier_services.attachment_add(
                actor=staff, dossier=dossier, kind=kinds[code], nominee=who, uploaded_file=upload
            )
        out.append((dossier.pk, keys[head.pk]))
    rng.shuffle(out)
    return out


def votes_to_cast(meetings: int, rng) -> list:
    """Council meetings with the vote open (bench/voting.py's): every (meeting, member's API key,
    nominee) once, shuffled."""
    from bench.voting import build_meeting

    out = []
    for number in range(meetings):
        meeting, _people, keys, nominees = build_meeting(f"L{rng.randrange(10**6)}x{number}")
        out += [(meeting.pk, key, nominee) for key in keys.values() for nominee in nominees]
    rng.shuffle(out)
    return out


def run(database_url: str, scratch: str, args) -> None:
    from django.db import connection

    from bench.audit import database_version
    from bench.serve import Timings, gunicorn, summary_line

    rng = random.Random(args.seed)
    world = world_for(args)
    by_kind, users = reads(world, rng)
    cookies = sessions(users)
    # Enough writes for the run at a generous rate; when they run out, the kind is skipped.
    submits = drafts_to_submit(world, max(20, int(args.seconds * 2)), rng)
    votes = votes_to_cast(max(1, int(args.seconds * 15) // 220 + 1), rng)
    connection.close()
    print(
        f"database: postgresql {database_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}; gunicorn {args.workers} workers × {args.threads} threads; "
        f"{args.clients} clients for {args.seconds:.0f} s; {len(submits)} drafts, {len(votes)} votes ready",
        flush=True,
    )
    writes = {"submit": submits, "vote": votes}
    lock = threading.Lock()
    total = Timings()
    kinds, weights = list(KINDS), list(KINDS.values())

    def client(number: int, base: str, until: float) -> None:
        import requests

        mine = Timings()
        local = random.Random(args.seed * 1000 + number)
        session = requests.Session()
        while time.perf_counter() < until:
            kind = local.choices(kinds, weights)[0]
            if kind in writes:
                with lock:
                    task = writes[kind].pop() if writes[kind] else None
                if task is None:
                    continue
                if kind == "submit":
                    pk, key = task
                    request = ("post", f"/api/dossiers/{pk}/submit/", {"Authorization": f"Token {key}"}, None)
                else:
                    meeting, key, nominee = task
                    request = (
                        "post",
                        f"/api/meetings/{meeting}/ballots/",
                        {"Authorization": f"Token {key}"},
                        {"nominee": nominee, "choice": local.choice(["agree", "agree", "disagree"])},
                    )
            else:
                role, url = local.choice(by_kind[kind])
                request = ("get", url, {"Cookie": cookies[role]}, None)
            method, url, headers, body = request
            began = time.perf_counter()
            try:
                response = session.request(method, base + url, headers=headers, json=body, timeout=60)
                status = response.status_code
            except Exception as exc:  # counted, and the client goes on
                status = type(exc).__name__
            mine.add(kind, time.perf_counter() - began)
            if not isinstance(status, int) or status >= 400:
                mine.error(kind, f"{status} {method.upper()} {url}")
        with lock:
            total.merge(mine)

    with gunicorn(
        database_url=database_url,
        workers=args.workers,
        threads=args.threads,
        env={"BALLOT_KEYS_DIR": os.environ["BALLOT_KEYS_DIR"], "MEDIA_ROOT": os.environ["MEDIA_ROOT"]},
    ) as base:
        warm_up(base, by_kind, cookies)
        began = time.perf_counter()
        until = began + args.seconds
        threads = [threading.Thread(target=client, args=(n, base, until)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began

    everything = [v for values in total.by_kind.values() for v in values]
    errors = sum(len(e) for e in total.errors.values())
    print(f"{len(everything):,} requests in {elapsed:.1f} s")
    for kind in KINDS:
        values = total.by_kind.get(kind, [])
        if values:
            print(summary_line(kind, values, elapsed, len(total.errors.get(kind, []))))
    print(summary_line("overall", everything, elapsed, errors))
    for kind, seen in total.errors.items():
        print(f"errors, {kind}: {len(seen)}, e.g. {', '.join(sorted(set(seen))[:3])}")


def warm_up(base: str, by_kind: dict, cookies: dict) -> None:
    """Each worker imports the project, fills its template cache and opens its connection on its
    first requests; every read page is asked for once, from several threads."""
    import requests

    pages = [p for kind in ("list", "inbox", "dossier page", "inspector search") for p in by_kind[kind][:60]]

    def some(chunk):
        session = requests.Session()
        for role, url in chunk:
            session.get(base + url, headers={"Cookie": cookies[role]}, timeout=120)

    threads = [threading.Thread(target=some, args=(pages[i::6],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
