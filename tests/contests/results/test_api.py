"""The results' API mirrors the pages: ranking, placings, a tie, the decision, the public results."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contests.models import EntrantKind

from .builders import COLLECTIVE_TOTAL, INDIVIDUAL_TOTAL, make_contest

pytestmark = pytest.mark.django_db


def test_rank_and_read_the_placings(client, world, contest):
    client.force_login(world.officer)
    response = client.post(reverse("contest-results-rank-api", args=[contest.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "results" and body["total"] == COLLECTIVE_TOTAL + INDIVIDUAL_TOTAL
    first = body["kinds"][0]["placings"][0]
    assert (first["rank"], first["prize"], first["amount"], first["final_score"]) == (
        1,
        "Giải Nhất",
        10_000_000,
        "95.00",
    )
    again = client.post(reverse("contest-results-rank-api", args=[contest.pk]))
    assert again.status_code == 409


def test_outsiders_get_404_and_the_jury_403_on_writes(client, world, contest):
    client.force_login(world.head_a)
    assert client.get(reverse("contest-results-api", args=[contest.pk])).status_code == 404
    client.force_login(contest.jurors.get().user)
    assert client.get(reverse("contest-results-api", args=[contest.pk])).status_code == 200
    assert client.post(reverse("contest-results-rank-api", args=[contest.pk])).status_code == 403


def test_tie_and_decision_through_the_api(client, world, keys):
    contest = make_contest(
        world, scores={(EntrantKind.INDIVIDUAL, 0): Decimal(95), (EntrantKind.INDIVIDUAL, 1): Decimal(95)}
    )
    client.force_login(world.officer)
    body = client.post(reverse("contest-results-rank-api", args=[contest.pk])).json()
    tied = [p["entry"] for k in body["kinds"] for p in k["placings"] if p["tie_unresolved"]]
    assert len(tied) == 2
    url = reverse("contest-results-decision-api", args=[contest.pk])
    assert client.post(url, {"signer": world.chair.pk}, content_type="application/json").status_code == 409
    tie = reverse("contest-results-tie-api", args=[contest.pk])
    assert (
        client.post(tie, {"entries": tied, "reason": ""}, content_type="application/json").status_code == 400
    )
    done = client.post(tie, {"entries": tied[::-1], "reason": "Bốc thăm"}, content_type="application/json")
    assert done.status_code == 200
    created = client.post(url, {"signer": world.chair.pk}, content_type="application/json")
    assert created.status_code == 201 and created.json()["symbol"] == "01/QĐ-UBND"
    public = reverse("public-contest-results-api", args=[contest.pk])
    client.logout()
    assert client.get(public).status_code == 404
