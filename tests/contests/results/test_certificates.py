"""The prize winners' Giấy khen (seed 002, III.5): made only once the results decision is issued,
one page per prize, each numbered once from the organiser's register of certificates and kept on
a remake, the QR code pointing at the public results; pages and API for the organiser and the
records clerk, a 404 for anyone else."""

import io

import pytest
from pypdf import PdfReader

from audit.models import AuditEvent as Event
from contests import results_services as results
from contests.models import ContestCertificates, Entry, Placing
from org.errors import TransitionNotAllowed
from org.models import RegisterEntry, RegisterSeries

pytestmark = pytest.mark.django_db


def _signed(world, contest, *, ranked=False):
    if not ranked:
        results.contest_rank(actor=world.officer, contest=contest)
    results.contest_decision_prepare(actor=world.officer, contest=contest, signer=world.chair)
    results.contest_decision_sign(actor=world.chair, contest=contest)
    return contest


def _issued(world, contest, clerk):
    _signed(world, contest)
    results.contest_decision_issue(actor=clerk, contest=contest)
    contest.refresh_from_db()
    return contest


def _pages(made) -> list[str]:
    with made.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_refused_before_the_decision_is_issued(world, contest, clerk, keys):
    results.contest_rank(actor=world.officer, contest=contest)
    with pytest.raises(TransitionNotAllowed, match="not been issued"):
        results.contest_certificates_make(actor=world.officer, contest=contest)
    _signed(world, contest, ranked=True)
    with pytest.raises(TransitionNotAllowed, match="not been issued"):
        results.contest_certificates_make(actor=clerk, contest=contest)
    assert not ContestCertificates.objects.exists()
    assert not RegisterEntry.objects.filter(register__series=RegisterSeries.CERTIFICATES).exists()


def test_one_page_per_prize_numbered_and_kept_on_a_remake(world, contest, clerk, keys):
    _issued(world, contest, clerk)
    made = results.contest_certificates_make(actor=clerk, contest=contest)
    prized = list(
        Placing.objects.filter(contest=contest, prize__isnull=False).select_related("entry", "prize")
    )
    assert made.count == len(prized) == 20
    pages = _pages(made)
    assert len(pages) == 20
    assert "GIẤY KHEN" in pages[0]
    assert "Số: 01/GK" in pages[0] and "Số: 20/GK" in pages[19]
    assert contest.decision.symbol in pages[0]
    assert f"/cong-khai/hoi-thi/{contest.pk}/" in pages[0]
    for placing in prized:
        assert any(
            placing.entry.entrant_name in page and f"đạt {placing.prize.name}" in page for page in pages
        ), placing.entry.entrant_name
    event = Event.objects.get(action="contest.certificates")
    assert event.data["count"] == 20 and event.data["sha256"] == made.sha256

    numbers = dict(
        RegisterEntry.objects.filter(register__series=RegisterSeries.CERTIFICATES).values_list(
            "object_id", "number"
        )
    )
    assert len(numbers) == 20
    # The same data: the same PDF, no new version, no new number.
    assert results.contest_certificates_make(actor=world.officer, contest=contest).pk == made.pk
    # Changed data: version 2, every number kept.
    first = prized[0]
    Entry.objects.filter(pk=first.entry_id).update(entrant_name="Phòng Tổ chức - Biên chế")
    remade = results.contest_certificates_make(actor=world.officer, contest=contest)
    assert remade.version == 2 and remade.sha256 != made.sha256
    assert any("Phòng Tổ chức - Biên chế" in page for page in _pages(remade))
    assert (
        dict(
            RegisterEntry.objects.filter(register__series=RegisterSeries.CERTIFICATES).values_list(
                "object_id", "number"
            )
        )
        == numbers
    )


def test_pages_and_api(client, world, contest, clerk, keys):
    _issued(world, contest, clerk)
    client.force_login(clerk)
    page = client.get(f"/contests/{contest.pk}/results/decision/")
    assert b'data-testid="certificates"' in page.content
    made = client.post(f"/contests/{contest.pk}/results/certificates/")
    assert made.status_code == 302
    pdf = client.get(f"/contests/{contest.pk}/results/certificates/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    api = client.post(f"/api/contests/{contest.pk}/results/certificates/")
    assert api.status_code == 200 and api.json()["count"] == 20
    assert client.get(f"/api/contests/{contest.pk}/results/certificates/").status_code == 200
    assert ContestCertificates.objects.count() == 1


def test_an_outsider_gets_404(client, world, contest, clerk, keys):
    _issued(world, contest, clerk)
    results.contest_certificates_make(actor=clerk, contest=contest)
    client.force_login(world.head_a)
    for path in ("/contests/{}/results/certificates/", "/api/contests/{}/results/certificates/"):
        assert client.get(path.format(contest.pk)).status_code == 404
        assert client.post(path.format(contest.pk)).status_code == 404
    assert ContestCertificates.objects.count() == 1


def test_a_juror_may_not_make_them(world, contest, clerk, keys):
    from django.core.exceptions import PermissionDenied

    _issued(world, contest, clerk)
    with pytest.raises(PermissionDenied):
        results.contest_certificates_make(actor=world.chair, contest=contest)


def test_before_the_issue_the_page_has_no_button(client, world, contest, clerk, keys):
    _signed(world, contest)
    client.force_login(world.officer)
    page = client.get(f"/contests/{contest.pk}/results/decision/")
    assert b'data-testid="certificates"' not in page.content
    assert client.post(f"/contests/{contest.pk}/results/certificates/").status_code == 409


def test_the_demo_makes_the_certificates_of_the_decided_contest(db, settings, tmp_path):
    from django.core.management import call_command

    from demo.contests_results import NAME

    settings.SIGNING_KEYS_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = None
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=io.StringIO())
    made = ContestCertificates.objects.get(contest__name=NAME)
    assert made.count == 20 and len(_pages(made)) == 20
    call_command("seed_demo", stdout=io.StringIO())
    assert ContestCertificates.objects.filter(contest__name=NAME).count() == 1
