"""The check on proposals: a nominee proposed for a title that requires a registration, in a
dossier whose year has a plan, is refused at submission without one; accepted with one, or with
the standing body's override (audited, shown on the dossier's page)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from emulation import services
from emulation.checks import applicable_plans
from emulation.models import EmulationPlan, RegistrationOverride
from org.errors import TransitionNotAllowed
from org.models import UnitLevel
from tests import factories as f
from workflows import services as wf

from .conftest import register_name

pytestmark = pytest.mark.calendar


def with_identity(draft, dob=dt.date(1985, 4, 2)):
    nominee = draft.nominee
    nominee.date_of_birth = dob
    nominee.save(update_fields=["date_of_birth"])
    return draft


def test_without_a_registration_the_submission_is_refused_naming_the_nominee(world, plan, complete_draft):
    with pytest.raises(ValidationError) as info:
        wf.dossier_submit(actor=world.head_a, dossier=with_identity(complete_draft))
    assert any("Nguyễn Thị Lan is not registered for “Giấy khen”" in m for m in info.value.messages)
    complete_draft.refresh_from_db()
    assert complete_draft.state == DossierState.DRAFT


def test_with_a_registration_the_submission_goes_through(world, plan, complete_draft):
    register_name(world, plan, name="NGUYEN THI LAN")  # typed without accents: the same person
    dossier = wf.dossier_submit(actor=world.head_a, dossier=with_identity(complete_draft))
    assert dossier.state == DossierState.SUBMITTED


def test_a_registration_of_another_person_of_the_same_name_does_not_count(world, plan, complete_draft):
    register_name(world, plan, dob=dt.date(1990, 1, 1))
    with pytest.raises(ValidationError):
        wf.dossier_submit(actor=world.head_a, dossier=with_identity(complete_draft))


def test_a_withdrawn_registration_does_not_count(world, plan, complete_draft):
    registration = register_name(world, plan)
    services.registration_withdraw(actor=world.staff_a, registration=registration, reason="Nhầm.")
    with pytest.raises(ValidationError):
        wf.dossier_submit(actor=world.head_a, dossier=with_identity(complete_draft))


def test_a_dossier_of_a_year_without_a_plan_is_not_checked(world, requirements, complete_draft):
    dossier = wf.dossier_submit(actor=world.head_a, dossier=with_identity(complete_draft))
    assert dossier.state == DossierState.SUBMITTED


def test_with_the_standing_bodys_override_the_submission_goes_through(world, plan, complete_draft, client):
    nominee = with_identity(complete_draft).nominee
    with pytest.raises(PermissionDenied):
        services.registration_override_record(actor=world.head_a, nominee=nominee, reason="Tự cho phép.")
    override = services.registration_override_record(
        actor=world.officer, nominee=nominee, reason="Tiếp nhận công tác ngày 01/4/2026, sau hạn đăng ký."
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.object_id) == (
        "emulation_registration.override",
        "officer",
        str(override.pk),
    )
    assert event.scope == world.school_a.path
    with pytest.raises(TransitionNotAllowed, match="already overrode"):
        services.registration_override_record(actor=world.officer, nominee=nominee, reason="Lần hai.")

    client.force_login(world.head_a)
    page = client.get(reverse("dossier-detail", args=[complete_draft.pk])).content.decode()
    assert 'data-testid="nominee-registration-override"' in page
    assert "sau hạn đăng ký" in page

    dossier = wf.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert dossier.state == DossierState.SUBMITTED


def test_the_dossier_page_warns_before_submission_and_offers_the_override_to_the_standing_body(
    world, plan, complete_draft, client
):
    client.force_login(world.head_a)
    page = client.get(reverse("dossier-detail", args=[complete_draft.pk])).content.decode()
    assert 'data-testid="nominee-unregistered"' in page
    assert 'data-testid="registration-override-form"' not in page

    client.force_login(world.officer)
    response = client.post(
        reverse("emulation-nominee-override", args=[complete_draft.nominee.pk]),
        {"reason": "Đơn vị mới thành lập sau hạn đăng ký."},
    )
    assert response.status_code == 302
    assert RegistrationOverride.objects.filter(nominee=complete_draft.nominee).exists()


def test_a_title_without_a_requirement_cannot_be_overridden(world, plan, complete_draft):
    from emulation.models import RegistrationRequirement

    RegistrationRequirement.objects.filter(award_type__code="giay-khen").delete()
    with pytest.raises(ValidationError):
        services.registration_override_record(
            actor=world.officer, nominee=complete_draft.nominee, reason="Thử."
        )


def test_the_standing_body_overrides_a_drafts_nominee_from_the_units_registration_page(
    world, plan, complete_draft, client
):
    """The draft is not visible to the standing body, and the unit's submission is refused for lack
    of a registration: the unit's registration page lists the nominee with the override form."""
    nominee = with_identity(complete_draft).nominee
    url = reverse("emulation-unit", args=[plan.pk, world.school_a.pk])
    override_url = reverse("emulation-unit-nominee-override", args=[plan.pk, world.school_a.pk, nominee.pk])
    client.force_login(world.head_a)  # the unit sees its own page but not the override
    assert 'data-testid="unregistered-nominee"' not in client.get(url).content.decode()
    assert client.post(override_url, {"reason": "Tự cho phép."}).status_code == 404
    client.force_login(world.officer)
    assert client.get(reverse("dossier-detail", args=[complete_draft.pk])).status_code == 404
    page = client.get(url).content.decode()
    assert 'data-testid="unregistered-nominee"' in page and "Nguyễn Thị Lan" in page
    assert override_url in page
    response = client.post(override_url, {"reason": "Tiếp nhận công tác sau hạn đăng ký."})
    assert response.status_code == 302 and response["Location"] == url
    assert RegistrationOverride.objects.get().nominee == nominee
    assert 'data-testid="unregistered-nominee"' not in client.get(url).content.decode()
    assert client.post(override_url, {"reason": "Lần hai."}).status_code == 404
    dossier = wf.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert dossier.state == DossierState.SUBMITTED


def test_the_plans_that_apply_are_those_at_or_above_the_unit_only(world, plan, complete_draft):
    """Found by the unit's path (one compiled read for every unit): the commune's plan applies to
    its school, a neighbouring commune's plan of the same year does not, and that commune's own
    schools see only theirs."""

    def plan_of(unit, title):
        fields = ("year", "number", "issued_on", "registration_deadline", "legal_basis", "opened_by")
        return EmulationPlan.objects.create(unit=unit, title=title, **{k: getattr(plan, k) for k in fields})

    neighbour = f.UnitFactory(
        name="Phường Bồ Đề", code="UBND", level=UnitLevel.COMMUNE, parent=world.province, grants_awards=True
    )
    their_school = f.UnitFactory(name="Trường Tiểu học Bồ Đề", code="THBD", parent=neighbour)
    theirs = plan_of(neighbour, "Kế hoạch thi đua của phường Bồ Đề")
    assert applicable_plans(complete_draft) == [plan]
    their_dossier = Dossier(unit=their_school, campaign=complete_draft.campaign)  # only asked, never saved
    assert applicable_plans(their_dossier) == [theirs]
    # A plan of the province (above both) applies to both, listed from the top.
    province_plan = plan_of(world.province, "Kế hoạch thi đua của thành phố")
    assert applicable_plans(complete_draft) == [province_plan, plan]
    assert applicable_plans(their_dossier) == [province_plan, theirs]
