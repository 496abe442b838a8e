"""Luật Thi đua, khen thưởng 2022: the director (Giám đốc) of a state enterprise awards a Giấy khen
to the enterprise's own staff. Modelled as data: an enterprise unit that grants awards, its chair
role held by its director, and the rule "Giấy khen của Giám đốc doanh nghiệp" decided there."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals import services as approvals
from approvals.models import Award
from dossiers import services
from dossiers.models import Dossier, DossierState, NomineeOutcome
from org.models import Role, UnitLevel
from tests import factories as f

AWARD = "giay-khen-giam-doc"


@pytest.fixture
def enterprise(world):
    company = f.UnitFactory(
        name="Công ty TNHH MTV Môi trường đô thị Long Biên",
        code="MTĐT",
        level=UnitLevel.ENTERPRISE,
        parent=world.commune,
        grants_awards=True,
    )
    workshop = f.UnitFactory(
        name="Xí nghiệp thu gom số 3", code="XN3", level=UnitLevel.OFFICE, parent=company
    )
    world.company, world.workshop = company, workshop
    world.director = f.user_with_role(Role.CHAIR, company, username="director", full_name="Trịnh Công Danh")
    world.workshop_head = f.user_with_role(Role.UNIT_HEAD, workshop, username="workshop_head")
    world.worker = f.UserFactory(username="worker", full_name="Lý Văn Tâm", unit=workshop)
    f.council_for(company, name="Hội đồng Thi đua - Khen thưởng Công ty")
    return world


def draft_at(unit, actor, w):
    return services.dossier_create(actor=actor, unit=unit, campaign=w.campaign, title="Giấy khen năm 2025")


def add(w, dossier, actor, **extra):
    values = {
        "kind": "individual",
        "name": "Lý Văn Tâm",
        "sex": "male",
        "award_type": f.award(AWARD),
        "achievements": "Đề xuất lịch thu gom theo khung giờ.",
        **extra,
    }
    return services.nominee_add(actor=actor, dossier=dossier, **values)


def awaiting_decision(w, nominee_person=None):
    """A dossier of the workshop, past the enterprise's council, awaiting its director."""
    rule = f.award(AWARD).rule_on(timezone.localdate())
    dossier = f.DossierFactory(
        unit=w.workshop,
        campaign=w.campaign,
        created_by=w.workshop_head,
        reviewing_unit=w.company,
        state=DossierState.AWAITING_DECISION,
    )
    f.NomineeFactory(
        dossier=dossier,
        name="Lý Văn Tâm",
        person=nominee_person,
        award_type=f.award(AWARD),
        outcome=NomineeOutcome.VOTED_IN,
        rule=rule,
    )
    return dossier


def test_the_rule_is_decided_at_the_enterprise(db):
    rule = f.award(AWARD).rule_on(timezone.localdate())
    assert rule.deciding_level == UnitLevel.ENTERPRISE
    assert rule.nominee_kinds == ["individual", "collective"]


def test_a_dossier_of_the_enterprises_staff_goes_to_the_enterprise(enterprise):
    w = enterprise
    dossier = draft_at(w.workshop, w.workshop_head, w)
    assert dossier.reviewing_unit == w.company
    nominee = add(w, dossier, w.workshop_head, person=w.worker)
    assert nominee.award_type.code == AWARD


def test_the_director_decides_a_giay_khen_for_a_staff_member(enterprise):
    w = enterprise
    dossier = awaiting_decision(w, nominee_person=w.worker)

    decision = approvals.decision_issue(actor=w.director, dossiers=[dossier], title="Về việc tặng Giấy khen")

    assert decision.issuer == w.company and decision.signed_by == w.director
    award = Award.objects.get(decision=decision)
    assert award.amount == 710_000  # 0.3 × 2,340,000 = 702,000, rounded up
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.DECIDED


def test_the_communes_chair_may_not_decide_the_enterprises_giay_khen(enterprise):
    w = enterprise
    dossier = awaiting_decision(w)
    with pytest.raises(PermissionDenied):
        approvals.decision_issue(actor=w.chair, dossiers=[dossier], title="Về việc tặng Giấy khen")


def test_refused_for_someone_outside_the_enterprise(enterprise):
    """A school's dossier (reviewed by the commune) cannot propose the director's Giấy khen."""
    w = enterprise
    dossier = draft_at(w.school_a, w.staff_a, w)
    with pytest.raises(ValidationError) as info:
        add(w, dossier, w.staff_a, name="Nguyễn Thị Lan", sex="female")
    assert info.value.message_dict == {
        "award_type": [
            "“Giấy khen của Giám đốc doanh nghiệp” is given by an enterprise's director to the enterprise's own staff only."
        ]
    }
    assert not dossier.nominees.exists()


def test_refused_for_a_person_who_works_elsewhere(enterprise):
    w = enterprise
    dossier = draft_at(w.workshop, w.workshop_head, w)
    teacher = f.UserFactory(username="teacher", full_name="Nguyễn Thị Lan", unit=w.school_a)
    with pytest.raises(ValidationError) as info:
        add(w, dossier, w.workshop_head, name="Nguyễn Thị Lan", sex="female", person=teacher)
    assert info.value.message_dict == {
        "person": ["Nguyễn Thị Lan does not work for Công ty TNHH MTV Môi trường đô thị Long Biên."]
    }


def test_the_director_may_not_decide_an_award_of_the_commune(enterprise):
    """The enterprise decides its director's Giấy khen only: the commune's Giấy khen goes up."""
    w = enterprise
    dossier = awaiting_decision(w)
    dossier.nominees.update(
        award_type=f.award("giay-khen"), rule=f.award("giay-khen").rule_on(timezone.localdate())
    )
    with pytest.raises(ValidationError) as info:
        approvals.decision_issue(actor=w.director, dossiers=[dossier], title="Về việc tặng Giấy khen")
    assert "is decided at a higher level" in " ".join(info.value.messages)
