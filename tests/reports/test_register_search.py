"""The award register (tra cứu khen thưởng): every awardee's awards from decisions and recorded
from elsewhere, searched by name without caring for accents or case, by unit, award, year."""

import datetime as dt
import importlib

import pytest
from django.urls import reverse

from dossiers.history_services import award_record_void
from dossiers.models import Nominee
from dossiers.search_text import fold
from reports.register_search import awardee_page_for, register_for
from tests import factories as f

from .register_world import decided_award, recorded_award

pytestmark = pytest.mark.django_db


def names(rows):
    return [row.name for row in rows[0 : rows.count()]]


def test_folding_strips_accents_and_case_and_writes_d_for_dj():
    assert fold("  Nguyễn  Văn Đức ") == "nguyen van duc"
    assert fold("ĐẶNG THỊ ÁNH") == "dang thi anh"
    assert fold("Trường THCS Ngọc Lâm") == "truong thcs ngoc lam"


def test_the_data_migration_folds_as_the_models_do():
    migration = importlib.import_module("dossiers.migrations.0014_fill_search_text")
    for text in ["Nguyễn Văn Đức", "ĐẶNG Thị  Ánh", "Hộ gia đình ông Lò Văn Pủa", ""]:
        assert migration.search_text(text) == fold(text)


def test_search_finds_a_name_typed_without_accents(world):
    decided_award(world, name="Nguyễn Văn A", year=2024)
    recorded_award(world, name="Nguyễn Văn A", year=2023)
    recorded_award(world, name="Lê Thị Bình", year=2023)
    rows = register_for(user=world.officer, filters={"q": "nguyen van a"})
    assert names(rows) == ["Nguyễn Văn A", "Nguyễn Văn A"]
    assert [r.source for r in rows[0:2]] == ["r", "a"]  # by year within the name


def test_search_ignores_case_and_reads_d_as_dj(world):
    decided_award(world, name="Đặng Thị Hoa", year=2024)
    recorded_award(world, name="Trần Minh Đức", year=2024)
    assert names(register_for(user=world.officer, filters={"q": "DANG THI"})) == ["Đặng Thị Hoa"]
    assert names(register_for(user=world.officer, filters={"q": "duc"})) == ["Trần Minh Đức"]
    assert names(register_for(user=world.officer, filters={"q": "đức"})) == ["Trần Minh Đức"]
    # Every word must be found, in any place of the name.
    assert names(register_for(user=world.officer, filters={"q": "hoa dang"})) == ["Đặng Thị Hoa"]
    assert names(register_for(user=world.officer, filters={"q": "hoa duc"})) == []


def test_search_by_unit_award_year_and_kind(world):
    decided_award(world, name="Phạm Thị Mai", year=2024, unit=world.school_a)
    decided_award(world, name="Phạm Văn Nam", year=2025, unit=world.school_b, code="chien-si-thi-dua-co-so")
    recorded_award(world, name="Phạm Minh Châu", year=2023, unit=world.school_b)
    decided_award(world, name="Tổ Toán", year=2025, kind="collective", unit=world.school_b)
    officer = world.officer
    assert names(register_for(user=officer, filters={"unit": world.school_b})) == [
        "Phạm Minh Châu",
        "Phạm Văn Nam",
        "Tổ Toán",
    ]
    chien_si = f.award("chien-si-thi-dua-co-so")
    assert names(register_for(user=officer, filters={"award_type": chien_si})) == [
        "Phạm Minh Châu",
        "Phạm Văn Nam",
    ]
    assert names(register_for(user=officer, filters={"year": 2025})) == ["Phạm Văn Nam", "Tổ Toán"]
    assert names(register_for(user=officer, filters={"kind": "collective"})) == ["Tổ Toán"]
    assert names(register_for(user=officer, filters={"level": "elsewhere"})) == ["Phạm Minh Châu"]
    assert names(register_for(user=officer, filters={"level": "commune", "q": "pham"})) == [
        "Phạm Thị Mai",
        "Phạm Văn Nam",
    ]


def test_a_unit_sees_only_its_own_awards(world):
    decided_award(world, name="Phạm Thị Mai", year=2024, unit=world.school_a)
    recorded_award(world, name="Phạm Minh Châu", year=2023, unit=world.school_a)
    decided_award(world, name="Lê Văn Hùng", year=2024, unit=world.school_b)
    assert names(register_for(user=world.head_b, filters={})) == ["Lê Văn Hùng"]
    assert names(register_for(user=world.head_a, filters={})) == ["Phạm Minh Châu", "Phạm Thị Mai"]
    nobody = f.UserFactory()
    assert names(register_for(user=nobody, filters={})) == []


def test_an_awardee_page_lists_decided_and_recorded_awards_in_year_order(world, client):
    dob = dt.date(1990, 3, 2)
    recorded_award(world, name="Phạm Thị Mai", year=2025, date_of_birth=dob, id_number="001190012345")
    award = decided_award(world, name="Phạm Thị Mai", year=2024, date_of_birth=dob, id_number="001190012345")
    recorded_award(
        world,
        name="Phạm Thị Mai",
        year=2023,
        date_of_birth=dob,
        id_number="001190012345",
        code="lao-dong-tien-tien",
    )
    page = awardee_page_for(user=world.officer, ref=f"a{award.pk}")
    assert [(e.year, e.source) for e in page.entries] == [
        (2023, "recorded"),
        (2024, "engine"),
        (2025, "recorded"),
    ]
    assert page.entries[1].decision_id == award.decision_id
    assert page.entries[1].decision_number == award.decision.symbol

    client.force_login(world.officer)
    html = client.get(reverse("awardee-detail", args=[f"a{award.pk}"])).content.decode()
    assert html.index("Lao động tiên tiến") < html.index(award.decision.symbol) < html.index("25/QĐ-UBND")
    assert reverse("decision-detail", args=[award.decision_id]) in html
    assert award.decision.issuer.name in html


def test_a_voided_recorded_award_leaves_the_register(world, client):
    kept = recorded_award(world, name="Võ Thị Sáu", year=2023)
    voided = recorded_award(world, name="Võ Thị Sáu", year=2024, decision_number="99/QĐ-UBND")
    award_record_void(actor=world.officer, record=voided, reason="Nhập nhầm quyết định.")
    rows = register_for(user=world.officer, filters={"q": "vo thi sau"})
    assert [(r.source, r.pk) for r in rows[0:5]] == [("r", kept.pk)]
    page = awardee_page_for(user=world.officer, ref=f"r{kept.pk}")
    assert [e.decision_number for e in page.entries] == [kept.decision_number]
    client.force_login(world.officer)
    assert client.get(reverse("awardee-detail", args=[f"r{voided.pk}"])).status_code == 404
    assert "99/QĐ-UBND" not in client.get(reverse("award-register")).content.decode()


def test_a_revoked_award_leaves_the_register(world):
    award = decided_award(world, name="Hoàng Văn Thụ", year=2024)
    revocation = f.decision(
        world.commune, world.chair, number=900, title="Về việc hủy bỏ", signed_on=dt.date(2026, 3, 2)
    )
    award.revoked_by = revocation
    award.save(update_fields=["revoked_by"])
    assert names(register_for(user=world.officer, filters={"q": "hoang"})) == []


def test_the_id_number_is_shown_in_full_only_in_scope(world, client):
    award = decided_award(world, name="Phạm Thị Mai", year=2024, id_number="001190012345")
    record = recorded_award(world, name="Bùi Văn Tâm", year=2023, id_number="001085054321")
    # The unit's own people and the standing body the dossier was sent to read it in full.
    assert awardee_page_for(user=world.head_a, ref=f"a{award.pk}").id_number == "001190012345"
    assert awardee_page_for(user=world.officer, ref=f"a{award.pk}").id_number == "001190012345"
    # An inspector reads the award but only the ID number's last four digits.
    inspected = awardee_page_for(user=world.inspector, ref=f"a{award.pk}")
    assert (inspected.id_number, inspected.id_number_in_full) == ("********2345", False)
    # A recorded award's: in full for the standing body that records it only.
    assert awardee_page_for(user=world.officer, ref=f"r{record.pk}").id_number == "001085054321"
    assert awardee_page_for(user=world.head_a, ref=f"r{record.pk}").id_number == "********4321"
    client.force_login(world.inspector)
    html = client.get(reverse("awardee-detail", args=[f"a{award.pk}"])).content.decode()
    assert "********2345" in html and "001190012345" not in html
    client.force_login(world.head_a)
    data = client.get(reverse("api-awardee-detail", args=[f"r{record.pk}"])).json()
    assert data["id_number"] == "********4321" and data["id_number_in_full"] is False


def test_a_persons_id_number_is_shown_alike_from_either_of_their_rows(world, client):
    # One person with an award decided in the engine and one recorded from elsewhere: the page is
    # the same whichever row it is opened from, for a reader who sees only one of the two rows'
    # ID numbers (the unit head) and for one who sees both (the standing officer).
    dob = dt.date(1986, 4, 12)
    person = dict(date_of_birth=dob, id_number="001186004127")
    award = decided_award(world, name="Nguyễn Thị Lan", year=2024, **person)
    record = recorded_award(world, name="Nguyễn Thị Lan", year=2023, **person)
    refs = (f"a{award.pk}", f"r{record.pk}")
    for user, shown in (
        (world.head_a, ("********4127", None, False)),
        (world.officer, ("001186004127", dob, True)),
    ):
        for ref in refs:
            page = awardee_page_for(user=user, ref=ref)
            assert (page.id_number, page.date_of_birth, page.id_number_in_full) == shown, (user, ref)
        client.force_login(user)
        for ref in refs:
            html = client.get(reverse("awardee-detail", args=[ref])).content.decode()
            assert ("001186004127" in html) is shown[2] and ("12/04/1986" in html) is shown[2], (user, ref)
            # The label starts the line with a capital letter.
            assert ">Số định danh cá nhân/CCCD</dt>" in html and ">số định danh" not in html
            api = client.get(reverse("api-awardee-detail", args=[ref])).json()
            assert api["id_number"] == shown[0], (user, ref)


def test_an_awardee_outside_the_readers_scope_is_a_404(world, client):
    award = decided_award(world, name="Phạm Thị Mai", year=2024, unit=world.school_a)
    client.force_login(world.head_b)
    for ref in (f"a{award.pk}", "a999999", "x1", "r", "rabc"):
        assert client.get(reverse("awardee-detail", args=[ref])).status_code == 404
        assert client.get(reverse("api-awardee-detail", args=[ref])).status_code == 404


def test_the_decision_is_linked_only_where_the_reader_may_see_it(world):
    dob = dt.date(1988, 5, 6)
    here = decided_award(world, name="Ngô Thị Lan", year=2023, unit=world.school_a, date_of_birth=dob)
    # The same person, proposed earlier by the other school: its decision is not school A's to open.
    there = decided_award(world, name="Ngô Thị Lan", year=2022, unit=world.school_b, date_of_birth=dob)
    page = awardee_page_for(user=world.head_a, ref=f"a{here.pk}")
    assert [(e.year, e.decision_id) for e in page.entries] == [(2022, None), (2023, here.decision_id)]
    assert page.entries[0].decision_number == there.decision.symbol


def test_nominees_copied_in_bulk_are_searchable(world, draft):
    copy = Nominee(dossier=draft, kind="individual", name="Đinh Công Tráng", award_type=f.award("giay-khen"))
    Nominee.objects.bulk_create([copy])
    assert Nominee.objects.get(name="Đinh Công Tráng").search_text == "dinh cong trang"
    nominee = Nominee.objects.get(name="Đinh Công Tráng")
    nominee.name = "Đinh Công Trứ"
    nominee.save(update_fields=["name"])
    assert Nominee.objects.get(pk=nominee.pk).search_text == "dinh cong tru"


def test_the_register_page_searches_and_pages(world, client):
    for i in range(30):
        recorded_award(world, name=f"Nguyễn Văn Số {i:02d}", year=2023)
    recorded_award(world, name="Đỗ Thị Hằng", year=2024)
    client.force_login(world.officer)
    first = client.get(reverse("award-register")).content.decode()
    assert "Trang 1 / 2" in first or "Page 1 of 2" in first
    found = client.get(reverse("award-register"), {"q": "do thi hang"}).content.decode()
    assert "Đỗ Thị Hằng" in found and "Nguyễn Văn Số 00" not in found


def test_the_api_mirrors_the_register(world, client):
    award = decided_award(world, name="Nguyễn Văn A", year=2024)
    recorded_award(world, name="Nguyễn Văn A", year=2023)
    client.force_login(world.officer)
    data = client.get(reverse("api-award-register"), {"q": "NGUYEN VAN A"}).json()
    assert data["count"] == 2
    assert [(r["source"], r["year"]) for r in data["results"]] == [("r", 2023), ("a", 2024)]
    assert data["results"][1]["decision"] == award.decision_id
    assert data["results"][1]["decision_number"] == award.decision.symbol
    detail = client.get(reverse("api-awardee-detail", args=[data["results"][1]["ref"]])).json()
    assert [a["year"] for a in detail["awards"]] == [2023, 2024]
    assert client.get(reverse("api-award-register"), {"year": "abc"}).status_code == 400


def _register_queries(world, client, django_assert_num_queries, count):
    for i in range(count):
        decided_award(world, name=f"Nguyễn Văn {i:02d}", year=2024 if i % 2 else 2025)
        recorded_award(world, name=f"Nguyễn Văn {i:02d}", year=2023)
    client.force_login(world.officer)
    client.get(reverse("award-register"))  # the session and the language are loaded once
    # session, user, scopes (2), permissions (2), units for the filter, award types, the count,
    # the page's sort keys, its decided awards, its recorded awards
    with django_assert_num_queries(12):
        response = client.get(reverse("award-register"), {"q": "nguyen"})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("count", [3, 30])
def test_the_register_page_costs_the_same_queries_for_3_and_30_awardees(
    world, client, django_assert_num_queries, count
):
    response = _register_queries(world, client, django_assert_num_queries, count)
    html = response.content.decode()
    # Each name's recorded award (2023) then its decided one (2024 or 2025), a page of 25.
    assert html.count('href="/award-register/r') == min(count, 13)
    assert html.count('href="/award-register/a') == min(count, 12)


def test_an_inspectors_read_of_an_awardee_is_audited_as_a_read_of_the_nominee(world, client):
    from audit.models import AuditEvent

    award = decided_award(world, name="Phạm Thị Mai", year=2024)
    client.force_login(world.inspector)
    assert client.get(reverse("awardee-detail", args=[f"a{award.pk}"])).status_code == 200
    event = AuditEvent.objects.filter(action="inspector.read").latest("seq")
    assert (event.object_type, event.object_id) == ("dossiers.nominee", str(award.nominee_id))
    assert event.data["dossier_id"] == award.nominee.dossier_id
    assert client.get(reverse("api-awardee-detail", args=[f"a{award.pk}"])).status_code == 200
    event = AuditEvent.objects.filter(action="inspector.read").latest("seq")
    assert (event.object_type, event.data["view"]) == ("dossiers.nominee", "api-awardee-detail")


def test_an_awardee_whose_history_holds_a_recognised_initiative_opens(world, client, settings, tmp_path):
    """A recognised initiative is a row of the person's history too (initiatives.history): the
    page opens, and the ID number stays in full only for the standing body over the units of
    every row, the initiative's unit included."""
    from initiatives.models import InitiativeAuthor
    from tests.initiatives.builders import initiative_world, passed, recognise

    settings.BALLOT_KEYS_DIR = str(tmp_path / "keys")
    ini = initiative_world(world)
    passed(ini)
    recognise(ini)
    dob = dt.date(1985, 2, 3)
    InitiativeAuthor.objects.filter(initiative=ini.initiative).update(date_of_birth=dob)
    record = recorded_award(world, name="Lê Thị Hoa", year=2025, date_of_birth=dob, id_number="001185000111")

    page = awardee_page_for(user=world.officer, ref=f"r{record.pk}")
    assert {e.source for e in page.entries} == {"recorded", "initiative"}
    assert page.id_number == "001185000111"
    assert awardee_page_for(user=world.head_a, ref=f"r{record.pk}").id_number == "********0111"
    client.force_login(world.officer)
    response = client.get(reverse("awardee-detail", args=[f"r{record.pk}"]))
    assert response.status_code == 200 and "Sáng kiến được công nhận" in response.content.decode()
