"""The public lists cost a fixed number of queries, whatever the number of rows."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from approvals.models import PublicNotice
from dossiers.models import DossierState, NomineeOutcome
from tests import factories as f


def test_the_published_decisions_list_costs_the_same_for_one_or_many(
    client, published, django_assert_num_queries
):
    with django_assert_num_queries(3):  # the years, the count, the page
        assert client.get(reverse("public-decisions"), {"name": "lan"}).status_code == 200
    # The publication with its decision, issuer and signer; the annex (no revocation to look up).
    with django_assert_num_queries(2):
        assert client.get(reverse("public-decision", args=[published.pk])).status_code == 200


def _notice(world, n):
    dossier = f.DossierFactory(
        unit=world.school_b,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=DossierState.PUBLIC_NOTICE,
        submitted_at=timezone.now(),
    )
    for i in range(3):
        f.NomineeFactory(dossier=dossier, name=f"Người {n}-{i}", outcome=NomineeOutcome.ELIGIBLE)
    today = timezone.localdate()
    return PublicNotice.objects.create(
        dossier=dossier, starts_on=today, ends_on=today + dt.timedelta(days=10)
    )


def test_the_notice_list_costs_the_same_for_one_or_many(client, world, django_assert_num_queries):
    _notice(world, 0)
    with django_assert_num_queries(2):  # the notices, their nominees
        assert (
            client.get(reverse("public-notices")).content.decode().count('data-testid="public-notice"') == 1
        )
    for n in range(1, 5):
        _notice(world, n)
    with django_assert_num_queries(2):
        assert (
            client.get(reverse("public-notices")).content.decode().count('data-testid="public-notice"') == 5
        )
