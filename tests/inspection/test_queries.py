"""The event search costs the same number of queries for 5 events or 50 (STYLE.md, "Queries are
budgeted"). Pinned: a change that adds a query, or one a row, fails here."""

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from audit.services import record
from org.models import User

# session, user, the inspector's scopes (role assignments, council memberships), model
# permissions (the user's, the groups'), the units in scope (for the filter and the unit names),
# the page of events, the people who acted and the dossiers the events are about (named on the
# page); then the read's own event: savepoint, the chain's head (with its lock on PostgreSQL, in
# the same round trip), insert, release.
PAGE_QUERIES = 14
# The API: no session or user query (force_authenticate), the rest the same.
API_QUERIES = 10


def make_events(world, n):
    with transaction.atomic():
        for i in range(n):
            record(
                actor=world.staff_a,
                action="dossier.update",
                object_type="dossiers.dossier",
                object_id=i,
                scope=world.school_a.path,
                data={"changes": {"title": [f"Cũ {i}", f"Mới {i}"]}},
            )


@pytest.mark.parametrize("n", [5, 50])
def test_the_event_search_costs_the_same_queries_for_5_and_50_events(
    client, world, django_assert_num_queries, n
):
    make_events(world, n)
    client.force_login(world.inspector)

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse("inspection-events"), {"action": "dossier.update"})

    assert len(response.context["entries"]) == n
    assert all(e["unit"] == world.school_a.name for e in response.context["entries"])


@pytest.mark.parametrize("n", [5, 50])
def test_the_event_search_api_costs_the_same_queries_for_5_and_50_events(world, django_assert_num_queries, n):
    make_events(world, n)
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=world.inspector.pk))

    with django_assert_num_queries(API_QUERIES):
        response = api.get("/api/inspection/events/", {"action": "dossier.update"})

    assert len(response.data["results"]) == n
