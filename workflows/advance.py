"""Moving the flow on from a completed step in three or four writes, and starting it in four.

viewflow completes a task and walks to the next node one activation at a time: the task saved
done; for a Switch, its own task created, linked, run inside a SAVEPOINT and saved done; then the
task after it created and linked, or for an End its task created, linked, run inside another
SAVEPOINT that counts the process's open tasks and saves the process finished. Eight to eleven
round trips, each built by the activation machinery.

A dossier's path after a step is at most one Switch (which follows the state the step has just
saved) and then the next step or an End. `advance` leaves in the tables what viewflow would,
row for row, in fewer statements:
- the task saved done (UPDATE);
- the Switch's task (done) and the next task (a new step's, or the End's, done) in one INSERT;
- their links to what came before in one INSERT;
- at an End, the process marked done in one UPDATE that also asks that no task is open (what
  viewflow counts first).

`start` does the same for a process started from code (a StartHandle followed by a step): the
process saved (its two tables), the start task (done) and the first step's task in one INSERT,
their link in one INSERT; viewflow's own start adds a SAVEPOINT pair, a row at a time and the
flow lock on a process no other transaction can see yet.

Anything else after the step (a step that assigns an owner, asks a permission or has an
`on_create` hook, or any other kind of node) goes through viewflow's own `execute` or `run`,
unchanged. viewflow's signals are sent as it sends them.
"""

from itertools import pairwise

from django.db.models import Exists, OuterRef
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import PROCESS, STATUS


def _plain_step(node) -> bool:
    """A view task viewflow would create as a bare row: nobody assigned, no permission, no hook."""
    return (
        isinstance(node, flow.View)
        and issubclass(node.activation_class, ViewActivation)
        and node._on_create is None
        and node._owner is None
        and node._owner_permission is None
    )


def _plain_end(node) -> bool:
    return isinstance(node, flow.End) and node.activation_class is EndActivation


def _branch(switch, process):
    """The node the Switch would choose, as its activation chooses it (the first case whose
    condition holds, else the default), evaluated on an unsaved task of the Switch."""
    activation = switch.activation_class(switch.flow_class.task_class(process=process, flow_task=switch))
    for node, condition in switch._branches:
        if condition is None or condition(activation):
            return node
    return None


def _row(Task, process, node, token, now, *, done):
    return Task(
        process=process,
        flow_task=node,
        flow_task_type=node.task_type,
        token=token,
        status=STATUS.DONE if done else STATUS.NEW,
        created=now,
        started=now if done and _plain_end(node) else None,
        finished=now if done else None,
        data={},
    )


def _link(Task, chain) -> None:
    Link = Task.previous.through
    Link.objects.bulk_create(
        Link(from_task_id=later.pk, to_task_id=earlier.pk) for earlier, later in pairwise(chain)
    )


def start(node, **kwargs):
    """Start a process at `node` (a StartHandle) as `node.run(**kwargs)` does; returns what the
    node's function returns."""
    target = node._next
    if not (isinstance(node, flow.StartHandle) and node.activation_class is StartHandleActivation):
        return node.run(**kwargs)
    if not _plain_step(target) or any(key.startswith("_") for key in kwargs):
        return node.run(**kwargs)
    flow_class = node.flow_class
    activation = node.activation_class.create(node, None, None)
    process, task = activation.process, activation.task
    process.data, task.data = {}, {}
    func = this.resolve(flow_class.instance, node._func)
    result = func(activation, **kwargs) if func else process
    task_started.send(sender=flow_class, process=process, task=task)
    process.save()
    Task = type(task)
    now = timezone.now()
    task.process = process
    task.flow_task_type = node.task_type
    task.status, task.finished = STATUS.DONE, now
    first = _row(Task, process, target, task.token, now, done=False)
    Task.objects.bulk_create([task, first])
    _link(Task, [task, first])
    task_finished.send(sender=flow_class, process=process, task=task)
    flow_started.send(sender=flow_class, process=process, task=task)
    return result


def advance(act) -> None:
    """Complete the started task of `act` and create what follows it (see the module)."""
    task, process = act.task, act.process
    after = task.flow_task._next
    switch = after if isinstance(after, flow.Switch) else None
    target = _branch(switch, process) if switch else after
    ends = _plain_end(target)
    if target is None or not (ends or _plain_step(target)):
        act.execute()
        return
    Task = type(task)
    now = timezone.now()
    task.status, task.finished = STATUS.DONE, now
    task.save()
    rows = [_row(Task, process, switch, task.token, now, done=True)] if switch else []
    rows.append(_row(Task, process, target, task.token, now, done=ends))
    Task.objects.bulk_create(rows)
    chain = [task, *rows]
    _link(Task, chain)
    flow_class = task.flow_task.flow_class
    finished = False
    if ends:
        open_tasks = Task.objects.filter(process_id=OuterRef("pk"), finished__isnull=True)
        finished = bool(
            Process.objects.filter(pk=process.pk)
            .exclude(Exists(open_tasks))
            .update(status=PROCESS.DONE, finished=now)
        )
        if finished:
            process.status, process.finished = PROCESS.DONE, now
    # In viewflow's order: each task finished in turn; the End started, finished, the flow
    # finished, and the End finished once more (its activation's own completion).
    for done in chain[:-1]:
        task_finished.send(sender=flow_class, process=process, task=done)
    if ends:
        end = rows[-1]
        task_started.send(sender=flow_class, process=process, task=end)
        task_finished.send(sender=flow_class, process=process, task=end)
        if finished:
            flow_finished.send(sender=flow_class, process=process, task=end)
        task_finished.send(sender=flow_class, process=process, task=end)
