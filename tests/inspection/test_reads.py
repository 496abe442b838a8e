"""Every page or API read of an inspector is one audit event (inspector.read), naming what was read,
from where; nobody else's reads are. If the event cannot be written, the data is not sent."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from org.services import api_token_issue
from tests import factories as f

from .helpers import events_after, last_seq

pytestmark = pytest.mark.django_db


def one_read(before):
    events = events_after(before)
    assert [e.action for e in events] == ["inspector.read"], [e.action for e in events]
    return events[0]


def test_an_inspectors_read_of_a_dossier_page_is_an_event(as_inspector, world, submitted):
    before = last_seq()

    response = as_inspector.get(
        reverse("dossier-detail", args=[submitted.pk]), {"tab": "files"}, REMOTE_ADDR="192.0.2.44"
    )

    assert response.status_code == 200
    event = one_read(before)
    assert (event.actor, event.roles) == ("inspector", ["inspector"])
    assert (event.object_type, event.object_id) == ("dossiers.dossier", str(submitted.pk))
    assert event.scope == world.school_a.path
    assert event.data["path"] == f"/dossiers/{submitted.pk}/"
    assert event.data["query"] == "tab=files"
    assert (event.data["status"], event.data["view"], event.data["method"]) == (200, "dossier-detail", "GET")
    assert event.data["client"]["ip"] == "192.0.2.44"


def test_an_inspectors_file_download_is_an_event_of_the_dossier(as_inspector, world, submitted):
    attachment = submitted.attachments.first()
    before = last_seq()

    response = as_inspector.get(reverse("attachment-download", args=[attachment.pk]))

    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = one_read(before)
    assert (event.object_type, event.object_id) == ("dossiers.attachment", str(attachment.pk))
    assert event.data["dossier_id"] == submitted.pk
    assert event.scope == world.school_a.path


def test_an_inspectors_api_reads_are_events_with_their_object(world, submitted):
    token = api_token_issue(actor=world.inspector)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")

    before = last_seq()
    assert api.get(f"/api/dossiers/{submitted.pk}/").status_code == 200
    detail = one_read(before)
    before = last_seq()
    assert api.get(f"/api/dossiers/{submitted.pk}/nominees/{submitted.nominee.pk}/").status_code == 200
    nominee = one_read(before)

    assert (detail.object_type, detail.object_id, detail.data["view"]) == (
        "dossiers.dossier",
        str(submitted.pk),
        "api:dossier-detail",
    )
    assert (nominee.object_type, nominee.object_id) == ("dossiers.nominee", str(submitted.nominee.pk))
    assert nominee.data["dossier_id"] == submitted.pk


def test_a_refused_read_is_recorded_as_an_attempt(as_inspector, world):
    other = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a
    )  # a draft
    before = last_seq()

    response = as_inspector.get(reverse("dossier-detail", args=[other.pk]))

    assert response.status_code == 404
    event = one_read(before)
    assert (event.object_id, event.data["status"]) == (str(other.pk), 404)


def test_the_workspaces_own_pages_are_reads_in_the_inspectors_scope(as_inspector, world, submitted):
    before = last_seq()
    as_inspector.get(reverse("inspection-events"), {"action": "dossier."})
    search = one_read(before)
    before = last_seq()
    as_inspector.get(reverse("inspection-events"), {"dossier": submitted.pk})
    by_dossier = one_read(before)

    assert (search.object_type, search.scope, search.data["query"]) == (
        "",
        world.commune.path,
        "action=dossier.",
    )
    assert (by_dossier.object_type, by_dossier.object_id) == ("dossiers.dossier", str(submitted.pk))


def test_an_evidence_export_is_one_export_event(as_inspector, submitted):
    before = last_seq()

    response = as_inspector.get(reverse("inspection-evidence", args=[submitted.pk]))

    assert response.status_code == 200
    (event,) = events_after(before)
    assert (event.action, event.object_id) == ("inspector.export", str(submitted.pk))
    assert event.data["events"] == 4 and event.data["documents"] == 3


@pytest.mark.parametrize("who", ["head_a", "officer", "chair"])
def test_nobody_elses_reads_are_recorded(client, world, submitted, who):
    client.force_login(getattr(world, who))
    before = last_seq()

    client.get(reverse("dossier-detail", args=[submitted.pk]))
    client.get(reverse("dossier-list"))

    assert events_after(before) == []


def test_an_inspectors_writes_are_not_reads(as_inspector, submitted):
    before = last_seq()

    as_inspector.post(reverse("dossier-edit", args=[submitted.pk]), {"title": "x"})

    assert [e.action for e in events_after(before)] == []


def test_if_the_read_cannot_be_recorded_the_data_is_not_sent(as_inspector, submitted, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the audit database is down")

    monkeypatch.setattr("audit.middleware.record", broken)

    with pytest.raises(RuntimeError, match="audit database"):
        as_inspector.get(reverse("dossier-detail", args=[submitted.pk]))
