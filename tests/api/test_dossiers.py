"""/api/dossiers/ and /api/dossiers/{id}/: list, detail, create, edit."""

import datetime as dt

import pytest

from dossiers.models import Dossier, DossierState
from dossiers.services import attachment_add
from tests import factories as f

from .helpers import no_audit_event, one_audit_event

LIST = "/api/dossiers/"


def detail_url(dossier):
    return f"/api/dossiers/{dossier.pk}/"


# --- list -------------------------------------------------------------------------------------


def test_list_shows_own_unit_dossiers_only(api, world, draft):
    f.DossierFactory(unit=world.school_b, campaign=world.campaign, created_by=world.head_b)

    response = api.as_(world.staff_a).get(LIST)

    assert response.status_code == 200
    assert response.data["count"] == 1
    (row,) = response.data["results"]
    assert row["id"] == draft.pk
    assert row["state"] == "draft"
    assert row["unit"]["name"] == "Trường THCS Ngọc Lâm"
    assert row["campaign"]["id"] == world.campaign.pk
    assert row["nominee_count"] == 1


def test_reviewer_list_has_submitted_dossiers_but_no_drafts(api, world, draft):
    submitted = f.DossierFactory(
        unit=world.school_b,
        campaign=world.campaign,
        created_by=world.head_b,
        state=DossierState.SUBMITTED,
    )

    response = api.as_(world.officer).get(LIST)

    assert [row["id"] for row in response.data["results"]] == [submitted.pk]


def test_list_filters_by_state_campaign_and_words(api, world, draft):
    other_campaign = f.CampaignFactory(organizer=world.commune)
    returned = f.DossierFactory(
        unit=world.school_a,
        campaign=other_campaign,
        created_by=world.staff_a,
        state=DossierState.RETURNED,
        title="Hồ sơ khen thưởng đột xuất",
    )
    client = api.as_(world.head_a)

    def ids(**params):
        return [row["id"] for row in client.get(LIST, params).data["results"]]

    assert ids(state="returned") == [returned.pk]
    assert ids(campaign=world.campaign.pk) == [draft.pk]
    assert ids(q="đột xuất") == [returned.pk]
    assert set(ids()) == {draft.pk, returned.pk}


def test_list_rejects_an_unknown_state(api, world):
    response = api.as_(world.head_a).get(LIST, {"state": "approved"})
    assert response.status_code == 400
    assert "state" in response.data


def test_list_is_paginated_by_fifty(api, world):
    f.DossierFactory.create_batch(51, unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    client = api.as_(world.head_a)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert first.data["count"] == 51
    assert len(first.data["results"]) == 50
    assert first.data["next"].endswith("?page=2")
    assert len(second.data["results"]) == 1


# --- detail -----------------------------------------------------------------------------------


def test_detail_has_nominees_and_current_attachments_with_their_versions(api, world, complete_draft):
    newer = attachment_add(
        actor=world.staff_a,
        dossier=complete_draft,
        kind=f.doc_kind("to-trinh"),
        uploaded_file=f.pdf_upload("to-trinh-v2.pdf", "bản sửa"),
    )

    response = api.as_(world.head_a).get(detail_url(complete_draft))

    assert response.status_code == 200
    data = response.data
    assert data["title"] == complete_draft.title
    assert data["state"] == "draft"
    assert [n["name"] for n in data["nominees"]] == ["Nguyễn Thị Lan"]
    assert data["nominees"][0]["award_type"]["code"] == "giay-khen"
    slots = {(a["kind"]["code"], a["nominee"]): a for a in data["attachments"]}
    assert set(slots) == {
        ("to-trinh", None),
        ("bien-ban", None),
        ("bao-cao-thanh-tich", complete_draft.nominee.pk),
    }
    to_trinh = slots[("to-trinh", None)]
    assert (to_trinh["id"], to_trinh["version"], to_trinh["original_name"]) == (
        newer.pk,
        2,
        "to-trinh-v2.pdf",
    )
    assert [(v["version"], v["original_name"]) for v in to_trinh["earlier_versions"]] == [(1, "to-trinh.pdf")]
    assert to_trinh["download_url"].endswith(f"/api/attachments/{newer.pk}/download/")
    assert slots[("bien-ban", None)]["earlier_versions"] == []


def test_detail_leaves_out_removed_nominees(api, world, draft):
    from dossiers.services import nominee_remove

    nominee_remove(actor=world.staff_a, nominee=draft.nominee)

    response = api.as_(world.head_a).get(detail_url(draft))

    assert response.data["nominees"] == []


def test_detail_of_a_dossier_that_does_not_exist_is_404(api, world):
    response = api.as_(world.head_a).get("/api/dossiers/999999/")
    assert response.status_code == 404


def test_reviewer_cannot_see_a_draft(api, world, draft):
    assert api.as_(world.officer).get(detail_url(draft)).status_code == 404


# --- create -----------------------------------------------------------------------------------


def test_staff_drafts_a_dossier_for_their_unit(api, world):
    payload = {
        "unit": world.school_a.pk,
        "campaign": world.campaign.pk,
        "title": "Đề nghị Giấy khen năm học 2025-2026",
        "summary": "Ba giáo viên tiêu biểu.",
    }
    with one_audit_event("dossier.create") as event:
        response = api.as_(world.staff_a).post(LIST, payload, format="json")

    assert response.status_code == 201
    dossier = Dossier.objects.get(pk=response.data["id"])
    assert (dossier.unit, dossier.campaign, dossier.title) == (
        world.school_a,
        world.campaign,
        payload["title"],
    )
    assert dossier.state == DossierState.DRAFT
    assert dossier.created_by == world.staff_a
    # The campaign's kind when none is given.
    assert response.data["procedure_kind"] == world.campaign.procedure_kind
    assert response.data["nominees"] == []
    assert (event[0].actor, event[0].object_id) == ("staff_a", str(dossier.pk))


def test_nobody_drafts_for_another_unit(api, world):
    payload = {"unit": world.school_a.pk, "campaign": world.campaign.pk, "title": "Hồ sơ"}
    with no_audit_event():
        response = api.as_(world.head_b).post(LIST, payload, format="json")

    assert response.status_code == 403
    assert response.data == {"detail": "You may draft dossiers only for your own unit."}
    assert not Dossier.objects.exists()


def test_a_dossier_needs_a_title(api, world):
    payload = {"unit": world.school_a.pk, "campaign": world.campaign.pk, "title": "   "}
    with no_audit_event():
        response = api.as_(world.staff_a).post(LIST, payload, format="json")

    assert response.status_code == 400
    assert response.data == {"title": ["Give the dossier a title."]}


@pytest.mark.calendar
def test_a_dossier_is_drafted_only_for_an_open_campaign(api, world):
    closed = f.CampaignFactory(
        organizer=world.commune,
        period_start=world.today - dt.timedelta(days=400),
        period_end=world.today - dt.timedelta(days=1),
        submission_deadline=world.today - dt.timedelta(days=10),
    )
    payload = {"unit": world.school_a.pk, "campaign": closed.pk, "title": "Hồ sơ muộn"}
    with no_audit_event():
        response = api.as_(world.staff_a).post(LIST, payload, format="json")

    assert response.status_code == 400
    assert set(response.data) == {"campaign"}
    assert not Dossier.objects.exists()


def test_create_names_unknown_references(api, world):
    payload = {
        "unit": world.school_a.pk,
        "campaign": 999999,
        "title": "Hồ sơ",
        "procedure_kind": "lottery",
    }
    response = api.as_(world.staff_a).post(LIST, payload, format="json")

    assert response.status_code == 400
    assert set(response.data) == {"campaign", "procedure_kind"}


# --- edit -------------------------------------------------------------------------------------


def test_staff_edits_a_draft_and_the_audit_keeps_the_diff(api, world, draft):
    with one_audit_event("dossier.update") as event:
        response = api.as_(world.staff_a).patch(
            detail_url(draft), {"title": "Tên mới", "procedure_kind": "achievement"}, format="json"
        )

    assert response.status_code == 200
    assert response.data["title"] == "Tên mới"
    draft.refresh_from_db()
    assert (draft.title, draft.procedure_kind) == ("Tên mới", "achievement")
    assert event[0].data["changes"]["procedure_kind"] == ["campaign", "achievement"]


def test_a_submitted_dossier_cannot_be_edited(api, world):
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.SUBMITTED,
    )
    with no_audit_event():
        response = api.as_(world.staff_a).patch(detail_url(dossier), {"title": "Khác"}, format="json")

    assert response.status_code == 409
    assert response.data["code"] == "transition_not_allowed"
    assert "“Submitted”" in response.data["detail"]
    assert Dossier.objects.get(pk=dossier.pk).title == dossier.title


def test_reviewer_who_sees_a_returned_dossier_cannot_edit_it(api, world):
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.RETURNED,
    )
    response = api.as_(world.officer).patch(detail_url(dossier), {"title": "Khác"}, format="json")

    assert response.status_code == 403
    assert response.data == {"detail": "Only the unit's own staff and head may change this dossier."}


@pytest.mark.parametrize("title", ["", "  "])
def test_an_edit_cannot_blank_the_title(api, world, draft, title):
    response = api.as_(world.staff_a).patch(detail_url(draft), {"title": title}, format="json")

    assert response.status_code == 400
    assert response.data == {"title": ["Give the dossier a title."]}
