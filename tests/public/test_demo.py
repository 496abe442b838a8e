"""After `make run` (`seed_demo`, then `issue_demo_keys`), the public pages show one published
decision with its PDF and the demo's list under public notice, open on the day the demo runs; a
re-run on a later day opens that list again from that day; both commands stay idempotent."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from approvals.models import PublicNotice
from documents.models import Publication


@pytest.fixture
def fresh_keys(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = None
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "audit" / "checkpoint-key.pem"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def test_the_demo_shows_a_published_decision_and_an_open_notice(db, fresh_keys, client):
    with translation.override("vi"):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("issue_demo_keys", stdout=io.StringIO())
        call_command("issue_demo_keys", stdout=io.StringIO())  # nothing more the second time
    [publication] = Publication.objects.all()
    decision = publication.decision
    listing = client.get(reverse("public-decisions")).content.decode()
    assert decision.symbol in listing and "03/QĐ-UBND" not in listing  # the one left to issue is not
    pdf = client.get(reverse("public-decision-pdf", args=[decision.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    [notice] = PublicNotice.objects.filter(closed_at__isnull=True)
    page = client.get(reverse("public-notice", args=[notice.pk]))
    # Its title names the school year in full, not "… năm học" cut before the year.
    assert page.status_code == 200 and "Chiến sĩ thi đua cơ sở năm học 2025–2026" in page.content.decode()

    # A later run, once the demo's notice period is over: the list runs again from that day.
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - dt.timedelta(days=30), ends_on=today - dt.timedelta(days=16)
    )
    assert client.get(reverse("public-notice", args=[notice.pk])).status_code == 404
    call_command("seed_demo", stdout=io.StringIO())
    notice.refresh_from_db()
    assert notice.starts_on == today and notice.ends_on > today
    assert client.get(reverse("public-notice", args=[notice.pk])).status_code == 200
    assert Publication.objects.count() == 1


def test_a_demo_title_speaking_of_a_school_year_names_it():
    from demo.data import DOSSIERS

    titles = [title for _unit, title, _picks, _state in DOSSIERS if "năm học" in title]
    assert titles and all(re.search(r"năm học \d{4}–\d{4}", title) for title in titles), titles
