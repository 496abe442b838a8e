"""The case an event belongs to (`case_id`: the dossier it concerns): filled for every event about a
dossier along its path, hashed when set (a changed case is a fault), absent and unhashed for the
others (events recorded without one keep the hash they always had), backfilled beside the chain
for events recorded before the column, and read by the dossier's timeline in a fixed number of
queries."""

import hashlib
import importlib
import json
from types import SimpleNamespace

import pytest
import rfc8785
from django.db import connection, transaction
from django.db.models import Q

from approvals import meeting_services as ms
from audit.chain import compute_hash, event_dict
from audit.models import AuditEvent, CaseBackfill
from audit.selectors import case_events, events_exported
from audit.services import record
from audit.testing import audit_guard_lifted
from audit.verify import verify_database, verify_events
from dossiers import services as dossier_services
from dossiers.models import Attachment, Dossier, Nominee
from dossiers.selectors import dossier_timeline
from tests import factories as f
from tests import paper
from tests.council.conftest import cw, in_council, open_with, schedule  # noqa: F401  (cw: a fixture)
from tests.workflows.conftest import fresh, new_dossier, people  # noqa: F401  (people: a fixture)
from workflows import services as wf

from .chains import export_events

pytestmark = pytest.mark.django_db

PART_MODELS = {"dossiers.nominee": Nominee, "dossiers.attachment": Attachment}


def concerns(event, dossier) -> bool:
    """Whether an event is about `dossier`, judged from what it records, apart from the column."""
    data = event.data if isinstance(event.data, dict) else {}
    if event.object_type == "dossiers.dossier":
        return event.object_id == str(dossier.pk)
    if data.get("dossier_id") == dossier.pk:
        return True
    model = PART_MODELS.get(event.object_type)
    if model is not None and model.objects.filter(pk=event.object_id, dossier=dossier).exists():
        return True
    return data.get("nominee_id") in set(Nominee.objects.filter(dossier=dossier).values_list("pk", flat=True))


def test_every_event_about_a_dossier_along_its_whole_path_carries_its_case(people):  # noqa: F811
    w = people
    d = new_dossier(w)
    other = new_dossier(w)
    lan = d.nominee

    wf.dossier_submit(actor=w.head_a, dossier=d)
    wf.appraisal_receive(actor=w.officer, dossier=d)
    wf.appraisal_return(actor=w.officer, dossier=d, items=["Bổ sung tập thể Tổ Ngữ văn"])
    team = dossier_services.nominee_add(
        actor=w.staff_a,
        dossier=d,
        kind="collective",
        name="Tổ Ngữ văn",
        award_type=f.award("giay-khen"),
        achievements="Thư viện số bài giảng dùng chung.",
    )
    dossier_services.attachment_add(
        actor=w.staff_a,
        dossier=d,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=team,
        uploaded_file=f.pdf_upload("bao-cao-to.pdf", "Tổ Ngữ văn"),
    )
    dossier_services.dossier_update(actor=w.staff_a, dossier=d, summary="Đã bổ sung theo yêu cầu.")
    wf.dossier_submit(actor=w.head_a, dossier=fresh(d))
    wf.appraisal_receive(actor=w.officer, dossier=d)
    wf.appraisal_accept(actor=w.officer, dossier=d)
    paper.handed_over(
        secretary=w.secretary,
        council=w.council,
        dossiers=[d],
        size=9,
        counts={lan.pk: {"votes_for": 8, "votes_against": 1}, team.pk: {"votes_for": 7, "votes_against": 2}},
    )
    wf.opinion_give(actor=w.vice_chair, dossier=d, text="Đồng ý trình Chủ tịch khen thưởng.")
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Về việc khen thưởng phong trào")

    events = list(AuditEvent.objects.order_by("seq"))
    about = [e.seq for e in events if concerns(e, d)]
    assert [e.seq for e in events if e.case_id == d.pk] == about
    assert {e.action for e in events if e.case_id == d.pk} >= {
        "attachment.add",
        "nominee.add",
        "dossier.submit",
        "dossier.receive",
        "dossier.return",
        "dossier.update",
        "dossier.accept",
        "dossier.council_result",
        "dossier.opinion",
        "dossier.decide",
    }
    # The other dossier's events are its own; the decision and the meeting concern no one dossier.
    assert {e.case_id for e in events if concerns(e, other)} == {other.pk}
    issued = AuditEvent.objects.get(action="decision.issue", object_id=str(decision.pk))
    assert issued.case_id is None
    assert all(e.case_id is None for e in events if e.object_type == "approvals.councilmeeting")

    # The dossier's page shows what it showed when it looked the events up by their objects.
    before = Q(object_type="dossiers.dossier", object_id=str(d.pk)) | Q(
        object_type__in=("dossiers.nominee", "dossiers.attachment", "approvals.objection"),
        data__dossier_id=d.pk,
    )
    by_objects = AuditEvent.objects.filter(before).exclude(action__startswith="inspector.").order_by("seq")
    assert [e.seq for e in dossier_timeline(dossier=d)] == [e.seq for e in by_objects]
    assert verify_database().ok


def test_votes_participations_and_recusals_carry_their_nominees_dossier(cw):  # noqa: F811
    first, second = in_council(cw, nominees=1), in_council(cw, nominees=1)
    meeting = open_with(cw, schedule(cw, [first, second], secret_ballot=False))
    nominee, other = first.agenda_nominees[0], second.agenda_nominees[0]

    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=nominee, choice="agree")
    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=nominee, choice="disagree")
    ms.recusal_declare(actor=cw.vice, meeting=meeting, nominee=other, note="Người thân")

    cast, changed, recused = AuditEvent.objects.order_by("-seq")[:3][::-1]
    assert [(e.action, e.case_id) for e in (cast, changed, recused)] == [
        ("vote.cast", first.pk),
        ("vote.change", first.pk),
        ("vote.recuse", second.pk),
    ]
    # The meeting's own events (scheduled, roll, opened) are about no one dossier.
    whole = AuditEvent.objects.filter(action__in=["meeting.schedule", "meeting.attendance", "meeting.open"])
    assert whole.count() == 3 and set(whole.values_list("case_id", flat=True)) == {None}
    assert [e.seq for e in case_events(first.pk).filter(action__startswith="vote.")] == [
        cast.seq,
        changed.seq,
    ]


def test_a_caller_may_name_the_case_and_the_resolver_is_not_asked(settings, django_assert_num_queries):
    settings.AUDIT_CASE_RESOLVER = "tests.audit.test_case.no_resolver"
    with transaction.atomic(), django_assert_num_queries(2):  # the head, then the insert
        event = record(
            actor="system",
            action="vote.cast",
            object_type="approvals.councilmeeting",
            object_id="3",
            data={"nominee_id": 9},
            scope="/1/",
            actor_roles=[],
            case_id=77,
        )
    assert AuditEvent.objects.get(seq=event.seq).case_id == 77


def no_resolver(*args, **kwargs):
    raise AssertionError("the resolver was asked although the caller named the case")


def test_a_changed_removed_or_added_case_is_a_hash_mismatch(world):
    d = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    with transaction.atomic():
        about = record(actor="system", action="dossier.note", target=d)
    with transaction.atomic():
        unit = record(actor="system", action="unit.note", target=world.school_a)
    assert (about.case_id, unit.case_id) == (d.pk, None)
    assert verify_database().ok

    for seq, value in ((about.seq, d.pk + 1), (about.seq, None), (unit.seq, d.pk)):
        with audit_guard_lifted():
            original = AuditEvent.objects.get(seq=seq).case_id
            AuditEvent.objects.filter(seq=seq).update(case_id=value)
        result = verify_database()
        assert (result.ok, result.fault_seq, result.message) == (False, seq, "hash mismatch")
        with audit_guard_lifted():
            AuditEvent.objects.filter(seq=seq).update(case_id=original)
    assert verify_database().ok


def test_an_event_without_a_case_exports_and_hashes_as_it_always_did():
    fields = dict(
        seq=7,
        ts="2026-03-11T02:00:00.000000Z",
        actor="head_a",
        action="dossier.submit",
        object_type="dossiers.dossier",
        object_id="42",
        data={"title": "Hồ sơ đề nghị khen thưởng", "round": 1},
        prev_hash="a" * 64,
        actor_roles=["unit_head"],
        scope="/1/2/4/",
    )
    # Pinned before the case existed: the same event hashes the same.
    without = event_dict(**fields)
    assert "case_id" not in without
    assert compute_hash(without) == "0653fcce0c30b6dbdfc9776dcd32095f99f483e4916a11cd9a8c15dbc4aaae6d"
    # With its case, the key is written last-but-hashed like any other (RFC 8785 sorts it).
    with_case = event_dict(**fields, case_id=42)
    assert list(with_case)[-1] == "case_id" and with_case["case_id"] == 42
    assert compute_hash(with_case) == hashlib.sha256(rfc8785.dumps(with_case)).hexdigest()
    assert compute_hash(with_case) == "599ca188eaa55432c0421a939b61d1feee4d348730cd98a7201a5728a7d2e4a2"


def test_the_export_writes_the_case_when_set_and_a_reader_of_the_contract_verifies_it(world):
    d = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    with transaction.atomic():
        record(actor="system", action="unit.note", target=world.school_a)
    with transaction.atomic():
        record(actor="system", action="dossier.note", target=d)

    plain, about = export_events()[-2:]
    assert "case_id" not in plain and about["case_id"] == d.pk
    for event in (plain, about):
        body = {k: v for k, v in event.items() if k != "hash"}
        assert hashlib.sha256(rfc8785.dumps(body)).hexdigest() == event["hash"]
    assert verify_events(events_exported()).ok
    assert json.loads(json.dumps(about))["case_id"] == d.pk


def _backfill():
    migration = importlib.import_module("workflows.migrations.0002_audit_case_backfill")
    from django.apps import apps

    migration.backfill(apps, SimpleNamespace(connection=connection))


def test_events_recorded_before_the_column_get_their_case_beside_the_chain(people, settings):  # noqa: F811
    w = people
    settings.AUDIT_CASE_RESOLVER = ""  # as before the column existed
    d = new_dossier(w)
    other = new_dossier(w)
    dossier_services.nominee_update(actor=w.staff_a, nominee=d.nominee, achievements="Sáng kiến")
    wf.dossier_submit(actor=w.head_a, dossier=d)
    wf.dossier_submit(actor=w.head_a, dossier=other)
    assert not AuditEvent.objects.exclude(case_id=None).exists()
    chain_before = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    legacy = [e.seq for e in AuditEvent.objects.order_by("seq") if concerns(e, d)]

    _backfill()

    assert (
        list(CaseBackfill.objects.filter(case_id=d.pk).order_by("seq").values_list("seq", flat=True))
        == legacy
    )
    assert [e.seq for e in case_events(d.pk)] == legacy
    assert [e.action for e in dossier_timeline(dossier=d)][-1] == "dossier.submit"
    # The chain itself is untouched: the same hashes, still verified.
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "hash")) == chain_before
    assert verify_database().ok

    # Events recorded since carry their case in the column; the timeline reads both.
    settings.AUDIT_CASE_RESOLVER = "workflows.audit_case.audit_case_for"
    wf.appraisal_receive(actor=w.officer, dossier=d)
    received = AuditEvent.objects.get(action="dossier.receive")
    assert received.case_id == d.pk
    assert [e.seq for e in case_events(d.pk)] == [*legacy, received.seq]
    _backfill()  # again: nothing changes
    assert CaseBackfill.objects.filter(case_id=d.pk).count() == len(legacy)


def _timeline_queries(d, django_assert_num_queries):
    with django_assert_num_queries(2):  # the events, then their actors' names
        events = dossier_timeline(dossier=d)
        names = [str(e.actor_name) for e in events]
    return len(names)


def test_the_dossiers_timeline_costs_the_same_queries_however_many_events(people, django_assert_num_queries):  # noqa: F811
    w = people
    d, other = new_dossier(w), new_dossier(w)
    dossier_services.dossier_update(actor=w.staff_a, dossier=d, summary="Bản đầu")
    few = _timeline_queries(d, django_assert_num_queries)
    for n in range(15):
        dossier_services.dossier_update(actor=w.staff_a, dossier=other, summary=f"Lần {n}")
        dossier_services.dossier_update(actor=w.staff_a, dossier=d, summary=f"Bản {n}")
    many = _timeline_queries(d, django_assert_num_queries)
    assert many == few + 15
    assert Dossier.objects.count() == 2
