"""The inspector's workspace in the API: the same search, timeline, chain status and bundle."""

import io
import zipfile

import pytest
from rest_framework.test import APIClient

from audit.chain import compute_hash
from org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(User.objects.get(pk=world.inspector.pk))
    return client


def test_the_search_answers_events_in_the_contract_format(api, submitted):
    response = api.get("/api/inspection/events/", {"dossier": submitted.pk})

    assert response.status_code == 200
    results = response.data["results"]
    assert [e["action"] for e in results] == ["dossier.submit"] + ["attachment.add"] * 3
    for event in results:
        contract = {k: v for k, v in event.items() if k not in ("label", "unit", "changes")}
        assert contract["hash"] == compute_hash(contract)
        assert contract["ts"].endswith("Z")
    assert results[0]["actor_roles"] == ["unit_head"]
    assert response.data["next"] is None


def test_the_search_pages_with_a_link_to_older_events(api, submitted, monkeypatch):
    monkeypatch.setattr("inspection.selectors.PAGE_SIZE", 2)

    first = api.get("/api/inspection/events/", {"dossier": submitted.pk})
    second = api.get(first.data["next"])

    assert "before=" in first.data["next"] and f"dossier={submitted.pk}" in first.data["next"]
    assert [e["seq"] for e in second.data["results"]] == sorted(
        [e["seq"] for e in second.data["results"]], reverse=True
    )
    assert max(e["seq"] for e in second.data["results"]) < min(e["seq"] for e in first.data["results"])


def test_the_timeline_gives_each_edit_its_changes(api, world, submitted):
    from tests.inspection.test_workspace import returned_and_resubmitted

    old_title = returned_and_resubmitted(world, submitted)

    response = api.get(f"/api/inspection/dossiers/{submitted.pk}/timeline/")

    assert response.status_code == 200
    edit = next(e for e in response.data["events"] if e["action"] == "dossier.update")
    assert edit["changes"] == [
        {"field": "title", "label": "title", "before": old_title, "after": "Tên đã sửa"}
    ]
    assert edit["label"] == "Dossier edited"


def test_the_chain_status(api, submitted):
    response = api.get("/api/inspection/chain/")

    assert response.status_code == 200
    assert response.data["ok"] is True and response.data["count"] >= 4
    assert len(response.data["head"]) == 64


def test_the_evidence_bundle_downloads_as_a_zip(api, submitted):
    response = api.get(f"/api/inspection/dossiers/{submitted.pk}/evidence/", HTTP_ACCEPT="application/zip")

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert {"manifest.json", "events.jsonl", "skeleton.jsonl"} <= set(archive.namelist())


@pytest.mark.parametrize(
    "url",
    [
        "/api/inspection/events/",
        "/api/inspection/chain/",
        "/api/inspection/dossiers/{pk}/timeline/",
        "/api/inspection/dossiers/{pk}/evidence/",
    ],
)
def test_anyone_but_an_inspector_gets_404(world, submitted, url):
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=world.chair.pk))

    assert client.get(url.format(pk=submitted.pk)).status_code == 404


@pytest.mark.parametrize("url", ["/api/inspection/events/", "/api/inspection/chain/"])
def test_the_api_is_read_only(api, url):
    assert api.post(url, {}).status_code == 405
    assert api.delete(url).status_code == 405


def test_an_out_of_scope_dossier_is_404(world, submitted, inspector_b):
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=inspector_b.pk))

    assert client.get("/api/inspection/events/", {"dossier": submitted.pk}).status_code == 404
    assert client.get(f"/api/inspection/dossiers/{submitted.pk}/timeline/").status_code == 404
