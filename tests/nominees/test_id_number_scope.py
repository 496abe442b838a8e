"""A nominee's ID number (số CCCD) is personal data: the unit's own people and the reviewing
bodies the dossier was sent to see it; nobody else, and never a list, a notice, a generated
document or the audit export in clear."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents import services as documents
from documents.models import GeneratedKind
from dossiers import services
from notices.models import Notice
from org.models import Role, User
from tests import factories as f
from tests.api.helpers import english_client
from tests.documents.helpers import pdf_bytes, text
from workflows import services as workflow

ID = "001186004127"


@pytest.fixture
def with_id(complete_draft, world):
    services.nominee_update(
        actor=world.staff_a,
        nominee=complete_draft.nominee,
        sex="female",
        id_number=ID,
        hometown="Gia Lâm, Hà Nội",
    )
    return complete_draft


@pytest.fixture
def submitted(with_id, world, django_capture_on_commit_callbacks):
    """Submitted through the workflow, which notifies the standing body after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dossier_submit(actor=world.head_a, dossier=with_id)
    return with_id


def page(client, user, dossier) -> str:
    client.force_login(user)
    response = client.get(reverse("dossier-detail", args=[dossier.pk]))
    assert response.status_code == 200
    return response.content.decode()


def api_nominee(user, dossier) -> dict:
    client = english_client()
    client.force_authenticate(User.objects.get(pk=user.pk))
    response = client.get(f"/api/dossiers/{dossier.pk}/")
    assert response.status_code == 200
    (nominee,) = response.data["nominees"]
    listed = client.get(f"/api/dossiers/{dossier.pk}/nominees/").data
    one = client.get(f"/api/dossiers/{dossier.pk}/nominees/{nominee['id']}/").data
    assert listed[0]["id_number"] == one["id_number"] == nominee["id_number"]
    return nominee


def test_the_units_staff_see_the_id_number_on_the_page_and_the_api(client, with_id, world):
    assert ID in page(client, world.staff_a, with_id)
    assert api_nominee(world.staff_a, with_id)["id_number"] == ID


def test_the_standing_body_reviewing_the_dossier_sees_it(client, submitted, world):
    assert ID in page(client, world.officer, submitted)
    assert api_nominee(world.officer, submitted)["id_number"] == ID


def test_an_inspector_reads_the_dossier_but_not_the_id_number(client, submitted, world):
    html = page(client, world.inspector, submitted)
    assert "Nguyễn Thị Lan" in html and ID not in html
    nominee = api_nominee(world.inspector, submitted)
    assert nominee["name"] == "Nguyễn Thị Lan" and nominee["id_number"] is None


def test_a_reviewing_body_elsewhere_does_not_see_it(client, submitted, world):
    """The province's officer sees no commune dossier that was not forwarded to it."""
    officer = f.user_with_role(Role.STANDING_OFFICER, world.province, username="province_officer")
    client.force_login(officer)
    assert client.get(reverse("dossier-detail", args=[submitted.pk])).status_code == 404


def test_no_list_shows_the_id_number(client, submitted, world):
    for user in (world.staff_a, world.officer, world.inspector):
        client.force_login(user)
        assert ID not in client.get(reverse("dossier-list")).content.decode()
        assert ID not in client.get(reverse("home")).content.decode()
        api = english_client()
        api.force_authenticate(User.objects.get(pk=user.pk))
        assert ID not in json.dumps(api.get("/api/dossiers/").data, default=str)


def test_the_audit_export_keeps_only_the_last_four_digits(submitted):
    out = io.StringIO()
    call_command("export_audit", stdout=out)
    export = out.getvalue()
    assert ID not in export
    assert "********4127" in export


def test_notices_never_carry_it(submitted):
    assert Notice.objects.exists()
    assert not [n.text for n in Notice.objects.all() if ID in n.text or ID in (n.link or "")]


def test_the_achievement_report_does_not_print_it(submitted, world):
    document = documents.document_render(
        actor=world.head_a, kind=GeneratedKind.ACHIEVEMENT, subject=submitted.nominee
    )
    printed = " ".join(text(pdf_bytes(document)).split())
    assert "Gia Lâm, Hà Nội" in printed and "Nguyễn Thị Lan" in printed
    assert ID not in printed and ID not in printed.replace(" ", "")
