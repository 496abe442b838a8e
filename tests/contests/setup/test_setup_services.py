"""The organiser prepares a contest and opens it (seed 002: plan 4979/KH-SNV-CĐVC)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from contests import services
from contests.models import ContestProcess, ContestState, JurorRole, RoundKind
from org.errors import TransitionNotAllowed
from org.models import Holiday
from tests import factories as f

from . import helpers as h

pytestmark = pytest.mark.django_db


def actions(target):
    return list(
        AuditEvent.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_organiser_creates_a_draft_with_its_audit_event(world):
    contest = h.draft_contest(world)
    assert contest.state == ContestState.DRAFT
    event = AuditEvent.objects.get(action="contest.create")
    assert event.object_id == str(contest.pk)
    assert event.data["entries_deadline"] == "2026-03-31"
    assert event.scope == world.commune.path


def test_only_the_organisers_standing_body_creates_or_edits(world):
    with pytest.raises(PermissionDenied):
        services.contest_create(actor=world.head_a, organizer=world.commune, **h.contest_values())
    contest = h.draft_contest(world)
    with pytest.raises(PermissionDenied):
        services.contest_update(actor=world.chair, contest=contest, name="Khác")


def test_deadlines_must_be_in_order(world):
    with pytest.raises(ValidationError) as caught:
        h.draft_contest(world, appraisal_deadline=dt.date(2026, 3, 30))
    assert "appraisal_deadline" in caught.value.message_dict
    assert "31/03/2026" in caught.value.message_dict["appraisal_deadline"][0]


def test_deadlines_must_be_working_days(world):
    Holiday.objects.get_or_create(date=dt.date(2026, 4, 30), defaults={"name": "Ngày Giải phóng miền Nam"})
    with pytest.raises(ValidationError) as caught:
        h.draft_contest(world, entries_deadline=dt.date(2026, 3, 28), appraisal_deadline=dt.date(2026, 4, 30))
    errors = caught.value.message_dict
    assert "28/03/2026 is not a working day" in errors["entries_deadline"][0]
    assert "30/04/2026 is not a working day" in errors["appraisal_deadline"][0]


def test_update_records_what_changed(world):
    contest = h.draft_contest(world)
    services.contest_update(actor=world.officer, contest=contest, entry_cap_per_unit=2, name="Hội thi 2026")
    contest.refresh_from_db(fields=["entry_cap_per_unit"])
    assert contest.entry_cap_per_unit == 2
    event = AuditEvent.objects.get(action="contest.update")
    assert event.data["changes"]["entry_cap_per_unit"] == {"before": 3, "after": 2}


def test_weights_over_100_refused_naming_the_sum(world):
    contest = h.draft_contest(world)
    services.criterion_add(
        actor=world.officer, contest=contest, round=RoundKind.APPRAISAL, name="A", weight=70
    )
    with pytest.raises(ValidationError) as caught:
        services.criterion_add(
            actor=world.officer, contest=contest, round=RoundKind.APPRAISAL, name="B", weight=40
        )
    assert "add up to 110" in caught.value.message_dict["weight"][0]


def test_opening_refused_when_weights_are_not_100_naming_the_sum(world):
    contest = h.ready_contest(world)
    services.criterion_update(
        actor=world.officer, criterion=contest.criteria.get(round="final", name="Tính mới"), weight=30
    )
    with pytest.raises(ValidationError) as caught:
        services.contest_open(actor=world.officer, contest=contest)
    assert any("add up to 90, not 100" in m for m in caught.value.messages)
    contest.refresh_from_db()
    assert contest.state == ContestState.DRAFT
    assert not AuditEvent.objects.filter(action="contest.open").exists()


def test_opening_lists_everything_missing(world):
    contest = h.draft_contest(world)
    with pytest.raises(ValidationError) as caught:
        services.contest_open(actor=world.officer, contest=contest)
    text = " ".join(caught.value.messages)
    assert "has no criterion" in text
    assert "prize structure is empty" in text
    assert "jury has no member" in text


def test_opening_needs_a_chair_and_a_future_deadline(world):
    contest = h.ready_contest(world, entries_deadline=dt.date(2026, 3, 11))
    contest.jurors.update(role=JurorRole.MEMBER)
    with pytest.raises(ValidationError) as caught:
        services.contest_open(actor=world.officer, contest=contest)
    text = " ".join(caught.value.messages)
    assert "no chair" in text
    assert "11/03/2026" in text


def test_opening_starts_the_rounds_and_fixes_the_rules(world):
    contest = h.open_contest(world)
    assert contest.state == ContestState.OPEN
    assert ContestProcess.objects.filter(contest=contest).exists()
    assert AuditEvent.objects.get(action="contest.open").data["weights"] == {"appraisal": 100, "final": 100}
    with pytest.raises(TransitionNotAllowed):
        services.contest_update(actor=world.officer, contest=contest, name="Khác")
    with pytest.raises(TransitionNotAllowed):
        services.prize_add(
            actor=world.officer, contest=contest, entrant_kind="individual", name="Giải ba", count=1, amount=1
        )


def test_prizes_in_order_and_totals(world):
    contest = h.ready_contest(world)
    with pytest.raises(ValidationError) as caught:
        services.prize_add(
            actor=world.officer,
            contest=contest,
            entrant_kind="collective",
            name="Giải ba",
            count=2,
            amount=8_000_000,
        )
    assert "amount" in caught.value.message_dict
    services.prize_add(
        actor=world.officer,
        contest=contest,
        entrant_kind="collective",
        name="Giải ba",
        count=2,
        amount=5_000_000,
    )
    totals = services.prize_totals(contest.prizes.all())
    assert totals == {"count": 5, "cash": 10_000_000 + 7_000_000 + 6_000_000 + 2 * 5_000_000}


def test_jury_has_one_chair_and_active_members_only(world):
    contest = h.ready_contest(world)
    with pytest.raises(ValidationError) as caught:
        services.juror_add(actor=world.officer, contest=contest, user=f.UserFactory(), role=JurorRole.CHAIR)
    assert "already chairs" in caught.value.message_dict["role"][0]
    gone = f.UserFactory(is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.juror_add(actor=world.officer, contest=contest, user=gone)
    assert "active user" in caught.value.message_dict["user"][0]
    with pytest.raises(ValidationError):
        services.juror_add(actor=world.officer, contest=contest, user=h.jurors(world)[1])


def test_removing_a_juror_and_a_criterion_is_audited(world):
    contest = h.ready_contest(world)
    juror = contest.jurors.get(user=h.jurors(world)[2])
    services.juror_remove(actor=world.officer, juror=juror)
    criterion = contest.criteria.first()
    services.criterion_remove(actor=world.officer, criterion=criterion)
    assert AuditEvent.objects.filter(action="juror.remove", object_id=str(juror.pk)).exists()
    assert AuditEvent.objects.filter(action="criterion.remove", scope=world.commune.path).exists()


def test_conflict_recorded_by_organiser_and_by_the_juror_themself(world, contest):
    entry = h.sent_entry(world, contest)
    chair, member = contest.jurors.order_by("role", "pk")[:2]
    conflict = services.conflict_declare(
        actor=world.officer, juror=chair, entry=entry, reason="Cùng đơn vị công tác"
    )
    assert actions(conflict) == ["conflict.declare"]
    own = services.conflict_declare(
        actor=member.user, juror=member, entry=entry, reason="Người thân là tác giả"
    )
    assert own.declared_by == member.user
    with pytest.raises(ValidationError):
        services.conflict_declare(actor=world.officer, juror=chair, entry=entry, reason="Lần nữa")
    third = contest.jurors.exclude(pk__in=[chair.pk, member.pk]).get()
    with pytest.raises(PermissionDenied):
        services.conflict_declare(actor=member.user, juror=third, entry=entry, reason="Thay người khác")
