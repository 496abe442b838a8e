"""The cluster pages in a real browser, at 1366 px and 390 px, on the demo world: the city's
standing body reads the ranked 2025 and the review form; Long Biên's chair reads 2026 and its
self-scoring form. The same checks as every role's pages (axe-core, nothing past a phone's
screen, no English, no CSP violation)."""

import pytest
from django.urls import reverse

from clusters.models import Cluster
from tests.journeys.test_journeys import demo, walk  # noqa: F401  (the demo fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_standing_body_and_a_member_read_the_cluster_pages(live_server, demo):  # noqa: F811
    cluster = Cluster.objects.get(name="Cụm thi đua số 1")
    longbien = cluster.terms.get(year=2026).leader
    problems = walk(
        live_server,
        "tp_thuky",
        [
            reverse("cluster-list"),
            reverse("cluster-detail", args=[cluster.pk]),
            reverse("cluster-term", args=[cluster.pk, 2025]),
        ],
    )
    problems += walk(
        live_server,
        "chair",
        [
            reverse("cluster-term", args=[cluster.pk, 2026]),
            reverse("cluster-self-score", args=[cluster.pk, 2026, longbien.pk]),
        ],
    )
    assert not problems, "\n".join(problems)
