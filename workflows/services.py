"""The steps of a dossier's path, as the UI, the API and the demo data take them.

These are the only entry points for a step that moves the flow. Each one finds the dossier's
open task for its step, takes the flow lock (workflows/locks.py: a second person at the same
moment is told at once), checks the person (viewflow checks nobody when driven from code), calls
the business service of dossiers/approvals — which checks again, makes the state transition and
appends its audit event — and completes the task so the flow creates the next one. All of it is
one transaction: a refusal anywhere leaves the dossier, the tasks and the audit chain as they were.

Objections, their resolution and revocations do not move the flow: the views call
approvals.services for them directly.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals import assignment_services
from approvals import permissions as approvals_permissions
from approvals import services as approvals
from approvals.models import DossierAssignment
from audit import services as audit
from audit.models import AuditEvent
from documents import services as document_services
from documents.models import GeneratedKind
from dossiers import services as dossier_services
from dossiers.models import Dossier, DossierState
from fund import services as fund_services
from org.errors import TransitionNotAllowed
from org.prepared import PreparedRead
from org.statements import inserted

from .advance import advance, save_task
from .advance import start as start_flow
from .flows import STATE_AFTER_STEP, DossierFlow, Step
from .locks import Busy
from .models import DossierProcess

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


# --- finding and holding a task -------------------------------------------------------------


def open_task(dossier, step: Step) -> Task | None:
    """The dossier's task of this step that nobody has completed yet (at most one)."""
    return (
        Task.objects.filter(process__dossierprocess__dossier_id=dossier.pk, flow_task=step, status__in=OPEN)
        .order_by("pk")
        .first()
    )


def _fresh(dossier_pk) -> Dossier:
    return Dossier.objects.select_related("unit", "reviewing_unit").get(pk=dossier_pk)


# What a step reads with its task, in the same query: the process (and its dossier process), the
# dossier and what the checks and the audit event need of it (dossiers.services.lock_dossier).
HELD = (
    "process__dossierprocess__dossier__unit",
    "process__dossierprocess__dossier__reviewing_unit",
    "process__dossierprocess__dossier__campaign",
)
# The rows it locks: the task, the process (the flow lock every path that moves the flow takes,
# workflows/locks.py) and the dossier (what dossiers.services.lock_dossier locks).
LOCKED = ("self", "process", "process__dossierprocess__dossier")


# The dossier's current assignment, read with the task (a permission of the standing body asks
# for it; a dossier nobody assigned then costs no query).
_ASSIGNMENT = Subquery(
    DossierAssignment.objects.filter(
        dossier_id=OuterRef("process__dossierprocess__dossier_id"), ended_at__isnull=True
    )
    .order_by()  # one at most (a unique index): no join for the model's ordering
    .values("pk")[:1]
)


def _held_tasks(step: Step, locking: bool, *, dossier):
    tasks = (
        Task.objects.filter(process__dossierprocess__dossier_id=dossier, flow_task=step, status__in=OPEN)
        .select_related(*HELD)
        .annotate(held_assignment=_ASSIGNMENT)
        .order_by("pk")
    )
    return (tasks.select_for_update(nowait=True, of=LOCKED) if locking else tasks)[:1]


# Every step reads its task so: compiled once per step (org.prepared).
_HELD_TASK = PreparedRead(_held_tasks, arguments=("dossier",))


def _held_task(dossier_pk, step: Step) -> Task | None:
    """The dossier's open task of `step`, read with its process and the dossier in ONE query
    that also takes their row locks (PostgreSQL, NOWAIT: a second person at the same moment is
    told at once; SQLite's IMMEDIATE transaction already serialises writers). Under the lock the
    task is read as it is now: one completed meanwhile is not found. None when no task is open."""
    locking = connection.vendor == "postgresql"
    try:
        found = _HELD_TASK.objects(key=(step, locking), dossier=int(dossier_pk))
    except DatabaseError:
        if not locking:
            raise
        raise Busy(
            _("Someone else is completing this task right now. Reload the page in a moment.")
        ) from None
    return found[0] if found else None


def _activation_of(task):
    """viewflow's activation of a task read by `_held_task` (the same as `task.activation()`
    gives under the flow lock, without reading the task and its process again). Its dossier
    knows whether it is assigned (approvals.permissions.is_assigned asks no more; nor, when it
    is not)."""
    act = task.flow_task.activation_class(task)
    known = act.process.dossier.__dict__
    known["_assigned"] = task.held_assignment is not None
    if task.held_assignment is None:
        known["_current_assignment"] = None
    return act


def _require_allowed(step: Step, actor, dossier, capacity="", allowed=None):
    if not (allowed(actor, dossier) if allowed else step.may(actor, dossier, capacity)):
        precise = step.explain(actor, dossier) if step.explain else ""
        raise PermissionDenied(precise or step.refusal % {"unit": step.unit_of(dossier)})


def _refuse_closed(step: Step, actor, dossier, capacity="", allowed=None):
    """No open task of this step: the person is told whether it is not theirs or not now."""
    dossier = _fresh(dossier.pk)
    _require_allowed(step, actor, dossier, capacity, allowed)
    raise TransitionNotAllowed(
        _("This dossier is “%(state)s”: “%(step)s” is not open now.")
        % {"state": dossier.get_state_display(), "step": step.task_title}
    )


@contextmanager
def _activation(task):
    """The task under the flow lock, re-read; refused if someone completed it meanwhile."""
    try:
        with task.activation() as act:
            if act.task.status not in OPEN:
                raise TransitionNotAllowed(
                    _("Someone has just completed this step, or the dossier has moved on. Reload the page.")
                )
            yield act
    except FlowLockFailed:  # viewflow's own locks; ours raises Busy directly
        raise Busy(
            _("Someone else is completing this task right now. Reload the page in a moment.")
        ) from None


def _take(act, actor, *, save=True):
    """Claim the task for `actor` (viewflow does not record when: we do). A task taken to be
    completed in the same transaction is saved once, when it is completed (`save=False`: the
    same row viewflow's `assign` would write, one UPDATE fewer)."""
    act.task.assigned = timezone.now()
    if save:
        act.assign(actor)
    else:
        act.task.owner = actor
        act.task.status = STATUS.ASSIGNED


def _require_holder(task, actor, step=None, dossier=None):
    """Only the holder completes a task they have taken; the step's supervisor (the standing
    body's leader) may complete it whoever holds it."""
    if step is not None and step.supervisor and step.supervisor(actor, dossier):
        return
    if task.owner_id and task.owner_id != actor.pk:
        raise PermissionDenied(
            _("%(name)s has taken this task: only they may complete it.") % {"name": task.owner}
        )


def _distinct(dossiers) -> list:
    """Each dossier once, in a fixed order (by id)."""
    return sorted({d.pk: d for d in dossiers}.values(), key=lambda d: d.pk)


@contextmanager
def _completing(*, actor, dossiers, step: Step, capacity="", allowed=None, before=None):
    """Hold the open task of `step` of each dossier (in a fixed order, so two signers of
    overlapping batches cannot deadlock), check `actor`, and let the caller run the business
    service; then complete the tasks and move the flow on.

    Each dossier is read once, with its task and process, under their locks (`_held_task`); the
    business service gets that same object from dossiers.services.lock_dossier (`holding`), so
    its own checks run on it without reading it again, and the state it saves tells the flow's
    fork where to go. `before(held)`, when given, checks the held dossiers first (a decision
    names the dossier that blocks before the step's own refusal).

    `allowed(actor, dossier)`, when given, replaces the step's own permission: the act of
    someone outside the step's roles completes it on their behalf (the chairperson's close
    completes the secretary's council step), whichever of them has taken the task; those of the
    step's roles still complete only a task they hold or nobody has taken."""
    dossiers = _distinct(dossiers)
    with transaction.atomic():
        activations, held, closed = [], [], []
        for dossier in dossiers:
            task = _held_task(dossier.pk, step)
            if task is None:
                closed.append(dossier)
                continue
            act = _activation_of(task)
            activations.append(act)
            held.append(act.process.dossier)
        if before is not None:
            before(sorted([*held, *(_fresh(d.pk) for d in closed)], key=lambda d: d.pk))
        for dossier in closed:
            _refuse_closed(step, actor, dossier, capacity, allowed)
        for act, dossier in zip(activations, held, strict=True):
            _require_allowed(step, actor, dossier, capacity, allowed)
            if allowed is None or step.may(actor, dossier, capacity):
                _require_holder(act.task, actor, step, dossier)
            if act.task.status == STATUS.NEW:
                _take(act, actor, save=False)
            act.start(None)
        states = [dossier.state for dossier in held]
        with audit.carried():
            with dossier_services.holding(held):
                yield
            for act, dossier, state in zip(activations, held, states, strict=True):
                if dossier.state != state:  # the service moved the held dossier: the fork needs no read
                    act.process.__dict__[STATE_AFTER_STEP] = dossier.state
                advance(act, also=_carried_events())


def _carried_events() -> list:
    """The step's audit events held by audit.carried, as a part of the flow's statement."""
    rows = audit.take_carried()
    if not rows:
        return []
    return [("events", inserted(AuditEvent, rows, "default", AuditEvent._meta.concrete_fields))]


def _start(dossier):
    start_flow(DossierFlow.start, dossier=dossier, also=_carried_events())


# --- the unit ---------------------------------------------------------------------------------


def dossier_submit(*, actor, dossier) -> Dossier:
    """The unit head submits the dossier: the first time, its process starts with a task for the
    standing body; after a return, the unit's `resubmit` task is completed and the appraisal
    starts over. The submission's own checks are dossiers.services.dossier_submit's."""
    if dossier.state == DossierState.DRAFT:
        # A draft has no process (nothing leads back to a draft; a dossier's process is unique,
        # the database's backstop): its first submission, read and checked under the lock.
        with transaction.atomic(), audit.carried():
            held = dossier_services.lock_dossier(dossier)
            if held.state != DossierState.RETURNED:
                with dossier_services.holding([held]):
                    dossier = dossier_services.dossier_submit(actor=actor, dossier=held)
                _start(dossier)
                return dossier
        # Submitted, received and returned since the caller read it: a resubmission, below.
    started = DossierProcess.objects.filter(dossier_id=dossier.pk).exists()
    if started and open_task(dossier, DossierFlow.resubmit) is not None:
        with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.resubmit):
            dossier = dossier_services.dossier_submit(actor=actor, dossier=dossier)
        return dossier
    with transaction.atomic(), audit.carried():
        held = dossier_services.lock_dossier(dossier)
        with dossier_services.holding([held]):
            dossier = dossier_services.dossier_submit(actor=actor, dossier=held)
        if started:
            # Returned, yet no resubmit task: the flow and the dossier disagree; refuse rather
            # than start a second process. (A first submission at the same moment is refused by
            # the state machine: the dossier, locked, is no longer a draft.)
            raise TransitionNotAllowed(_("This dossier's process is not waiting for a resubmission."))
        _start(dossier)
    return dossier


def dossier_withdraw(*, actor, dossier, reason) -> Dossier:
    """The unit head withdraws the dossier (draft, submitted or returned); its open tasks and
    its process are cancelled with it."""
    process = DossierProcess.objects.filter(dossier_id=dossier.pk).first()
    if process is None:
        return dossier_services.dossier_withdraw(actor=actor, dossier=dossier, reason=reason)
    with transaction.atomic(), DossierFlow.lock(process.pk):
        dossier = dossier_services.dossier_withdraw(actor=actor, dossier=dossier, reason=reason)
        DossierFlow.instance.cancel(process)
    return dossier


# --- claiming ---------------------------------------------------------------------------------


def task_claim(*, actor, task) -> Task:
    """Take an open task so that others see who handles it. For the appraisal, taking the task
    is receiving the dossier (appraisal_receive)."""
    step = task.flow_task
    if not isinstance(step, Step):
        raise TransitionNotAllowed(_("This task cannot be taken."))
    if step.name == DossierFlow.appraise.name:
        dossier = Dossier.objects.get(process__pk=task.process_id)
        appraisal_receive(actor=actor, dossier=dossier)
        return Task.objects.get(pk=task.pk)
    with transaction.atomic(), _activation(task) as act:
        dossier = _fresh(act.process.dossier_id)
        _require_allowed(step, actor, dossier)
        if act.task.status != STATUS.NEW:
            raise TransitionNotAllowed(_("%(name)s has already taken this task.") % {"name": act.task.owner})
        _take(act, actor)
        audit.record(
            actor=actor,
            action="task.claim",
            target=dossier,
            data={"task_id": act.task.pk, "step": step.name},
        )
    return act.task


# --- the standing body --------------------------------------------------------------------------


def appraisal_receive(*, actor, dossier) -> Dossier:
    """The standing body receives a submitted dossier: the officer takes the appraisal task and
    the dossier goes into appraisal (the working-day clock of the appraisal runs from its
    submission)."""
    step = DossierFlow.appraise
    with transaction.atomic(), audit.carried():
        task = _held_task(dossier.pk, step)
        if task is None:
            _refuse_closed(step, actor, dossier)
        act = _activation_of(task)
        held = act.process.dossier
        _require_allowed(step, actor, held)
        if act.task.status != STATUS.NEW:
            raise TransitionNotAllowed(
                _("%(name)s has already received this dossier.") % {"name": act.task.owner}
            )
        with dossier_services.holding([held]):
            dossier = approvals.appraisal_receive(actor=actor, dossier=held)
        _take(act, actor, save=False)
        save_task(act.task, also=_carried_events())
    return dossier


def appraisal_accept(*, actor, dossier, ineligible=None) -> Dossier:
    with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.appraise):
        dossier = approvals.appraisal_accept(actor=actor, dossier=dossier, ineligible=ineligible)
    return dossier


def appraisal_return(*, actor, dossier, items, further_return_reason=""):
    with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.appraise):
        request = approvals.appraisal_return(
            actor=actor, dossier=dossier, items=items, further_return_reason=further_return_reason
        )
    return request


def appraisal_reject(*, actor, dossier, reasons) -> Dossier:
    with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.appraise):
        dossier = approvals.appraisal_reject(actor=actor, dossier=dossier, reasons=reasons)
    return dossier


def notice_close(*, actor, dossier) -> Dossier:
    with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.notice):
        dossier = approvals.notice_close(actor=actor, dossier=dossier)
    return dossier


def dossier_assign(*, actor, dossier, assignee, reason=""):
    """The standing body's leader assigns (or reassigns, saying why) the dossier to a specialist
    (approvals.assignment_services.dossier_assign: the row, the per-object permission, the audit
    event). The standing body's open task goes with it: one already taken passes to the assignee,
    one not yet taken waits for them (or the leader) to receive it."""
    process = DossierProcess.objects.filter(dossier_id=dossier.pk).first()
    if process is None:
        return assignment_services.dossier_assign(
            actor=actor, dossier=dossier, assignee=assignee, reason=reason
        )
    with transaction.atomic(), DossierFlow.lock(process.pk):
        assignment = assignment_services.dossier_assign(
            actor=actor, dossier=dossier, assignee=assignee, reason=reason
        )
        Task.objects.filter(
            process_id=process.pk,
            flow_task__in=[DossierFlow.appraise, DossierFlow.notice],
            status=STATUS.ASSIGNED,
        ).exclude(owner=assignee).update(owner=assignee, assigned=timezone.now())
    return assignment


# --- the council, the vice-chair, the chair -------------------------------------------------------


def council_result_gone_message() -> str:
    """What anyone who tries to type a council's result in by hand is told."""
    return _(
        "A council's result is no longer entered by hand: it comes only from a closed meeting of the "
        "council. Convene a meeting, or record the meeting held on paper with its signed minutes."
    )


def council_result_record(*, actor, dossier, meeting) -> Dossier:
    """The hand-off of the council's meeting: its result for each nominee of the dossier, taken
    from `meeting`'s tally (approvals.services.council_result_record refuses any meeting that is
    not a closed meeting of this dossier's council). Called by workflows.council only, when a
    meeting is closed or a paper meeting recorded; no one types a council's result in by hand."""

    def allowed(user, dossier):
        return approvals_permissions.can_record_council_result(user, dossier, meeting)

    with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.council, allowed=allowed):
        dossier = approvals.council_result_record(actor=actor, dossier=dossier, meeting=meeting)
    return dossier


def opinion_give(*, actor, dossier, text, agrees=True):
    with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.opinion):
        opinion = approvals.opinion_give(actor=actor, dossier=dossier, text=text, agrees=agrees)
    return opinion


def decision_issue(
    *, actor, dossiers, title, signed_on=None, capacity="", draft=None, acknowledge_overdraw=False
):
    """The chair (or a vice-chair signing "KT.") signs ONE award decision for one or more dossiers
    (those of a campaign or a council meeting, or a draft the standing body prepared). A dossier
    that blocks is named before any task is touched; the same checks run again under the locks.
    A decision whose cash would overdraw its body's award fund needs `acknowledge_overdraw`
    (recorded by fund.services.decision_overdraw_acknowledge, in the same transaction). The fund
    is locked and read before the audit chain is, as the records office's charge does: a
    signature and a charge of the same body at once never wait for each other's lock."""
    dossiers = _distinct(dossiers)

    def refusals(held):
        approvals.decision_refusals(actor=actor, dossiers=held, capacity=capacity)

    def fund_checked(decision):
        fund_services.decision_overdraw_acknowledge(
            actor=actor, decision=decision, acknowledged=acknowledge_overdraw
        )

    with _completing(
        actor=actor, dossiers=dossiers, step=DossierFlow.decide, capacity=capacity, before=refusals
    ):
        decision = approvals.decision_issue(
            actor=actor,
            dossiers=dossiers,
            title=title,
            signed_on=signed_on,
            capacity=capacity,
            draft=draft,
            written=fund_checked,
        )
    return decision


def dossier_forward(*, actor, dossiers, title) -> Dossier:
    """The chair gathers the approved nominees of one or more dossiers into one dossier sent up,
    with its one tờ trình (generated here, listing every nominee with its unit and source
    dossier, for the chair to sign): the new dossier at the next level starts its own process
    there (appraisal, council, chair)."""
    dossiers = _distinct(dossiers)
    with _completing(actor=actor, dossiers=dossiers, step=DossierFlow.decide):
        upward = approvals.dossier_forward(actor=actor, dossiers=dossiers, title=title)
        document_services.document_render(actor=actor, kind=GeneratedKind.SUBMISSION, subject=upward)
        _start(upward)
    return upward


def dossier_decline(*, actor, dossier, reason) -> Dossier:
    with _completing(actor=actor, dossiers=[dossier], step=DossierFlow.decide):
        dossier = approvals.dossier_decline(actor=actor, dossier=dossier, reason=reason)
    return dossier
