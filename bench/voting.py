"""Eleven members vote on twenty nominees at once, over HTTP, against gunicorn on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/voting.py
    ... bench/voting.py --workers 5 --threads 1 --rounds 3 --think 0

Works in a throwaway database (`tdkt_bench_voting`, created next to the one the URL names and
dropped at the end) and a temporary ballot-key directory shared with the server. Each round is a
meeting of its own (a council of 11: chair, secretary, nine members; four dossiers of five
nominees, secret ballot, everyone present, vote opened): the 11 members start together, each
casting one ballot per nominee in an order of their own through the API (`POST
/api/meetings/<id>/ballots/`, token authentication), the next as soon as the last is
acknowledged (`--think` adds a pause between a member's taps). Afterwards the chairperson closes
the meeting and the tally is checked against what the server acknowledged: every acknowledged
ballot counted exactly once, none counted that was not acknowledged.

Prints the latency of a vote (p50/p95/max, per round and over all rounds) and the throughput
(acknowledged votes per second of the round's wall time). Runs in about a minute.
"""

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and would hide the apps.
sys.path[0] = str(ROOT)

BENCH_DB = "tdkt_bench_voting"
MEMBERS = 11
NOMINEES = 20
TARGET_P95 = 0.100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (default 5)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
    parser.add_argument("--rounds", type=int, default=3, help="meetings voted one after another")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between a member's taps")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/voting.py needs DATABASE_URL=postgres://… (a server it may create a database on)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"
    from bench import audit as audit_bench

    audit_bench.BENCH_DB = BENCH_DB
    with (
        audit_bench.throwaway_database(url) as bench_url,
        tempfile.TemporaryDirectory(prefix="tdkt_bench_keys_") as keys,
    ):
        os.environ["DATABASE_URL"] = bench_url
        os.environ["BALLOT_KEYS_DIR"] = keys
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(bench_url, keys, args)


def build_meeting(tag: str, *, members: int = MEMBERS, nominees: int = NOMINEES):
    """A council of `members` (chair, secretary, members) at a commune of its own, `nominees`
    eligible nominees on four dossiers before it, a secret-ballot meeting with everyone present
    and the vote open. Returns (meeting, [members], {username: API key}, [nominee ids])."""
    import datetime as dt

    from django.utils import timezone

    from approvals import meeting_services as ms
    from dossiers.models import AwardType, Campaign, Dossier, DossierState, Nominee, NomineeOutcome
    from org.models import Council, Unit, UnitLevel, User
    from org.services import api_token_issue, council_member_add

    today = timezone.localdate()
    province = Unit.objects.filter(level=UnitLevel.PROVINCE, code=f"BENCH{tag}").first()
    province = province or Unit.objects.create(
        name=f"Tỉnh thử {tag}", code=f"BENCH{tag}", level=UnitLevel.PROVINCE, grants_awards=True
    )
    commune = Unit.objects.create(
        name=f"Xã thử {tag}", code="UBND", level=UnitLevel.COMMUNE, parent=province, grants_awards=True
    )
    school = Unit.objects.create(name=f"Trường thử {tag}", code="THX", level=UnitLevel.SCHOOL, parent=commune)
    council = Council.objects.create(unit=commune, name=f"Hội đồng TĐKT xã thử {tag}")
    roles = ["chair", "secretary"] + ["member"] * (members - 2)
    people = []
    for number, role in enumerate(roles):
        user = User.objects.create_user(
            username=f"v{tag}_{number}",
            password="bench-password-1",
            full_name=f"Ủy viên {tag} {number}",
            unit=commune,
        )
        council_member_add(
            actor="system", council=council, user=user, council_role=role, start=dt.date(2020, 1, 1)
        )
        people.append(User.objects.get(pk=user.pk))
    campaign = Campaign.objects.create(
        name=f"Phong trào thi đua {tag}",
        organizer=commune,
        period_start=today - dt.timedelta(days=300),
        period_end=today + dt.timedelta(days=60),
        submission_deadline=today + dt.timedelta(days=30),
        legal_basis="Kế hoạch số 19/KH-HĐTĐKT",
    )
    award = AwardType.objects.get(code="giay-khen")
    rule = award.rule_on(today)
    dossiers, ids = [], []
    per_dossier = -(-nominees // 4)
    for number in range(4):
        dossier = Dossier.objects.create(
            title=f"Hồ sơ đề nghị khen thưởng {tag}-{number}",
            unit=school,
            campaign=campaign,
            created_by=people[0],
            state=DossierState.IN_COUNCIL,
            rules_date=today,
            submission_count=1,
            procedure_kind="campaign",
            reviewing_unit=commune,
        )
        for _ in range(min(per_dossier, nominees - len(ids))):
            nominee = Nominee.objects.create(
                dossier=dossier,
                kind="individual",
                name=f"Trần Thị Hồng {tag}-{len(ids)}",
                position="Giáo viên",
                achievements="Hoàn thành xuất sắc nhiệm vụ năm học.",
                award_type=award,
                rule=rule,
                outcome=NomineeOutcome.ELIGIBLE,
            )
            ids.append(nominee.pk)
        dossiers.append(dossier)
    chair, secretary = people[0], people[1]
    meeting = ms.meeting_schedule(
        actor=secretary,
        council=council,
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
        place="Hội trường UBND xã",
        chairperson=chair,
        secretary=secretary,
        dossiers=[d for d in dossiers if d.nominees.exists()],
    )
    ms.meeting_attendance_record(actor=secretary, meeting=meeting, present=people)
    meeting = ms.meeting_open_voting(actor=secretary, meeting=meeting)
    keys = {p.username: api_token_issue(actor=p).key for p in people}
    return meeting, people, keys, ids


def vote_all(base: str, meeting_id: int, keys: dict, nominees: list, *, think: float, seed: int):
    """Every member casts one ballot per nominee at once; returns (timings, acknowledged
    [(username, nominee, choice)], refusals [(username, nominee, status, body)], wall seconds)."""
    import requests

    from bench.serve import Timings

    timings = Timings()
    acknowledged, refused = [], []
    lock = threading.Lock()
    start = threading.Barrier(len(keys) + 1)

    def member(index: int, username: str, key: str) -> None:
        rng = random.Random(seed * 1000 + index)
        session = requests.Session()
        session.headers["Authorization"] = f"Token {key}"
        order = rng.sample(nominees, len(nominees))
        mine = Timings()
        start.wait()
        for nominee in order:
            choice = rng.choice(["agree", "agree", "disagree"])
            began = time.perf_counter()
            response = session.post(
                f"{base}/api/meetings/{meeting_id}/ballots/", json={"nominee": nominee, "choice": choice}
            )
            mine.add("vote", time.perf_counter() - began)
            with lock:
                if response.status_code == 201:
                    acknowledged.append((username, nominee, choice))
                else:
                    refused.append((username, nominee, response.status_code, response.text[:200]))
            if think:
                time.sleep(rng.uniform(0.5, 1.5) * think)
        with lock:
            timings.merge(mine)

    threads = [
        threading.Thread(target=member, args=(i, username, key))
        for i, (username, key) in enumerate(keys.items())
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return timings, acknowledged, refused, time.perf_counter() - began


def check_counted_once(meeting, people, acknowledged) -> None:
    """Close the meeting as its chairperson and compare the tally with what was acknowledged."""
    from approvals import meeting_services as ms
    from approvals.models import AgendaItem, Participation

    expected_participations = sorted((u, n) for u, n, _c in acknowledged)
    got = sorted(
        Participation.objects.filter(item__meeting=meeting).values_list(
            "member__username", "item__nominee_id"
        )
    )
    if got != expected_participations:
        raise AssertionError(
            f"participations: {len(got)} recorded, {len(expected_participations)} acknowledged"
        )
    ms.meeting_close(actor=people[0], meeting=meeting)
    told = Counter((n, c) for _u, n, c in acknowledged)
    for item in AgendaItem.objects.filter(meeting=meeting):
        counted = (item.votes_for, item.votes_against)
        sent = (told[(item.nominee_id, "agree")], told[(item.nominee_id, "disagree")])
        if counted != sent:
            raise AssertionError(f"nominee {item.nominee_id}: counted {counted}, acknowledged {sent}")


def warm_up(base: str, keys: dict, meeting_id: int) -> None:
    """Each worker imports the project and opens its database connection on its first requests:
    not what a member waits for in a meeting under way."""
    import requests

    def one(key):
        session = requests.Session()
        session.headers["Authorization"] = f"Token {key}"
        for _ in range(3):
            session.get(f"{base}/api/meetings/{meeting_id}/")

    threads = [threading.Thread(target=one, args=(key,)) for key in keys.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(database_url: str, keys_dir: str, args) -> None:
    from django.db import connection

    from bench.audit import database_version
    from bench.serve import gunicorn, summary_line

    print(
        f"database: {connection.vendor} {database_version()}, {os.cpu_count()} CPUs; gunicorn "
        f"{args.workers} workers × {args.threads} threads; {MEMBERS} members × {NOMINEES} nominees, "
        f"{args.rounds} rounds, think {args.think} s"
    )
    meetings = [build_meeting(f"R{r}") for r in range(args.rounds)]
    connection.close()
    everything = []
    total_acknowledged, total_wall = 0, 0.0
    with gunicorn(
        database_url=database_url,
        workers=args.workers,
        threads=args.threads,
        env={"BALLOT_KEYS_DIR": keys_dir},
    ) as base:
        warm_up(base, meetings[0][2], meetings[0][0].pk)
        for number, (meeting, people, keys, nominees) in enumerate(meetings, 1):
            timings, acknowledged, refused, wall = vote_all(
                base, meeting.pk, keys, nominees, think=args.think, seed=number
            )
            if refused:
                print(f"round {number}: {len(refused)} votes refused, e.g. {refused[0]}")
            check_counted_once(meeting, people, acknowledged)
            votes = timings.by_kind["vote"]
            everything += votes
            total_acknowledged += len(acknowledged)
            total_wall += wall
            print(summary_line(f"round {number}: vote", votes, wall, len(refused)) + "  counted once: yes")
    print(summary_line("all rounds: vote", everything, total_wall))
    from bench.serve import percentile

    p95 = percentile(everything, 95)
    verdict = "within" if p95 <= TARGET_P95 else "OVER"
    print(
        f"p95 {p95 * 1000:.1f} ms: {verdict} the {TARGET_P95 * 1000:.0f} ms target; {total_acknowledged} votes acknowledged"
    )


if __name__ == "__main__":
    main()
