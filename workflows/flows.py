"""The path of an award dossier, from the unit's submission to the chair's decision.

It reads like DOMAIN.md, "The process, step by step". Each human step is a task for the people
who hold a role at the right unit; it is completed only through workflows.services, which checks
the person (viewflow checks nobody when driven from code), calls the business service of
dossiers/approvals (the state transition, its rules and its audit event) and moves the flow, all
in one transaction. Where the path forks, it follows the state the business service chose.

The states and their transitions are the dossier's state machine (dossiers.models.Dossier); each
step names the states its task is open in, and on import the flow is checked against the
machine (`disagreements_with_fsm`): every state a step can leave for has a branch that waits in
it, and no branch waits for a state the machine cannot reach.
"""

from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from approvals import permissions as approvals_permissions
from dossiers import permissions as dossier_permissions
from dossiers.models import STATE_GRAPH, Dossier, DossierState, states_reachable_from
from org.models import Role

from .locks import nowait_lock
from .models import DossierProcess

S = DossierState
REVIEWING_UNIT = "reviewing_unit"  # the deciding level that handles the dossier
OWN_UNIT = "unit"  # the unit that proposed it
# Transitions that end a dossier off the path: its process is cancelled with it
# (workflows.services.dossier_withdraw) instead of a task being completed.
CANCELLING = frozenset({"withdraw"})


def task_page(request, process_pk, task_pk, **kwargs):
    """Every step is done on the dossier's page; a task's own address leads there."""
    process = get_object_or_404(DossierProcess, pk=process_pk)
    return redirect("dossier-detail", process.dossier_id)


class Step(flow.View):
    """A person's step: the dossier's states while its task is open, who does it (roles held at
    the dossier's reviewing unit, or at its own unit) and the permission that decides it for one
    dossier (`allowed(user, dossier, **kw)`)."""

    def __init__(
        self,
        *,
        title,
        states,
        roles,
        at,
        allowed,
        refusal,
        signs=False,
        explain=None,
        supervisor=None,
        **kwargs,
    ):
        super().__init__(task_page, **kwargs)
        self.task_title = title
        self.states = frozenset(states)
        self.roles = frozenset(roles)
        self.at = at
        self.allowed = allowed
        self.refusal = refusal  # what anyone else is told, with %(unit)s
        self.signs = signs  # the permission depends on the capacity the signer signs in
        # `explain(user, dossier)`: a refusal more precise than `refusal` ("" when none applies).
        self.explain = explain
        # `supervisor(user, dossier)`: who may complete the task whoever holds it (the leader).
        self.supervisor = supervisor

    def unit_of(self, dossier):
        return dossier.reviewing_unit if self.at == REVIEWING_UNIT else dossier.unit

    def may(self, user, dossier, capacity="") -> bool:
        if self.signs:
            return self.allowed(user, dossier, capacity or "")
        return self.allowed(user, dossier)


# The attribute of a process object where a step leaves the state its service has just saved.
STATE_AFTER_STEP = "dossier_state_after_step"


def state_is(state):
    """A branch condition: the state the business service has just put the dossier in (the one
    the step saved, else read afresh once per fork: the process's cached dossier may be from
    before the step)."""

    def condition(activation):
        if not hasattr(activation, "dossier_state"):
            # The step that has just run leaves the state it saved on the process
            # (workflows.services._completing); otherwise it is read.
            known = activation.process.__dict__.get(STATE_AFTER_STEP)
            activation.dossier_state = (
                known
                if known is not None
                else Dossier.objects.filter(pk=activation.process.dossier_id)
                .values_list("state", flat=True)
                .get()
            )
        return activation.dossier_state == state

    condition.__name__ = f"state_is_{state}"
    condition.state = state
    return condition


class DossierFlow(flow.Flow):
    """Award dossier

    A unit's proposal for an award, from submission through appraisal, public notice, the council,
    the vice-chair's opinion and the chair's decision.
    """

    process_class = DossierProcess
    lock_impl = nowait_lock

    # 2. The unit head submits the dossier (workflows.services.dossier_submit). A dossier forwarded
    #    from a lower level starts here too, already submitted.
    start = flow.StartHandle(this.start_process).Next(this.appraise)

    # 3. The standing body receives it (taking the task) and appraises it: accept (ineligible
    #    nominees set aside with reasons), return for supplement with the list of what is
    #    missing, or reject with reasons.
    appraise = Step(
        title=_("Appraise the dossier"),
        states={S.SUBMITTED, S.IN_APPRAISAL},  # receiving it is taking the task
        roles={Role.STANDING_OFFICER, Role.STANDING_LEADER},
        at=REVIEWING_UNIT,
        allowed=approvals_permissions.can_appraise,
        explain=approvals_permissions.assignment_refusal,
        supervisor=approvals_permissions.leads_standing_body,
        refusal=_("Only the standing body of %(unit)s may appraise this dossier."),
    ).Next(this.after_appraisal)

    after_appraisal = (
        flow.Switch()
        .Case(this.resubmit, state_is(S.RETURNED))
        .Case(this.rejected, state_is(S.REJECTED))
        .Case(this.notice, state_is(S.PUBLIC_NOTICE))
        .Case(this.council, state_is(S.IN_COUNCIL))
        .Case(this.decide, state_is(S.AWAITING_DECISION))  # simplified procedure: no council
    )

    #    Returned: the unit supplements it and its head submits it again; the appraisal starts over.
    resubmit = Step(
        title=_("Supplement and resubmit"),
        states={S.RETURNED},
        roles={Role.UNIT_HEAD, Role.CHAIR},
        at=OWN_UNIT,
        allowed=dossier_permissions.can_submit_dossier,
        refusal=_("Only the head of %(unit)s may submit this dossier."),
    ).Next(this.appraise)

    # 4. Public notice, when a nominee's award asks for it: anyone in scope may object; the
    #    standing body resolves every objection and closes the notice once its period has run.
    notice = Step(
        title=_("Close the public notice"),
        states={S.PUBLIC_NOTICE},
        roles={Role.STANDING_OFFICER, Role.STANDING_LEADER},
        at=REVIEWING_UNIT,
        allowed=approvals_permissions.can_appraise,
        explain=approvals_permissions.assignment_refusal,
        supervisor=approvals_permissions.leads_standing_body,
        refusal=_("Only the standing body of %(unit)s may close the public notice."),
    ).Next(this.after_notice)

    after_notice = (
        flow.Switch()
        .Case(this.council, state_is(S.IN_COUNCIL))
        .Case(this.decide, state_is(S.AWAITING_DECISION))  # simplified procedure: no council
    )

    # 5. The council meets and votes; its secretary hands the result over (the meeting and the
    #    ballots are the council's own business).
    council = Step(
        title=_("Record the council's result"),
        states={S.IN_COUNCIL},
        roles={Role.COUNCIL_SECRETARY},
        at=REVIEWING_UNIT,
        allowed=approvals_permissions.can_record_council_result,
        refusal=_("Only the secretary of the council of %(unit)s may record its result."),
    ).Next(this.opinion)

    # 6. The vice-chair in charge gives a written opinion; the chair decides: an award decision,
    #    a forwarding to the next level (a new dossier there, with its own process), or a refusal.
    opinion = Step(
        title=_("Give the vice-chair's opinion"),
        states={S.COUNCIL_VOTED},
        roles={Role.VICE_CHAIR},
        at=REVIEWING_UNIT,
        allowed=approvals_permissions.can_give_opinion,
        refusal=_("Only the vice-chair in charge at %(unit)s may give this opinion."),
    ).Next(this.decide)

    decide = Step(
        title=_("Decide"),
        states={S.AWAITING_DECISION},
        roles={Role.CHAIR},
        at=REVIEWING_UNIT,
        allowed=approvals_permissions.can_decide,
        signs=True,
        refusal=_("Only the chair of %(unit)s may decide this dossier."),
    ).Next(this.end)

    rejected = flow.End()
    end = flow.End()

    def start_process(self, activation, dossier):
        activation.process.dossier = dossier
        return activation.process


STEPS = {node.name: node for node in DossierFlow.instance.nodes() if isinstance(node, Step)}


def disagreements_with_fsm(flow_class, graph=STATE_GRAPH) -> list[str]:
    """Where the flow and the dossier's state machine disagree (none when they agree).

    `graph` is dossiers.models.STATE_GRAPH, {source: {transition: targets}}. A process starts
    when a dossier is submitted; a step is completed by a transition the machine allows from
    the states its task is open in (one that stays among them, like receiving, keeps it open);
    the flow must follow each to a node that waits in the state reached: the next step, a branch
    of the Switch after it, or an End for a final state. Every state a submitted dossier can be
    in and still leave must be some step's, one step's only.
    """
    problems = []
    final = {state for state, moves in graph.items() if not moves}
    reachable = states_reachable_from(S.SUBMITTED, graph)
    nodes = list(flow_class.instance.nodes())
    steps = [n for n in nodes if isinstance(n, Step)]

    def waits_in(node, state):
        return (
            state in node.states if isinstance(node, Step) else isinstance(node, flow.End) and state in final
        )

    owners = {}
    for step in steps:
        for state in step.states:
            owners.setdefault(state, []).append(step.name)
    for state in sorted(reachable - final):
        if len(owners.get(state, ())) != 1:
            problems.append(
                f"{state}: the task of exactly one step must be open, not {owners.get(state, [])}"
            )
    for state in sorted(set(owners) - (reachable - final)):
        problems.append(
            f"{state}: {owners[state]} wait in it, but no submitted dossier can be there and move"
        )
    for start in (n for n in nodes if isinstance(n, flow.StartHandle)):
        if not waits_in(start._next, S.SUBMITTED):
            problems.append(
                f"{start.name}: a process starts with a submitted dossier, "
                f"{start._next.name} does not wait for one"
            )

    for step in steps:
        leaves = {}  # state reached -> the transitions that reach it
        for source in sorted(step.states):
            for name, targets in graph[source].items():
                for target in targets - step.states:
                    if name in CANCELLING:
                        if target not in final:
                            problems.append(
                                f"{step.name}: {name} cancels the process, "
                                f"yet leads to {target}, not a final state"
                            )
                    else:
                        leaves.setdefault(target, []).append(f"{source} --{name}-->")
        after = step._next
        if isinstance(after, flow.Switch):
            branches = {}
            for node, condition in after._activate_next:
                state = getattr(condition, "state", None)
                if state is None:
                    problems.append(f"{after.name}: every branch must name the state it is for (state_is)")
                    continue
                branches[state] = node
                if not waits_in(node, state):
                    problems.append(
                        f"{after.name}: the branch for {state} leads to {node.name}, "
                        "which does not wait in it"
                    )
            for state in sorted(set(leaves) - set(branches)):
                problems.append(
                    f"{after.name}: no branch for {state}, "
                    f"which {step.name} can reach ({', '.join(leaves[state])})"
                )
            for state in sorted(set(branches) - set(leaves)):
                problems.append(
                    f"{after.name}: a branch for {state}, which the FSM never reaches from {step.name}"
                )
        else:
            for state in sorted(leaves):
                if not waits_in(after, state):
                    problems.append(
                        f"{step.name}: can end in {state} ({', '.join(leaves[state])}), "
                        f"but {after.name} does not wait in it"
                    )
    return problems


# A flow that disagrees with the state machine would strand a dossier (or fail halfway through
# a step): refuse to start with one.
if _problems := disagreements_with_fsm(DossierFlow):
    raise ImproperlyConfigured("DossierFlow disagrees with the dossier's FSM:\n" + "\n".join(_problems))
