"""The inboxes cost the same queries for a handful of dossiers or a screenful (STYLE.md, "Queries
are budgeted"). The counts are pinned: a query more must say why it is worth it."""

import pytest
from django.urls import reverse

from dossiers.models import DossierState
from org.models import User
from tests.api.helpers import english_client
from workflows.flows import DossierFlow

from .conftest import parked

S = DossierState
# Every page: session, user, scopes (role assignments, council memberships), model permissions
# (the user's, the groups': the navigation bar asks them).
PAGE = 6
# + the page's count, the holidays (one working-day calendar for every deadline), the page's tasks
# with their dossiers, units, campaigns, holders and public notices (one join), the filter's
# campaigns, the page's dossiers' current assignees.
MY_TASKS_QUERIES = PAGE + 5
# + count, holidays, tasks (no campaign filter here), the page's dossiers' current assignees.
QUEUE_QUERIES = PAGE + 4
# + count, the tasks with their approved nominees counted, the filter's campaigns, the decisions
# the chair approved that await their digital signature.
TO_SIGN_QUERIES = PAGE + 4
# + count, dossiers, the returns' lists (one prefetch), holidays, every section's count (one query).
UNIT_RETURNED_QUERIES = PAGE + 5
# API (token or session user already loaded): scopes (2), count, rows, holidays.
API_TASKS_QUERIES = 5
# API: scopes (2), permissions (2), count, dossiers, the returns' lists.
API_UNIT_QUERIES = 7


@pytest.fixture(params=[2, 12], ids=["2-dossiers", "12-dossiers"])
def many(request, people):
    w, n = people, request.param
    parked(w, DossierFlow.appraise, S.SUBMITTED, n)
    parked(w, DossierFlow.appraise, S.IN_APPRAISAL, n, owner=w.officer)
    parked(w, DossierFlow.decide, S.AWAITING_DECISION, n)
    parked(w, DossierFlow.resubmit, S.RETURNED, n)
    return n


@pytest.mark.parametrize(
    ("who", "url", "queries", "rows"),
    [
        ("officer", "my-tasks", MY_TASKS_QUERIES, 2),
        ("officer", "standing-queue", QUEUE_QUERIES, 2),
        ("chair", "to-sign", TO_SIGN_QUERIES, 1),
        ("head_a", "my-tasks", MY_TASKS_QUERIES, 1),
    ],
)
def test_inbox_pages_cost_the_same_queries_for_any_number_of_dossiers(
    client, people, many, django_assert_num_queries, who, url, queries, rows
):
    client.force_login(getattr(people, who))
    with django_assert_num_queries(queries):
        response = client.get(reverse(url))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows * many


def test_unit_inbox_costs_the_same_queries(client, people, many, django_assert_num_queries):
    client.force_login(people.head_a)
    with django_assert_num_queries(UNIT_RETURNED_QUERIES):
        response = client.get(reverse("unit-inbox"), {"section": "returned"})
    assert response.context["page"].paginator.count == many


@pytest.mark.parametrize(
    ("who", "url", "queries", "rows"),
    [
        ("officer", "/api/tasks/", API_TASKS_QUERIES, 2),
        ("officer", "/api/queue/", API_TASKS_QUERIES, 2),
        ("chair", "/api/to-sign/", API_TASKS_QUERIES, 1),
        ("head_a", "/api/unit-dossiers/?section=returned", API_UNIT_QUERIES, 1),
    ],
)
def test_inbox_api_costs_the_same_queries(people, many, django_assert_num_queries, who, url, queries, rows):
    client = english_client()
    client.force_authenticate(User.objects.get(pk=getattr(people, who).pk))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200 and response.data["count"] == rows * many


# The appraiser's dossier page: session, user, dossier, permissions (2), scopes (2), nominees (and
# their eligibility overrides),
# attachments, timeline and the people who acted in it (the page's own, tests/ui/test_queries.py;
# no blank drafting forms here);
# then the workflow panel: the open task (with its dossier, units, holder and notice: one join),
# the holidays, the returns, the public notice, the opinions, the decisions, the dossiers
# forwarded from; and what changed since the return: the events, the files, the nominees;
# and the dossier's current assignee inside the standing body; the year's emulation plans above
# the unit (without a plan, nothing more about registrations).
APPRAISER_DETAIL_QUERIES = 24


@pytest.mark.parametrize("extra", [0, 3])
def test_the_appraisers_dossier_page_costs_the_same_queries(people, client, django_assert_num_queries, extra):
    from dossiers import services as dossier_services
    from tests import factories as f
    from workflows import services as wf

    from .conftest import fresh, new_dossier, returned

    w = people
    d = returned(w, new_dossier(w))
    for i in range(extra):
        nominee = f.NomineeFactory(dossier=d, name=f"Bổ sung {i}")
        dossier_services.attachment_add(
            actor=w.staff_a,
            dossier=d,
            kind=f.doc_kind("bao-cao-thanh-tich"),
            nominee=nominee,
            uploaded_file=f.pdf_upload(f"bao-cao-{i}.pdf", f"Bổ sung {i}"),
        )
    wf.dossier_submit(actor=w.head_a, dossier=fresh(d))
    wf.appraisal_receive(actor=w.officer, dossier=d)
    client.force_login(w.officer)
    with django_assert_num_queries(APPRAISER_DETAIL_QUERIES):
        response = client.get(reverse("dossier-detail", args=[d.pk]))
    assert response.status_code == 200 and len(response.context["wfp"]["changes"].nominees_added) == extra
