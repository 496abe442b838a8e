"""The award-history pages (in Vietnamese, as a user reads them) and API: in scope only, the
same services as everywhere, the override shown on the dossier's page."""

import datetime as dt

import pytest
from django.urls import reverse

from dossiers.models import AwardRecord, EligibilityCondition, EligibilityOverride

from .conftest import recorded

pytestmark = pytest.mark.django_db


def test_the_list_shows_records_in_scope_only(client, world):
    recorded(world, year=2024)
    client.force_login(world.head_b)  # school B's head: school A's awards are not theirs
    assert "Phạm Thị Mai" not in client.get(reverse("award-record-list")).content.decode()
    client.force_login(world.head_a)
    page = client.get(reverse("award-record-list")).content.decode()
    assert "Phạm Thị Mai" in page and "24/QĐ-UBND" in page
    assert reverse("award-record-create") not in page  # a unit head does not record


def test_the_standing_body_records_an_award_on_the_page(client, world):
    client.force_login(world.officer)
    form = client.get(reverse("award-record-create"))
    assert form.status_code == 200
    response = client.post(
        reverse("award-record-create"),
        {
            "kind": "individual",
            "unit": world.school_a.pk,
            "name": "Nguyễn Văn Bình",
            "date_of_birth": "1985-07-09",
            "award_type": "",
            "award_title": "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo",
            "year": "2023",
            "decision_number": "4567/QĐ-BGDĐT",
            "decision_date": "2023-11-20",
            "issuer": "Bộ trưởng Bộ Giáo dục và Đào tạo",
        },
    )
    assert response.status_code == 302
    record = AwardRecord.objects.get()
    assert (record.name, record.award_name, record.recorded_by) == (
        "Nguyễn Văn Bình",
        "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo",
        world.officer,
    )


def test_a_refused_record_comes_back_with_its_message(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("award-record-create"),
        {
            "kind": "individual",
            "unit": world.school_a.pk,
            "name": "Nguyễn Văn Bình",
            "year": "2023",
            "decision_number": "1/QĐ",
            "decision_date": "2023-11-20",
            "issuer": "UBND",
        },
    )
    assert response.status_code == 400
    assert "Chọn hình thức khen thưởng, hoặc ghi tên hình thức" in response.content.decode()
    assert not AwardRecord.objects.exists()


def test_void_on_the_page_asks_a_reason(client, world):
    record = recorded(world, year=2024)
    client.force_login(world.officer)
    assert client.post(reverse("award-record-void", args=[record.pk]), {"reason": ""}).status_code == 400
    response = client.post(reverse("award-record-void", args=[record.pk]), {"reason": "Trùng hồ sơ."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_void


def test_override_on_the_history_page_then_shown_on_the_dossier_page(client, world, provincial_draft):
    recorded(world, year=2025)
    nominee = provincial_draft.nominee
    condition = EligibilityCondition.objects.get(rule=nominee.award_type.rule_on(world.today))
    client.force_login(world.officer)
    page = client.get(reverse("nominee-history", args=[nominee.pk])).content.decode()
    assert "còn thiếu 2023, 2024" in page and "Lý do cho phép vượt điều kiện" in page

    response = client.post(
        reverse("nominee-history", args=[nominee.pk]),
        {"condition": condition.pk, "reason": "Đã xác minh hồ sơ giấy năm 2023, 2024."},
    )
    assert response.status_code == 302
    assert EligibilityOverride.objects.get().granted_by == world.officer

    client.force_login(world.head_a)
    dossier_page = client.get(reverse("dossier-detail", args=[provincial_draft.pk])).content.decode()
    assert 'data-testid="nominee-override"' in dossier_page
    assert "Đã xác minh hồ sơ giấy năm 2023, 2024." in dossier_page
    assert (
        "Lý do cho phép vượt điều kiện"
        not in client.get(reverse("nominee-history", args=[nominee.pk])).content.decode()
    )


def test_the_history_page_is_a_404_out_of_scope(client, world, provincial_draft):
    client.force_login(world.head_b)
    assert client.get(reverse("nominee-history", args=[provincial_draft.nominee.pk])).status_code == 404


def test_the_nominee_form_shows_the_history_beside_it(client, world, provincial_draft):
    recorded(world, year=2025)
    client.force_login(world.staff_a)
    page = client.get(
        reverse("nominee-edit", args=[provincial_draft.pk, provincial_draft.nominee.pk])
    ).content.decode()
    assert 'id="history"' in page and "25/QĐ-UBND" in page


# --- API ----------------------------------------------------------------------------------------


def test_api_records_lists_and_refuses_like_the_pages(client, world):
    body = {
        "kind": "individual",
        "unit": world.school_a.pk,
        "name": "Phạm Thị Mai",
        "id_number": "001190012345",
        "award_type": "lao-dong-tien-tien",
        "year": 2024,
        "decision_number": "88/QĐ-UBND",
        "decision_date": "2024-12-15",
        "issuer": "Chủ tịch UBND phường Long Biên",
    }
    client.force_login(world.head_a)
    assert client.post("/api/award-records/", body, content_type="application/json").status_code == 403
    client.force_login(world.officer)
    created = client.post("/api/award-records/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["award_name"] == "Lao động tiên tiến"

    client.force_login(world.head_a)
    listed = client.get("/api/award-records/").json()
    assert [r["decision_number"] for r in listed["results"]] == ["88/QĐ-UBND"]
    assert listed["results"][0]["id_number"] == "********2345"

    client.force_login(world.officer)
    pk = created.json()["id"]
    corrected = client.patch(
        f"/api/award-records/{pk}/", {"reason": "Sai năm.", "year": 2023}, content_type="application/json"
    )
    assert corrected.status_code == 200 and corrected.json()["year"] == 2023
    voided = client.post(
        f"/api/award-records/{pk}/void/", {"reason": "Nhầm."}, content_type="application/json"
    )
    assert voided.json()["voided_at"] is not None


def test_api_history_and_override(client, world, provincial_draft):
    recorded(world, year=2025)
    nominee = provincial_draft.nominee
    client.force_login(world.officer)
    history = client.get(f"/api/nominees/{nominee.pk}/history/").json()
    assert [a["year"] for a in history["awards"]] == [2025]
    [condition] = history["conditions"]
    assert condition["missing"] == [2023, 2024] and condition["met"] is False

    refused = client.post(
        f"/api/nominees/{nominee.pk}/eligibility-overrides/",
        {"condition": condition["condition"], "reason": ""},
        content_type="application/json",
    )
    assert refused.status_code == 400
    done = client.post(
        f"/api/nominees/{nominee.pk}/eligibility-overrides/",
        {"condition": condition["condition"], "reason": "Đã xác minh."},
        content_type="application/json",
    )
    assert done.status_code == 201
    assert done.json()["conditions"][0]["override_reason"] == "Đã xác minh."


def test_api_legal_grounds_carry_their_citation(client, world):
    client.force_login(world.head_a)
    grounds = {g["number"]: g for g in client.get("/api/legal-grounds/").json()}
    assert grounds["152/2025/NĐ-CP"]["citation"].startswith(
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"
    )
    assert grounds["152/2025/NĐ-CP"]["issued_on"] == dt.date(2025, 6, 14).isoformat()


def test_a_reader_sees_a_record_but_is_offered_no_correction(client, world):
    record = recorded(world, year=2024)
    client.force_login(world.head_a)
    page = client.get(reverse("award-record-correct", args=[record.pk])).content.decode()
    assert "24/QĐ-UBND" in page
    assert reverse("award-record-void", args=[record.pk]) not in page
    refused = client.post(reverse("award-record-void", args=[record.pk]), {"reason": "Thử."})
    assert refused.status_code == 403
    record.refresh_from_db()
    assert not record.is_void
