"""workflows.advance leaves in the tables what viewflow's own `run` and `execute` leave, row for
row: the start, and each path a dossier can take (a step, a Switch and the next step; a step and
the next step; a Switch and an End; a step and an End) walked twice, once as the services do and
once through viewflow's activations, and the processes' tasks, their links, the processes and
viewflow's signals (which, in which order, for which task) compared."""

from contextlib import contextmanager

import pytest
from viewflow.workflow import signals
from viewflow.workflow.models import Task

from workflows import services as wf
from workflows.advance import write_apart
from workflows.models import DossierProcess

from .conftest import awaiting_decision, fresh, in_appraisal, new_dossier, returned


def snapshot(dossier):
    """The process and its tasks as viewflow keeps them, without ids and times (only whether a
    time is set)."""
    process = DossierProcess.objects.get(dossier=dossier)
    tasks = list(Task.objects.filter(process=process).order_by("pk").prefetch_related("previous"))
    return {
        "process": (process.status, process.finished is not None),
        "tasks": [
            (
                t.flow_task.name,
                t.flow_task_type,
                t.status,
                str(t.token),
                t.owner_id is not None,
                t.assigned is not None,
                t.started is not None,
                t.finished is not None,
                t.data,
                sorted(p.flow_task.name for p in t.previous.all()),
            )
            for t in tasks
        ],
    }


@pytest.fixture
def by_viewflow(monkeypatch):
    """Run a walk with viewflow's own `execute` in place of `advance`."""

    def run(walk):
        with monkeypatch.context() as m:
            # The step's own writes (its audit events, on PostgreSQL) apart, then viewflow's.
            m.setattr(wf, "advance", lambda act, also=(): (write_apart(also, "default"), act.execute()))
            m.setattr(
                wf,
                "start_flow",
                lambda node, also=(), **kw: (write_apart(also, "default"), node.run(**kw))[1],
            )
            return walk()

    return run


SIGNALS = ("flow_started", "flow_finished", "task_started", "task_finished")


@contextmanager
def heard():
    """viewflow's signals as they are sent: (signal, the task's node)."""
    sent = []
    receivers = {}
    for name in SIGNALS:

        def receiver(sender, process, task, name=name, **kwargs):
            sent.append((name, task.flow_task.name))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, weak=False)
    try:
        yield sent
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver)


def both(walk, by_viewflow):
    with heard() as ours_sent:
        ours = walk()
    with heard() as theirs_sent:
        theirs = by_viewflow(walk)
    assert snapshot(ours) == snapshot(theirs)
    assert "\n".join(map(str, ours_sent)) == "\n".join(map(str, theirs_sent))
    return snapshot(ours)


def test_accepted_then_through_the_council_to_the_decision(people, by_viewflow):
    w = people

    def walk():
        d = awaiting_decision(w, new_dossier(w))
        wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")
        return fresh(d)

    shot = both(walk, by_viewflow)
    assert shot["process"] == ("DONE", True)
    assert [t[0] for t in shot["tasks"]] == [
        "start",
        "appraise",
        "after_appraisal",
        "council",
        "opinion",
        "decide",
        "end",
    ]


def test_returned_and_submitted_again(people, by_viewflow):
    w = people

    def walk():
        d = returned(w, new_dossier(w))
        wf.dossier_submit(actor=w.head_a, dossier=d)
        return fresh(d)

    shot = both(walk, by_viewflow)
    assert [(t[0], t[2]) for t in shot["tasks"]][-4:] == [
        ("appraise", "DONE"),
        ("after_appraisal", "DONE"),
        ("resubmit", "DONE"),
        ("appraise", "NEW"),
    ]


def test_rejected(people, by_viewflow):
    w = people

    def walk():
        d = in_appraisal(w, new_dossier(w))
        wf.appraisal_reject(actor=w.officer, dossier=d, reasons="Không đủ điều kiện về thời gian công tác.")
        return fresh(d)

    shot = both(walk, by_viewflow)
    assert shot["process"] == ("DONE", True)
    assert [t[0] for t in shot["tasks"]][-3:] == ["appraise", "after_appraisal", "rejected"]


def test_an_end_with_a_task_still_open_leaves_the_process_running(people):
    """What viewflow's End counts first: a process with a task still open is not finished."""
    w = people
    d = awaiting_decision(w, new_dossier(w))
    process = DossierProcess.objects.get(dossier=d)
    stray = Task.objects.filter(process=process).order_by("pk").first()
    Task.objects.filter(pk=stray.pk).update(finished=None)
    wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")
    process.refresh_from_db()
    assert (process.status, process.finished) == ("NEW", None)
