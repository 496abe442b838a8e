"""The award fund in the demo (quỹ thi đua, khen thưởng; Decree 152/2025/NĐ-CP): Phường Long Biên's
fund for the year with its budget and an addition, its earlier award decisions charged to it and
two of their awardees paid (the decision the records clerk issues is charged as it is issued);
the city's fund with a small budget, so that a city decision warns that it overdraws it. For the demo only; everything goes through the fund's services (and their audit
events). Idempotent: a second run changes nothing."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from approvals.models import Award, Decision, DecisionKind
from fund import services
from fund.models import EntryKind, Fund, FundEntry
from org.models import Role, RoleAssignment, Unit
from org.services import role_assign

from .data import TERM_START
from .signing import decision_left_to_issue

COMMUNE = "Phường Long Biên"
CITY = "Thành phố Hà Nội"
COMMUNE_BUDGET = 150_000_000
COMMUNE_ADDITION = 20_000_000
CITY_BUDGET = 5_000_000
# The city's standing body is led by the director of Sở Nội vụ (demo.data: tp_thuky).
CITY_LEADER = "tp_thuky"


def seed_demo_fund() -> None:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["lanhdao.tdkt", "chair", "clerk", "officer", CITY_LEADER])
    }
    commune = Unit.objects.filter(name=COMMUNE).first()
    city = Unit.objects.filter(name=CITY).first()
    if commune is None or "lanhdao.tdkt" not in users:
        return
    year = timezone.localdate().year
    fund = Fund.objects.filter(unit=commune, year=year, budget_set=True).first()
    if fund is None:
        fund = services.fund_open(
            actor=users["lanhdao.tdkt"],
            unit=commune,
            year=year,
            budget=COMMUNE_BUDGET,
            note=f"Dự toán Quỹ thi đua, khen thưởng năm {year} được HĐND phường giao",
        )
        services.fund_addition_record(
            actor=users["chair"],
            fund=fund,
            amount=COMMUNE_ADDITION,
            note="Bổ sung từ nguồn đóng góp của doanh nghiệp trên địa bàn phường",
        )
    # The demo's other award decisions of the commune, made before the records office kept the
    # fund in the engine: charged through the service (a later issue finds them charged and adds
    # nothing), two awardees paid. Not the one the records clerk issues in the demo: its cash is
    # charged when it is issued, and nobody is paid for a decision not yet issued.
    clerk = users.get("clerk") or users["chair"]
    waiting = decision_left_to_issue()
    decisions = Decision.objects.filter(issuer=commune, kind=DecisionKind.AWARD).select_related("issuer")
    for decision in decisions.exclude(pk=getattr(waiting, "pk", None)):
        if not FundEntry.objects.filter(decision=decision, kind=EntryKind.CHARGE).exists():
            services.decision_charge(actor=clerk, decision=decision, amount=services.decision_cash(decision))
        pay_two(decision, users.get("officer"))
    if city is not None and CITY_LEADER in users:
        leader = users[CITY_LEADER]
        if not RoleAssignment.objects.filter(user=leader, role=Role.STANDING_LEADER, unit=city).exists():
            role_assign(actor="system", user=leader, role=Role.STANDING_LEADER, unit=city, start=TERM_START)
            leader = User.objects.get(pk=leader.pk)
        if not Fund.objects.filter(unit=city, year=year, budget_set=True).exists():
            services.fund_open(
                actor=leader,
                unit=city,
                year=year,
                budget=CITY_BUDGET,
                note="Phần dự toán còn lại sau các đợt khen thưởng đầu năm",
            )


def pay_two(decision, officer=None) -> None:
    """The first two awardees of the decision (issued, so charged to the fund) are paid in cash
    against a voucher (phiếu chi), by the commune's standing officer."""
    officer = officer or get_user_model().objects.filter(username="officer").first()
    if officer is None or FundEntry.objects.filter(decision=decision, kind=EntryKind.PAYMENT).exists():
        return
    paid_on = max(decision.signed_on, timezone.localdate() - dt.timedelta(days=1))
    paid_on = min(paid_on, timezone.localdate())
    awards = Award.objects.filter(decision=decision, revoked_by__isnull=True, amount__gt=0).select_related(
        "nominee"
    )
    for number, award in enumerate(awards.order_by("pk")[:2], start=1):
        services.fund_payment_record(
            actor=officer,
            award=award,
            amount=award.amount,
            paid_on=paid_on,
            voucher=f"PC{number:03d}/{paid_on.year}",
            note="Chi trả tiền thưởng bằng tiền mặt",
        )
