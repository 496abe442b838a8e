"""How a cluster's year is scored and ranked, as plain arithmetic over rows already read.

A unit's score on a criterion is the standing body's reviewed score when it gave one, otherwise the
mean of the cross-scores the other members gave it. Its total (of 100) is the sum over the criteria
of score / maximum × weight. Units are ranked by total; an equal total is broken by the criteria in
order of weight (the heaviest first, then the next …, each compared as its weighted score), and
what the criteria leave equal is ordered by the standing body's reasoned decision. The order in
which scores were entered, or how complete a unit's own evidence is, never decides.

Exact fractions throughout: the points are decimals, a mean of three is not, and no float may
decide a place.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def as_decimal(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class UnitScores:
    unit: object
    self_points: dict = field(default_factory=dict)  # criterion id → Decimal
    cross_points: dict = field(default_factory=dict)  # criterion id → [Decimal, …]
    reviewed: dict = field(default_factory=dict)  # criterion id → Decimal
    effective: dict = field(default_factory=dict)  # criterion id → Fraction | None
    total: Fraction | None = None
    rank: int | None = None
    tie_broken_by: str = ""

    def cross_mean(self, criterion_id) -> Fraction | None:
        points = self.cross_points.get(criterion_id) or []
        if not points:
            return None
        return sum((Fraction(p) for p in points), Fraction(0)) / len(points)

    def cross_mean_decimal(self, criterion_id):
        return as_decimal(self.cross_mean(criterion_id))

    @property
    def total_decimal(self):
        return as_decimal(self.total)


def by_weight(criteria):
    """The criteria in the order ties are broken: the heaviest first, then their order."""
    return sorted(criteria, key=lambda c: (-c.weight, c.position))


def compute(criteria, rows: list[UnitScores]) -> None:
    """Fill each row's effective scores and total (None while a criterion has no score)."""
    for row in rows:
        total = Fraction(0)
        for c in criteria:
            value = Fraction(row.reviewed[c.pk]) if c.pk in row.reviewed else row.cross_mean(c.pk)
            row.effective[c.pk] = value
            if value is None:
                total = None
            elif total is not None:
                total += value / c.max_points * c.weight
        row.total = total if criteria else None


def _key(criteria, row):
    ordered = by_weight(criteria)
    return (row.total, *[(row.effective[c.pk] or 0) / c.max_points * c.weight for c in ordered])


def rank(criteria, rows: list[UnitScores], decided_order=()) -> list[list[UnitScores]]:
    """Order `rows` and number them 1, 2, …; return the groups the criteria left equal and
    `decided_order` (unit ids, the standing body's decision) does not settle. Nothing is ranked
    until that list is empty."""
    compute(criteria, rows)
    rows.sort(key=lambda r: _key(criteria, r), reverse=True)
    decided = {unit_id: i for i, unit_id in enumerate(decided_order)}
    groups, unresolved = [], []
    for row in rows:
        if groups and _key(criteria, groups[-1][0]) == _key(criteria, row):
            groups[-1].append(row)
        else:
            groups.append([row])
    ordered = []
    for group in groups:
        if len(group) > 1:
            if all(r.unit.pk in decided for r in group):
                group.sort(key=lambda r: decided[r.unit.pk])
                for r in group:
                    r.tie_broken_by = "decision"
            else:
                unresolved.append(group)
        ordered.extend(group)
    # Equal totals separated by the criteria: say so on each of them.
    for i, row in enumerate(ordered):
        neighbours = ordered[max(i - 1, 0) : i] + ordered[i + 1 : i + 2]
        if not row.tie_broken_by and any(n.total == row.total for n in neighbours):
            row.tie_broken_by = "criteria"
    for i, row in enumerate(ordered, start=1):
        row.rank = i
    rows[:] = ordered
    return unresolved
