"""The results' services: ranking, a tie resolved with its reason, the decision prepared, signed
(the contest is decided) and issued."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent as Event
from contests import results_services as results
from contests.models import ContestState, EntrantKind, Placing
from org.errors import TransitionNotAllowed

from .builders import COLLECTIVE_TOTAL, INDIVIDUAL_TOTAL, make_contest

pytestmark = pytest.mark.django_db


def test_rank_gives_the_twenty_prizes_by_rank(world, contest):
    results.contest_rank(actor=world.officer, contest=contest)
    contest.refresh_from_db()
    assert contest.state == ContestState.RESULTS
    placings = Placing.objects.filter(contest=contest).select_related("prize", "entry")
    assert placings.count() == 24
    won = [p for p in placings if p.prize_id]
    assert len(won) == 20
    assert sum(p.amount for p in won) == COLLECTIVE_TOTAL + INDIVIDUAL_TOTAL
    first = placings.get(entry__entrant_kind=EntrantKind.COLLECTIVE, rank=1)
    assert (first.prize.name, first.amount) == ("Giải Nhất", 10_000_000)
    assert {p.rank for p in placings if not p.prize_id} == {11, 12}
    event = Event.objects.filter(action="contest.rank").latest("seq")
    assert event.data["total"] == COLLECTIVE_TOTAL + INDIVIDUAL_TOTAL


def test_rank_waits_for_the_final_round_to_close(world, contest):
    contest.rounds.update(closed_at=None)
    with pytest.raises(TransitionNotAllowed):
        results.contest_rank(actor=world.officer, contest=contest)


def test_only_the_organiser_ranks(world, contest):
    with pytest.raises(PermissionDenied):
        results.contest_rank(actor=world.head_a, contest=contest)
    with pytest.raises(PermissionDenied):
        results.contest_rank(actor=world.chair, contest=contest)


def test_a_tie_at_a_prize_line_waits_for_the_organiser_and_their_reason(world):
    # The 1st and 2nd collectives are equal on everything: the first prize is one, so it is open.
    contest = make_contest(
        world,
        scores={(EntrantKind.COLLECTIVE, 0): Decimal(95), (EntrantKind.COLLECTIVE, 1): Decimal(95)},
    )
    results.contest_rank(actor=world.officer, contest=contest)
    open_tie = Placing.objects.filter(contest=contest, tie_unresolved=True)
    assert open_tie.count() == 2 and not open_tie.exclude(prize=None).exists()
    with pytest.raises(TransitionNotAllowed):
        results.contest_decision_prepare(actor=world.officer, contest=contest, signer=world.chair)
    a, b = sorted(open_tie.values_list("entry_id", flat=True))
    with pytest.raises(ValidationError):
        results.contest_tie_resolve(actor=world.officer, contest=contest, entries=[b, a], reason=" ")
    results.contest_tie_resolve(
        actor=world.officer, contest=contest, entries=[b, a], reason="Ban Giám khảo biểu quyết ngày 06/3/2026"
    )
    first = Placing.objects.get(entry_id=b)
    second = Placing.objects.get(entry_id=a)
    assert (first.rank, first.amount, second.rank, second.amount) == (1, 10_000_000, 2, 7_000_000)
    assert "biểu quyết" in first.tie_note
    assert not Placing.objects.filter(contest=contest, tie_unresolved=True).exists()
    assert Event.objects.filter(action="contest.tie_resolve").exists()


def test_decision_prepared_signed_and_issued(world, contest, clerk, keys):
    from documents.services import issued

    results.contest_rank(actor=world.officer, contest=contest)
    with pytest.raises(ValidationError):
        results.contest_decision_prepare(actor=world.officer, contest=contest, signer=world.head_a)
    decision = results.contest_decision_prepare(actor=world.officer, contest=contest, signer=world.chair)
    assert decision.symbol == "01/QĐ-UBND"
    with pytest.raises(TransitionNotAllowed):
        results.contest_decision_prepare(actor=world.officer, contest=contest, signer=world.chair)
    with pytest.raises(PermissionDenied):
        results.contest_decision_sign(actor=world.officer, contest=contest)
    document = results.contest_decision_sign(actor=world.chair, contest=contest)
    contest.refresh_from_db()
    assert contest.state == ContestState.DECIDED
    assert Event.objects.filter(action="contest.decide", object_id=str(contest.pk)).exists()
    with pytest.raises(PermissionDenied):
        results.contest_decision_issue(actor=world.officer, contest=contest)
    document = results.contest_decision_issue(actor=clerk, contest=contest)
    assert issued(document)
