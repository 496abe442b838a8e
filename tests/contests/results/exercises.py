"""The audit walk's exercises of the contest results' services (tests/test_audit_coverage.py)."""

from org.models import Role
from tests import factories as f

from .builders import make_contest


def _ranked(w):
    from contests import results_services as results

    contest = make_contest(w)
    results.contest_rank(actor=w.officer, contest=contest)
    return contest


def _tied(w, service):
    from decimal import Decimal

    from contests import results_services as results
    from contests.models import EntrantKind, Placing

    contest = make_contest(
        w, scores={(EntrantKind.COLLECTIVE, 0): Decimal(95), (EntrantKind.COLLECTIVE, 1): Decimal(95)}
    )
    results.contest_rank(actor=w.officer, contest=contest)
    tied = list(
        Placing.objects.filter(contest=contest, tie_unresolved=True).values_list("entry_id", flat=True)
    )
    return service(
        actor=w.officer, contest=contest, entries=sorted(tied), reason="Bốc thăm trước Ban Giám khảo"
    )


def _prepared(w):
    from contests import results_services as results
    from tests.test_audit_coverage import signing_keys

    signing_keys(w)
    contest = _ranked(w)
    results.contest_decision_prepare(actor=w.officer, contest=contest, signer=w.chair)
    return contest


def _signed(w):
    from contests import results_services as results

    contest = _prepared(w)
    results.contest_decision_sign(actor=w.chair, contest=contest)
    return contest


def _issue(w, service):
    from documents import signing

    contest = _signed(w)
    signing.issue_agency_key(signing.keys_dir(), unit=w.commune, secret=signing.DEMO_PASSPHRASE.encode())
    clerk = f.user_with_role(Role.RECORDS_CLERK, w.commune, username="clerk")
    return service(actor=clerk, contest=contest)


def _certify(w, service):
    from contests import results_services as results

    def issue(actor, contest):
        results.contest_decision_issue(actor=actor, contest=contest)
        return contest

    return service(actor=w.officer, contest=_issue(w, issue))


AUDIT_EXERCISES = {
    "contests.results_services.contest_rank": lambda w, service: service(
        actor=w.officer, contest=make_contest(w)
    ),
    "contests.results_services.contest_tie_resolve": _tied,
    "contests.results_services.contest_decision_prepare": lambda w, service: service(
        actor=w.officer, contest=_ranked(w), signer=w.chair
    ),
    "contests.results_services.contest_decision_sign": lambda w, service: service(
        actor=w.chair, contest=_prepared(w)
    ),
    "contests.results_services.contest_decision_issue": _issue,
    "contests.results_services.contest_certificates_make": _certify,
}
