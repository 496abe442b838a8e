"""The results' pages: who sees the table (others get a 404), its query count, ranking and the
decision from the pages, and the public results that exist only once the decision is issued."""

import pytest
from django.urls import reverse

from contests import results_services as results
from org.models import Role
from tests import factories as f

from .builders import COLLECTIVE_TOTAL, INDIVIDUAL_TOTAL, make_contest

pytestmark = pytest.mark.django_db


def test_the_organiser_ranks_from_the_page_and_sees_the_totals(client, world, contest):
    client.force_login(world.officer)
    page = client.get(reverse("contest-results", args=[contest.pk]))
    assert page.status_code == 200 and b'data-testid="rank"' in page.content
    response = client.post(reverse("contest-results-rank", args=[contest.pk]))
    assert response.status_code == 302
    page = client.get(reverse("contest-results", args=[contest.pk])).content.decode()
    assert "51.000.000" in page and "22.000.000" in page
    assert "73.000.000" in page


def test_people_outside_the_contest_get_a_404(client, world, contest):
    results.contest_rank(actor=world.officer, contest=contest)
    for user in (world.head_a, world.staff_a, world.member):
        client.force_login(user)
        assert client.get(reverse("contest-results", args=[contest.pk])).status_code == 404
        assert client.get(reverse("contest-results-decision", args=[contest.pk])).status_code == 404


def test_a_juror_reads_the_results_but_cannot_rank(client, world, contest):
    juror = contest.jurors.get().user
    client.force_login(juror)
    assert client.get(reverse("contest-results", args=[contest.pk])).status_code == 200
    assert client.post(reverse("contest-results-rank", args=[contest.pk])).status_code == 403


@pytest.mark.parametrize("per_kind", [2, 12])
def test_results_page_query_count_does_not_grow_with_rows(client, world, per_kind, django_assert_num_queries):
    contest = make_contest(world, per_kind=per_kind)
    results.contest_rank(actor=world.officer, contest=contest)
    client.force_login(world.officer)
    url = reverse("contest-results", args=[contest.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


QUERIES = 8


def test_decision_prepared_from_the_page(client, world, contest, keys):
    results.contest_rank(actor=world.officer, contest=contest)
    client.force_login(world.officer)
    url = reverse("contest-results-decision", args=[contest.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'data-testid="decision-form"' in page.content
    bad = client.post(url, {"title": "Về việc khen thưởng", "signer": world.head_a.pk})
    assert bad.status_code == 400
    done = client.post(
        url, {"title": "Về việc khen thưởng các tập thể, cá nhân đạt giải", "signer": world.chair.pk}
    )
    assert done.status_code == 302
    contest.refresh_from_db()
    assert contest.decision.symbol == "01/QĐ-UBND"
    document = results.current_document(contest)
    download = reverse("document-download", args=[document.pk])
    assert client.get(download).status_code == 200
    client.force_login(world.head_a)
    assert client.get(download).status_code == 404
    client.force_login(world.chair)
    assert b'data-testid="sign"' in client.get(url).content
    assert client.post(reverse("contest-results-sign", args=[contest.pk])).status_code == 302
    contest.refresh_from_db()
    assert contest.state == "decided"


def test_public_results_only_once_the_decision_is_issued(client, world, contest, keys):
    clerk = f.user_with_role(Role.RECORDS_CLERK, world.commune, username="clerk")
    public = reverse("public-contest-results", args=[contest.pk])
    pdf = reverse("public-contest-decision-pdf", args=[contest.pk])
    assert client.get(public).status_code == 404
    results.contest_rank(actor=world.officer, contest=contest)
    assert client.get(public).status_code == 404
    results.contest_decision_prepare(actor=world.officer, contest=contest, signer=world.chair)
    results.contest_decision_sign(actor=world.chair, contest=contest)
    assert client.get(public).status_code == 404  # signed, not yet issued
    assert client.get(pdf).status_code == 404
    assert contest.name not in client.get(reverse("public-contests")).content.decode()
    results.contest_decision_issue(actor=clerk, contest=contest)
    page = client.get(public)
    assert page.status_code == 200
    text = page.content.decode()
    assert "01/QĐ-UBND" in text and "Giải Nhất" in text
    assert f"{COLLECTIVE_TOTAL + INDIVIDUAL_TOTAL:,}".replace(",", ".") in text
    assert "Giá trị" not in text
    assert f'href="{pdf}"' in text
    signed = client.get(pdf)
    assert signed.status_code == 200 and signed["Content-Type"] == "application/pdf"
    assert b"".join(signed.streaming_content if signed.streaming else [signed.content]).startswith(b"%PDF")
    assert contest.name in client.get(reverse("public-contests")).content.decode()
