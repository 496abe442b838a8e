"""The final ranking of a contest and the prizes it gives: pure functions, no query, no write.

Seed 002 (Kế hoạch 4979/KH-SNV-CĐVC, mục III.5): the jury scores the finalists and the prizes go
by rank within the prize structure of each kind of entrant (collectives, individuals). The rules,
in one place:

1. Entries are ordered by their final score, higher first.
2. Entries with the same final score are ordered by the tie rule the contest declared before it
   opened (ContestTieRule):
   - APPRAISAL_SCORE: the higher appraisal-round score, then the final round's criteria in order
     of weight (higher weight first, the criterion's position next);
   - CRITERIA: the criteria in that order only;
   - SHARED: no further order: tied entries share the rank.
   Never the order of entry or an id: entries still equal after the rule share their rank.
3. Prizes are handed out level by level in `position` order, each level `count` times: the
   ranking's n-th place takes the n-th prize. An entry gets at most one prize.
4. Entries sharing a rank take the same prize when the places they hold all carry the same
   level (or all carry none). When they straddle a level (or the last prize), nobody among them
   receives a prize from the ranking: the tie is UNRESOLVED and the organiser decides it with a
   recorded reason (a `resolution`: the order the organiser set for those entries). Places below
   an unresolved tie are given as if the tie had been resolved (they do not move).
5. Prizes may stay unawarded when there are fewer finalists than prizes.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

APPRAISAL_SCORE = "appraisal_score"
CRITERIA = "criteria"
SHARED = "shared"
TIE_RULES = (APPRAISAL_SCORE, CRITERIA, SHARED)


@dataclass(frozen=True)
class CriterionWeight:
    """A criterion of the final round: compared in order of weight, then position."""

    key: object
    weight: int
    position: int = 0


@dataclass(frozen=True)
class Candidate:
    """One finalist of one entrant kind. `criteria` maps a criterion's key to the entry's final
    score on it (the jurors' aggregate); a missing criterion counts as no score (lowest)."""

    key: object
    score: Decimal
    appraisal_score: Decimal | None = None
    criteria: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PrizeLevel:
    """One level of the structure: `count` prizes of `amount` đồng each."""

    key: object
    position: int
    count: int
    amount: int
    name: str = ""


@dataclass
class Placed:
    key: object
    rank: int
    prize: PrizeLevel | None = None
    tie_note: str = ""
    # Still tied after the declared rule where the tie decides a prize: the organiser resolves it.
    unresolved: bool = False
    tied_with: tuple = ()

    @property
    def amount(self) -> int:
        return self.prize.amount if self.prize is not None else 0


@dataclass
class Ranking:
    placed: list  # of Placed, in rank order
    unresolved: list  # of tuples of keys, each one unresolved tie

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.placed)

    @property
    def awarded(self) -> int:
        return sum(1 for p in self.placed if p.prize is not None)


def ordered_criteria(criteria) -> list:
    """Higher weight first, then the criterion's position."""
    return sorted(criteria, key=lambda c: (-c.weight, c.position))


def _missing_low(value):
    # A missing score sorts below every real one (scores are never negative).
    return Decimal(-1) if value is None else Decimal(value)


def tie_key(candidate: Candidate, rule: str, criteria) -> tuple:
    """What orders entries with the same final score (higher is better); () under SHARED."""
    if rule not in TIE_RULES:
        raise ValueError(f"unknown tie rule {rule!r}")
    if rule == SHARED:
        return ()
    by_weight = tuple(_missing_low(candidate.criteria.get(c.key)) for c in ordered_criteria(criteria))
    if rule == APPRAISAL_SCORE:
        return (_missing_low(candidate.appraisal_score), *by_weight)
    return by_weight


def prize_slots(levels) -> list:
    """The prizes in the order they are given: each level `count` times, by position."""
    slots = []
    for level in sorted(levels, key=lambda p: p.position):
        slots.extend([level] * level.count)
    return slots


def _describe(rule: str) -> str:
    return {
        APPRAISAL_SCORE: "Bằng điểm chung kết; xếp theo điểm vòng thẩm định và các tiêu chí theo trọng số",
        CRITERIA: "Bằng điểm chung kết; xếp theo các tiêu chí theo trọng số",
        SHARED: "Bằng điểm, đồng hạng theo thể lệ",
    }[rule]


def rank(candidates, levels, rule: str, criteria=(), resolutions=None) -> Ranking:
    """Rank `candidates` (one entrant kind) and give them the prizes of `levels`.

    `resolutions` maps an entry's key to (seat, reason): the organiser's order for entries left
    tied (lower seat first). It is applied only among entries the rule left equal, so it can
    never overturn the scores or the declared rule.
    """
    resolutions = resolutions or {}
    full = lambda c: (Decimal(c.score), *tie_key(c, rule, criteria))  # noqa: E731
    ordered = sorted(candidates, key=full, reverse=True)
    slots = prize_slots(levels)
    placed, unresolved, seat = [], [], 0
    for _score, score_group in groupby(ordered, key=lambda c: Decimal(c.score)):
        score_group = list(score_group)
        broken = len(score_group) > 1 and rule != SHARED
        for _k, group in groupby(score_group, key=full):
            group = list(group)
            for members in _apply_resolution(group, resolutions):
                seat = _place(members, seat, slots, rule, broken, resolutions, placed, unresolved)
    return Ranking(placed=placed, unresolved=unresolved)


def _apply_resolution(group, resolutions):
    """Split a group the rule left equal by the organiser's seats, when every member has one."""
    if len(group) == 1 or not all(c.key in resolutions for c in group):
        return [group]
    by_seat = sorted(group, key=lambda c: resolutions[c.key][0])
    return [list(g) for _s, g in groupby(by_seat, key=lambda c: resolutions[c.key][0])]


def _place(members, seat, slots, rule, broken, resolutions, placed, unresolved) -> int:
    held = slots[seat : seat + len(members)]
    held += [None] * (len(members) - len(held))
    same = all(h is held[0] for h in held)
    rank_no = seat + 1
    keys = tuple(sorted((m.key for m in members), key=str))
    if same:
        prize = held[0]
        note = ""
        if len(members) > 1:
            note = "Đồng hạng" + (f", cùng {prize.name}" if prize is not None and prize.name else "")
        elif broken:
            note = _describe(rule)
        if members[0].key in resolutions:
            note = f"Ban Tổ chức quyết định: {resolutions[members[0].key][1]}"
        for m in members:
            others = tuple(k for k in keys if k != m.key) if len(members) > 1 else ()
            placed.append(Placed(key=m.key, rank=rank_no, prize=prize, tie_note=note, tied_with=others))
    else:
        unresolved.append(keys)
        for m in members:
            placed.append(
                Placed(
                    key=m.key,
                    rank=rank_no,
                    prize=None,
                    tie_note="Đồng điểm ở ranh giới giải: chờ Ban Tổ chức quyết định",
                    unresolved=True,
                    tied_with=tuple(k for k in keys if k != m.key),
                )
            )
    return seat + len(members)
