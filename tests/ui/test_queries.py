"""Pages cost a fixed number of queries, whatever the number of rows (STYLE.md, "Queries are
budgeted"). The counts are pinned: a change that adds a query per row, or any query, fails here
and must say why it is worth it."""

import pytest
from django.urls import reverse

from dossiers.models import DossierState
from dossiers.services import attachment_add
from tests import factories as f

# session, user, the user's scopes (role assignments, council memberships), model permissions
# (the user's, the groups'), the page's count, the filter form's campaigns, the page's rows.
LIST_QUERIES = 9
# session, user, scopes (2), permissions (2), the user's unit (greeting), then one query a
# list: the unit head has three (returned, then drafts, at the top; submitted by the unit).
HOME_QUERIES_UNIT_HEAD = 10
# session, user, dossier, permissions (2), scopes (2), nominees and their eligibility overrides,
# attachments (every version),
# timeline and the people who acted in it (by name), then the choices of the blank forms: award
# types, document kinds, nominees, the units a collective nominee may be linked to; and the
# workflow panel's open tasks (a draft has no process: nothing more); the year's emulation plans
# above the unit (a year without a plan asks nothing more about registrations).
DETAIL_QUERIES = 18


def make_dossiers(world, n):
    for i in range(n):
        dossier = f.DossierFactory(
            unit=world.school_a,
            campaign=world.campaign,
            created_by=world.staff_a,
            state=DossierState.SUBMITTED if i % 2 else DossierState.DRAFT,
        )
        f.NomineeFactory.create_batch(2, dossier=dossier)


@pytest.mark.parametrize("n", [5, 50])
def test_dossier_list_costs_the_same_queries_for_5_and_50_dossiers(
    client, world, django_assert_num_queries, n
):
    make_dossiers(world, n)
    client.force_login(world.head_a)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("dossier-list"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 25)
    assert all(d.nominee_count == 2 for d in response.context["page"].object_list)


@pytest.mark.parametrize("n", [5, 50])
def test_filtered_dossier_list_costs_the_same_queries(client, world, django_assert_num_queries, n):
    make_dossiers(world, n)
    client.force_login(world.head_a)

    # The chosen campaign is read once more to validate the filter, and the units whose name
    # matches the text are looked up once (so the search is served by indexes on the dossier).
    with django_assert_num_queries(LIST_QUERIES + 2):
        response = client.get(
            reverse("dossier-list"),
            {"state": "submitted", "campaign": world.campaign.pk, "q": "Hồ sơ"},
        )

    assert len(response.context["page"].object_list) == min(n // 2, 25)


@pytest.mark.parametrize("n", [5, 50])
def test_home_page_costs_the_same_queries_for_5_and_50_dossiers(client, world, django_assert_num_queries, n):
    make_dossiers(world, n)
    client.force_login(world.head_a)

    with django_assert_num_queries(HOME_QUERIES_UNIT_HEAD):
        response = client.get(reverse("home"))

    now = response.context["now"]
    assert [
        len(now["returned"]),
        len(now["drafts"]),
        *(len(s["dossiers"]) for s in response.context["sections"]),
    ] == [
        0,
        min(-(-n // 2), 10),
        min(n // 2, 10),
    ]


@pytest.mark.parametrize("nominees", [1, 6])
def test_detail_page_costs_the_same_queries_whatever_its_size(
    client, world, draft, django_assert_num_queries, nominees
):
    for nominee in [draft.nominee, *f.NomineeFactory.create_batch(nominees - 1, dossier=draft)]:
        for version in range(2):
            attachment_add(
                actor=world.staff_a,
                dossier=draft,
                kind=f.doc_kind("bao-cao-thanh-tich"),
                nominee=nominee,
                uploaded_file=f.pdf_upload(f"bao-cao-{version}.pdf"),
            )
    client.force_login(world.head_a)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("dossier-detail", args=[draft.pk]))

    assert len(response.context["slots"]) == nominees
    assert len(response.context["timeline"]) == 2 * nominees
