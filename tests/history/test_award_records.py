"""Awards recorded from outside the engine: who records them, what is refused, corrections and
voiding audited (never a silent delete), and a nominee's history from every source."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.models import Award
from audit.models import AuditEvent
from dossiers.history import Identity, award_history, identity_of
from dossiers.history_services import award_record_correct, award_record_void
from dossiers.models import AwardRecord, NomineeOutcome
from org.models import Role, UnitLevel
from tests import factories as f

from .conftest import ID_NUMBER, recorded

pytestmark = pytest.mark.django_db


def test_the_standing_body_records_an_award_with_its_decision_audited(world):
    record = recorded(world, year=2024)

    assert (record.decision_number, record.decision_date, record.issuer) == (
        "24/QĐ-UBND",
        dt.date(2024, 12, 20),
        "Chủ tịch Ủy ban nhân dân phường Long Biên",
    )
    event = AuditEvent.objects.get(action="award_record.add")
    assert event.actor == "officer" and event.object_id == str(record.pk)
    assert event.scope == world.school_a.path
    assert event.data["id_number"] == "********2345"  # the audit trail keeps no full ID number
    assert event.data["decision_number"] == "24/QĐ-UBND"


@pytest.mark.parametrize("who", ["head_a", "staff_a", "chair", "inspector"])
def test_only_the_standing_body_records_awards(world, who):
    with pytest.raises(PermissionDenied):
        _record_as(world, getattr(world, who))
    assert not AwardRecord.objects.exists()


def _record_as(world, user):
    from dossiers.history_services import award_record_add

    return award_record_add(
        actor=user,
        kind="individual",
        unit=world.school_a,
        name="Phạm Thị Mai",
        award_type=f.award("lao-dong-tien-tien"),
        year=2024,
        decision_number="12/QĐ-UBND",
        decision_date=dt.date(2024, 12, 1),
        issuer="UBND phường",
    )


def test_a_standing_body_records_only_for_units_it_covers(world):
    other = f.UnitFactory(
        name="Phường Gia Lâm", code="UBNDGL", level=UnitLevel.COMMUNE, parent=world.province
    )
    outsider = f.user_with_role(Role.STANDING_OFFICER, other, username="gialam_officer")
    with pytest.raises(PermissionDenied):
        _record_as(world, outsider)
    province_officer = f.user_with_role(Role.STANDING_OFFICER, world.province, username="province_officer")
    assert _record_as(world, province_officer).unit == world.school_a


def test_bad_input_is_refused_with_every_reason_and_nothing_written(world):
    from dossiers.history_services import award_record_add

    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        award_record_add(
            actor=world.officer,
            kind="individual",
            unit=world.school_a,
            name="Phạm Thị Mai",
            id_number="12AB",
            year=2027,
            decision_number="",
            decision_date=dt.date(2026, 12, 1),
            issuer="",
        )
    assert set(info.value.message_dict) == {
        "id_number",
        "award_type",
        "decision_date",
        "year",
        "decision_number",
        "issuer",
    }
    assert not AwardRecord.objects.exists() and AuditEvent.objects.count() == events


def test_the_year_cannot_follow_its_decision(world):
    with pytest.raises(ValidationError) as info:
        recorded(world, year=2024, decision_date=dt.date(2023, 12, 1))
    assert "year" in info.value.message_dict


def test_the_same_award_is_not_recorded_twice(world):
    recorded(world, year=2024)
    with pytest.raises(ValidationError):
        recorded(world, year=2024)
    assert AwardRecord.objects.count() == 1


def test_an_award_outside_the_catalogue_is_recorded_by_its_title(world):
    record = recorded(world, year=2020, award_type=None, award_title="Huân chương Lao động hạng Ba")
    assert record.award_name == "Huân chương Lao động hạng Ba"
    assert [e.award_name for e in award_history(record)] == ["Huân chương Lao động hạng Ba"]


def test_a_correction_keeps_before_and_after_in_the_audit(world):
    record = recorded(world, year=2024)
    award_record_correct(
        actor=world.officer, record=record, reason="Sai số quyết định.", decision_number="25/QĐ-UBND"
    )

    record.refresh_from_db()
    assert record.decision_number == "25/QĐ-UBND"
    event = AuditEvent.objects.get(action="award_record.correct")
    assert event.data == {
        "reason": "Sai số quyết định.",
        "changes": {"decision_number": {"before": "24/QĐ-UBND", "after": "25/QĐ-UBND"}},
    }


def test_a_correction_needs_a_reason_and_a_change(world):
    record = recorded(world, year=2024)
    with pytest.raises(ValidationError):
        award_record_correct(actor=world.officer, record=record, reason="", decision_number="25/QĐ-UBND")
    with pytest.raises(ValidationError):
        award_record_correct(actor=world.officer, record=record, reason="Kiểm tra lại.")
    with pytest.raises(PermissionDenied):
        award_record_correct(actor=world.head_a, record=record, reason="Sửa.", year=2023)
    assert AuditEvent.objects.filter(action="award_record.correct").count() == 0


def test_a_voided_record_stays_with_its_reason_and_leaves_the_history(world):
    record = recorded(world, year=2024)
    award_record_void(actor=world.officer, record=record, reason="Nhập nhầm người.")

    record.refresh_from_db()
    assert record.is_void and record.void_reason == "Nhập nhầm người."
    assert award_history(Identity(kind="individual", id_number=ID_NUMBER)) == []
    assert AuditEvent.objects.filter(action="award_record.void", object_id=str(record.pk)).exists()
    with pytest.raises(ValidationError):
        award_record_void(actor=world.officer, record=record, reason="Lần nữa.")
    with pytest.raises(ValidationError):
        award_record_correct(actor=world.officer, record=record, reason="Sửa.", year=2023)


# --- matching an awardee -------------------------------------------------------------------------


def test_matched_by_person_then_id_number_then_exact_name_and_date_of_birth(world):
    person = f.UserFactory(username="mai", unit=world.school_a)
    by_person = recorded(world, year=2021, person=person, id_number="", date_of_birth=None, name="P. T. Mai")
    by_id = recorded(world, year=2022, date_of_birth=None, name="Phạm T. Mai")
    by_name = recorded(world, year=2023, id_number="")
    other_id = recorded(world, year=2024, id_number="001190099999")  # same name and birth, another person
    other_birth = recorded(world, year=2025, id_number="", date_of_birth=dt.date(1991, 3, 2))

    identity = Identity(
        kind="individual",
        name="Phạm Thị Mai",
        person_id=person.pk,
        id_number=ID_NUMBER,
        date_of_birth=dt.date(1990, 3, 2),
    )
    found = {e.obj.pk for e in award_history(identity)}

    assert found == {by_person.pk, by_id.pk, by_name.pk}
    assert other_id.pk not in found and other_birth.pk not in found


def test_a_collective_is_matched_by_its_unit(world):
    team = f.UnitFactory(name="Tổ Ngữ văn", code="TNV", parent=world.school_a)
    record = recorded(
        world,
        year=2024,
        kind="collective",
        collective_unit=team,
        unit=team,
        name="",
        code="tap-the-lao-dong-tien-tien",
    )
    assert record.name == "Tổ Ngữ văn"
    assert [e.obj for e in award_history(Identity(kind="collective", collective_unit_id=team.pk))] == [record]
    assert award_history(Identity(kind="collective", name="Tổ Toán")) == []


def test_history_joins_the_engines_awards_and_leaves_out_revoked_ones(world):
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    nominee = f.NomineeFactory(
        dossier=dossier, name="Phạm Thị Mai", id_number=ID_NUMBER, outcome=NomineeOutcome.AWARDED
    )
    decision = f.decision(world.commune, world.chair, signed_on=dt.date(2026, 2, 5))
    award = Award.objects.create(decision=decision, nominee=nominee, amount=710_000)
    recorded(world, year=2024)

    history = award_history(identity_of(nominee))

    assert [(e.year, e.source, e.decision_number) for e in history] == [
        (world.campaign.period_end.year, "engine", "01/QĐ-UBND"),
        (2024, "recorded", "24/QĐ-UBND"),
    ]
    revocation = f.decision(world.commune, world.chair, number=2, signed_on=dt.date(2026, 2, 12))
    Award.objects.filter(pk=award.pk).update(revoked_by=revocation)
    assert [e.source for e in award_history(identity_of(nominee))] == ["recorded"]
