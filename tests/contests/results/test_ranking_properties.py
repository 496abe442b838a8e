"""Properties of the contest's ranking (contests.ranking) over random scores, prize structures
and tie rules: prizes given at most once each and at most `count` per level, better scores never
get a lower prize, ties broken only by the declared rule (never by input order or ids), and the
totals add up."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from contests import ranking as r

SCORES = st.decimals(min_value=0, max_value=3, places=0).map(Decimal)
CRITERIA = [
    r.CriterionWeight(key="c1", weight=20, position=1),
    r.CriterionWeight(key="c2", weight=50, position=2),
]


@st.composite
def worlds(draw):
    n = draw(st.integers(min_value=0, max_value=14))
    candidates = [
        r.Candidate(
            key=f"e{i}",
            score=draw(SCORES),
            appraisal_score=draw(st.none() | SCORES),
            criteria={"c1": draw(SCORES), "c2": draw(SCORES)},
        )
        for i in range(n)
    ]
    levels = [
        r.PrizeLevel(
            key=f"p{pos}", position=pos, count=draw(st.integers(1, 4)), amount=draw(st.integers(0, 10**7))
        )
        for pos in range(1, draw(st.integers(0, 4)) + 1)
    ]
    rule = draw(st.sampled_from(r.TIE_RULES))
    return candidates, levels, rule


def _outcome(result):
    return {p.key: (p.rank, p.prize.key if p.prize else None, p.unresolved) for p in result.placed}


def _rule_key(c, rule):
    return (c.score, *r.tie_key(c, rule, CRITERIA))


@settings(max_examples=300, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_ranking_properties(world, rnd):
    candidates, levels, rule = world
    result = r.rank(candidates, levels, rule, CRITERIA)
    by_key = {c.key: c for c in candidates}

    # No entrant twice, every finalist placed.
    keys = [p.key for p in result.placed]
    assert sorted(keys) == sorted(by_key)

    # Each level at most `count` times.
    for level in levels:
        assert sum(1 for p in result.placed if p.prize is level) <= level.count

    # Better (by score, then the declared rule) never gets a lower prize or a worse rank.
    resolved = [p for p in result.placed if not p.unresolved]
    for a in resolved:
        for b in resolved:
            ka, kb = _rule_key(by_key[a.key], rule), _rule_key(by_key[b.key], rule)
            if ka > kb:
                assert a.rank < b.rank
                if b.prize is not None:
                    assert a.prize is not None and a.prize.position <= b.prize.position
            if ka == kb:
                # Equal under the rule: the same rank and the same prize, whatever their ids.
                assert a.rank == b.rank and a.prize is b.prize

    # Number of prizes: min(prizes, finalists), less the places an unresolved tie holds.
    slots = r.prize_slots(levels)
    held = 0
    for tie in result.unresolved:
        start = min(p.rank for p in result.placed if p.key in tie) - 1
        held += len(slots[start : start + len(tie)])
        assert len({_rule_key(by_key[k], rule) for k in tie}) == 1  # only true ties are left open
    assert result.awarded + held == min(len(slots), len(candidates))

    # Totals are the sum of the amounts.
    assert result.total == sum(p.prize.amount for p in result.placed if p.prize)

    # The order of entry and the ids decide nothing: shuffled and renamed, the same outcome.
    shuffled = list(candidates)
    rnd.shuffle(shuffled)
    assert _outcome(r.rank(shuffled, levels, rule, CRITERIA)) == _outcome(result)
    rename = {c.key: f"z{99 - i}" for i, c in enumerate(candidates)}
    renamed = [r.Candidate(rename[c.key], c.score, c.appraisal_score, c.criteria) for c in shuffled]
    back = {v: k for k, v in rename.items()}
    again = {back[k]: v for k, v in _outcome(r.rank(renamed, levels, rule, CRITERIA)).items()}
    assert again == _outcome(result)


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_a_resolution_only_orders_entries_the_rule_left_equal(world):
    candidates, levels, rule = world
    first = r.rank(candidates, levels, rule, CRITERIA)
    resolutions = {}
    for tie in first.unresolved:
        for seat, key in enumerate(sorted(tie)):
            resolutions[key] = (seat, "Bốc thăm trước Ban Giám khảo")
    second = r.rank(candidates, levels, rule, CRITERIA, resolutions=resolutions)
    assert second.unresolved == []
    before = {p.key: p for p in first.placed}
    for p in second.placed:
        if not before[p.key].unresolved:
            assert (p.rank, p.prize) == (before[p.key].rank, before[p.key].prize)
    slots = r.prize_slots(levels)
    assert second.awarded == min(len(slots), len(candidates))


def test_shared_rule_gives_tied_entries_the_same_prize_when_the_level_suffices():
    levels = [r.PrizeLevel("first", 1, 1, 10_000_000, "Giải Nhất"), r.PrizeLevel("second", 2, 3, 7_000_000)]
    c = [r.Candidate("a", Decimal("95")), r.Candidate("b", Decimal("90")), r.Candidate("c", Decimal("90"))]
    result = r.rank(c, levels, r.SHARED)
    got = {p.key: (p.rank, p.prize.key) for p in result.placed}
    assert got == {"a": (1, "first"), "b": (2, "second"), "c": (2, "second")}
    assert result.total == 24_000_000


def test_shared_rule_reports_a_tie_the_level_cannot_cover():
    levels = [r.PrizeLevel("first", 1, 1, 10_000_000), r.PrizeLevel("second", 2, 1, 7_000_000)]
    c = [r.Candidate("a", Decimal("95")), r.Candidate("b", Decimal("90")), r.Candidate("c", Decimal("90"))]
    result = r.rank(c, levels, r.SHARED)
    assert result.unresolved == [("b", "c")]
    assert {p.key for p in result.placed if p.prize is None} == {"b", "c"}


def test_appraisal_score_breaks_a_tie_before_the_criteria():
    crit = [r.CriterionWeight("light", 10, 1), r.CriterionWeight("heavy", 60, 2)]
    levels = [r.PrizeLevel("first", 1, 1, 6_000_000), r.PrizeLevel("second", 2, 1, 3_000_000)]
    a = r.Candidate("a", Decimal("88"), Decimal("70"), {"heavy": Decimal("9"), "light": Decimal("1")})
    b = r.Candidate("b", Decimal("88"), Decimal("71"), {"heavy": Decimal("1"), "light": Decimal("9")})
    by_appraisal = {p.key: p.prize.key for p in r.rank([a, b], levels, r.APPRAISAL_SCORE, crit).placed}
    assert by_appraisal == {"b": "first", "a": "second"}
    # The heavier criterion decides under CRITERIA, though it comes later in position.
    by_criteria = {p.key: p.prize.key for p in r.rank([a, b], levels, r.CRITERIA, crit).placed}
    assert by_criteria == {"a": "first", "b": "second"}
