"""What a person sees of a contest's rounds. A juror sees only their own scores until the round
closes; then the whole jury and the organiser see every score. While a round is open the
organiser sees each juror's progress (how many entries they have scored), never the values.
Anyone else: not found.

Each read is a fixed number of queries whatever the number of entries, jurors and scores.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404

from . import scoring
from .models import ConflictOfInterest, Contest, Criterion, Entry, EntryState, Juror, Round, RoundKind, Score
from .permissions import can_organise, juror_of, organising_unit_ids

K = RoundKind
SCORED_STATES = {K.APPRAISAL: (EntryState.SUBMITTED,), K.FINAL: (EntryState.FINALIST,)}
# After the appraisal round closes its entries are the finalists and the others.
SCORED_AFTER_CLOSE = {
    K.APPRAISAL: (EntryState.FINALIST, EntryState.ELIMINATED),
    K.FINAL: (EntryState.FINALIST,),
}


@dataclass
class Seat:
    """Who is asking: the contest, their juror row (or None) and whether they organise it."""

    contest: Contest
    juror: Juror | None
    organiser: bool


def seat_for(user, contest_pk) -> Seat:
    """The contest as the organiser or a juror sees its rounds; anyone else: 404."""
    contest = Contest.objects.select_related("organizer").filter(pk=contest_pk).first()
    if contest is None:
        raise Http404
    organiser = can_organise(user, contest)
    juror = juror_of(user, contest)
    if not organiser and juror is None:
        raise Http404
    return Seat(contest, juror, organiser)


def rounds_of(contest) -> dict:
    """{kind: Round} of the rounds opened so far."""
    return {r.kind: r for r in Round.objects.filter(contest=contest)}


def criteria_of(contest, kind) -> list:
    return list(Criterion.objects.filter(contest=contest, round=kind))


def entries_of(round_) -> list:
    states = SCORED_AFTER_CLOSE[round_.kind] if round_.is_closed else SCORED_STATES[round_.kind]
    return list(
        Entry.objects.filter(contest_id=round_.contest_id, state__in=states)
        .select_related("unit")
        .order_by("unit__name", "title", "pk")
    )


def _conflicts(contest) -> dict:
    """{(juror id, entry id): reason}."""
    return {
        (j, e): reason
        for j, e, reason in ConflictOfInterest.objects.filter(juror__contest=contest).values_list(
            "juror_id", "entry_id", "reason"
        )
    }


@dataclass
class JurorProgress:
    juror: Juror
    scored: int  # entries with every criterion scored
    expected: int  # entries without a conflict
    excluded: bool = False

    @property
    def complete(self) -> bool:
        return self.scored >= self.expected


def progress(round_, entries=None, criteria=None) -> list[JurorProgress]:
    """How many of the entries they are expected to score each juror has scored (no values)."""
    entries = entries if entries is not None else entries_of(round_)
    criteria = criteria if criteria is not None else criteria_of(round_.contest, round_.kind)
    jurors = list(Juror.objects.filter(contest_id=round_.contest_id).select_related("user"))
    conflicts = _conflicts(round_.contest)
    counts = defaultdict(int)
    for juror_id, entry_id in Score.objects.filter(round=round_).values_list("juror_id", "entry_id"):
        counts[juror_id, entry_id] += 1
    excluded = set(round_.excluded_jurors.values_list("pk", flat=True)) if round_.is_closed else set()
    rows = []
    for juror in jurors:
        mine = [e for e in entries if (juror.pk, e.pk) not in conflicts]
        done = sum(1 for e in mine if counts[juror.pk, e.pk] >= len(criteria))
        rows.append(JurorProgress(juror, done, len(mine), juror.pk in excluded))
    return rows


@dataclass
class EntryToScore:
    """One entry on a juror's list: their own scores (criterion id → value) and any conflict."""

    entry: Entry
    scores: dict = field(default_factory=dict)
    conflict: str = ""
    total: Decimal | None = None

    @property
    def complete(self) -> bool:
        return bool(self.scores) and self.total is not None


def my_entries(round_, juror, entries=None, criteria=None) -> list[EntryToScore]:
    """The juror's own view of the round: each entry with their scores so far, never another's."""
    entries = entries if entries is not None else entries_of(round_)
    criteria = criteria if criteria is not None else criteria_of(round_.contest, round_.kind)
    conflicts = _conflicts(round_.contest)
    mine = defaultdict(dict)
    for entry_id, criterion_id, value in Score.objects.filter(round=round_, juror=juror).values_list(
        "entry_id", "criterion_id", "value"
    ):
        mine[entry_id][criterion_id] = value
    rows = []
    for entry in entries:
        values = mine.get(entry.pk, {})
        total = (
            scoring.weighted_score(values, criteria) if len(values) == len(criteria) and criteria else None
        )
        rows.append(EntryToScore(entry, values, conflicts.get((juror.pk, entry.pk), ""), total))
    return rows


@dataclass
class TableRow:
    entry: Entry
    score: Decimal | None
    cells: list  # per juror: {"total", "values", "conflict", "excluded"}


def scores_table(round_, entries=None, criteria=None) -> tuple[list[Juror], list[TableRow]]:
    """Every juror's score of every entry, once the round is closed (the caller checks that)."""
    entries = entries if entries is not None else entries_of(round_)
    criteria = criteria if criteria is not None else criteria_of(round_.contest, round_.kind)
    jurors = list(Juror.objects.filter(contest_id=round_.contest_id).select_related("user"))
    conflicts = _conflicts(round_.contest)
    excluded = set(round_.excluded_jurors.values_list("pk", flat=True))
    values = defaultdict(dict)
    for juror_id, entry_id, criterion_id, value in Score.objects.filter(round=round_).values_list(
        "juror_id", "entry_id", "criterion_id", "value"
    ):
        values[juror_id, entry_id][criterion_id] = value
    field_name = "appraisal_score" if round_.kind == K.APPRAISAL else "final_score"
    rows = []
    for entry in entries:
        cells = []
        for juror in jurors:
            given = values.get((juror.pk, entry.pk), {})
            cells.append(
                {
                    "juror": juror,
                    "values": [given.get(c.pk) for c in criteria],
                    "total": scoring.weighted_score(given, criteria) if len(given) == len(criteria) else None,
                    "conflict": conflicts.get((juror.pk, entry.pk), ""),
                    "excluded": juror.pk in excluded,
                }
            )
        rows.append(TableRow(entry, getattr(entry, field_name), cells))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.entry.title))
    return jurors, rows


def criterion_aggregates(round_) -> dict:
    """{entry id: {criterion id: Decimal}}: each criterion's score of an entry across the jurors
    who count (no conflict, not left out at the close), aggregated like the entry's score. For
    the ranking's tie rules ("the criteria in order of weight")."""
    contest = round_.contest
    conflicts = _conflicts(contest)
    excluded = set(round_.excluded_jurors.values_list("pk", flat=True))
    gathered = defaultdict(lambda: defaultdict(list))
    for juror_id, entry_id, criterion_id, value in Score.objects.filter(round=round_).values_list(
        "juror_id", "entry_id", "criterion_id", "value"
    ):
        if juror_id in excluded or (juror_id, entry_id) in conflicts:
            continue
        gathered[entry_id][criterion_id].append(value)
    return {
        entry_id: {c: scoring.aggregate(vs, contest.aggregation) for c, vs in by_criterion.items()}
        for entry_id, by_criterion in gathered.items()
    }


@dataclass
class RoundToScore:
    round: Round
    scored: int
    expected: int


def rounds_to_score(user) -> list[RoundToScore]:
    """The open rounds of every contest where `user` sits on the jury, with their progress."""
    jurors = {j.contest_id: j for j in Juror.objects.filter(user=user)}
    if not jurors:
        return []
    rounds = list(
        Round.objects.filter(contest_id__in=jurors, opened_at__isnull=False, closed_at__isnull=True)
        .select_related("contest__organizer")
        .order_by("contest__entries_deadline", "pk")
    )
    if not rounds:
        return []
    criteria_count = defaultdict(int)
    for contest_id, kind in Criterion.objects.filter(contest_id__in=jurors).values_list(
        "contest_id", "round"
    ):
        criteria_count[contest_id, kind] += 1
    entries = defaultdict(list)
    for contest_id, entry_id, state in Entry.objects.filter(
        contest_id__in=jurors, state__in=(EntryState.SUBMITTED, EntryState.FINALIST)
    ).values_list("contest_id", "pk", "state"):
        entries[contest_id, state].append(entry_id)
    conflicts = set(ConflictOfInterest.objects.filter(juror__user=user).values_list("entry_id", flat=True))
    counts = defaultdict(int)
    for round_id, entry_id in Score.objects.filter(
        round__in=rounds, juror__in=list(jurors.values())
    ).values_list("round_id", "entry_id"):
        counts[round_id, entry_id] += 1
    rows = []
    for r in rounds:
        state = SCORED_STATES[r.kind][0]
        mine = [e for e in entries[r.contest_id, state] if e not in conflicts]
        needed = criteria_count[r.contest_id, r.kind]
        rows.append(RoundToScore(r, sum(1 for e in mine if counts[r.pk, e] >= needed), len(mine)))
    return rows


def organised_contests(user) -> list[Contest]:
    """Contests past their draft whose rounds `user` runs as the organiser."""
    units = organising_unit_ids(user)
    if not units and not user.is_superuser:
        return []
    contests = Contest.objects.exclude(state__in=("draft", "cancelled")).select_related("organizer")
    if not user.is_superuser:
        contests = contests.filter(organizer_id__in=units)
    return list(contests.order_by("-year", "name"))
