"""Unit A's people meet unit B's dossier nowhere in the API: every route answers 404, the same as
for a dossier that does not exist, and nothing is written."""

import pytest

from dossiers.models import Attachment, Dossier, Nominee
from dossiers.services import attachment_add
from tests import factories as f

from .helpers import no_audit_event


@pytest.fixture
def dossier_b(world):
    dossier = f.DossierFactory(unit=world.school_b, campaign=world.campaign, created_by=world.head_b)
    dossier.nominee = f.NomineeFactory(dossier=dossier, name="Lê Văn Bình")
    dossier.attachment = attachment_add(
        actor=world.head_b,
        dossier=dossier,
        kind=f.doc_kind("to-trinh"),
        uploaded_file=f.pdf_upload(),
    )
    return dossier


ROUTES = [
    pytest.param("get", "/api/dossiers/{d}/", None, id="detail"),
    pytest.param("patch", "/api/dossiers/{d}/", {"title": "Đổi tên"}, id="edit"),
    pytest.param("get", "/api/dossiers/{d}/nominees/", None, id="nominees"),
    pytest.param(
        "post",
        "/api/dossiers/{d}/nominees/",
        {"kind": "individual", "sex": "male", "name": "X", "award_type": "giay-khen", "achievements": "Y"},
        id="nominee-add",
    ),
    pytest.param("get", "/api/dossiers/{d}/nominees/{n}/", None, id="nominee"),
    pytest.param("patch", "/api/dossiers/{d}/nominees/{n}/", {"name": "Đổi tên"}, id="nominee-edit"),
    pytest.param("delete", "/api/dossiers/{d}/nominees/{n}/", None, id="nominee-remove"),
    pytest.param("get", "/api/dossiers/{d}/attachments/", None, id="attachments"),
    pytest.param("get", "/api/attachments/{a}/download/", None, id="download"),
    pytest.param("post", "/api/dossiers/{d}/submit/", None, id="submit"),
    pytest.param("post", "/api/dossiers/{d}/withdraw/", {"reason": "Thử"}, id="withdraw"),
]


def state_of(dossier):
    d = Dossier.objects.get(pk=dossier.pk)
    return (
        d.title,
        d.state,
        d.updated_at,
        list(Nominee.objects.filter(dossier=d).values_list("pk", "name", "removed_at")),
        Attachment.objects.filter(dossier=d).count(),
    )


@pytest.mark.parametrize("who", ["head_a", "staff_a"])
@pytest.mark.parametrize(("method", "route", "body"), ROUTES)
def test_another_units_dossier_is_not_found_anywhere(api, world, dossier_b, who, method, route, body):
    url = route.format(d=dossier_b.pk, n=dossier_b.nominee.pk, a=dossier_b.attachment.pk)
    before = state_of(dossier_b)
    client = api.as_(getattr(world, who))

    with no_audit_event():
        response = getattr(client, method)(url, body, format="json")

    assert response.status_code == 404, (method, url)
    assert state_of(dossier_b) == before


def test_an_attachment_upload_to_another_units_dossier_is_not_found(api, world, dossier_b):
    with no_audit_event():
        response = api.as_(world.staff_a).post(
            f"/api/dossiers/{dossier_b.pk}/attachments/",
            {"kind": "bien-ban", "file": f.pdf_upload("bien-ban.pdf")},
            format="multipart",
        )

    assert response.status_code == 404
    assert Attachment.objects.filter(dossier=dossier_b).count() == 1


def test_hidden_and_nonexistent_dossiers_get_the_same_answer(api, world, dossier_b):
    client = api.as_(world.head_a)

    hidden = client.get(f"/api/dossiers/{dossier_b.pk}/")
    missing = client.get("/api/dossiers/999999/")

    assert (hidden.status_code, hidden.data) == (missing.status_code, missing.data)


def test_another_units_dossier_is_not_listed(api, world, dossier_b):
    response = api.as_(world.head_a).get("/api/dossiers/")

    assert response.status_code == 200
    assert response.data["count"] == 0


def test_the_units_own_head_sees_it(api, world, dossier_b):
    """The other side of the tests above: the dossier is there for whom it belongs to."""
    client = api.as_(world.head_b)

    assert client.get(f"/api/dossiers/{dossier_b.pk}/").status_code == 200
    assert client.get(f"/api/attachments/{dossier_b.attachment.pk}/download/").status_code == 200
