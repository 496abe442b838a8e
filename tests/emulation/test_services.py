"""The plan and the registrations: who may, the deadline, duplicates, the title suiting the kind,
and every write's audit event."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from emulation import services
from emulation.models import Registration, RegistrationRequirement
from org.errors import TransitionNotAllowed
from tests import factories as f

from .conftest import register_name


def last_event():
    return AuditEvent.objects.order_by("-seq").first()


def test_the_seeded_requirements_name_the_four_titles_and_the_law(requirements):
    seeded = RegistrationRequirement.objects.exclude(award_type__code="giay-khen")
    assert sorted(seeded.values_list("award_type__code", flat=True)) == [
        "chien-si-thi-dua-cap-tinh",
        "chien-si-thi-dua-co-so",
        "co-thi-dua-cap-tinh",
        "tap-the-lao-dong-xuat-sac",
    ]
    assert all("06/2022/QH15" in r.legal_basis for r in seeded)


def test_the_standing_body_opens_the_plan_once_a_year(world, plan):
    event = last_event()
    assert (event.action, event.actor, event.object_id) == ("emulation_plan.open", "officer", str(plan.pk))
    assert event.data["deadline"] == "2026-03-31"
    with pytest.raises(TransitionNotAllowed, match="already has an emulation plan for 2026"):
        services.plan_open(
            actor=world.officer,
            unit=world.commune,
            year=2026,
            title="Lần hai",
            registration_deadline=dt.date(2026, 4, 1),
        )


def test_a_school_cannot_open_a_plan(world, requirements):
    with pytest.raises(PermissionDenied):
        services.plan_open(
            actor=world.head_a,
            unit=world.commune,
            year=2026,
            title="Kế hoạch",
            registration_deadline=dt.date(2026, 3, 1),
        )


def test_the_unit_registers_a_person_before_the_deadline_and_it_is_audited(world, plan):
    registration = register_name(world, plan)
    assert registration.name_folded == "nguyen thi lan"
    event = last_event()
    assert (event.action, event.actor) == ("emulation_registration.add", "staff_a")
    assert event.scope == world.school_a.path


def test_a_registration_after_the_deadline_is_refused_with_the_date(world, past_plan):
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionNotAllowed, match="28/02/2026"):
        register_name(world, past_plan)
    assert not Registration.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_standing_body_accepts_a_late_registration_only_with_a_reason(world, past_plan):
    with pytest.raises(ValidationError) as info:
        register_name(world, past_plan, actor=world.officer)
    assert "late_reason" in info.value.message_dict
    registration = services.registration_add(
        actor=world.officer,
        plan=past_plan,
        unit=world.school_a,
        award_type=f.award("giay-khen"),
        kind="individual",
        name="Nguyễn Thị Lan",
        date_of_birth=dt.date(1985, 4, 2),
        late_reason="Đơn vị gửi bản đăng ký ngày 27/02 qua đường bưu điện, đến muộn.",
    )
    assert registration.is_late
    event = last_event()
    assert event.action == "emulation_registration.accept_late"
    assert "bưu điện" in event.data["late_reason"]


def test_a_duplicate_is_refused_accent_and_case_insensitively(world, plan):
    register_name(world, plan)
    with pytest.raises(TransitionNotAllowed, match="already registered"):
        register_name(world, plan, name="nguyen thi  LAN")


def test_the_title_must_suit_the_kind(world, plan):
    with pytest.raises(ValidationError) as info:
        register_name(world, plan, award="tap-the-lao-dong-tien-tien")
    assert "award_type" in info.value.message_dict
    collective = services.registration_add(
        actor=world.head_a,
        plan=plan,
        unit=world.school_a,
        award_type=f.award("tap-the-lao-dong-tien-tien"),
        kind="collective",
        collective_unit=world.school_a,
    )
    assert collective.name == "Trường THCS Ngọc Lâm"


def test_another_units_staff_cannot_register_for_school_a(world, plan):
    with pytest.raises(PermissionDenied):
        register_name(world, plan, actor=world.head_b)


def test_a_withdrawal_keeps_the_line_with_its_reason(world, plan):
    registration = register_name(world, plan)
    services.registration_withdraw(actor=world.head_a, registration=registration, reason="Chuyển công tác.")
    registration.refresh_from_db()
    assert registration.withdrawn_at is not None and registration.withdrawal_reason == "Chuyển công tác."
    assert last_event().action == "emulation_registration.withdraw"
    with pytest.raises(TransitionNotAllowed, match="already withdrawn"):
        services.registration_withdraw(actor=world.head_a, registration=registration, reason="Lần hai.")
    # Withdrawn, the person may be registered again.
    register_name(world, plan)


def test_the_commune_plan_refuses_titles_decided_above_it(world, plan):
    """Huân chương and the province's titles are proposed upward, not registered in a commune's plan."""
    from dossiers.models import AwardRule, AwardType

    order, _ = AwardType.objects.get_or_create(
        code="huan-chuong-lao-dong-hang-ba-test", defaults={"name": "Huân chương Lao động hạng Ba"}
    )
    AwardRule.objects.create(
        award_type=order,
        nominee_kinds=["individual", "collective"],
        deciding_level="central",
        threshold_kind="majority",
        valid_from=dt.date(2024, 1, 1),
    )
    for code in ("huan-chuong-lao-dong-hang-ba-test", "chien-si-thi-dua-cap-tinh"):
        with pytest.raises(ValidationError) as info:
            register_name(world, plan, award=code)
        message = info.value.message_dict["award_type"][0]
        assert "is decided at the" in message and f"emulation plan of {world.commune}" in message
    assert not Registration.objects.exists()
    assert (
        register_name(world, plan, award="chien-si-thi-dua-co-so").award_type.code == "chien-si-thi-dua-co-so"
    )
