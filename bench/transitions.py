"""A dossier's whole path, step by step: our services beside bare viewflow and raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/transitions.py

With PostgreSQL it works in a throwaway database (`tdkt_bench`, created next to the one the URL
names and dropped at the end); otherwise in a temporary SQLite file. Three ways to take the same
six steps (submit, receive, accept, the council's result, the vice-chair's opinion, the chair's
decision), in the same run, on the same database, in interleaved rounds:

- services: workflows.services, as the pages and the API call them (every check, the state
  machine, the audit event, the flow; the after-commit listeners run too). The acting user is
  loaded with their roles and model permissions first, as a request has them before its view.
- viewflow: a flow of the same shape (a start, then View tasks with a switch after the
  appraisal), driven as viewflow's own views drive it: under the flow lock, claim the task,
  start it, complete it. No domain, no checks.
- raw SQL: the same state changes in plain SQL on tables of the same shape: lock the dossier,
  set its state, close the task, open the next, append a hashed audit row after the last.

With REDIS_URL (e.g. redis://127.0.0.1:6379/0), as in production, an act leaves its notices to a
Celery worker that relays the audit chain's new events into notices (notices.services.notices_relay)
and the request does nothing more: the relay runs after the timed rounds and its time per event
is printed. Without it, the request makes the notices itself, as `make run` does.

Each step is timed alone (ms: min / median / max over every dossier of every round), and the
whole path; queries per step are counted once, outside the timed rounds (SAVEPOINT and RELEASE
counted apart: they are round trips too, but not work).
"""

import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and a file here could hide an app.
sys.path[0] = str(ROOT)

BENCH_DB = "tdkt_bench_transitions"  # its own: other benchmarks may run at the same time

ROUNDS = 5  # interleaved: services, viewflow, raw SQL, then again
PER_ROUND = 8  # dossiers walked by each way in a round
STEPS = ("submit", "receive", "accept", "council", "opinion", "decide")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")  # DEBUG would keep every query in memory
    url = os.environ.get("DATABASE_URL", "")
    with throwaway_database(url) as bench_url, tempfile.TemporaryDirectory(prefix="tdkt_media_") as media:
        os.environ["DATABASE_URL"] = bench_url
        import django
        from django.conf import settings

        django.setup()
        settings.MEDIA_ROOT = media
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            from config.celery import app

            app.conf.task_default_queue = f"tdkt-bench-{os.getpid()}"
        run()


def throwaway_database(url: str):
    from bench.databases import throwaway_database as fresh

    return fresh(url, name=BENCH_DB)


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
        )
        return cursor.fetchone()[0]


# --- the three ways -----------------------------------------------------------------------------


class Services:
    name = "services"

    def __init__(self, world):
        self.w = world
        # What of each step is the flow's own work, and what the notices after the commit: timed
        # inside the step by wrapping the functions that do them (see `parts`).
        self.parts = {"flow": 0.0, "notices": 0.0}
        _time_parts(self.parts)

    def prepare(self):
        """A complete draft of school A, and what the council step needs before it (a meeting
        held on paper is recorded when the dossier reaches the council: not timed)."""
        from tests.factories import DossierFactory, NomineeFactory, award

        w = self.w
        dossier = DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
        nominee = NomineeFactory(dossier=dossier, award_type=award("giay-khen"), kind="individual")
        _attach(w, dossier, nominee)
        return {"dossier": dossier}

    def before(self, step, state):
        if step == "council":
            from tests import paper

            state["meeting"] = paper.record(
                secretary=self.w.secretary, council=self.w.council, dossiers=[_dossier(state)]
            )

    def step(self, step, state):
        """The call, with its actor loaded as a request has them; returns the callable to time."""
        from workflows import services as wf

        w = self.w
        dossier = _dossier(state)
        if step == "submit":
            actor = _request_user(w.head_a)
            return lambda: wf.dossier_submit(actor=actor, dossier=dossier)
        if step == "receive":
            actor = _request_user(w.officer)
            return lambda: wf.appraisal_receive(actor=actor, dossier=dossier)
        if step == "accept":
            actor = _request_user(w.officer)
            return lambda: wf.appraisal_accept(actor=actor, dossier=dossier)
        if step == "council":
            actor, meeting = _request_user(w.secretary), state["meeting"]
            return lambda: wf.council_result_record(actor=actor, dossier=dossier, meeting=meeting)
        if step == "opinion":
            actor = _request_user(w.vice_chair)
            return lambda: wf.opinion_give(actor=actor, dossier=dossier, text="Đồng ý đề nghị của Hội đồng.")
        actor = _request_user(w.chair)
        return lambda: wf.decision_issue(actor=actor, dossiers=[dossier], title="Tặng Giấy khen")


class Viewflow:
    name = "viewflow"

    def __init__(self, world):
        self.w = world
        self.flow = bare_flow()

    def prepare(self):
        return {}

    def before(self, step, state):
        pass

    def step(self, step, state):
        from django.db import transaction

        flow, w = self.flow, self.w
        if step == "submit":

            def start():
                with transaction.atomic():
                    state["process"] = flow.start.run()

            return start
        node = {
            "receive": flow.appraise,
            "accept": flow.appraise,
            "council": flow.council,
            "opinion": flow.opinion,
            "decide": flow.decide,
        }[step]
        user = {"council": w.secretary, "opinion": w.vice_chair, "decide": w.chair}.get(step, w.officer)

        def complete():
            from viewflow.workflow.models import Task

            task = Task.objects.get(process_id=state["process"].pk, flow_task=node, status__in=OPEN)
            with task.activation() as act:
                if step == "receive":
                    act.assign(user)
                    return
                if act.task.status == "NEW":
                    act.assign(user)
                act.start(None)
                act.execute()

        return complete


class RawSQL:
    name = "raw SQL"
    NEXT = {
        "submit": ("submitted", "appraise"),
        "receive": ("in_appraisal", None),
        "accept": ("in_council", "council"),
        "council": ("council_voted", "opinion"),
        "opinion": ("awaiting_decision", "decide"),
        "decide": ("decided", "end"),
    }

    def __init__(self, world):
        from django.db import connection

        serial = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE bench_dossier (id {serial} PRIMARY KEY, state VARCHAR(32) NOT NULL, "
                "updated_at TIMESTAMP NOT NULL)"
            )
            cursor.execute(
                f"CREATE TABLE bench_task (id {serial} PRIMARY KEY, dossier_id BIGINT NOT NULL, "
                "step VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL, owner_id BIGINT, "
                "created TIMESTAMP NOT NULL, finished TIMESTAMP)"
            )
            cursor.execute("CREATE INDEX bench_task_dossier ON bench_task (dossier_id, status)")
            cursor.execute(
                f"CREATE TABLE bench_event (seq {serial} PRIMARY KEY, ts TIMESTAMP NOT NULL, "
                "actor VARCHAR(150) NOT NULL, action VARCHAR(64) NOT NULL, object_id VARCHAR(64) NOT NULL, "
                "data TEXT NOT NULL, prev_hash CHAR(64) NOT NULL UNIQUE, hash CHAR(64) NOT NULL)"
            )

    def prepare(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_dossier (state, updated_at) VALUES ('draft', CURRENT_TIMESTAMP)"
            )
            cursor.execute("SELECT MAX(id) FROM bench_dossier")
            return {"id": cursor.fetchone()[0], "statements": 0}

    def before(self, step, state):
        pass

    def step(self, step, state):
        from django.db import connection, transaction

        target, opens = self.NEXT[step]

        def change():
            statements = [
                ("SELECT state FROM bench_dossier WHERE id = %s" + _for_update(), [state["id"]]),
                (
                    "UPDATE bench_dossier SET state = %s, updated_at = CURRENT_TIMESTAMP WHERE id = %s",
                    [target, state["id"]],
                ),
            ]
            if step == "receive":
                statements.append(
                    (
                        "UPDATE bench_task SET owner_id = 1 WHERE dossier_id = %s AND status = 'NEW'",
                        [state["id"]],
                    )
                )
            elif step != "submit":
                statements.append(
                    (
                        "UPDATE bench_task SET status = 'DONE', finished = CURRENT_TIMESTAMP "
                        "WHERE dossier_id = %s AND status = 'NEW'",
                        [state["id"]],
                    )
                )
            if opens:
                statements.append(
                    (
                        "INSERT INTO bench_task (dossier_id, step, status, created) VALUES (%s, %s, %s, CURRENT_TIMESTAMP)",
                        [state["id"], opens, "DONE" if opens == "end" else "NEW"],
                    )
                )
            with transaction.atomic(), connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT pg_advisory_xact_lock(1413761876)")
                cursor.execute("SELECT hash FROM bench_event ORDER BY seq DESC LIMIT 1")
                row = cursor.fetchone()
                prev = row[0] if row else "0" * 64
                data = f'{{"step": "{step}", "dossier": {state["id"]}}}'
                cursor.execute(
                    "INSERT INTO bench_event (ts, actor, action, object_id, data, prev_hash, hash) "
                    "VALUES (CURRENT_TIMESTAMP, %s, %s, %s, %s, %s, %s)",
                    [
                        "officer",
                        f"dossier.{step}",
                        str(state["id"]),
                        data,
                        prev,
                        hashlib.sha256((prev + data).encode()).hexdigest(),
                    ],
                )
            state["statements"] = len(statements) + 3 + (connection.vendor == "postgresql")

        return change


OPEN = ("NEW", "ASSIGNED")


def _for_update() -> str:
    from django.db import connection

    return " FOR UPDATE" if connection.vendor == "postgresql" else ""


def _time_parts(parts) -> None:
    """Add to `parts` the time spent in the flow's own work (the step's task read and locked
    with its process, then completed with the next created, or the process started:
    workflows.services._held_task, workflows.advance's `advance` and `start`) and in the
    notices sent after the commit (notices.services.on_event_recorded)."""
    import functools

    from audit.models import AuditEvent
    from audit.services import event_recorded
    from notices import services as notices
    from workflows import services as wf

    def timed(part, function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[part] += time.perf_counter() - start

        return run

    for name in ("_held_task", "advance", "start_flow"):
        setattr(wf, name, timed("flow", getattr(wf, name)))
    event_recorded.disconnect(sender=AuditEvent, dispatch_uid="notices")
    event_recorded.connect(
        timed("notices", notices.on_event_recorded), sender=AuditEvent, dispatch_uid="notices", weak=False
    )


def _dossier(state):
    from dossiers.models import Dossier

    return Dossier.objects.select_related("unit", "campaign", "reviewing_unit").get(pk=state["dossier"].pk)


def _request_user(user):
    """The user as a request has them when its view runs: loaded, with their roles (org.scopes)
    and model permissions (the navigation bar asks them)."""
    from org.models import User
    from org.scopes import scopes_for

    fresh = User.objects.get(pk=user.pk)
    scopes_for(fresh)
    fresh.get_all_permissions()
    return fresh


def _attach(w, dossier, nominee):
    from dossiers import services as dossier_services
    from tests.factories import doc_kind, pdf_upload

    for code in ("to-trinh", "bien-ban", "bao-cao-thanh-tich"):
        dossier_services.attachment_add(
            actor=w.staff_a,
            dossier=dossier,
            kind=doc_kind(code),
            uploaded_file=pdf_upload(f"{code}.pdf"),
            nominee=nominee if code == "bao-cao-thanh-tich" else None,
        )


def bare_flow():
    """viewflow alone: a start, the appraisal, a switch, the council, the opinion, the decision.
    viewflow finds a flow by its module inside an installed app, so the class is placed in
    workflows.flows for the run (it is never saved anywhere but this throwaway database)."""
    from django.db import connection
    from viewflow import this
    from viewflow.workflow import flow, lock

    from workflows import flows

    def page(request, **kwargs):  # a View node needs a view; tasks are completed from code here
        raise NotImplementedError

    class BareFlow(flow.Flow):
        lock_impl = lock.select_for_update_lock if connection.vendor == "postgresql" else lock.no_lock

        start = flow.StartHandle().Next(this.appraise)
        appraise = flow.View(page).Next(this.after_appraisal)
        after_appraisal = flow.Switch().Case(this.council, lambda activation: True)
        council = flow.View(page).Next(this.opinion)
        opinion = flow.View(page).Next(this.decide)
        decide = flow.View(page).Next(this.end)
        end = flow.End()

    BareFlow.__module__ = flows.__name__
    flows.BareFlow = BareFlow
    return BareFlow


# --- the world ------------------------------------------------------------------------------------


def world():
    """The tests' world (tests/conftest.py): a province, a commune with its council and standing
    body, school A, and one person per role the path needs."""
    from types import SimpleNamespace

    from django.utils import timezone

    from org.models import Role, UnitLevel
    from tests import factories as f

    province = f.UnitFactory(
        name="Thành phố Hà Nội", code="UBND", level=UnitLevel.PROVINCE, grants_awards=True
    )
    commune = f.UnitFactory(
        name="Phường Long Biên", code="UBND", level=UnitLevel.COMMUNE, parent=province, grants_awards=True
    )
    school_a = f.UnitFactory(name="Trường THCS Ngọc Lâm", code="THCSNL", parent=commune)
    council = f.council_for(commune)
    w = SimpleNamespace(
        commune=commune,
        school_a=school_a,
        council=council,
        campaign=f.CampaignFactory(
            name="Sáng kiến, sáng tạo Thủ đô",
            organizer=commune,
            period_end=timezone.localdate() + timezone.timedelta(days=365),
        ),
        staff_a=f.user_with_role(Role.UNIT_STAFF, school_a, username="staff_a"),
        head_a=f.user_with_role(Role.UNIT_HEAD, school_a, username="head_a"),
        officer=f.user_with_role(Role.STANDING_OFFICER, commune, username="officer"),
        chair=f.user_with_role(Role.CHAIR, commune, username="chair"),
        secretary=f.council_member(council, "secretary", username="secretary"),
        vice_chair=f.council_member(council, "vice_chair", username="vice_chair"),
    )
    f.council_member(council, "member", username="member")
    return w


# --- the run ----------------------------------------------------------------------------------------


def run() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {database_version()}, {os.cpu_count()} CPUs")
    w = world()
    ways = [Services(w), Viewflow(w), RawSQL(w)]

    queries = {way.name: count_queries(way) for way in ways}
    if os.environ.get("BENCH_SHOW_QUERIES"):
        return
    if os.environ.get("BENCH_PROFILE"):
        profile(ways[0])
        return
    timings = {way.name: defaultdict(list) for way in ways}
    for _ in range(ROUNDS):
        for way in ways:
            for _dossier_number in range(PER_ROUND):
                walk(way, timings[way.name])
    report(ways, timings, queries)
    drain_notices()


def drain_notices() -> None:
    """With a broker: the relay (notices.services.notices_relay, which a worker runs every few
    seconds) makes the notices of the acts of the timed rounds, timed per event."""
    import redis
    from django.conf import settings

    from config.celery import app
    from notices.models import Notice, NoticedEvent
    from notices.services import notices_relay

    if settings.CELERY_TASK_ALWAYS_EAGER:
        print("notices: made by each request (no REDIS_URL)")
        return
    start = time.perf_counter()
    relayed = notices_relay()
    spent = time.perf_counter() - start
    # The notices' emails were queued on the run's own queue: not sent from a benchmark.
    redis.Redis.from_url(settings.REDIS_URL).delete(app.conf.task_default_queue)
    print(
        f"notices: relayed after the acts, as a worker does: {relayed} events in {spent:.2f} s,"
        f" {spent / max(relayed, 1) * 1000:.2f} ms each ({NoticedEvent.objects.count()} events marked,"
        f" {Notice.objects.count()} notices)"
    )


def profile(way) -> None:
    """BENCH_PROFILE=1 (or a step's name): where the services' time goes in the steps alone,
    over PER_ROUND walks (cProfile, the functions with the most cumulative and own time)."""
    import cProfile
    import pstats

    only = os.environ["BENCH_PROFILE"]
    profiler = cProfile.Profile()

    @contextmanager
    def capture(step):
        profiler.enable() if only in ("1", step) else None
        try:
            yield
        finally:
            profiler.disable()

    for _ in range(PER_ROUND):
        walk(way, None, capture=capture)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(50)
    stats.sort_stats("tottime").print_stats(30)


def walk(way, timings, capture=None) -> None:
    state = way.prepare()
    total = 0.0
    for step in STEPS:
        way.before(step, state)
        call = way.step(step, state)
        if capture is not None:
            with capture(step):
                call()
            continue
        parts = getattr(way, "parts", {})
        for part in parts:
            parts[part] = 0.0
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
        timings[step].append(elapsed)
        for part, spent in parts.items():
            timings[(part, step)].append(spent)
        total += elapsed
    if capture is None:
        timings["whole path"].append(total)


def count_queries(way) -> dict[str, tuple[int, int]]:
    """Per step: (queries without SAVEPOINT/RELEASE, savepoint statements), in a walk after the
    first (as a running process makes the steps); the first walk's, where they differ, under
    ("first", step): a process's first submission reads the rulebook it then keeps, the year's
    first decision opens the year's register."""

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counted = {}

    @contextmanager
    def capture(step):
        with CaptureQueriesContext(connection) as ctx:
            yield
        sqls = [q["sql"] for q in ctx.captured_queries]
        savepoints = sum(1 for sql in sqls if "SAVEPOINT" in sql)
        counted[step] = (len(sqls) - savepoints, savepoints)
        if os.environ.get("BENCH_SHOW_QUERIES"):
            print(f"-- {way.name}, {step}:", *(f"   {sql[:160]}" for sql in sqls), sep="\n")

    if isinstance(way, RawSQL):
        state = way.prepare()
        for step in STEPS:
            way.step(step, state)()
            counted[step] = (state["statements"], 0)
        return counted
    walk(way, None, capture=capture)
    first = dict(counted)
    walk(way, None, capture=capture)
    counted.update({("first", step): n for step, n in first.items() if n != counted[step]})
    return counted


def report(ways, timings, queries) -> None:
    print(f"{ROUNDS} interleaved rounds × {PER_ROUND} dossiers per way; ms min / median / max")
    header = f"{'step':<11}" + "".join(f"{way.name:>30}" for way in ways)
    print(header)
    for step in (*STEPS, "whole path"):
        cells = []
        for way in ways:
            values = [v * 1000 for v in timings[way.name][step]]
            cells.append(f"{min(values):8.2f} /{statistics.median(values):7.2f} /{max(values):8.2f}")
        print(f"{step:<11}" + "".join(f"{cell:>30}" for cell in cells))
    print(
        "services' steps in parts, ms median: the flow's own work (the task read and locked, then"
        " completed and the next created; the process started), the notices after the commit, the"
        " rest (the step's checks and domain writes, the audit event, the commit); viewflow's"
        " whole step beside them"
    )
    print(f"{'step':<11}{'flow':>10}{'notices':>10}{'the rest':>10}{'viewflow':>10}")
    for step in STEPS:
        whole = statistics.median(timings["services"][step]) * 1000
        flow = statistics.median(timings["services"][("flow", step)]) * 1000
        notices = statistics.median(timings["services"][("notices", step)]) * 1000
        bare = statistics.median(timings["viewflow"][step]) * 1000
        print(f"{step:<11}{flow:10.2f}{notices:10.2f}{whole - flow - notices:10.2f}{bare:10.2f}")
    print("queries per step (+ SAVEPOINT/RELEASE statements; ours and viewflow's with BEGIN and COMMIT), in")
    print(
        "brackets a process's first walk where it differs (the rulebook read, then kept; the year's register):"
    )
    print(f"{'step':<11}" + "".join(f"{way.name:>20}" for way in ways))
    for step in STEPS:
        cells = []
        for way in ways:
            counted = queries[way.name]
            cell = f"{counted[step][0]} + {counted[step][1]}"
            if ("first", step) in counted:
                cell += f" ({counted[('first', step)][0]} + {counted[('first', step)][1]})"
            cells.append(cell)
        print(f"{step:<11}" + "".join(f"{cell:>20}" for cell in cells))
    medians = {way.name: statistics.median(timings[way.name]["whole path"]) for way in ways}
    base = medians["services"]
    print(
        "whole path, median: "
        + ", ".join(
            f"{name} {value * 1000:.1f} ms ({base / value:.2f}× services' time)"
            for name, value in medians.items()
        )
    )


if __name__ == "__main__":
    main()
