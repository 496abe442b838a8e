"""How a round's scores become an entry's score (seed 002, section 3 b and c: the jury scores each
entry; the scores rank the entries). Pure functions over Decimals: no database, never floats.

One juror's score of an entry is the weighted sum of their criterion scores, each criterion
brought to its weight: value / max_score × weight (the weights of a round add up to 100, so a
juror's score is out of 100). It is rounded to two places, the figure the scores table shows, and
the entry's score is aggregated from those figures, so anyone can redo the sum from the table.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from .models import Aggregation

TWO_PLACES = Decimal("0.01")
# Dropping one highest and one lowest score leaves something to average only from three jurors.
TRIM_FROM = 3


def quantize(value: Decimal) -> Decimal:
    """Two decimal places, halves rounded up (0.005 → 0.01), as scores are written on paper."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def as_score(value) -> Decimal:
    """A score as entered (text or Decimal; never a float, whose binary value is not the one typed)."""
    if isinstance(value, float):
        raise TypeError("scores are Decimals, never floats")
    return Decimal(str(value).strip().replace(",", "."))


def weighted_score(values: Mapping, criteria: Iterable) -> Decimal:
    """One juror's score of one entry: Σ value / max_score × weight over the round's criteria.

    `values` maps a criterion's id to the juror's Decimal score; every criterion must be there
    (a partly scored entry has no score yet).
    """
    total = Decimal(0)
    for criterion in criteria:
        value = values[criterion.pk]
        total += Decimal(value) * Decimal(criterion.weight) / Decimal(criterion.max_score)
    return quantize(total)


def aggregate(scores: Iterable[Decimal], method: str) -> Decimal | None:
    """The entry's score from its jurors' scores: their mean, or (Aggregation.TRIMMED_MEAN) the
    mean after dropping one highest and one lowest score when at least three jurors scored (with
    fewer, the plain mean). None when no juror counts."""
    values = sorted(Decimal(s) for s in scores)
    if not values:
        return None
    if method == Aggregation.TRIMMED_MEAN and len(values) >= TRIM_FROM:
        values = values[1:-1]
    return quantize(sum(values, Decimal(0)) / len(values))


def finalists_line(scored: list[tuple[int, Decimal | None]], places: int) -> tuple[set[int], bool]:
    """Which entries go to the final: the best `places` by score, and every entry tied with the
    last of them (a tie at the line lets all of them through). Entries without a score never go.

    `scored` is [(entry id, score)]; returns (the finalists' ids, whether a tie at the line let
    more than `places` through).
    """
    ranked = sorted(((pk, s) for pk, s in scored if s is not None), key=lambda item: item[1], reverse=True)
    if len(ranked) <= places:
        return {pk for pk, _ in ranked}, False
    line = ranked[places - 1][1]
    chosen = {pk for pk, s in ranked if s >= line}
    return chosen, len(chosen) > places
