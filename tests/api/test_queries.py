"""The dossier list costs the same number of queries whatever its length (STYLE.md)."""

import pytest

from tests import factories as f

# session-less request (force_authenticate): the user's role assignments, council memberships,
# user permissions, group permissions; then the page's count and the page itself.
LIST_QUERIES = 6


@pytest.mark.parametrize("size", [5, 50])
def test_dossier_list_costs_the_same_for_5_and_50(api, world, django_assert_num_queries, size):
    for dossier in f.DossierFactory.create_batch(
        size, unit=world.school_a, campaign=world.campaign, created_by=world.staff_a
    ):
        f.NomineeFactory.create_batch(2, dossier=dossier)
    client = api.as_(world.head_a)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/api/dossiers/")

    assert len(response.data["results"]) == size
    assert {row["nominee_count"] for row in response.data["results"]} == {2}
