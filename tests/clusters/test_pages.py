"""The cluster pages: who sees what (404 otherwise), the forms end to end, and the year's page's
query budget."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from clusters.models import ClusterTerm, CrossScore, SelfAssessment, TermState
from org.models import Role, UnitLevel
from tests import factories as f

from .builders import cluster_world, self_score_all, to_review

pytestmark = pytest.mark.django_db


def term_url(cw):
    return reverse("cluster-term", args=[cw.cluster.pk, cw.term.year])


def test_a_unit_of_another_cluster_gets_404_on_pages_and_files(world, client):
    cw = cluster_world(world, members=3)
    self_score_all(cw)
    outsider_unit = f.UnitFactory(name="Phường Tây Hồ", level=UnitLevel.COMMUNE, parent=world.province)
    outsider = f.user_with_role(Role.UNIT_HEAD, outsider_unit)
    client.force_login(outsider)
    unit = cw.units[0]
    for url in [
        reverse("cluster-detail", args=[cw.cluster.pk]),
        term_url(cw),
        reverse("cluster-self-score", args=[cw.cluster.pk, 2026, unit.pk]),
        reverse("cluster-cross-score", args=[cw.cluster.pk, 2026, unit.pk]),
        reverse("cluster-review", args=[cw.cluster.pk, 2026, unit.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert cw.cluster.name not in client.get(reverse("cluster-list")).content.decode()
    # A member sees the cluster; the inspector over the city reads it; the school's staff do not.
    client.force_login(world.chair)
    assert client.get(term_url(cw)).status_code == 200
    inspector = f.user_with_role(Role.INSPECTOR, world.province)
    client.force_login(inspector)
    assert client.get(term_url(cw)).status_code == 200
    client.force_login(world.staff_a)
    assert client.get(term_url(cw)).status_code == 404


def test_the_head_enters_self_scores_with_a_file_on_the_page(world, client):
    cw = cluster_world(world, members=3)
    client.force_login(world.chair)
    unit = cw.units[0]
    page = client.get(term_url(cw))
    assert reverse("cluster-self-score", args=[cw.cluster.pk, 2026, unit.pk]) in page.content.decode()
    data = {}
    for c in cw.criteria:
        data[f"points_{c.pk}"] = str(c.max_points - 1)
        data[f"note_{c.pk}"] = ""
        data[f"evidence_{c.pk}"] = f.pdf_upload(f"minh-chung-{c.pk}.pdf")
    response = client.post(reverse("cluster-self-score", args=[cw.cluster.pk, 2026, unit.pk]), data)
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get(term=cw.term, unit=unit)
    assert assessment.confirmed_by == world.chair
    score = assessment.scores.first()
    download = client.get(reverse("cluster-evidence", args=[score.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    # Confirmed by the head, the self-assessment is final: the page offers no form for it any more.
    assert (
        reverse("cluster-self-score", args=[cw.cluster.pk, 2026, unit.pk])
        not in client.get(term_url(cw)).content.decode()
    )


def test_points_above_the_maximum_are_refused_on_the_form(world, client):
    cw = cluster_world(world, members=3)
    client.force_login(world.chair)
    data = {f"points_{c.pk}": str(c.max_points + 1) for c in cw.criteria}
    response = client.post(reverse("cluster-self-score", args=[cw.cluster.pk, 2026, cw.units[0].pk]), data)
    assert response.status_code == 400
    assert not SelfAssessment.objects.exists()


def test_the_leader_keys_in_a_sheet_and_the_standing_body_closes_on_the_pages(world, client):
    cw = cluster_world(world, members=3)
    self_score_all(cw)
    client.force_login(cw.leader_head)
    assert client.post(term_url(cw), {"action": "cross_open"}).status_code == 302
    scorer = cw.units[0]
    data = {f"p_{u.pk}_{c.pk}": "10" for u in cw.units[1:] for c in cw.criteria}
    response = client.post(reverse("cluster-cross-score", args=[cw.cluster.pk, 2026, scorer.pk]), data)
    assert response.status_code == 302
    assert CrossScore.objects.filter(term=cw.term, scorer=scorer).count() == 2 * 3
    # The standing body cannot key in the sheets (404: not their form).
    client.force_login(cw.officer)
    assert (
        client.get(reverse("cluster-cross-score", args=[cw.cluster.pk, 2026, scorer.pk])).status_code == 404
    )


def test_closing_with_a_tie_shows_what_to_decide(world, client):
    cw = cluster_world(world, members=3)
    to_review(cw, lambda scorer, scored, c: 10)
    client.force_login(cw.officer)
    response = client.post(term_url(cw), {"action": "close", "tie_order": "", "tie_reason": ""})
    assert response.status_code == 400
    assert "bằng nhau về tổng điểm và ở mọi tiêu chí" in response.content.decode()
    order = " ".join(str(u.pk) for u in cw.units)
    response = client.post(term_url(cw), {"action": "close", "tie_order": order, "tie_reason": "Quyết định"})
    assert response.status_code == 302
    assert ClusterTerm.objects.get(pk=cw.term.pk).state == TermState.CLOSED


def test_the_menu_offers_clusters_to_members_and_the_standing_body(world, client):
    cw = cluster_world(world, members=3)
    client.force_login(world.chair)
    assert 'data-testid="nav-clusters"' in client.get(reverse("cluster-list")).content.decode()
    client.force_login(world.staff_a)
    assert 'data-testid="nav-clusters"' not in client.get(reverse("cluster-list")).content.decode()
    client.force_login(cw.officer)
    page = client.get(reverse("cluster-list")).content.decode()
    assert 'data-testid="nav-clusters"' in page and cw.cluster.name in page


def _page_queries(world, client, django_assert_num_queries, members):
    cw = cluster_world(world, members=members)
    to_review(cw, lambda scorer, scored, c: 10)
    client.force_login(cw.officer)
    client.get(term_url(cw))  # warm the session
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(term_url(cw))
    assert response.status_code == 200
    assert response.content.decode().count("<tr data-unit=") == members


PAGE_QUERIES = 15


def test_the_years_page_costs_the_same_for_3_members(world, client, django_assert_num_queries):
    _page_queries(world, client, django_assert_num_queries, 3)


def test_the_years_page_costs_the_same_for_12_members(world, client, django_assert_num_queries):
    _page_queries(world, client, django_assert_num_queries, 12)


def test_the_proposals_draft_opens_for_the_leader_and_is_named_for_the_standing_body(world, client):
    from clusters import services as cluster_services

    from .builders import _proposal

    proposal = _proposal(world, cluster_services.cluster_proposal_create)
    cw = SimpleNamespace(cluster=proposal.term.cluster, term=proposal.term)
    link = reverse("dossier-detail", args=[proposal.dossier_id])
    client.force_login(f.user_with_role(Role.UNIT_HEAD, proposal.dossier.unit))
    page = client.get(term_url(cw)).content.decode()
    assert f'href="{link}"' in page
    # The draft is the leader unit's: the city's standing body reads its title, with no link to a 404.
    client.force_login(f.user_with_role(Role.STANDING_OFFICER, world.province))
    page = client.get(term_url(cw)).content.decode()
    assert proposal.dossier.title in page and f'href="{link}"' not in page
