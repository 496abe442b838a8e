"""Ranking at the council's close: who of the nominees that reached their threshold takes the
campaign's places (its quotas cap AWARDS, not proposals: DOMAIN.md).

The order, in one place:
1. the share of the votes that could be cast on the nominee: votes for / (members − recused).
   A member with a conflict does not vote (Luật TĐKT 2022), so a recusal must neither help nor
   hurt a nominee in ranking; pass/fail stays votes for / ALL members (passes_threshold), so a
   recusal never lets a nominee pass a threshold it would not pass otherwise;
2. fewer votes against, as a share of the same (a member who did not vote is not one against);
3. the priorities the rules give in equal conditions (dossiers.RankingPriority: women, collectives
   with many women), in their order;
4. the council's own resolution of a tie (AgendaItem.tiebreak: a run-off round or the chair's
   reasoned decision, as the campaign's `tie_rule` says).
Nominees still equal across the last places of a quota are a TIE: never broken by the agenda's
order or an id. Pure functions over the agenda's items: no query, no write.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby

from .meetings import AgendaResult


def vote_share(votes_for, members_total, recused) -> Fraction:
    """Votes for over the votes that could be cast on the nominee (members − recused)."""
    could = (members_total or 0) - (recused or 0)
    return Fraction(votes_for or 0, could) if could > 0 else Fraction(0)


def ranking_key(item, members_total, priorities) -> tuple:
    """Smaller first: the share of possible votes for (descending), the share against
    (ascending), then each priority the nominee has (having it first)."""
    share = vote_share(item.votes_for, members_total, item.recused)
    against = vote_share(item.votes_against, members_total, item.recused)
    return (-share, against, *(0 if p.favours(item.nominee) else 1 for p in priorities))


@dataclass
class Tie:
    """Nominees equal at a quota's line, more of them than `places` left."""

    items: list = field(default_factory=list)
    places: int = 0
    campaign_id: int | None = None

    def as_data(self, rule) -> dict:
        return {
            "nominees": sorted(i.nominee_id for i in self.items),
            "places": self.places,
            "rule": rule,
        }


def allot(items, quotas, taken, members_total, priorities) -> list[Tie]:
    """Rank the items that reached their threshold (PASSED, or TIED / OVER_QUOTA from an earlier
    ranking of the same meeting) and give them the quotas' places: every quota of their campaign that
    covers a nominee must have room. Sets `rank` (equal keys share a rank) and turns the result of
    those past the line into OVER_QUOTA and of those tied at it into TIED. `taken` maps a quota's
    pk to the places already taken outside this agenda (it is updated). Returns the ties."""
    reached = (AgendaResult.PASSED, AgendaResult.TIED, AgendaResult.OVER_QUOTA)
    passing = [i for i in items if i.result in reached]
    for item in passing:
        item.result = AgendaResult.PASSED

    def key(item):
        return (*ranking_key(item, members_total, priorities), item.tiebreak or 0)

    def covering(item):
        return [q for q in quotas if q.campaign_id == item.dossier.campaign_id and q.matches(item.nominee)]

    ranked = sorted(passing, key=key)
    ties, position = [], 0
    for _key, group in groupby(ranked, key=key):
        group = list(group)
        for item in group:
            item.rank = position + 1
        position += len(group)
        blocked = [i for i in group if any(taken[q.pk] >= q.limit for q in covering(i))]
        for item in blocked:
            item.result = AgendaResult.OVER_QUOTA
        rest = [i for i in group if i not in blocked]
        need = {}
        for item in rest:
            for q in covering(item):
                need[q.pk] = need.get(q.pk, 0) + 1
        full = {pk for pk, n in need.items() if taken[pk] + n > _limit(quotas, pk)}
        if not full:
            for pk, n in need.items():
                taken[pk] += n
            continue
        # Only the nominees competing for the places of an overflowing quota tie; the others of
        # the group (another campaign's, or under no full quota) pass.
        tied = [i for i in rest if any(q.pk in full for q in covering(i))]
        for item in rest:
            if item not in tied:
                for q in covering(item):
                    taken[q.pk] += 1
        places = min(_limit(quotas, pk) - taken[pk] for pk in full)
        ties.append(Tie(items=tied, places=places, campaign_id=tied[0].dossier.campaign_id))
        for item in tied:
            item.result = AgendaResult.TIED
        # Whoever the council picks, the full quotas are full after them; the others take the
        # places the tie will take.
        for pk in {q.pk for item in tied for q in covering(item)}:
            taken[pk] = _limit(quotas, pk) if pk in full else taken[pk] + places
    return ties


def _limit(quotas, pk):
    return next(q.limit for q in quotas if q.pk == pk)


def refine_tiebreaks(group, order) -> None:
    """Give the items of one tie their new places among themselves: `order` maps an item's pk to
    its place as just decided (run-off share rank or the chair's choice; equal = still tied),
    within the places already decided (an earlier round's tiebreak)."""
    ranked = sorted(group, key=lambda i: (i.tiebreak or 0, order.get(i.pk, 0)))
    place, previous = 0, None
    for index, item in enumerate(ranked, 1):
        current = (item.tiebreak or 0, order.get(item.pk, 0))
        if current != previous:
            place, previous = index, current
        item.tiebreak = place
