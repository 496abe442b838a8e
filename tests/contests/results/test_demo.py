"""After `seed_demo`, Sở Nội vụ's 2025 contest is decided: its 20 prizes are on the public results
page with the decision's number and date, and seeding again changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from contests.models import Contest, ContestState, Placing
from demo.contests_results import NAME


@pytest.fixture
def fresh_keys(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = None
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def test_the_demo_shows_a_decided_contest_publicly(db, fresh_keys, client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    contest = Contest.objects.select_related("decision").get(name=NAME)
    assert contest.state == ContestState.DECIDED
    assert Placing.objects.filter(contest=contest, prize__isnull=False).count() == 20
    assert "pgd.snv" in out.getvalue() and "vanthu.snv" in out.getvalue()
    page = client.get(reverse("public-contest-results", args=[contest.pk])).content.decode()
    assert contest.decision.symbol in page and "15/12/2025" in page and "Giải nhất" in page
    assert NAME in client.get(reverse("public-contests")).content.decode()

    call_command("seed_demo", stdout=io.StringIO())
    assert Contest.objects.filter(name=NAME).count() == 1
