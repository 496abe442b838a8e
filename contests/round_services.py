"""A contest's rounds and the jury's scores (seed 002, section 3 b and c), the steps of
contests.flows.ContestFlow.

Each step the organiser takes finds the contest's open task, locks it with the process and the
contest (a second click at the same moment is told at once), checks the person, the state and
the rules, makes the contest's state transition, appends its audit events and completes the task
so the flow opens the next one: one transaction, all or nothing.

Scores are the jurors' own writes: they hold the round row shared (PostgreSQL `FOR SHARE`) and
their own juror row exclusively, so jurors save at the same time, a double click saves once, and
the close (which takes the round row exclusively) waits for a save under way and refuses any
save that comes after it.
"""

from collections import defaultdict
from contextlib import contextmanager
from decimal import InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit import services as audit
from org import limits
from org.errors import TransitionNotAllowed
from workflows.locks import Busy

from . import scoring
from .flows import STEPS, ContestFlow
from .models import ConflictOfInterest, Contest, Criterion, Entry, EntryState, Juror, Round, RoundKind, Score
from .permissions import can_organise, juror_of

OPEN = (STATUS.NEW, STATUS.ASSIGNED)
K = RoundKind
# The step that opens a round, the one that closes it, and the entries each round scores.
OPENED_BY = {K.APPRAISAL: "receive_entries", K.FINAL: "finalists"}
CLOSED_BY = {K.APPRAISAL: "appraisal", K.FINAL: "final"}
SCORED_STATES = {K.APPRAISAL: EntryState.SUBMITTED, K.FINAL: EntryState.FINALIST}
SCORE_FIELD = {K.APPRAISAL: "appraisal_score", K.FINAL: "final_score"}


def _scope(contest) -> str:
    """A contest's events are the organising unit's."""
    return contest.organizer.path


# --- the process ------------------------------------------------------------------------------


def contest_process_start(contest):
    """Start the contest's process when the organiser opens it (contests.services, inside its
    transaction): the first task, "Start the appraisal round", waits for the entries deadline."""
    with transaction.atomic():
        return ContestFlow.start.run(contest=contest)


def contest_process_cancel(contest):
    """A cancelled contest leaves no task open (contests.services' cancel, inside its transaction)."""
    with transaction.atomic():
        for task in Task.objects.filter(process__contestprocess__contest_id=contest.pk, status__in=OPEN):
            with task.activation() as act:
                act.cancel()
        process = getattr(contest, "process", None)
        if process is not None and process.status != STATUS.CANCELED:
            process.status = STATUS.CANCELED
            process.finished = timezone.now()
            process.save(update_fields=["status", "finished"])


def open_task(contest, step_name) -> Task | None:
    """The contest's open task of this step (at most one), for pages that say what comes next."""
    return (
        Task.objects.filter(
            process__contestprocess__contest_id=contest.pk, flow_task=STEPS[step_name], status__in=OPEN
        )
        .order_by("pk")
        .first()
    )


def _held_task(contest_pk, step) -> Task | None:
    """The open task of `step`, read with its process and contest in one query that locks all
    three (PostgreSQL NOWAIT: a second person at the same moment is told at once)."""
    tasks = (
        Task.objects.filter(process__contestprocess__contest_id=contest_pk, flow_task=step, status__in=OPEN)
        .select_related("process__contestprocess__contest__organizer")
        .order_by("pk")
    )
    if connection.vendor != "postgresql":
        return tasks.first()
    try:
        return tasks.select_for_update(
            nowait=True, of=("self", "process", "process__contestprocess__contest")
        ).first()
    except DatabaseError:
        raise Busy(
            _("Someone else is acting on this contest right now. Reload the page in a moment.")
        ) from None


def _require_organiser(actor, contest):
    if not can_organise(actor, contest):
        raise PermissionDenied(
            _("Only the standing body of %(unit)s, which organises this contest, may do this.")
            % {"unit": contest.organizer}
        )


@contextmanager
def _completing(actor, contest, step_name):
    """Hold the contest's open task of `step_name`, check the organiser, let the caller make the
    transition, then complete the task (the flow opens the next one). Call inside a transaction."""
    step = STEPS[step_name]
    task = _held_task(contest.pk, step)
    if task is None:
        fresh = Contest.objects.select_related("organizer").get(pk=contest.pk)
        _require_organiser(actor, fresh)
        raise TransitionNotAllowed(
            _("This contest is “%(state)s”: “%(step)s” is not open now.")
            % {"state": fresh.get_state_display(), "step": step.task_title}
        )
    held = task.process.contestprocess.contest
    _require_organiser(actor, held)
    if held.state not in step.states:  # the flow and the state machine move together
        raise TransitionNotAllowed(
            _("This contest is “%(state)s”: “%(step)s” is not open now.")
            % {"state": held.get_state_display(), "step": step.task_title}
        )
    act = task.flow_task.activation_class(task)
    task.owner = actor
    task.assigned = timezone.now()
    task.status = STATUS.ASSIGNED
    act.start(None)
    yield held
    act.execute()


@contextmanager
def completing_ranking(contest, actor):
    """For the results: hold the "Rank the entries and decide the results" task while their
    service decides the results (in its transaction), then complete it; the process ends."""
    with transaction.atomic(), _completing(actor, contest, "rank_and_decide") as held:
        yield held


# --- opening a round --------------------------------------------------------------------------


def _round_criteria(contest, kind) -> list:
    return list(Criterion.objects.filter(contest=contest, round=kind))


def _check_ready(contest, kind, criteria):
    problems = []
    if not criteria:
        problems.append(_("The round has no criteria."))
    elif sum(c.weight for c in criteria) != 100:
        problems.append(
            _("The weights of the round's criteria add up to %(total)d %%, not 100 %%.")
            % {"total": sum(c.weight for c in criteria)}
        )
    if not contest.jurors.exists():
        problems.append(_("The contest has no jurors."))
    if not contest.entries.filter(state=SCORED_STATES[kind]).exists():
        problems.append(_("No entry is there to score."))
    if problems:
        raise ValidationError(problems)


def round_start(*, actor, contest, kind) -> Round:
    """Open a round: the appraisal round once the entries deadline has come (the entries sent by
    then are scored), or the final once the appraisal round has chosen the finalists."""
    if kind not in K.values:
        raise ValidationError({"kind": [_("Unknown round.")]})
    with transaction.atomic(), _completing(actor, contest, OPENED_BY[kind]) as held:
        today = timezone.localdate()
        if kind == K.APPRAISAL and today < held.entries_deadline:
            raise TransitionNotAllowed(
                _("Entries are received until %(day)s: the appraisal round opens on that day or later.")
                % {"day": held.entries_deadline.strftime("%d/%m/%Y")}
            )
        criteria = _round_criteria(held, kind)
        _check_ready(held, kind, criteria)
        before = held.state
        held.start_appraisal() if kind == K.APPRAISAL else held.start_final()
        held.save()
        try:
            with transaction.atomic():
                opened = Round.objects.create(contest=held, kind=kind, opened_at=timezone.now())
        except IntegrityError:
            raise TransitionNotAllowed(_("This round has already been opened.")) from None
        audit.record(
            actor=actor,
            action="round.open",
            target=opened,
            scope=_scope(held),
            data={"contest": held.pk, "kind": kind, "from": before, "to": held.state},
        )
    contest.__dict__.pop("_juror_cache", None)
    return opened


# --- scores -------------------------------------------------------------------------------------


def _round_shared(round_pk) -> Round:
    """The round row, held shared until the commit: scores go in together, the close waits for
    them and then refuses the late ones. SQLite's IMMEDIATE transactions already serialise."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT closed_at FROM contests_round WHERE id = %s FOR SHARE", [round_pk])
    return Round.objects.get(pk=round_pk)


def _parse_values(values, criteria) -> dict:
    """{criterion id: Decimal}, every criterion of the round, 0..max_score, two decimals at most;
    the field errors name the criterion (`criterion_<id>`)."""
    errors, parsed = {}, {}
    for criterion in criteria:
        raw = values.get(criterion.pk, values.get(str(criterion.pk)))
        field = f"criterion_{criterion.pk}"
        if raw is None or str(raw).strip() == "":
            errors[field] = [_("Give a score for “%(name)s”.") % {"name": criterion.name}]
            continue
        try:
            value = scoring.as_score(raw)
        except (InvalidOperation, TypeError, ValueError):
            errors[field] = [_("“%(value)s” is not a number.") % {"value": raw}]
            continue
        if not value.is_finite() or value < 0 or value > criterion.max_score:
            errors[field] = [
                _("A score for “%(name)s” is from 0 to %(max)d.")
                % {"name": criterion.name, "max": criterion.max_score}
            ]
        elif value != value.quantize(scoring.TWO_PLACES):
            errors[field] = [_("A score has at most two decimal places.")]
        else:
            parsed[criterion.pk] = value.quantize(scoring.TWO_PLACES)
    known = {c.pk for c in criteria}
    strangers = [k for k in values if int(k) not in known] if all(str(k).isdigit() for k in values) else ["?"]
    if strangers:
        errors["scores"] = [_("A score was given for a criterion this round does not have.")]
    if errors:
        raise ValidationError(errors)
    return parsed


def scores_save(*, actor, entry, kind, values) -> list[Score]:
    """A juror's scores of one entry on every criterion of the open round (`values`: {criterion
    id: score}). Saved again until the round closes; each new score and each change is an audit
    event with the old and new value (scores are hidden from the other jurors, not from the
    audit). A juror with a conflict of interest on the entry is refused, naming it."""
    with transaction.atomic():
        entry = Entry.objects.select_related("contest__organizer").get(pk=entry.pk)
        contest = entry.contest
        juror = juror_of(actor, contest)
        if juror is None:
            raise PermissionDenied(_("Only the contest's jurors score its entries."))
        round_ = Round.objects.filter(contest=contest, kind=kind).first()
        if round_ is None or round_.opened_at is None:
            raise TransitionNotAllowed(_("This round has not been opened."))
        round_ = _round_shared(round_.pk)
        if round_.is_closed:
            raise TransitionNotAllowed(
                _("The round was closed on %(when)s: scores can no longer be given or changed.")
                % {"when": timezone.localtime(round_.closed_at).strftime("%d/%m/%Y %H:%M")}
            )
        conflict = ConflictOfInterest.objects.filter(juror=juror, entry=entry).first()
        if conflict is not None:
            raise PermissionDenied(
                _("You have a conflict of interest with this entry (%(reason)s): you do not score it.")
                % {"reason": conflict.reason}
            )
        if entry.state != SCORED_STATES[kind]:
            raise TransitionNotAllowed(
                _("Only the finalists are scored in the final round.")
                if kind == K.FINAL
                else _("This entry is not before the jury.")
            )
        criteria = _round_criteria(contest, kind)
        parsed = _parse_values(values, criteria)
        # The juror's own row: two saves of the same juror (a double click) go one after the other.
        Juror.objects.select_for_update().filter(pk=juror.pk).exists()
        existing = {s.criterion_id: s for s in Score.objects.filter(round=round_, entry=entry, juror=juror)}
        saved, events = [], []
        for criterion in criteria:
            value = parsed[criterion.pk]
            score = existing.get(criterion.pk)
            if score is None:
                score = Score(round=round_, entry=entry, juror=juror, criterion=criterion, value=value)
                events.append(("score.enter", score, None))
            elif score.value != value:
                events.append(("score.change", score, score.value))
                score.value = value
            else:
                continue
            saved.append(score)
        try:
            with transaction.atomic():
                for score in saved:
                    score.save()
        except IntegrityError:
            raise TransitionNotAllowed(
                _("Your scores of this entry were saved meanwhile from another page. Reload it.")
            ) from None
        for action, score, old in events:
            audit.record(
                actor=actor,
                action=action,
                target=score,
                scope=_scope(contest),
                data={
                    "contest": contest.pk,
                    "round": kind,
                    "entry": entry.pk,
                    "criterion": score.criterion_id,
                    "criterion_name": score.criterion.name,
                    "old": None if old is None else str(old),
                    "new": str(score.value),
                },
            )
    return saved


# --- closing a round ----------------------------------------------------------------------------


def missing_scores(entries, jurors, criteria, conflicts, scores) -> dict:
    """{juror: [entries]} where a juror without a conflict has not scored every criterion."""
    given = defaultdict(int)
    for juror_id, entry_id, _criterion, _value in scores:
        given[juror_id, entry_id] += 1
    missing = defaultdict(list)
    for juror in jurors:
        for entry in entries:
            if (juror.pk, entry.pk) in conflicts:
                continue
            if given[juror.pk, entry.pk] < len(criteria):
                missing[juror].append(entry)
    return missing


def round_results(contest, entries, jurors, criteria, conflicts, scores, excluded_ids) -> dict:
    """{entry id: score or None}: each counting juror's weighted score, aggregated."""
    by_pair = defaultdict(dict)
    for juror_id, entry_id, criterion_id, value in scores:
        by_pair[juror_id, entry_id][criterion_id] = value
    results = {}
    for entry in entries:
        per_juror = [
            scoring.weighted_score(by_pair[juror.pk, entry.pk], criteria)
            for juror in jurors
            if juror.pk not in excluded_ids
            and (juror.pk, entry.pk) not in conflicts
            and len(by_pair[juror.pk, entry.pk]) == len(criteria)
        ]
        results[entry.pk] = scoring.aggregate(per_juror, contest.aggregation)
    return results


def _missing_message(missing) -> str:
    parts = [
        _("%(juror)s: %(entries)s")
        % {
            "juror": juror.user.get_full_name() or juror.user.username,
            "entries": "; ".join(e.title for e in es),
        }
        for juror, es in sorted(missing.items(), key=lambda item: item[0].pk)
    ]
    return ngettext(
        "A juror has not scored every entry (%(list)s). Wait for the scores, or close with a reason: "
        "that juror's scores will then count for no entry.",
        "Jurors have not scored every entry (%(list)s). Wait for the scores, or close with a reason: "
        "those jurors' scores will then count for no entry.",
        len(parts),
    ) % {"list": " — ".join(parts)}


def round_close(*, actor, contest, kind, reason="") -> Round:
    """Close a round and compute each entry's score (contests.scoring). Refused while a juror
    without a conflict has not scored an entry, unless the organiser gives a reason: then those
    jurors' scores count for no entry. Closing the appraisal round chooses the finalists: the best
    `contest.finalists` by appraisal score and every entry tied with the last of them."""
    if kind not in K.values:
        raise ValidationError({"kind": [_("Unknown round.")]})
    reason = (reason or "").strip()
    if len(reason) > limits.TEXT:
        raise ValidationError({"reason": [_("At most %(n)d characters.") % {"n": limits.TEXT}]})
    with transaction.atomic(), _completing(actor, contest, CLOSED_BY[kind]) as held:
        # Exclusive: waits for the scores being saved, and every later one finds the round closed.
        round_ = Round.objects.select_for_update().get(contest=held, kind=kind)
        if round_.is_closed:
            raise TransitionNotAllowed(_("This round is already closed."))
        entries = list(Entry.objects.filter(contest=held, state=SCORED_STATES[kind]).order_by("pk"))
        jurors = list(Juror.objects.filter(contest=held).select_related("user").order_by("pk"))
        criteria = _round_criteria(held, kind)
        conflicts = set(
            ConflictOfInterest.objects.filter(juror__contest=held).values_list("juror_id", "entry_id")
        )
        scores = list(
            Score.objects.filter(round=round_).values_list("juror_id", "entry_id", "criterion_id", "value")
        )
        missing = missing_scores(entries, jurors, criteria, conflicts, scores)
        if missing and not reason:
            raise ValidationError({"reason": [_missing_message(missing)]})
        excluded = sorted(missing, key=lambda j: j.pk)
        results = round_results(held, entries, jurors, criteria, conflicts, scores, {j.pk for j in excluded})
        field = SCORE_FIELD[kind]
        for entry in entries:
            setattr(entry, field, results[entry.pk])
        finalists, tie = set(), False
        if kind == K.APPRAISAL:
            finalists, tie = scoring.finalists_line(list(results.items()), held.finalists)
            for entry in entries:
                entry.state = EntryState.FINALIST if entry.pk in finalists else EntryState.ELIMINATED
        Entry.objects.bulk_update(entries, [field, "state"])
        round_.closed_at = timezone.now()
        round_.closed_by = actor
        round_.close_reason = reason if missing else ""
        round_.save(update_fields=["closed_at", "closed_by", "close_reason"])
        round_.excluded_jurors.set(excluded)
        audit.record(
            actor=actor,
            action="round.close",
            target=round_,
            scope=_scope(held),
            data={
                "contest": held.pk,
                "kind": kind,
                "reason": round_.close_reason,
                "excluded_jurors": [j.pk for j in excluded],
                "scores": {str(pk): (None if s is None else str(s)) for pk, s in results.items()},
                "finalists": sorted(finalists),
                "places": held.finalists if kind == K.APPRAISAL else None,
                "tie_at_line": tie,
            },
        )
        if kind == K.APPRAISAL:
            for entry in entries:
                audit.record(
                    actor=actor,
                    action="entry.finalist" if entry.pk in finalists else "entry.eliminate",
                    target=entry,
                    scope=_scope(held),
                    data={
                        "contest": held.pk,
                        "appraisal_score": None
                        if entry.appraisal_score is None
                        else str(entry.appraisal_score),
                        "tie_at_line": tie,
                    },
                )
    return round_
