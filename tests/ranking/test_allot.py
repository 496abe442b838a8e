"""approvals.ranking.allot on plain values: the line, a tie across it, and who ties."""

from types import SimpleNamespace as NS

from approvals.models import AgendaResult
from approvals.ranking import allot, refine_tiebreaks

P = AgendaResult.PASSED


def item(pk, votes_for, campaign=1, kind="collective", recused=0):
    nominee = NS(kind=kind, award_type_id=1, sex="", women_percent=None)
    return NS(
        pk=pk,
        nominee_id=pk,
        nominee=nominee,
        dossier=NS(campaign_id=campaign),
        votes_for=votes_for,
        votes_against=11 - recused - votes_for,
        recused=recused,
        result=P,
        rank=None,
        tiebreak=None,
    )


def quota(pk, limit, campaign=1, kind="collective"):
    return NS(pk=pk, limit=limit, campaign_id=campaign, matches=lambda n, kind=kind: n.kind == kind)


def test_a_tie_at_the_line_holds_only_those_competing_for_the_full_quota():
    items = [item(1, 11), item(2, 9), item(3, 9), item(4, 9, campaign=2), item(5, 7)]
    quotas = [quota(10, 2)]
    ties = allot(items, quotas, {10: 0}, 11, [])
    assert [(t.places, [i.pk for i in t.items]) for t in ties] == [(1, [2, 3])]
    assert [i.result for i in items] == [P, "tied", "tied", P, "over_quota"]  # 4: no quota of its campaign
    assert [i.rank for i in items] == [1, 2, 2, 2, 5]


def test_the_councils_resolution_places_the_tied_and_the_line_follows():
    items = [item(1, 11), item(2, 9), item(3, 9), item(5, 7)]
    quotas = [quota(10, 2)]
    allot(items, quotas, {10: 0}, 11, [])
    refine_tiebreaks(items[1:3], {3: 1, 2: 2})
    assert allot(items, quotas, {10: 0}, 11, []) == []
    assert [i.result for i in items] == [P, "over_quota", P, "over_quota"]


def test_a_recusal_ranks_by_the_votes_that_could_be_cast():
    items = [item(1, 9), item(2, 9, recused=1)]
    allot(items, [quota(10, 1)], {10: 0}, 11, [])
    assert [i.result for i in items] == ["over_quota", P]
