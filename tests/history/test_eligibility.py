"""Eligibility from history at submission: a precise refusal, the standing body's override, then
the dossier accepted (Luật Thi đua, khen thưởng 2022, Điều 22: three consecutive years of
"Chiến sĩ thi đua cơ sở" before the provincial title)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from dossiers import services
from dossiers.history import nominee_eligibility
from dossiers.history_services import eligibility_override_record
from dossiers.models import Dossier, DossierState, EligibilityCondition, EligibilityOverride

from .conftest import recorded

pytestmark = pytest.mark.django_db


def condition_of(nominee):
    return EligibilityCondition.objects.get(
        rule=nominee.award_type.rule_on(nominee.dossier.campaign.period_end), years=3
    )


def test_the_provincial_title_condition_is_seeded_with_its_legal_basis(world):
    from tests import factories as f

    rule = f.award("chien-si-thi-dua-cap-tinh").rule_on(world.today)
    [condition] = EligibilityCondition.objects.filter(rule=rule)
    assert (condition.years, condition.times) == (3, 3)
    assert [t.code for t in condition.required_award_types.all()] == ["chien-si-thi-dua-co-so"]
    assert "Điều 22" in condition.legal_basis and "06/2022/QH15" in condition.legal_basis


def test_submission_is_refused_naming_the_nominee_the_missing_years_and_the_basis(provincial_draft, world):
    recorded(world, year=2023)
    recorded(world, year=2025)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as info:
        services.dossier_submit(actor=world.head_a, dossier=provincial_draft)

    [message] = [m for m in info.value.messages if "Phạm Thị Mai" in m]
    assert "2023, 2024, 2025" in message
    assert "missing: 2024" in message
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 22" in message
    assert Dossier.objects.get(pk=provincial_draft.pk).state == DossierState.DRAFT
    assert AuditEvent.objects.count() == events


def test_refusal_then_override_then_accepted(provincial_draft, world):
    recorded(world, year=2025)
    nominee = provincial_draft.nominee
    with pytest.raises(ValidationError):
        services.dossier_submit(actor=world.head_a, dossier=provincial_draft)

    override = eligibility_override_record(
        actor=world.officer,
        nominee=nominee,
        condition=condition_of(nominee),
        reason="Năm 2023 và 2024 đã được xét ở đơn vị cũ trước khi sáp nhập; hồ sơ giấy đã kiểm tra.",
    )

    event = AuditEvent.objects.filter(action="nominee.eligibility_override").get()
    assert event.data["nominee"] == nominee.pk
    assert event.data["missing_years"] == [2023, 2024]
    assert event.actor == "officer"
    [result] = nominee_eligibility(nominee)
    assert not result.met and result.passes and result.override == override
    dossier = services.dossier_submit(actor=world.head_a, dossier=provincial_draft)
    assert dossier.state == DossierState.SUBMITTED


def test_history_that_meets_the_condition_passes_without_override(provincial_draft, world):
    for year in (2023, 2024, 2025):
        recorded(world, year=year)
    dossier = services.dossier_submit(actor=world.head_a, dossier=provincial_draft)
    assert dossier.state == DossierState.SUBMITTED
    assert not EligibilityOverride.objects.exists()


def test_only_the_reviewing_standing_body_may_override(provincial_draft, world):
    nominee = provincial_draft.nominee
    for user in (world.head_a, world.chair, world.inspector):
        with pytest.raises(PermissionDenied):
            eligibility_override_record(
                actor=user, nominee=nominee, condition=condition_of(nominee), reason="Lý do."
            )
    assert not EligibilityOverride.objects.exists()


def test_an_override_needs_a_reason(provincial_draft, world):
    nominee = provincial_draft.nominee
    with pytest.raises(ValidationError) as info:
        eligibility_override_record(
            actor=world.officer, nominee=nominee, condition=condition_of(nominee), reason=" "
        )
    assert "reason" in info.value.message_dict
    assert not EligibilityOverride.objects.exists()


def test_no_override_of_a_condition_already_met(provincial_draft, world):
    for year in (2023, 2024, 2025):
        recorded(world, year=year)
    nominee = provincial_draft.nominee
    with pytest.raises(ValidationError):
        eligibility_override_record(
            actor=world.officer, nominee=nominee, condition=condition_of(nominee), reason="Lý do."
        )


def test_a_voided_record_no_longer_counts(provincial_draft, world):
    from dossiers.history_services import award_record_void

    records = [recorded(world, year=year) for year in (2023, 2024, 2025)]
    award_record_void(actor=world.officer, record=records[1], reason="Nhập nhầm người.")
    with pytest.raises(ValidationError) as info:
        services.dossier_submit(actor=world.head_a, dossier=provincial_draft)
    assert any("missing: 2024" in m for m in info.value.messages)
