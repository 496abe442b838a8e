"""The pages: a unit sees only its own registrations (404 otherwise), registers and withdraws
through the page, the standing body's overview counts per title and names the units that have not
registered, the export, the menu, and the query counts pinned for 2 and 20 lines."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from emulation.models import Registration
from tests import factories as f

from .conftest import register_name

pytestmark = pytest.mark.django_db


def unit_url(plan, unit):
    return reverse("emulation-unit", args=[plan.pk, unit.pk])


def test_a_unit_sees_only_its_own_registrations(client, world, plan):
    register_name(world, plan)
    client.force_login(world.head_b)
    assert client.get(unit_url(plan, world.school_a)).status_code == 404
    assert client.get(reverse("emulation-plan", args=[plan.pk])).status_code == 302  # to its own unit
    assert client.get(reverse("emulation-plan-export", args=[plan.pk])).status_code == 404
    registration = Registration.objects.get()
    response = client.post(
        reverse("emulation-registration-withdraw", args=[registration.pk]), {"reason": "Không phải của tôi."}
    )
    assert response.status_code == 404
    page = client.get(unit_url(plan, world.school_b)).content.decode()
    assert "Nguyễn Thị Lan" not in page


def test_a_plan_of_another_commune_is_not_found(client, world, plan):
    other = f.UnitFactory(name="Phường Bồ Đề", code="UBND", parent=world.province, grants_awards=True)
    head = f.user_with_role("unit_head", f.UnitFactory(name="Trường THCS Bồ Đề", parent=other))
    client.force_login(head)
    assert client.get(reverse("emulation-plan", args=[plan.pk])).status_code == 404


def test_the_unit_registers_and_withdraws_through_its_page(client, world, plan):
    client.force_login(world.staff_a)
    page = client.get(unit_url(plan, world.school_a)).content.decode()
    assert "31/03/2026" in page
    response = client.post(
        unit_url(plan, world.school_a),
        {
            "kind": "individual",
            "award_type": f.award("chien-si-thi-dua-co-so").pk,
            "name": "Phạm Văn Đức",
            "date_of_birth": "1980-02-03",
            "position": "Tổ trưởng chuyên môn",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(name="Phạm Văn Đức")
    client.post(reverse("emulation-registration-withdraw", args=[registration.pk]), {"reason": "Nghỉ hưu."})
    registration.refresh_from_db()
    assert registration.withdrawal_reason == "Nghỉ hưu."


def test_the_page_refuses_a_registration_after_the_deadline(client, world, past_plan):
    client.force_login(world.staff_a)
    page = client.get(unit_url(past_plan, world.school_a)).content.decode()
    assert 'data-testid="registration-closed"' in page
    assert "28/02/2026" in page
    response = client.post(
        unit_url(past_plan, world.school_a),
        {
            "kind": "individual",
            "award_type": f.award("giay-khen").pk,
            "name": "A",
            "date_of_birth": "1980-01-01",
        },
    )
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_the_overview_counts_per_title_and_names_the_units_not_registered(client, world, plan):
    register_name(world, plan)
    register_name(world, plan, name="Trần Văn Hùng", dob=dt.date(1979, 1, 1))
    client.force_login(world.officer)
    response = client.get(reverse("emulation-plan", args=[plan.pk]))
    page = response.content.decode()
    assert response.context["overview"]["total"] == 2
    assert [u.name for u in response.context["overview"]["not_registered"]] == [
        "Phòng Nội vụ",
        "Trường Tiểu học Gia Thụy",
    ]
    assert 'data-testid="not-registered"' in page
    assert 'data-testid="nav-emulation"' in page


def test_the_export_lists_the_live_registrations(client, world, plan):
    register_name(world, plan)
    client.force_login(world.officer)
    response = client.get(reverse("emulation-plan-export", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("STT", "Đơn vị", "Đối tượng", "Họ và tên / Tập thể")
    assert rows[2][1:5] == ("Trường THCS Ngọc Lâm", "Cá nhân", "Nguyễn Thị Lan", "02/04/1985")


def test_the_menu_is_not_offered_to_a_council_member(client, world, plan):
    client.force_login(world.member)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-emulation"' not in page


def lines(world, plan, n):
    for i in range(n):
        register_name(world, plan, name=f"Giáo viên {i}", dob=dt.date(1980, 1, 1) + dt.timedelta(days=i))


# session, user, scopes (2); the plan; the unit; the lines (one query with their titles, people
# and units); permissions (2, for the menu); the form's choices: titles, units, people.
UNIT_PAGE_QUERIES = 13  # the titles of the plan's level read once
# session, user, scopes (2), permissions (2); the plan; counts per title, per unit, the units.
OVERVIEW_QUERIES = 10


@pytest.mark.parametrize("n", [2, 20])
def test_the_unit_page_costs_the_same_queries_for_any_number_of_lines(
    client, world, plan, n, django_assert_num_queries
):
    lines(world, plan, n)
    client.force_login(world.staff_a)
    with django_assert_num_queries(UNIT_PAGE_QUERIES):
        response = client.get(unit_url(plan, world.school_a))
    assert len(response.context["individuals"]) == n


@pytest.mark.parametrize("n", [2, 20])
def test_the_overview_costs_the_same_queries_for_any_number_of_lines(
    client, world, plan, n, django_assert_num_queries
):
    lines(world, plan, n)
    client.force_login(world.officer)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(reverse("emulation-plan", args=[plan.pk]))
    assert response.context["overview"]["total"] == n


def test_the_standing_body_issues_the_plan_from_its_page_in_vietnamese(client, world, requirements):
    client.force_login(world.officer)
    assert "Ban hành kế hoạch thi đua năm" in client.get(reverse("emulation-plans")).content.decode()
    form = client.get(reverse("emulation-plan-open"))
    assert form.status_code == 200
    response = client.post(
        reverse("emulation-plan-open"),
        {
            "unit": world.commune.pk,
            "year": 2026,
            "title": "Kế hoạch thi đua năm 2026",
            "registration_deadline": "2026-03-31",
        },
    )
    assert response.status_code == 302
    client.force_login(world.head_a)
    page = client.get(reverse("emulation-plans")).content.decode()
    assert "Kế hoạch thi đua năm 2026" in page and "31/03/2026" in page
    assert client.get(reverse("emulation-plan-open")).status_code == 404


def test_the_registration_form_offers_only_the_plans_own_titles(client, world, plan):
    client.force_login(world.staff_a)
    form = client.get(unit_url(plan, world.school_a)).context["form"]
    codes = set(form.fields["award_type"].queryset.values_list("code", flat=True))
    assert {"chien-si-thi-dua-co-so", "giay-khen", "tap-the-lao-dong-tien-tien"} <= codes
    assert not codes & {"chien-si-thi-dua-cap-tinh", "co-thi-dua-cap-tinh", "bang-khen-chu-tich-tinh"}
    response = client.post(
        unit_url(plan, world.school_a),
        {
            "kind": "collective",
            "award_type": f.award("co-thi-dua-cap-tinh").pk,
            "collective_unit": world.school_a.pk,
        },
    )
    assert response.status_code == 400 and not Registration.objects.exists()


def test_the_registration_page_says_danh_hieu_and_rut_dang_ky(client, world, plan):
    register_name(world, plan)
    client.force_login(world.staff_a)
    page = client.get(unit_url(plan, world.school_a), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Danh hiệu" in page and "Lý do rút đăng ký" in page
    assert "Tiêu đề" not in page and "Lý do rút hồ sơ" not in page
