"""The API mirror: the same services and checks as the pages, answers in HTTP terms."""

import datetime as dt

import pytest

from emulation.models import Registration, RegistrationOverride
from tests.api.helpers import english_client, one_audit_event

from .conftest import register_name

pytestmark = pytest.mark.django_db


def as_user(user):
    client = english_client()
    client.force_authenticate(user)
    return client


def registrations_url(plan, unit):
    return f"/api/emulation/plans/{plan.pk}/units/{unit.pk}/registrations/"


def test_the_standing_body_opens_a_plan_through_the_api(world, requirements):
    with one_audit_event("emulation_plan.open"):
        response = as_user(world.officer).post(
            "/api/emulation/plans/",
            {
                "unit": world.commune.pk,
                "year": 2026,
                "title": "Kế hoạch thi đua năm 2026",
                "registration_deadline": "2026-03-31",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert (
        as_user(world.head_a).get("/api/emulation/plans/").json()[0]["registration_deadline"] == "2026-03-31"
    )
    again = as_user(world.officer).post(
        "/api/emulation/plans/",
        {"unit": world.commune.pk, "year": 2026, "title": "Lần hai", "registration_deadline": "2026-04-30"},
        format="json",
    )
    assert again.status_code == 409


def test_a_unit_registers_and_reads_only_its_own_lines(world, plan):
    client = as_user(world.staff_a)
    with one_audit_event("emulation_registration.add"):
        response = client.post(
            registrations_url(plan, world.school_a),
            {
                "award_type": "chien-si-thi-dua-co-so",
                "kind": "individual",
                "name": "Lê Thu Hà",
                "date_of_birth": "1988-08-08",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert [r["name"] for r in client.get(registrations_url(plan, world.school_a)).json()] == ["Lê Thu Hà"]
    assert as_user(world.head_b).get(registrations_url(plan, world.school_a)).status_code == 404
    assert as_user(world.head_b).get(f"/api/emulation/plans/{plan.pk}/overview/").status_code == 404
    overview = as_user(world.officer).get(f"/api/emulation/plans/{plan.pk}/overview/").json()
    assert overview["total"] == 1 and world.school_b.pk in overview["not_registered"]


def test_after_the_deadline_the_api_refuses_with_the_date(world, past_plan):
    response = as_user(world.staff_a).post(
        registrations_url(past_plan, world.school_a),
        {"award_type": "giay-khen", "kind": "individual", "name": "Lê Thu Hà", "date_of_birth": "1988-08-08"},
        format="json",
    )
    assert response.status_code == 409
    assert "28/02/2026" in response.json()["detail"]
    assert not Registration.objects.exists()


def test_withdraw_and_override_through_the_api(world, plan, draft):
    registration = register_name(world, plan, name="Người khác", dob=dt.date(1970, 1, 1))
    response = as_user(world.head_a).post(
        f"/api/emulation/registrations/{registration.pk}/withdraw/", {"reason": "Nhầm."}, format="json"
    )
    assert response.status_code == 200 and response.json()["withdrawal_reason"] == "Nhầm."

    url = f"/api/emulation/nominees/{draft.nominee.pk}/registration/"
    status = as_user(world.head_a).get(url).json()
    assert status == {
        "nominee": draft.nominee.pk,
        "required": True,
        "registration": None,
        "override_reason": None,
    }
    assert as_user(world.head_a).post(url, {"reason": "Tự cho phép."}, format="json").status_code == 403
    with one_audit_event("emulation_registration.override"):
        response = as_user(world.officer).post(url, {"reason": "Chuyển công tác sau hạn."}, format="json")
    assert response.status_code == 201
    assert response.json()["override_reason"] == "Chuyển công tác sau hạn."
    assert RegistrationOverride.objects.filter(nominee=draft.nominee).exists()
    assert as_user(world.head_b).get(url).status_code == 404
