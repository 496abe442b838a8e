"""The demo's Giấy khen of Sở Nội vụ's 2025 contest (seed 002, III.5): once its results decision is
issued (demo.contests_results), its records clerk makes the prize winners' certificates, so the
decision's page offers their PDF after `make run`. Idempotent: the same data gives the same PDF."""

from contests import results_services as results
from contests.models import Contest
from org.models import User

from .contests_results import NAME


def seed_demo_contest_certificates():
    contest = Contest.objects.filter(name=NAME).first()
    clerk = User.objects.filter(username="vanthu.snv").first()
    if contest is None or clerk is None or not results.is_issued(contest):
        return None
    return results.contest_certificates_make(actor=clerk, contest=contest)
