"""/api/dossiers/{id}/nominees/…: propose, edit and remove nominees."""

from dossiers.models import Attachment, DossierState, Nominee
from dossiers.services import attachment_add
from tests import factories as f

from .helpers import no_audit_event, one_audit_event


def list_url(dossier):
    return f"/api/dossiers/{dossier.pk}/nominees/"


def nominee_url(nominee):
    return f"/api/dossiers/{nominee.dossier_id}/nominees/{nominee.pk}/"


NEW = {
    "kind": "individual",
    "sex": "male",
    "name": "Phạm Minh Đức",
    "position": "Tổ trưởng chuyên môn",
    "award_type": "giay-khen",
    "achievements": "Giáo viên dạy giỏi cấp thành phố.",
}


def test_staff_proposes_a_nominee(api, world, draft):
    with one_audit_event("nominee.add") as event:
        response = api.as_(world.staff_a).post(list_url(draft), NEW, format="json")

    assert response.status_code == 201
    nominee = Nominee.objects.get(pk=response.data["id"])
    assert (nominee.dossier, nominee.name, nominee.position) == (
        draft,
        "Phạm Minh Đức",
        "Tổ trưởng chuyên môn",
    )
    assert nominee.award_type.code == "giay-khen"
    assert response.data["award_type"] == {
        "id": nominee.award_type_id,
        "code": "giay-khen",
        "name": "Giấy khen",
    }
    assert event[0].data["dossier_id"] == draft.pk


def test_an_award_is_refused_for_a_kind_of_nominee_it_cannot_go_to(api, world, draft):
    payload = {**NEW, "kind": "collective", "award_type": "lao-dong-tien-tien"}
    with no_audit_event():
        response = api.as_(world.staff_a).post(list_url(draft), payload, format="json")

    assert response.status_code == 400
    assert response.data == {"kind": ["“Lao động tiên tiến” cannot be given to a collective."]}
    assert Nominee.objects.filter(dossier=draft).count() == 1


def test_a_nominee_needs_a_name_and_achievements(api, world, draft):
    response = api.as_(world.staff_a).post(
        list_url(draft), {**NEW, "name": "", "achievements": " "}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {
        "name": ["Give the nominee's name."],
        "achievements": ["Describe the nominee's achievements."],
    }


def test_an_unknown_award_code_is_a_field_error(api, world, draft):
    response = api.as_(world.staff_a).post(
        list_url(draft), {**NEW, "award_type": "huan-chuong"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.data) == {"award_type"}


def test_nominees_of_a_submitted_dossier_are_fixed(api, world):
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.SUBMITTED,
    )
    response = api.as_(world.staff_a).post(list_url(dossier), NEW, format="json")

    assert response.status_code == 409
    assert response.data["code"] == "transition_not_allowed"


def test_list_and_detail_show_current_nominees(api, world, draft):
    client = api.as_(world.head_a)

    listed = client.get(list_url(draft))
    one = client.get(nominee_url(draft.nominee))

    assert [n["id"] for n in listed.data] == [draft.nominee.pk]
    assert one.status_code == 200
    assert one.data["name"] == "Nguyễn Thị Lan"
    assert one.data["outcome"] == "proposed"


def test_staff_edits_a_nominee(api, world, draft):
    with one_audit_event("nominee.update") as event:
        response = api.as_(world.staff_a).patch(
            nominee_url(draft.nominee),
            {"workplace": "Trường THCS Ngọc Lâm", "is_enterprise": True},
            format="json",
        )

    assert response.status_code == 200
    assert response.data["workplace"] == "Trường THCS Ngọc Lâm"
    nominee = Nominee.objects.get(pk=draft.nominee.pk)
    assert (nominee.workplace, nominee.is_enterprise) == ("Trường THCS Ngọc Lâm", True)
    assert event[0].data["changes"]["is_enterprise"] == [False, True]


def test_changing_the_award_is_checked_against_the_campaign_and_rules(api, world, draft):
    response = api.as_(world.staff_a).patch(
        nominee_url(draft.nominee),
        {"kind": "collective", "award_type": "lao-dong-tien-tien"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"kind": ["“Lao động tiên tiến” cannot be given to a collective."]}
    assert Nominee.objects.get(pk=draft.nominee.pk).award_type.code == "giay-khen"


def test_staff_removes_a_nominee_kept_as_history_with_its_files(api, world, draft):
    attachment = attachment_add(
        actor=world.staff_a,
        dossier=draft,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=draft.nominee,
        uploaded_file=f.pdf_upload("bao-cao.pdf"),
    )
    client = api.as_(world.staff_a)
    with one_audit_event("nominee.remove"):
        response = client.delete(nominee_url(draft.nominee))

    assert response.status_code == 204
    nominee = Nominee.objects.get(pk=draft.nominee.pk)
    assert nominee.removed_at is not None
    assert Attachment.objects.get(pk=attachment.pk).detached
    assert client.get(nominee_url(draft.nominee)).status_code == 404


def test_removing_a_nominee_twice_is_a_conflict(api, world, draft):
    client = api.as_(world.staff_a)
    client.delete(nominee_url(draft.nominee))

    with no_audit_event():
        response = client.delete(nominee_url(draft.nominee))

    assert response.status_code == 409
    assert response.data == {
        "detail": "This nominee has already been removed.",
        "code": "transition_not_allowed",
    }


def test_a_nominee_is_found_only_under_its_own_dossier(api, world, draft):
    other = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)

    response = api.as_(world.staff_a).get(f"/api/dossiers/{other.pk}/nominees/{draft.nominee.pk}/")

    assert response.status_code == 404
