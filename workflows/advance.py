"""Moving the flow on from a completed step in three or four writes, and starting it in four; on
PostgreSQL in one statement each.

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

On PostgreSQL those writes go in ONE statement, one round trip: data-modifying CTEs chained by
what each INSERT returns (the process's id into its child row and its tasks, the tasks' ids into
their links). The SQL of each part is the ORM's own (its insert and update compilers), so the
rows are what `save` and `bulk_create` would write. The CTEs of one statement all see the
snapshot it began with: the process is marked done when no task is open but the one this
statement completes.

The caller's own last writes may ride in that statement (`also`: the step's audit events,
audit.services.carried); where the flow's writes are not one statement, they are written first,
in one of their own.

Anything else after the step (a step that assigns an owner, asks a permission or has an
`on_create` hook, or any other kind of node) goes through viewflow's own `execute` or `run`,
unchanged. viewflow's signals are sent as it sends them.
"""

from itertools import pairwise

from django.db import connections
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import PROCESS, STATUS

from org.statements import insertable_fields, inserted, one_statement, saved, with_parts


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


def _one_statement(task) -> bool:
    return one_statement(task._state.db or "default")


def _links_sql(Task, earlier, using) -> tuple[str, list]:
    """The links of the tasks of the CTE "tasks", each to the one before it; the first to
    `earlier` (none when None)."""
    Link, quote = Task.previous.through, connections[using].ops.quote_name
    return (
        f"INSERT INTO {quote(Link._meta.db_table)} (from_task_id, to_task_id) "  # noqa: S608
        "SELECT id, earlier FROM (SELECT id, COALESCE(lag(id) OVER (ORDER BY id), %s) AS earlier "
        'FROM "tasks") AS chain WHERE earlier IS NOT NULL',
        [earlier],
    )


def _start_in_one(process, rows, using, also) -> None:
    """Insert `process` (its table, and its child's for a process model with one parent), its
    tasks `rows` (in order) and their links, and the caller's writes `also`, in one statement;
    their ids are set on them."""
    model = type(process)
    (parent,) = model._meta.get_parent_list() or [model]
    new_id = RawSQL('(SELECT id FROM "process")', ())
    parts = [("process", inserted(parent, [process], using))]
    if parent is not model:
        ptr = model._meta.parents[parent].attname
        setattr(process, ptr, new_id)
        parts.append(("child", inserted(model, [process], using, insertable_fields(model, local=True))))
    Task = type(rows[0])
    for row in rows:
        row.process_id = new_id
    parts.append(("tasks", inserted(Task, rows, using)))
    parts.append(("links", _links_sql(Task, None, using)))
    text, params = with_parts(
        [*also, *parts],
        ('SELECT (SELECT id FROM "process"), "tasks".id FROM "tasks" ORDER BY "tasks".id', ()),
    )
    with connections[using].cursor() as cursor:
        cursor.execute(text, params)
        ids = cursor.fetchall()
    process.pk = ids[0][0]
    if parent is not model:
        setattr(process, ptr, process.pk)
    for row, (_, task_id) in zip(rows, ids, strict=True):
        row.pk = task_id
        row.process = process
    for obj in (process, *rows):
        obj._state.adding, obj._state.db = False, using


def _advance_in_one(task, rows, *, ends, now, also) -> bool:
    """Save `task` done, insert `rows` (what follows it, in order) and their links, at an End
    mark the process done if nothing else is open, and write the caller's `also`, in one
    statement; the ids are set on the rows. Whether the process finished."""
    using = task._state.db or "default"
    Task, process = type(task), task.process
    if task.flow_task and not task.flow_task_type:  # what Task.save() fills in
        task.flow_task_type = task.flow_task.task_type
    parts = [
        *also,
        ("done", saved(task, using)),
        ("tasks", inserted(Task, rows, using)),
        ("links", _links_sql(Task, task.pk, using)),
    ]
    ended = "false"
    if ends:
        Process, quote = type(process), connections[using].ops.quote_name
        base = (Process._meta.get_parent_list() or [Process])[-1]  # the root table holds the status
        parts.append(
            (
                "ended",
                (
                    f"UPDATE {quote(base._meta.db_table)} SET status = %s, finished = %s "  # noqa: S608
                    f"WHERE id = %s AND NOT EXISTS (SELECT 1 FROM {quote(Task._meta.db_table)} "
                    "WHERE process_id = %s AND finished IS NULL AND id <> %s) RETURNING id",
                    [PROCESS.DONE, now, process.pk, process.pk, task.pk],
                ),
            )
        )
        ended = 'EXISTS (SELECT 1 FROM "ended")'
    text, params = with_parts(parts, (f'SELECT id, {ended} FROM "tasks" ORDER BY id', ()))  # noqa: S608
    with connections[using].cursor() as cursor:
        cursor.execute(text, params)
        ids = cursor.fetchall()
    for row, (task_id, _) in zip(rows, ids, strict=True):
        row.pk = task_id
        row._state.adding, row._state.db = False, using
    return bool(ids[0][1])


def write_apart(parts, using) -> None:
    """Writes given as one statement's parts (the caller's `also`) in a statement of their own:
    where the flow's writes are not one statement, or alongside a task's save."""
    if parts:
        with connections[using].cursor() as cursor:
            cursor.execute(*with_parts(parts, ("SELECT 1", ())))


def save_task(task, *, also=()) -> None:
    """Save `task` as `task.save()` does, with the caller's writes `also` in the same statement
    on PostgreSQL."""
    using = task._state.db or "default"
    if also and _one_statement(task):
        write_apart([*also, ("saved", saved(task, using))], using)
        return
    write_apart(also, using)
    task.save()


def start(node, *, also=(), **kwargs):
    """Start a process at `node` (a StartHandle) as `node.run(**kwargs)` does; returns what the
    node's function returns. `also`: the caller's own writes, (name, (sql, params)) pairs of one
    statement's parts (org.statements), written in the flow's statement when it has one."""
    target = node._next
    plain = isinstance(node, flow.StartHandle) and node.activation_class is StartHandleActivation
    if not plain or not _plain_step(target) or any(key.startswith("_") for key in kwargs):
        write_apart(also, "default")
        return node.run(**kwargs)
    flow_class = node.flow_class
    activation = node.activation_class.create(node, None, None)
    process, task = activation.process, activation.task
    process.data, task.data = {}, {}
    func = this.resolve(flow_class.instance, node._func)
    result = func(activation, **kwargs) if func else process
    task_started.send(sender=flow_class, process=process, task=task)
    Task = type(task)
    now = timezone.now()
    task.flow_task_type = node.task_type
    task.status, task.finished = STATUS.DONE, now
    first = _row(Task, process, target, task.token, now, done=False)
    # One statement for a process model of one table, or of one parent and itself.
    if _one_statement(task) and len(type(process)._meta.get_parent_list()) <= 1:
        _start_in_one(process, [task, first], task._state.db or "default", also)
    else:
        write_apart(also, task._state.db or "default")
        process.save()
        task.process = first.process = process
        Task.objects.bulk_create([task, first])
        _link(Task, [task, first])
    task_finished.send(sender=flow_class, process=process, task=task)
    flow_started.send(sender=flow_class, process=process, task=task)
    return result


def advance(act, *, also=()) -> None:
    """Complete the started task of `act` and create what follows it (see the module). `also`:
    the caller's own writes, as `start` takes them."""
    task, process = act.task, act.process
    using = task._state.db or "default"
    after = task.flow_task._next
    switch = after if isinstance(after, flow.Switch) else None
    target = _branch(switch, process) if switch else after
    ends = _plain_end(target)
    if target is None or not (ends or _plain_step(target)):
        write_apart(also, using)
        act.execute()
        return
    Task = type(task)
    now = timezone.now()
    task.status, task.finished = STATUS.DONE, now
    rows = [_row(Task, process, switch, task.token, now, done=True)] if switch else []
    rows.append(_row(Task, process, target, task.token, now, done=ends))
    chain = [task, *rows]
    flow_class = task.flow_task.flow_class
    finished = False
    if _one_statement(task):
        finished = _advance_in_one(task, rows, ends=ends, now=now, also=also)
    else:
        write_apart(also, using)
        task.save()
        Task.objects.bulk_create(rows)
        _link(Task, chain)
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
