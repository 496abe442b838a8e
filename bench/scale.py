"""Lists, inboxes, dossier pages and the inspector's searches at a province's scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scale.py
    ... bench/scale.py --sizes 1000,100000 --repeats 10      (the default)
    ... bench/scale.py --sizes 1000 --keep                   (keep `tdkt_scale` afterwards)
    ... bench/scale.py --measure-only --keep                 (measure a kept `tdkt_scale` again,
                                                              after `manage.py migrate` on it)

It works in a throwaway PostgreSQL database (`tdkt_scale`, created next to the one the URL names,
dropped at the end unless --keep); without a PostgreSQL URL, in a temporary SQLite file (small
sizes only). It builds one province's world (about 480 units, 1,400 people with their roles and
councils, campaigns), then grows it to each size in turn: dossiers in every state with 1 to 5
nominees, the viewflow process and tasks each state implies (so inboxes are real), the standing
body's assignments, public notices, decisions, and about eleven audit events a dossier, hashed
into one chain that `verify_audit` accepts. Rows go in with COPY, not through the services: the
services' own cost is bench/transitions.py's.

At each size it requests every list, inbox, the dossier page and the inspector's searches through
Django's test client, signed in as each role (unit staff and head, standing officer and leader,
council member, chair, inspector, the province's officer, the superuser), and prints p50/p95 in
milliseconds and the queries of each page. On this 2-core machine the default run took 16 minutes
under a load average of 14 (building 100,000 dossiers and 1.16 million events: under 6 of them;
measuring them, after the lists were made flat: 9), less on a quiet one.

Other benches build the same world with `build(n_dossiers)` (in a database already migrated).
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    # Run as a script, this folder comes first on sys.path and would hide the project's apps.
    sys.path[0] = str(ROOT)

BENCH_DB = "tdkt_scale"
SEED = 16
PASSWORD_HASH = "!"  # unusable: the bench signs people in with force_login

# The world: one province; departments and communes that decide awards, each with its standing
# body, council and chair; under each of them the offices, schools and enterprises that propose.
DEPARTMENTS = 20
COMMUNES = 30
CHILDREN = 9  # proposing units under each deciding unit (about 450 in all)
CAMPAIGNS = 8

# Dossiers by state (weights), as a province's year leaves them.
STATE_WEIGHTS = {
    "draft": 10,
    "submitted": 8,
    "in_appraisal": 10,
    "returned": 5,
    "rejected": 3,
    "public_notice": 3,
    "in_council": 8,
    "council_voted": 5,
    "awaiting_decision": 6,
    "decided": 30,
    "forwarded": 4,
    "declined": 2,
    "withdrawn": 6,
}
# The steps each state has been through (done tasks) and the step open in it (an open task).
DONE_STEPS = {
    "submitted": ["start"],
    "in_appraisal": ["start"],
    "returned": ["start", "appraise"],
    "rejected": ["start", "appraise", "rejected"],
    "public_notice": ["start", "appraise"],
    "in_council": ["start", "appraise"],
    "council_voted": ["start", "appraise", "council"],
    "awaiting_decision": ["start", "appraise", "council", "opinion"],
    "decided": ["start", "appraise", "council", "opinion", "decide", "end"],
    "forwarded": ["start", "appraise", "council", "opinion", "decide", "end"],
    "declined": ["start", "appraise", "council", "opinion", "decide", "end"],
    "withdrawn": ["start"],
}
OPEN_STEP = {
    "submitted": "appraise",
    "in_appraisal": "appraise",
    "returned": "resubmit",
    "public_notice": "notice",
    "in_council": "council",
    "council_voted": "opinion",
    "awaiting_decision": "decide",
}
# The audit events each state's history holds beyond creation, nominees and files.
STATE_ACTIONS = {
    "draft": [],
    "submitted": ["dossier.submit"],
    "in_appraisal": ["dossier.submit", "dossier.receive"],
    "returned": ["dossier.submit", "dossier.receive", "dossier.return"],
    "rejected": ["dossier.submit", "dossier.receive", "dossier.reject"],
    "public_notice": ["dossier.submit", "dossier.receive", "dossier.accept"],
    "in_council": ["dossier.submit", "dossier.receive", "dossier.accept"],
    "council_voted": ["dossier.submit", "dossier.receive", "dossier.accept", "dossier.council_result"],
    "awaiting_decision": [
        "dossier.submit",
        "dossier.receive",
        "dossier.accept",
        "dossier.council_result",
        "dossier.opinion",
    ],
    "decided": [
        "dossier.submit",
        "dossier.receive",
        "dossier.accept",
        "dossier.council_result",
        "dossier.opinion",
        "dossier.decide",
    ],
    "forwarded": [
        "dossier.submit",
        "dossier.receive",
        "dossier.accept",
        "dossier.council_result",
        "dossier.opinion",
        "dossier.forward",
    ],
    "declined": [
        "dossier.submit",
        "dossier.receive",
        "dossier.accept",
        "dossier.council_result",
        "dossier.opinion",
        "dossier.decline",
    ],
    "withdrawn": ["dossier.withdraw"],
}
OUTCOME = {
    "draft": "proposed",
    "submitted": "proposed",
    "in_appraisal": "proposed",
    "returned": "proposed",
    "rejected": "ineligible",
    "public_notice": "eligible",
    "in_council": "eligible",
    "council_voted": "voted_in",
    "awaiting_decision": "voted_in",
    "decided": "awarded",
    "forwarded": "voted_in",
    "declined": "voted_in",
    "withdrawn": "proposed",
}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Thu", "Quốc", "Hồng"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Phương"]
SCHOOL_KINDS = [
    ("school", "Trường THCS"),
    ("school", "Trường Tiểu học"),
    ("school", "Trường Mầm non"),
    ("office", "Phòng"),
    ("enterprise", "Công ty TNHH"),
]
PLACES = ["Long Biên", "Gia Lâm", "Đông Anh", "Sóc Sơn", "Thanh Trì", "Hoàng Mai", "Cầu Giấy", "Tây Hồ"]


@dataclass
class World:
    """What the build made, for the measurements and for other benches."""

    province: int = 0
    deciders: list = field(default_factory=list)  # unit ids that decide awards (province first)
    proposers: dict = field(default_factory=dict)  # proposing unit id -> its deciding unit id
    paths: dict = field(default_factory=dict)  # unit id -> path
    names: dict = field(default_factory=dict)  # unit id -> name
    people: dict = field(default_factory=dict)  # (role, unit id) -> [user ids]
    councils: dict = field(default_factory=dict)  # deciding unit id -> council member ids (roles)
    campaigns: list = field(default_factory=list)
    award_types: list = field(default_factory=list)
    superuser: int = 0
    dossiers: int = 0  # how many the world holds now
    samples: dict = field(default_factory=dict)  # (state, reviewing unit) -> a dossier id


# --- writing rows fast ---------------------------------------------------------------------------


class Rows:
    """Rows of one model written with COPY on PostgreSQL (executemany elsewhere). Ids are given
    here, from the table's current maximum, so rows can point at each other before they exist."""

    def __init__(self, model, using="default"):
        from django.db import connections

        self.model = model
        self.connection = connections[using]
        self.fields = list(model._meta.local_concrete_fields)
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.rows = []
        pk = model._meta.pk
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX("{pk.column}") FROM "{model._meta.db_table}"')
            self.next_id = (cursor.fetchone()[0] or 0) + 1

    def add(self, **values) -> int:
        pk = self.model._meta.pk.attname
        if pk not in values:
            values[pk] = self.next_id
            self.next_id += 1
        self.rows.append(values)
        return values[pk]

    def write(self) -> int:
        connection, fields = self.connection, self.fields
        prepared = []
        for values in self.rows:
            row = []
            for f in fields:
                value = values.get(f.attname, self.defaults[f.attname])
                if isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False)
                elif value is not None and not isinstance(value, str | int | bool | dt.date):
                    value = f.get_db_prep_save(value, connection)
                row.append(value)
            prepared.append(row)
        copy_rows(connection, self.model._meta.db_table, [f.column for f in fields], prepared)
        count = len(self.rows)
        self.rows = []
        return count


def copy_rows(connection, table, columns, rows) -> None:
    if not rows:
        return
    quoted = ", ".join(f'"{c}"' for c in columns)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def reset_sequences(models, using="default") -> None:
    from django.core.management.color import no_style
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# --- the world ------------------------------------------------------------------------------------


def person_name(rng) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def build_world(*, using="default", seed=SEED) -> World:
    """Units, people with their roles and groups, councils, campaigns."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from dossiers.models import AwardType, Campaign
    from org.models import Council, CouncilMembership, RoleAssignment, Unit, User

    rng = random.Random(seed)
    world = World()
    today = timezone.localdate()
    term = today.replace(year=today.year - 2, month=1, day=1)
    units = Rows(Unit, using)

    def unit(name, code, level, parent, grants, place=""):
        pk = units.next_id
        path = f"{world.paths[parent]}{pk}/" if parent else f"/{pk}/"
        units.add(
            name=name,
            code=code,
            level=level,
            parent_id=parent,
            path=path,
            grants_awards=grants,
            place_name=place,
        )
        world.paths[pk], world.names[pk] = path, name
        return pk

    world.province = unit("Ủy ban nhân dân tỉnh Bắc Hà", "UBND", "province", None, True, "Bắc Hà")
    world.deciders = [world.province]
    for n in range(DEPARTMENTS):
        world.deciders.append(unit(f"Sở số {n + 1} tỉnh Bắc Hà", "SNV", "department", world.province, True))
    for n in range(COMMUNES):
        place = f"{PLACES[n % len(PLACES)]} {n // len(PLACES) + 1}"
        world.deciders.append(
            unit(f"Ủy ban nhân dân xã {place}", "UBND", "commune", world.province, True, place)
        )
    for decider in world.deciders[1:]:
        for n in range(CHILDREN):
            level, prefix = SCHOOL_KINDS[n % len(SCHOOL_KINDS)]
            child = unit(
                f"{prefix} {world.names[decider].split()[-1]} số {n + 1}", "DV", level, decider, False
            )
            world.proposers[child] = decider
    # Departments and communes propose to the province too (its Bằng khen, Cờ thi đua).
    for decider in world.deciders[1:]:
        world.proposers[decider] = world.province
    units.write()

    users, assignments = Rows(User, using), Rows(RoleAssignment, using)
    councils, memberships = Rows(Council, using), Rows(CouncilMembership, using)
    groups = dict(Group.objects.using(using).values_list("name", "pk"))
    membership_rows = []  # (user id, group id)
    now = timezone.now()

    def user(username, unit_id, position, superuser=False):
        pk = users.add(
            username=username,
            password=PASSWORD_HASH,
            full_name=person_name(rng),
            position=position,
            unit_id=unit_id,
            is_superuser=superuser,
            is_staff=superuser,
            is_active=True,
            date_joined=now,
            email="",
            first_name="",
            last_name="",
        )
        return pk

    def role(user_id, role_name, unit_id):
        assignments.add(user_id=user_id, role=role_name, unit_id=unit_id, start=term, end=None)
        world.people.setdefault((role_name, unit_id), []).append(user_id)
        membership_rows.append((user_id, groups[role_name]))

    world.superuser = user("admin", world.province, "Quản trị hệ thống", superuser=True)
    inspector = user("inspector", world.province, "Thanh tra viên")
    role(inspector, "inspector", world.province)
    for unit_id in world.proposers:
        if unit_id not in world.deciders:
            role(user(f"staff{unit_id}", unit_id, "Cán bộ TĐKT"), "unit_staff", unit_id)
            role(user(f"head{unit_id}", unit_id, "Thủ trưởng đơn vị"), "unit_head", unit_id)
    for decider in world.deciders:
        if decider != world.province:
            role(user(f"staff{decider}", decider, "Cán bộ TĐKT"), "unit_staff", decider)
        for n in range(2):
            role(user(f"officer{decider}_{n}", decider, "Chuyên viên"), "standing_officer", decider)
        role(user(f"leader{decider}", decider, "Trưởng phòng Nội vụ"), "standing_leader", decider)
        chair = user(f"chair{decider}", decider, "Chủ tịch")
        role(chair, "chair", decider)
        if decider != world.province:
            role(chair, "unit_head", decider)  # the chair signs the unit's own proposals upward
        council = councils.add(unit_id=decider, name=f"Hội đồng TĐKT {world.names[decider]}")
        seats = [(chair, "chair")]
        seats.append((user(f"vice{decider}", decider, "Phó Chủ tịch"), "vice_chair"))
        seats.append((user(f"secretary{decider}", decider, "Thư ký Hội đồng"), "secretary"))
        seats += [(user(f"member{decider}_{n}", decider, "Ủy viên"), "member") for n in range(3)]
        for member, seat in seats:
            memberships.add(council_id=council, user_id=member, council_role=seat, start=term, end=None)
            group = {"chair": "council_member", "vice_chair": "vice_chair", "secretary": "council_secretary"}
            membership_rows.append((member, groups[group.get(seat, "council_member")]))
        world.councils[decider] = seats
    for rows in (users, assignments, councils, memberships):
        rows.write()
    from django.db import connections

    through = User.groups.through
    copy_rows(
        connections[using],
        through._meta.db_table,
        ["user_id", "group_id"],
        sorted(set(membership_rows)),
    )

    world.award_types = list(AwardType.objects.using(using).values_list("pk", flat=True))
    for n in range(CAMPAIGNS):
        start = today.replace(year=today.year - 1 - n // 4, month=1 + (n % 4) * 3, day=1)
        campaign = Campaign.objects.using(using).create(
            name=f"Phong trào thi đua đợt {n + 1} năm {start.year}",
            organizer_id=world.province,
            period_start=start,
            period_end=start + dt.timedelta(days=360),
            submission_deadline=start + dt.timedelta(days=330),
        )
        campaign.award_types.set(world.award_types)
        world.campaigns.append(campaign.pk)
    reset_sequences([Unit, User, RoleAssignment, Council, CouncilMembership, through], using)
    return world


# --- dossiers and their history --------------------------------------------------------------------


def add_dossiers(world: World, count: int, *, using="default", seed=SEED, events_per_dossier=True) -> None:
    """`count` more dossiers, each with its nominees, process, tasks and audit events."""
    from django.utils import timezone
    from viewflow.workflow.models import Process, Task
    from viewflow.workflow.status import PROCESS, STATUS

    from approvals.assignments import DossierAssignment
    from approvals.models import Decision, PublicNotice
    from dossiers.models import Dossier, Nominee
    from workflows.flows import DossierFlow
    from workflows.models import DossierProcess

    rng = random.Random(seed + world.dossiers)
    now = timezone.now()
    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    proposers = list(world.proposers)
    flow_class = Process._meta.get_field("flow_class").get_prep_value(DossierFlow)
    task_field = Task._meta.get_field("flow_task")
    nodes = {node.name: node for node in DossierFlow.instance.nodes()}
    node_ref = {name: task_field.get_prep_value(node) for name, node in nodes.items()}
    node_type = {name: node.task_type for name, node in nodes.items()}

    dossiers, nominees = Rows(Dossier, using), Rows(Nominee, using)
    processes, tasks = Rows(Process, using), Rows(Task, using)
    assignments, notices = Rows(DossierAssignment, using), Rows(PublicNotice, using)
    decisions = Rows(Decision, using)
    dossier_processes = []  # (process id, dossier id)
    decided = {}  # reviewing unit -> [dossier ids]
    events = []  # (ts, actor, roles, action, object_type, object_id, data, scope, dossier id)

    for _ in range(count):
        unit = rng.choice(proposers)
        reviewing = world.proposers[unit]
        state = rng.choices(states, weights)[0]
        upward = reviewing == world.province and rng.random() < 0.2 and state != "draft"
        created = now - dt.timedelta(days=rng.uniform(5, 700), seconds=rng.uniform(0, 86400))
        age = (now - created).total_seconds()
        submitted = created + dt.timedelta(seconds=age * rng.uniform(0.05, 0.3))
        if state == "draft" or (state == "withdrawn" and rng.random() < 0.5):
            submitted = None
        updated = created + dt.timedelta(seconds=age * rng.uniform(0.3, 0.95))
        staff = world.people[("unit_staff", unit)][0]
        campaign = rng.choice(world.campaigns)
        place = world.names[unit]
        title = f"Đề nghị khen thưởng {rng.choice(['năm học', 'năm', 'đợt'])} {created.year} của {place}"
        dossier = dossiers.add(
            unit_id=unit,
            campaign_id=campaign,
            title=title,
            procedure_kind="campaign",
            summary="Thành tích xuất sắc trong phong trào thi đua.",
            state=state,
            created_by_id=staff,
            created_at=created,
            updated_at=updated,
            submitted_at=submitted,
            rules_date=submitted.date() if submitted else None,
            unit_name_at_submission=place if submitted else "",
            submission_count=(2 if state == "returned" else 1) if submitted else 0,
            reviewing_unit_id=reviewing,
            is_upward=upward,
            forwarded_to_id=None,
        )
        world.samples.setdefault((state, reviewing), dossier)
        world.samples.setdefault((state, unit), dossier)
        scope, username = world.paths[unit], f"staff{unit}"
        log = events.append
        log(
            (
                created,
                username,
                "unit_staff",
                "dossier.create",
                "dossiers.dossier",
                dossier,
                {"title": title},
                scope,
                dossier,
            )
        )
        kinds = rng.randint(1, 5)
        for n in range(kinds):
            individual = rng.random() < 0.75
            name = person_name(rng) if individual else f"Tổ chuyên môn số {n + 1}"
            nominee = nominees.add(
                dossier_id=dossier,
                kind="individual" if individual else "collective",
                name=name,
                position="Giáo viên" if individual else "",
                workplace=place,
                sex=rng.choice(["male", "female"]) if individual else "",
                award_type_id=rng.choice(world.award_types),
                achievements="Hoàn thành xuất sắc nhiệm vụ; có sáng kiến được công nhận.",
                outcome=OUTCOME[state],
            )
            at = created + dt.timedelta(minutes=5 + n)
            data = {"dossier_id": dossier, "name": name}
            log(
                (at, username, "unit_staff", "nominee.add", "dossiers.nominee", nominee, data, scope, dossier)
            )
            data = {"dossier_id": dossier, "kind": "bao-cao-thanh-tich", "version": 1}
            log(
                (
                    at,
                    username,
                    "unit_staff",
                    "attachment.add",
                    "dossiers.attachment",
                    nominee,
                    data,
                    scope,
                    dossier,
                )
            )
        data = {"dossier_id": dossier, "kind": "to-trinh", "version": 1}
        log(
            (
                created + dt.timedelta(minutes=30),
                username,
                "unit_staff",
                "attachment.add",
                "dossiers.attachment",
                dossier,
                data,
                scope,
                dossier,
            )
        )
        officer = rng.choice(world.people[("standing_officer", reviewing)])
        actions = STATE_ACTIONS[state]
        step_at = submitted or updated
        for n, action in enumerate(actions):
            at = step_at + (updated - step_at) * (n / max(len(actions), 1))
            actor = (
                f"head{unit}" if action in ("dossier.submit", "dossier.withdraw") else f"officer{reviewing}_0"
            )
            if action in ("dossier.decide", "dossier.forward", "dossier.decline"):
                actor = f"chair{reviewing}"
            if unit in world.deciders and actor == f"head{unit}":
                actor = f"chair{unit}"
            log((at, actor, "", action, "dossiers.dossier", dossier, {"state": state}, scope, dossier))

        if submitted is None:
            continue
        finished = state in ("rejected", "decided", "forwarded", "declined", "withdrawn")
        process = processes.add(
            flow_class=flow_class,
            status=(PROCESS.CANCELED if state == "withdrawn" else PROCESS.DONE) if finished else PROCESS.NEW,
            created=submitted,
            finished=updated if finished else None,
            data={},
        )
        dossier_processes.append((process, dossier))
        for n, step in enumerate(DONE_STEPS[state]):
            at = submitted + (updated - submitted) * (n / 6)
            tasks.add(
                process_id=process,
                flow_task=node_ref[step],
                flow_task_type=node_type[step],
                status=STATUS.DONE,
                created=at,
                started=at,
                finished=at,
                owner_id=officer if step == "appraise" else None,
                data={},
            )
        if state == "withdrawn":
            tasks.add(
                process_id=process,
                flow_task=node_ref["appraise"],
                flow_task_type=node_type["appraise"],
                status=STATUS.CANCELED,
                created=submitted,
                finished=updated,
                data={},
            )
        step = OPEN_STEP.get(state)
        if step:
            held = state == "in_appraisal"
            tasks.add(
                process_id=process,
                flow_task=node_ref[step],
                flow_task_type=node_type[step],
                status=STATUS.ASSIGNED if held else STATUS.NEW,
                created=updated,
                assigned=updated if held else None,
                owner_id=officer if held else None,
                data={},
            )
            if held and rng.random() < 0.5:
                leader = world.people[("standing_leader", reviewing)][0]
                assignments.add(
                    dossier_id=dossier, assignee_id=officer, assigned_by_id=leader, assigned_at=updated
                )
        if state == "public_notice":
            start = updated.date()
            notices.add(dossier_id=dossier, starts_on=start, ends_on=start + dt.timedelta(days=14))
        if state == "decided":
            decided.setdefault(reviewing, []).append((dossier, updated))

    dossiers.write()
    nominees.write()
    processes.write()
    from django.db import connections

    copy_rows(
        connections[using], DossierProcess._meta.db_table, ["process_ptr_id", "dossier_id"], dossier_processes
    )
    tasks.write()
    assignments.write()
    notices.write()

    # Decisions: each deciding unit signs its decided dossiers in batches of about twenty.
    links = []
    existing = set(Decision.objects.using(using).values_list("issuer_id", "year", "number"))
    for issuer, items in decided.items():
        items.sort(key=lambda item: item[1])
        chair = world.people[("chair", issuer)][0]
        for start in range(0, len(items), 20):
            batch = items[start : start + 20]
            signed = batch[-1][1]
            number = 1
            while (issuer, signed.year, number) in existing:
                number += 1
            existing.add((issuer, signed.year, number))
            decision = decisions.add(
                issuer_id=issuer,
                year=signed.year,
                number=number,
                kind="award",
                title="Về việc khen thưởng trong phong trào thi đua",
                signed_on=signed.date(),
                signed_by_id=chair,
                signer_capacity="",
                revokes_id=None,
                created_at=signed,
            )
            links += [(decision, dossier) for dossier, _ in batch]
    decisions.write()
    through = Decision.dossiers.through
    copy_rows(connections[using], through._meta.db_table, ["decision_id", "dossier_id"], links)
    reset_sequences(
        [Dossier, Nominee, Process, Task, DossierAssignment, PublicNotice, Decision, through], using
    )
    world.dossiers += count
    append_events(events, using=using)


def append_events(events, *, using="default") -> int:
    """Hash the events into the chain, oldest first, after its current head (the canonical
    hashing of audit.chain, so `verify_audit` accepts them), and COPY them in."""
    from django.db import connections

    from audit.chain import GENESIS_HASH, compute_hash, event_dict
    from audit.models import AuditEvent

    connection = connections[using]
    head = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash", "ts").first()
    seq, prev_hash, last_ts = head or (0, GENESIS_HASH, None)
    events.sort(key=lambda e: e[0])
    # The column that names the dossier an event concerns, when the audit app has one.
    fields = {f.attname for f in AuditEvent._meta.local_concrete_fields}
    case = next((name for name in ("case_id", "dossier_id", "case") if name in fields), None)
    columns = ["seq", "ts", "actor", "actor_roles", "action", "object_type", "object_id", "data", "scope"]
    columns += ["prev_hash", "hash"] + ([case] if case else [])
    hashed_case = _case_key(event_dict)
    rows = []
    for ts, actor, roles, action, object_type, object_id, data, scope, dossier in events:
        if last_ts is not None and ts <= last_ts:
            ts = last_ts + dt.timedelta(microseconds=1)
        last_ts = ts
        seq += 1
        extra = {hashed_case: dossier} if hashed_case else {}
        event = event_dict(
            seq=seq,
            ts=ts,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=data,
            prev_hash=prev_hash,
            actor_roles=[roles] if roles else (),
            scope=scope,
            **extra,
        )
        hash_ = compute_hash(event)
        row = [
            seq,
            ts,
            actor,
            roles,
            action,
            object_type,
            str(object_id),
            json.dumps(data, ensure_ascii=False),
        ]
        row += [scope, prev_hash, hash_] + ([dossier] if case else [])
        rows.append(row)
        prev_hash = hash_
        if len(rows) >= 50_000:
            copy_rows(connection, AuditEvent._meta.db_table, _columns(AuditEvent, columns), rows)
            rows = []
    copy_rows(connection, AuditEvent._meta.db_table, _columns(AuditEvent, columns), rows)
    return seq


def _case_key(event_dict) -> str | None:
    """The keyword event_dict takes for the dossier an event concerns, if the chain hashes one."""
    import inspect

    known = {"seq", "ts", "actor", "action", "object_type", "object_id", "data", "prev_hash"}
    known |= {"actor_roles", "scope"}
    extra = [p for p in inspect.signature(event_dict).parameters if p not in known]
    return next((p for p in extra if p in ("case", "case_id", "dossier_id")), None)


def _columns(model, attnames):
    by_attname = {f.attname: f.column for f in model._meta.local_concrete_fields}
    return [by_attname[a] for a in attnames]


def build(n_dossiers: int, *, using="default", world: World | None = None, seed=SEED) -> World:
    """A province's world with `n_dossiers` dossiers (in a migrated, empty database), or `world`
    grown to that many. Then ANALYZE, as after any bulk load."""
    from django.db import connections

    world = world or build_world(using=using, seed=seed)
    if n_dossiers > world.dossiers:
        step = 20_000  # keeps memory flat: events and rows are written batch by batch
        while world.dossiers < n_dossiers:
            add_dossiers(world, min(step, n_dossiers - world.dossiers), using=using, seed=seed)
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return world


# --- measuring -------------------------------------------------------------------------------------


def roles_to_measure(world: World) -> dict:
    """A user id for each role measured, chosen where the load is typical (a commune's
    standing body and council, a school's staff) or heaviest (the province, the superuser)."""
    commune = world.deciders[1 + DEPARTMENTS]
    school = next(u for u, d in world.proposers.items() if d == commune)
    seats = dict((seat, uid) for uid, seat in reversed(world.councils[commune]))
    return {
        "unit staff": world.people[("unit_staff", school)][0],
        "unit head": world.people[("unit_head", school)][0],
        "standing officer": world.people[("standing_officer", commune)][0],
        "standing leader": world.people[("standing_leader", commune)][0],
        "council member": seats["member"],
        "secretary": seats["secretary"],
        "vice-chair": seats["vice_chair"],
        "chair": world.people[("chair", commune)][0],
        "inspector": world.people[("inspector", world.province)][0],
        "province officer": world.people[("standing_officer", world.province)][0],
        "province chair": world.people[("chair", world.province)][0],
        "superuser": world.superuser,
    }


PAGES = {
    "home": "/",
    "dossier list": "/dossiers/",
    "list, page 3": "/dossiers/?page=3",
    "list, state": "/dossiers/?state=in_council",
    "list, search": "/dossiers/?q=tr%C6%B0%E1%BB%9Dng",  # "trường"
    "api dossiers": "/api/dossiers/",
    "decisions": "/decisions/",
}
ROLE_PAGES = {
    "unit staff": {"unit inbox": "/my-unit/?section=drafts", "unit decided": "/my-unit/?section=decided"},
    "unit head": {"unit inbox": "/my-unit/?section=in_review", "api unit": "/api/unit-dossiers/"},
    "standing officer": {"queue": "/queue/", "queue overdue": "/queue/?overdue=1", "my tasks": "/tasks/"},
    "standing leader": {
        "queue": "/queue/",
        "queue, nobody": "/queue/?holder=nobody",
        "api queue": "/api/queue/",
    },
    "council member": {"my tasks": "/tasks/"},
    "secretary": {"my tasks": "/tasks/"},
    "vice-chair": {"my tasks": "/tasks/", "api tasks": "/api/tasks/"},
    "chair": {"to sign": "/to-sign/", "api to sign": "/api/to-sign/"},
    "province officer": {"queue": "/queue/", "my tasks": "/tasks/", "api queue": "/api/queue/"},
    "province chair": {"to sign": "/to-sign/"},
    "inspector": {
        "events": "/inspection/",
        "events, action": "/inspection/?action=dossier.submit",
        "events, actor": "/inspection/?actor={actor}",
        "events, dossier": "/inspection/?dossier={dossier}",
        "timeline": "/inspection/dossiers/{dossier}/",
    },
}


def pages_for(world: World, role: str, user) -> dict:
    """The pages `role` opens, with a dossier of its scope for the dossier page."""
    from dossiers.selectors import dossier_list_for

    pages = dict(PAGES)
    pages.update(ROLE_PAGES.get(role, {}))
    sample = (
        dossier_list_for(user=user, filters={"state": "decided"}).values_list("pk", flat=True).first()
        or dossier_list_for(user=user).values_list("pk", flat=True).first()
    )
    if sample:
        pages["dossier page"] = f"/dossiers/{sample}/"
    actor = f"officer{world.deciders[1 + DEPARTMENTS]}_0"
    return {name: url.format(dossier=sample, actor=actor) for name, url in pages.items()}


def measure(world: World, *, repeats=15) -> list[tuple]:
    """(role, page, p50 ms, p95 ms, queries, status) for every role's pages."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from org.models import User

    settings.ALLOWED_HOSTS = ["*"]
    results = []
    for role, user_id in roles_to_measure(world).items():
        user = User.objects.get(pk=user_id)
        client = Client()
        client.force_login(user)
        for page, url in pages_for(world, role, user).items():
            client.get(url)  # warm: templates, the session, the plan cache
            times = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - began) * 1000)
            counted = [q for q in queries.captured_queries if not _bookkeeping(q["sql"])]
            results.append(
                (role, page, percentile(times, 50), percentile(times, 95), len(counted), response.status_code)
            )
    return results


def _bookkeeping(sql: str) -> bool:
    return sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT"))


def percentile(values, p) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[p - 1]


def print_table(results_by_size: dict) -> None:
    sizes = list(results_by_size)
    head = f"{'role':<17} {'page':<17}" + "".join(f" | {f'{s:,} p50/p95 ms':>22} {'q':>4}" for s in sizes)
    print(head)
    print("-" * len(head))
    keyed = {size: {(r[0], r[1]): r for r in rows} for size, rows in results_by_size.items()}
    for role, page, *_ in results_by_size[sizes[0]]:
        line = f"{role:<17} {page:<17}"
        for size in sizes:
            r = keyed[size].get((role, page))
            if r is None:
                line += f" | {'–':>22} {'':>4}"
                continue
            flag = "" if r[5] == 200 else f" [{r[5]}]"
            line += f" | {f'{r[2]:,.0f} / {r[3]:,.0f}{flag}':>22} {r[4]:>4}"
        print(line)
    for size in sizes:
        worst = max(results_by_size[size], key=lambda r: r[3])
        print(f"at {size:,}: slowest p95 {worst[3]:,.0f} ms ({worst[0]}, {worst[1]})")


# --- the run ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="dossier counts, ascending")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help=f"keep the database ({BENCH_DB})")
    parser.add_argument("--measure-only", action="store_true", help=f"measure a kept {BENCH_DB}")
    parser.add_argument("--db", default=BENCH_DB, help="the throwaway database's name")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"  # DEBUG would keep every query in memory and show debug pages
    url = os.environ.get("DATABASE_URL", "")
    with bench_database(url, keep=args.keep, reuse=args.measure_only, name=args.db) as bench_url:
        os.environ["DATABASE_URL"] = bench_url
        import django

        django.setup()
        sizes = [int(s) for s in args.sizes.split(",")]
        run(sizes, repeats=args.repeats, measure_only=args.measure_only, name=args.db)


def run(sizes, *, repeats, measure_only=False, name=BENCH_DB) -> None:
    import pickle

    from django.core.management import call_command
    from django.db import connection

    state_file = Path(tempfile.gettempdir()) / f"{name}.world"
    print(f"database: {connection.vendor}, {os.cpu_count()} CPUs", flush=True)
    results = {}
    if measure_only:
        call_command("migrate", verbosity=0)
        world = pickle.loads(state_file.read_bytes())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
        results[world.dossiers] = measure(world, repeats=repeats)
        print_table(results)
        return
    call_command("migrate", verbosity=0)
    world = None
    for size in sizes:
        began = time.perf_counter()
        world = build(size, world=world)
        built = time.perf_counter() - began
        from audit.models import AuditEvent

        print(f"built {size:,} dossiers, {AuditEvent.objects.count():,} events in {built:,.0f} s", flush=True)
        began = time.perf_counter()
        results[size] = measure(world, repeats=repeats)
        print(f"measured in {time.perf_counter() - began:,.0f} s", flush=True)
        state_file.write_bytes(pickle.dumps(world))
    began = time.perf_counter()
    from audit.verify import verify_database

    verdict = verify_database()
    print(
        f"chain: {'ok' if verdict.ok else 'BROKEN'} {verdict.count:,} events ({time.perf_counter() - began:.0f} s)"
    )
    print_table(results)


def bench_database(url: str, *, keep=False, reuse=False, name=BENCH_DB):
    """PostgreSQL `name` (fresh unless reused; dropped unless kept), else a temporary SQLite file."""
    from bench.databases import throwaway_database

    return throwaway_database(url, name=name, keep=keep, reuse=reuse)


if __name__ == "__main__":
    main()
