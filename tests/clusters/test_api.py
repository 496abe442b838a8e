"""The API mirrors the pages: the same services and the same scope (404 for a cluster not yours)."""

import pytest

from clusters.models import ClusterTerm, TermState
from org.models import Role, UnitLevel
from tests import factories as f
from tests.api.helpers import english_client

from .builders import cluster_world, proposal_campaign

pytestmark = pytest.mark.django_db


def client_as(user):
    from org.models import User

    client = english_client()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def year_url(cw, tail=""):
    return f"/api/clusters/{cw.cluster.pk}/years/{cw.term.year}/{tail}"


def test_a_year_runs_through_the_api(world):
    cw = cluster_world(world, members=3)
    criteria = [c.pk for c in cw.criteria]
    for unit in cw.units:
        response = client_as(cw.heads[unit.pk]).post(
            year_url(cw, "self-scores/"),
            {
                "unit": unit.pk,
                "scores": [{"criterion": c, "points": "10", "note": "Báo cáo"} for c in criteria],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
    leader = client_as(cw.leader_head)
    assert leader.post(year_url(cw, "cross-scoring/open/")).status_code == 200
    points = {u.pk: p for u, p in zip(cw.units, ["15", "12", "9"], strict=True)}
    for scorer in cw.units:
        response = leader.post(
            year_url(cw, "cross-scores/"),
            {
                "scorer": scorer.pk,
                "scores": [
                    {"scored": u.pk, "criterion": c, "points": points[u.pk]}
                    for u in cw.units
                    if u != scorer
                    for c in criteria
                ],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
    assert leader.post(year_url(cw, "cross-scoring/close/")).status_code == 200
    officer = client_as(cw.officer)
    response = officer.post(
        year_url(cw, "reviewed-scores/"),
        {"unit": cw.units[2].pk, "scores": [{"criterion": criteria[0], "points": "20"}]},
        format="json",
    )
    assert response.status_code == 400 and "scores.1" in response.json()
    response = officer.post(year_url(cw, "close/"), {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == TermState.CLOSED
    assert [(r["unit"]["id"], r["rank"]) for r in body["rows"]] == [
        (u.pk, i) for i, u in enumerate(cw.units, 1)
    ]
    campaign = proposal_campaign(world)
    response = leader.post(
        year_url(cw, "proposal/"), {"campaign": campaign.pk, "commendations": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["proposal_dossier"]
    # The double click: refused with the dossier already drafted named.
    again = leader.post(year_url(cw, "proposal/"), {"campaign": campaign.pk}, format="json")
    assert again.status_code == 409 and "drafted already" in again.json()["detail"]


def test_weights_not_adding_up_to_100_are_a_400(world):
    cw = cluster_world(world, members=3, open_scoring=False)
    response = client_as(cw.officer).post(
        year_url(cw, "criteria/"),
        {
            "criteria": [
                {"name": "Chung", "weight": 60, "max_points": 10},
                {"name": "Riêng", "weight": 30, "max_points": 10},
            ]
        },
        format="json",
    )
    assert response.status_code == 400 and "100" in str(response.json()["criteria"])


def test_a_points_string_longer_than_the_schema_says_is_a_400(world):
    """The schema gives a score's points a maxLength; the API refuses a longer string, even one whose
    value (padded with zeros) would fit."""
    cw = cluster_world(world, members=3)
    unit = cw.units[0]
    response = client_as(cw.heads[unit.pk]).post(
        year_url(cw, "self-scores/"),
        {"unit": unit.pk, "scores": [{"criterion": cw.criteria[0].pk, "points": "000000010"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "points" in str(response.json()["scores"])


def test_a_unit_of_another_cluster_gets_404_from_the_api(world):
    cw = cluster_world(world, members=3)
    stranger_unit = f.UnitFactory(name="Phường Tây Hồ", level=UnitLevel.COMMUNE, parent=world.province)
    stranger = client_as(f.user_with_role(Role.UNIT_HEAD, stranger_unit))
    assert stranger.get(year_url(cw)).status_code == 404
    assert stranger.post(year_url(cw, "cross-scoring/open/")).status_code == 404
    assert stranger.get("/api/clusters/").json() == []
    member = client_as(world.chair)
    assert [c["id"] for c in member.get("/api/clusters/").json()] == [cw.cluster.pk]
    # A member who may not do a step is told so (403), not hidden from.
    assert member.post(year_url(cw, "open/")).status_code == 403
    assert ClusterTerm.objects.get(pk=cw.term.pk).state == TermState.SELF_SCORING


def test_the_leader_rotation_rule_through_the_api(world):
    cw = cluster_world(world, members=3, year=2025, open_scoring=False)
    officer = client_as(cw.officer)
    url = f"/api/clusters/{cw.cluster.pk}/years/2026/"
    assert (
        officer.post(url + "members/", {"units": [u.pk for u in cw.units]}, format="json").status_code == 200
    )
    same = {"leader": cw.leader.pk, "self_scoring_deadline": "2026-12-15"}
    response = officer.post(url + "leadership/", same, format="json")
    assert response.status_code == 400 and "repeat_reason" in response.json()
    response = officer.post(url + "leadership/", {**same, "leader": cw.units[2].pk}, format="json")
    assert response.status_code == 200 and response.json()["leader"]["id"] == cw.units[2].pk
