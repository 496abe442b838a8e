"""The path of a contest after it opens (seed 002, section 3: entries, the appraisal round, the
final, the prizes), as a viewflow process of its own.

Each step is a task of the organiser (the standing body of the organising unit). It is completed
only through contests.round_services (or, for the last step, the results' own service), which
checks the person and the state (viewflow checks nobody when driven from code), makes the
contest's state transition with its audit event and moves the flow, all in one transaction.
Each step names the contest state its task is open in; the flow and the state machine move in
step, one task open at a time.
"""

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.locks import nowait_lock

from .models import ContestProcess, ContestState

S = ContestState


def task_page(request, process_pk, task_pk, **kwargs):
    """Every step is done on the contest's round panel; a task's own address leads there."""
    process = get_object_or_404(ContestProcess, pk=process_pk)
    return redirect("contest-rounds", process.contest_id)


class Step(flow.View):
    """An organiser's step: the contest's states while its task is open and what it is called."""

    def __init__(self, *, title, states, **kwargs):
        super().__init__(task_page, **kwargs)
        self.task_title = title
        self.states = frozenset(states)


class ContestFlow(flow.Flow):
    """Contest

    A contest's rounds: entries received, the appraisal round, the finalists, the final round,
    then the ranking and the results decision.
    """

    process_class = ContestProcess
    lock_impl = nowait_lock

    # The organiser opens the contest (contests.services): the process starts with it.
    start = flow.StartHandle(this.start_process).Next(this.receive_entries)

    # Units send their entries until the deadline; then the organiser opens the appraisal round.
    receive_entries = Step(title=_("Start the appraisal round"), states={S.OPEN}).Next(this.appraisal)

    # b) Vòng thẩm định: every juror scores every entry; closing it chooses the finalists.
    appraisal = Step(title=_("Close the appraisal round"), states={S.APPRAISAL}).Next(this.finalists)

    # The finalists are known: the organiser opens the final (the authors present).
    finalists = Step(title=_("Start the final round"), states={S.APPRAISAL}).Next(this.final)

    # c) Vòng chung kết: the jury scores the finalists again; closing it gives the final scores.
    final = Step(title=_("Close the final round"), states={S.FINAL}).Next(this.rank_and_decide)

    # The ranking and the results decision (contests.ranking and the results' services complete
    # it through contests.round_services.completing_ranking).
    rank_and_decide = Step(
        title=_("Rank the entries and decide the results"), states={S.FINAL, S.RESULTS}
    ).Next(this.end)

    end = flow.End()

    def start_process(self, activation, contest):
        activation.process.contest = contest
        return activation.process


STEPS = {node.name: node for node in ContestFlow.instance.nodes() if isinstance(node, Step)}
