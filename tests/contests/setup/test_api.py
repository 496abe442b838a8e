"""The API mirrors the pages with the same checks: create, criteria, prizes, jury, open; a unit's
entry drafted, its file uploaded, sent, withdrawn; refusals answered 400/403/404/409."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from contests.models import Contest, ContestState, EntryState
from tests import factories as f

from . import helpers as h

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")  # messages asserted in their source words
    return client


def test_the_organiser_prepares_and_opens_a_contest_through_the_api(world):
    officer = api(world.officer)
    body = h.contest_values()
    response = officer.post("/api/contests/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["organizer"] == world.commune.pk
    for round_kind in ("appraisal", "final"):
        r = officer.post(
            f"/api/contests/{pk}/criteria/", {"round": round_kind, "name": "Tính mới", "weight": 100}
        )
        assert r.status_code == 201
    over = officer.post(f"/api/contests/{pk}/criteria/", {"round": "final", "name": "Thêm", "weight": 5})
    assert over.status_code == 400 and "add up to 105" in over.json()["weight"][0]
    prize = officer.post(
        f"/api/contests/{pk}/prizes/",
        {"entrant_kind": "collective", "name": "Giải nhất", "count": 1, "amount": 10_000_000},
        format="json",
    )
    assert prize.status_code == 201 and prize.json()["amount"] == 10_000_000
    juror = f.UserFactory()
    assert officer.post(f"/api/contests/{pk}/jurors/", {"user": juror.pk, "role": "chair"}).status_code == 201
    assert officer.patch(f"/api/contests/{pk}/", {"finalists": 5}, format="json").json()["finalists"] == 5
    opened = officer.post(f"/api/contests/{pk}/open/")
    assert opened.status_code == 200 and opened.json()["state"] == ContestState.OPEN
    assert opened.json()["prize_cash"] == 10_000_000
    again = officer.post(f"/api/contests/{pk}/open/")
    assert again.status_code == 409


def test_weights_short_of_100_refuse_the_opening_with_the_sum(world):
    contest = h.ready_contest(world)
    criterion = contest.criteria.filter(round="appraisal").first()
    officer = api(world.officer)
    r = officer.patch(f"/api/contests/{contest.pk}/criteria/{criterion.pk}/", {"weight": 20}, format="json")
    assert r.status_code == 200
    refused = officer.post(f"/api/contests/{contest.pk}/open/")
    assert refused.status_code == 400
    assert any("add up to 80, not 100" in m for m in refused.json()["errors"])


def test_a_draft_contest_is_not_found_for_others(world):
    contest = h.ready_contest(world)
    assert api(world.head_a).get(f"/api/contests/{contest.pk}/").status_code == 404
    assert api(world.head_a).post(f"/api/contests/{contest.pk}/open/").status_code == 404
    assert api(world.head_a).post("/api/contests/", h.contest_values(), format="json").status_code == 404


def test_a_unit_enters_through_the_api(world, contest):
    staff = api(world.staff_a)
    body = {k: v for k, v in h.entry_values().items()}
    body["unit"] = world.school_a.pk
    created = staff.post(f"/api/contests/{contest.pk}/entries/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["authors"] == [{"name": "Nguyễn Thị Hoa", "position": "Chuyên viên"}]
    upload = staff.post(
        f"/api/contests/entries/{pk}/files/", {"file": f.pdf_upload("thuyet-minh.pdf")}, format="multipart"
    )
    assert upload.status_code == 201 and len(upload.json()["sha256"]) == 64
    assert staff.post(f"/api/contests/entries/{pk}/send/").status_code == 403
    sent = api(world.head_a).post(f"/api/contests/entries/{pk}/send/")
    assert sent.status_code == 200 and sent.json()["state"] == EntryState.SUBMITTED
    assert api(world.head_b).get(f"/api/contests/entries/{pk}/").status_code == 404
    assert api(world.officer).get(f"/api/contests/entries/{pk}/").status_code == 200
    withdrawn = api(world.head_a).post(f"/api/contests/entries/{pk}/withdraw/", {"reason": "Chọn lại"})
    assert withdrawn.json()["state"] == EntryState.WITHDRAWN
    assert list(
        AuditEvent.objects.filter(object_type="contests.entry", object_id=str(pk))
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["entry.create", "entry.send", "entry.withdraw"]


def test_another_units_draft_is_not_found_in_the_api(world, contest):
    entry = h.drafted_entry(world, contest)
    head_b = api(world.head_b)
    assert head_b.get(f"/api/contests/entries/{entry.pk}/").status_code == 404
    assert (
        head_b.patch(f"/api/contests/entries/{entry.pk}/", {"title": "x"}, format="json").status_code == 404
    )
    listed = head_b.get(f"/api/contests/{contest.pk}/entries/").json()
    assert listed == []


def test_the_cap_and_refusal_through_the_api(world, contest):
    for title in ("Một", "Hai", "Ba"):
        h.sent_entry(world, contest, title=title)
    fourth = h.drafted_entry(world, contest, title="Bốn")
    refused = api(world.head_a).post(f"/api/contests/entries/{fourth.pk}/send/")
    assert refused.status_code == 400 and "already sent 3 entries" in refused.json()["errors"][0]
    first = contest.entries.get(title="Một")
    not_admitted = api(world.officer).post(
        f"/api/contests/entries/{first.pk}/refuse/", {"reason": "Trùng sản phẩm"}
    )
    assert not_admitted.json()["state"] == EntryState.INELIGIBLE


def test_a_conflict_declared_through_the_api(world, contest):
    entry = h.sent_entry(world, contest)
    seat = contest.jurors.get(user=h.jurors(world)[2])
    r = api(seat.user).post(
        f"/api/contests/{contest.pk}/conflicts/",
        {"juror": seat.pk, "entry": entry.pk, "reason": "Cùng cơ quan"},
    )
    assert r.status_code == 201
    assert (
        api(world.officer).get(f"/api/contests/{contest.pk}/conflicts/").json()[0]["reason"] == "Cùng cơ quan"
    )
    assert api(world.head_a).get(f"/api/contests/{contest.pk}/conflicts/").status_code == 404


def test_the_list_is_each_readers(world, contest):
    h.draft_contest(world, name="Nháp")
    names = [c["name"] for c in api(world.head_a).get("/api/contests/").json()]
    assert names == [contest.name]
    assert len(api(world.officer).get("/api/contests/").json()) == 2
    assert Contest.objects.count() == 2
