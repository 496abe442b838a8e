"""Long lists stay cheap (issue 16): the page's count stops at a cap and says "more than" past it,
and each row's nominees are counted for the rows shown only, never by joining every dossier the
filter keeps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, DossierState
from dossiers.paging import CappedPaginator
from tests import factories as f


def make_drafts(world, n, nominees=1):
    made = []
    for _ in range(n):
        dossier = f.DossierFactory(
            unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, state=DossierState.DRAFT
        )
        f.NomineeFactory.create_batch(nominees, dossier=dossier)
        made.append(dossier)
    return made


def test_count_is_exact_up_to_the_cap(world):
    make_drafts(world, 4, nominees=0)

    paginator = CappedPaginator(Dossier.objects.order_by("pk"), 3, cap=4)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (4, False, 2)


def test_count_stops_past_the_cap_and_says_so(world):
    make_drafts(world, 5, nominees=0)

    paginator = CappedPaginator(Dossier.objects.order_by("pk"), 3, cap=4)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (4, True, 2)
    assert len(paginator.page(2).object_list) == 1


def test_dossier_list_says_more_than_past_the_cap(client, world, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    monkeypatch.setattr("dossiers.views.PAGE_SIZE", 2)
    make_drafts(world, 5)
    client.force_login(world.head_a)

    response = client.get(reverse("dossier-list"))

    text = response.content.decode()
    assert response.context["page"].paginator.capped
    assert "hơn 3 hồ sơ" in text
    assert "Trang 1 / hơn 2" in text


def test_dossier_list_counts_exactly_below_the_cap(client, world, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    make_drafts(world, 5)
    client.force_login(world.head_a)

    response = client.get(reverse("dossier-list"))

    assert not response.context["page"].paginator.capped
    assert "5 hồ sơ" in response.content.decode()
    assert "hơn 5" not in response.content.decode()


def test_each_row_counts_its_current_nominees_only(client, world):
    three, none = make_drafts(world, 1, nominees=3)[0], make_drafts(world, 1, nominees=0)[0]
    three.nominees.filter(pk=three.nominees.order_by("pk").first().pk).update(removed_at=timezone.now())
    client.force_login(world.head_a)

    response = client.get(reverse("dossier-list"))

    counts = {d.pk: d.nominee_count for d in response.context["page"].object_list}
    assert counts == {three.pk: 2, none.pk: 0}


def test_the_list_neither_joins_nominees_nor_counts_every_row(client, world):
    make_drafts(world, 3, nominees=2)
    client.force_login(world.head_a)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dossier-list"))

    assert response.status_code == 200
    on_dossiers = [q["sql"] for q in queries.captured_queries if 'FROM "dossiers_dossier"' in q["sql"]]
    count = next(sql for sql in on_dossiers if sql.startswith("SELECT COUNT("))
    rows = next(sql for sql in on_dossiers if "ORDER BY" in sql)
    assert f"LIMIT {CappedPaginator.cap + 1}" in count
    assert "dossiers_nominee" not in count
    assert 'JOIN "dossiers_nominee"' not in rows


@pytest.mark.parametrize("n", [3, 30])
def test_the_api_list_counts_nominees_per_row_in_the_same_queries(world, n, django_assert_num_queries):
    from rest_framework.test import APIClient

    make_drafts(world, n, nominees=2)
    client = APIClient()
    client.force_authenticate(world.head_a)

    # scopes (2), permissions (2), count, the page's rows with their nominees counted.
    with django_assert_num_queries(6):
        response = client.get("/api/dossiers/")

    assert response.status_code == 200
    assert {row["nominee_count"] for row in response.json()["results"]} == {2}
