"""The arithmetic of a round, hand-computed: weights, the mean, the trimmed mean, rounding half
up on two places, and the line of the finalists."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from contests import scoring
from contests.models import Aggregation

CRITERIA = [SimpleNamespace(pk=1, weight=40, max_score=10), SimpleNamespace(pk=2, weight=60, max_score=20)]


def test_weighted_score_brings_each_criterion_to_its_weight():
    # 8/10 × 40 + 15/20 × 60 = 32 + 45
    assert scoring.weighted_score({1: D("8"), 2: D("15")}, CRITERIA) == D("77.00")
    # 7.25/10 × 40 + 13.33/20 × 60 = 29 + 39.99
    assert scoring.weighted_score({1: D("7.25"), 2: D("13.33")}, CRITERIA) == D("68.99")


def test_mean_and_trimmed_mean():
    scores = [D("77.00"), D("90.00"), D("50.00")]
    assert scoring.aggregate(scores, Aggregation.MEAN) == D("72.33")  # 217 / 3
    assert scoring.aggregate(scores, Aggregation.TRIMMED_MEAN) == D("77.00")  # 90 and 50 dropped
    four = [D("60"), D("70"), D("80"), D("100")]
    assert scoring.aggregate(four, Aggregation.TRIMMED_MEAN) == D("75.00")  # (70 + 80) / 2
    # Two jurors: nothing to trim, the plain mean.
    assert scoring.aggregate([D("60"), D("71")], Aggregation.TRIMMED_MEAN) == D("65.50")
    assert scoring.aggregate([], Aggregation.MEAN) is None


def test_half_up_on_two_places_never_bankers():
    assert scoring.aggregate([D("10.00"), D("10.01")], Aggregation.MEAN) == D("10.01")  # 10.005
    assert scoring.quantize(D("2.345")) == D("2.35")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        scoring.as_score(7.1)
    assert scoring.as_score("7,5") == D("7.5")


def test_finalists_line_lets_a_tie_through():
    chosen, tie = scoring.finalists_line([(1, D("80")), (2, D("70")), (3, D("70")), (4, D("60"))], 2)
    assert chosen == {1, 2, 3} and tie
    chosen, tie = scoring.finalists_line([(1, D("80")), (2, D("75")), (3, D("70")), (4, None)], 2)
    assert chosen == {1, 2} and not tie
    chosen, tie = scoring.finalists_line([(1, D("80")), (2, None)], 3)
    assert chosen == {1} and not tie
