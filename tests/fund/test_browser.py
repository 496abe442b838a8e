"""The award fund in a real browser, at 1366 px and 390 px, on the demo world: the leader's list of
funds, Long Biên's statement, the form of an addition and the payments of the demo's decision pass
the same checks as every role's pages (axe-core, tables inside a phone's screen, no English)."""

import pytest
from django.urls import reverse

from approvals.models import Decision
from demo.fund import pay_two
from fund import services
from fund.models import EntryKind, Fund, FundEntry
from org.models import User
from tests.journeys.test_journeys import demo, walk  # noqa: F401  (the demo fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_leader_reads_the_fund_and_its_payments(live_server, demo):  # noqa: F811
    fund = Fund.objects.get(unit__name="Phường Long Biên", budget_set=True)
    # The demo's decision, as once the records clerk has issued it (charged) and two of its
    # awardees were paid (make run's issue_demo_keys pays those of the decision it publishes).
    decision = Decision.objects.get(issuer=fund.unit, kind="award")
    services.decision_charge(
        actor=User.objects.get(username="clerk"), decision=decision, amount=services.decision_cash(decision)
    )
    pay_two(decision)
    assert FundEntry.objects.filter(decision=decision, kind=EntryKind.PAYMENT).count() == 2
    paths = [
        reverse("fund-list"),
        reverse("fund-detail", args=[fund.pk]),
        reverse("fund-addition", args=[fund.pk]),
        reverse("fund-decision-payments", args=[decision.pk]),
        reverse("decision-detail", args=[decision.pk]),
    ]
    problems = walk(live_server, "lanhdao.tdkt", paths)
    assert not problems, "\n".join(problems)
