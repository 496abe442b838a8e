"""The dossier's state machine (dossiers.models.Dossier) is the one list of states and moves: the
services ask it and the workflow (workflows/flows.py) follows it.

Every path the flow can take is walked here through workflows.services; at each step the move the
machine made is one it declares from the state before, and the open task is the one step that
waits in the state reached. The paths together take every move of the machine. Then each service
is tried in every state: it refuses exactly where the machine does, with the state in its words.
"""

from contextlib import contextmanager, suppress

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm.signals import post_transition
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from approvals import services as approvals
from approvals.models import Award, CouncilMeeting, MeetingState, Objection, PublicNotice
from dossiers import services as dossier_services
from dossiers.models import (
    DROPPED_STATES,
    EDITABLE_STATES,
    FINAL_STATES,
    PRIVATE_STATES,
    QUOTA_STATES,
    STATE_GRAPH,
    Dossier,
    DossierState,
)
from org.errors import TransitionNotAllowed
from tests import factories as f
from tests import paper
from workflows import services as wf
from workflows.confirm import TOKEN_FIELD, dossier_token
from workflows.flows import STEPS, DossierFlow, disagreements_with_fsm
from workflows.models import DossierProcess

from .conftest import fresh, new_dossier, notice_period_over, public_notice

S = DossierState
OPEN = (STATUS.NEW, STATUS.ASSIGNED)

# DESIGN.md, "The dossier's life": (from, transition, to).
LIFE = {
    (S.DRAFT, "submit", S.SUBMITTED),
    (S.DRAFT, "withdraw", S.WITHDRAWN),
    (S.SUBMITTED, "withdraw", S.WITHDRAWN),
    (S.SUBMITTED, "receive", S.IN_APPRAISAL),
    (S.IN_APPRAISAL, "return_for_supplement", S.RETURNED),
    (S.IN_APPRAISAL, "reject", S.REJECTED),
    (S.IN_APPRAISAL, "accept", S.PUBLIC_NOTICE),
    (S.IN_APPRAISAL, "accept", S.IN_COUNCIL),
    (S.IN_APPRAISAL, "accept", S.AWAITING_DECISION),  # simplified procedure
    (S.RETURNED, "submit", S.SUBMITTED),
    (S.RETURNED, "withdraw", S.WITHDRAWN),
    (S.PUBLIC_NOTICE, "lodge_objection", S.PUBLIC_NOTICE),
    (S.PUBLIC_NOTICE, "close_public_notice", S.IN_COUNCIL),
    (S.PUBLIC_NOTICE, "close_public_notice", S.AWAITING_DECISION),  # simplified, after a notice
    (S.IN_COUNCIL, "record_council_result", S.COUNCIL_VOTED),
    (S.COUNCIL_VOTED, "give_opinion", S.AWAITING_DECISION),
    (S.AWAITING_DECISION, "decide", S.DECIDED),
    (S.AWAITING_DECISION, "forward", S.FORWARDED),
    (S.AWAITING_DECISION, "decline", S.DECLINED),
}


# The step whose task is open while the dossier is in each live state (DOMAIN.md's process).
STEP_OF = {
    S.SUBMITTED: "appraise",  # taking the task is receiving the dossier
    S.IN_APPRAISAL: "appraise",
    S.RETURNED: "resubmit",
    S.PUBLIC_NOTICE: "notice",
    S.IN_COUNCIL: "council",
    S.COUNCIL_VOTED: "opinion",
    S.AWAITING_DECISION: "decide",
}


def moves(graph) -> set:
    return {
        (s, name, t) for s, by_name in graph.items() for name, targets in by_name.items() for t in targets
    }


# --- the machine and the flow, read without running them ------------------------------------------


def test_the_machine_declares_the_dossiers_life_of_the_design():
    declared = set()
    for t in Dossier._meta.get_field("state").get_all_transitions(Dossier):
        # A fixed target, several the transition may return (RETURN_VALUE), or none: it stays.
        targets = [t.source] if t.target is None else getattr(t.target, "allowed_states", [t.target])
        declared |= {(t.source, t.name, target) for target in targets}
    assert declared == LIFE
    assert moves(STATE_GRAPH) == LIFE  # the graph the services, the sets and the flow read


def test_the_sets_of_states_other_rules_use_follow_the_machine():
    assert EDITABLE_STATES == (S.DRAFT, S.RETURNED)  # where the unit may still (re)submit
    assert PRIVATE_STATES == (S.DRAFT,)
    assert FINAL_STATES == (S.REJECTED, S.DECIDED, S.FORWARDED, S.DECLINED, S.WITHDRAWN)
    assert set(DROPPED_STATES) <= set(FINAL_STATES)
    assert set(QUOTA_STATES) == set(S) - {S.DRAFT, S.WITHDRAWN, S.REJECTED, S.DECLINED}


def test_the_flow_agrees_with_the_machine():
    assert disagreements_with_fsm(DossierFlow) == []


def test_each_step_waits_in_its_own_states_and_every_live_state_has_one():
    owners = {}
    for step in STEPS.values():
        for state in step.states:
            owners.setdefault(state, []).append(step.name)
    live = set(S) - set(FINAL_STATES) - set(PRIVATE_STATES)
    assert owners == {state: [STEP_OF[state]] for state in live}


def changed(**edits) -> dict:
    """STATE_GRAPH with some sources' moves replaced."""
    graph = {state: dict(by_name) for state, by_name in STATE_GRAPH.items()}
    for source, by_name in edits.items():
        graph[S(source)].update({name: frozenset(targets) for name, targets in by_name.items()})
    return graph


def test_the_check_finds_a_branch_for_a_state_the_machine_cannot_reach():
    """The machine as it was: a simplified award after a public notice had a branch to the chair
    in the flow, but no move to awaiting_decision, and the step failed halfway."""
    graph = changed(public_notice={"close_public_notice": {S.IN_COUNCIL}})
    assert disagreements_with_fsm(DossierFlow, graph) == [
        "after_notice: a branch for awaiting_decision, which the FSM never reaches from notice"
    ]


def test_the_check_finds_a_state_the_flow_has_no_branch_for():
    graph = changed(public_notice={"return_for_supplement": {S.RETURNED}})
    assert disagreements_with_fsm(DossierFlow, graph) == [
        "after_notice: no branch for returned, which notice can reach (public_notice --return_for_supplement-->)"
    ]


def test_the_check_finds_a_step_whose_next_step_waits_elsewhere():
    graph = changed(council_voted={"give_opinion": {S.IN_COUNCIL}})
    problems = disagreements_with_fsm(DossierFlow, graph)
    assert (
        "opinion: can end in in_council (council_voted --give_opinion-->), but decide does not wait in it"
        in (problems)
    )


def test_the_check_finds_a_withdrawal_that_does_not_end_the_dossier():
    graph = changed(returned={"withdraw": {S.DRAFT}})
    assert "resubmit: withdraw cancels the process, yet leads to draft, not a final state" in (
        disagreements_with_fsm(DossierFlow, graph)
    )


# --- every path, walked -----------------------------------------------------------------------


def open_tasks(dossier) -> list:
    return list(
        Task.objects.filter(process__dossierprocess__dossier_id=dossier.pk, status__in=OPEN).order_by("pk")
    )


def assert_task_matches_state(dossier):
    """Where the dossier is, its process waits: no process for a draft, nothing open once it is
    over, otherwise one open task, of the one step that waits in that state."""
    state = fresh(dossier).state
    process = DossierProcess.objects.filter(dossier_id=dossier.pk).first()
    tasks = open_tasks(dossier)
    if state in PRIVATE_STATES:
        assert process is None
    elif state in FINAL_STATES:
        assert tasks == []
        if process is not None:
            assert process.status == (PROCESS.CANCELED if state == S.WITHDRAWN else PROCESS.DONE)
    else:
        assert [t.flow_task.name for t in tasks] == [STEP_OF[state]], state
        assert state in tasks[0].flow_task.states
        received = state != S.SUBMITTED  # receiving a dossier is taking its appraisal task
        if tasks[0].flow_task is DossierFlow.appraise:
            assert tasks[0].status == (STATUS.ASSIGNED if received else STATUS.NEW)


class Walk:
    """One dossier walked step by step through workflows.services, with the machine watched."""

    def __init__(self, w, dossier):
        self.w, self.dossier, self.taken = w, dossier, []
        assert_task_matches_state(dossier)

    @contextmanager
    def _watching(self):
        made = []

        def record(sender, instance, name, source, target, **kwargs):
            if sender is Dossier and instance.pk == self.dossier.pk:
                made.append((S(source), name, S(source) if target is None else S(target)))

        post_transition.connect(record, weak=False)
        try:
            yield made
        finally:
            post_transition.disconnect(record)

    def step(self, expected, service, **kwargs):
        before = fresh(self.dossier).state
        with self._watching() as made:
            result = service(**kwargs)
        after = fresh(self.dossier).state
        assert after == expected
        assert len(made) == 1, made
        source, name, target = made[0]
        assert (source, target) == (before, after)
        assert after in STATE_GRAPH[before][name], f"{before} --{name}--> {after} is not declared"
        self.taken.append(made[0])
        assert_task_matches_state(self.dossier)
        return result

    def aside(self, action, **kwargs):
        """A step that moves neither the state nor the flow (resolving an objection)."""
        before, tasks = fresh(self.dossier).state, open_tasks(self.dossier)
        with self._watching() as made:
            result = action(**kwargs)
        assert made == [] and fresh(self.dossier).state == before and open_tasks(self.dossier) == tasks
        return result

    # The people's steps, as the UI and the API take them.
    def submit(self):
        self.step(S.SUBMITTED, wf.dossier_submit, actor=self.w.head_a, dossier=fresh(self.dossier))

    def withdraw(self):
        self.step(
            S.WITHDRAWN, wf.dossier_withdraw, actor=self.w.head_a, dossier=self.dossier, reason="Nộp nhầm."
        )

    def receive(self):
        self.step(S.IN_APPRAISAL, wf.appraisal_receive, actor=self.w.officer, dossier=self.dossier)

    def give_back(self, further_return_reason=""):
        self.step(
            S.RETURNED,
            wf.appraisal_return,
            actor=self.w.officer,
            dossier=self.dossier,
            items=["Bổ sung biên bản có chữ ký"],
            further_return_reason=further_return_reason,
        )

    def reject(self):
        self.step(
            S.REJECTED,
            wf.appraisal_reject,
            actor=self.w.officer,
            dossier=self.dossier,
            reasons="Sai đối tượng.",
        )

    def accept(self, expected):
        self.step(expected, wf.appraisal_accept, actor=self.w.officer, dossier=self.dossier)

    def object_to(self):
        return self.step(
            S.PUBLIC_NOTICE,
            approvals.objection_lodge,
            actor=self.w.member,
            dossier=fresh(self.dossier),
            text="Xin xác minh sáng kiến.",
        )

    def resolve(self, objection):
        self.aside(
            approvals.objection_resolve, actor=self.w.officer, objection=objection, resolution="Đã xác minh."
        )

    def close_notice(self, expected):
        notice_period_over(self.dossier)
        self.step(expected, wf.notice_close, actor=self.w.officer, dossier=self.dossier)

    def council(self):
        self.step(
            S.COUNCIL_VOTED,
            paper.handed_over,
            secretary=self.w.secretary,
            council=self.w.council,
            dossiers=[self.dossier],
        )

    def opinion(self):
        self.step(
            S.AWAITING_DECISION,
            wf.opinion_give,
            actor=self.w.vice_chair,
            dossier=self.dossier,
            text="Đồng ý.",
        )

    def decide(self):
        self.step(
            S.DECIDED, wf.decision_issue, actor=self.w.chair, dossiers=[self.dossier], title="Khen thưởng"
        )

    def forward(self):
        return self.step(
            S.FORWARDED, wf.dossier_forward, actor=self.w.chair, dossiers=[self.dossier], title="Tờ trình"
        )

    def decline(self):
        self.step(
            S.DECLINED,
            wf.dossier_decline,
            actor=self.w.chair,
            dossier=self.dossier,
            reason="Chưa đủ tiêu chuẩn.",
        )


def with_notice(w, award, days=5):
    """A draft whose award's rule asks for a public notice of `days` working days."""
    dossier = new_dossier(w, award=award)
    rule = dossier.nominee.award_type.rule_on(w.today)
    rule.public_notice_days = days
    rule.save(update_fields=["public_notice_days"])
    return dossier


def council_then_decide(walk):
    walk.submit()
    walk.receive()
    walk.accept(S.IN_COUNCIL)
    walk.council()
    walk.opinion()
    walk.decide()


def returned_twice_then_declined(walk):
    walk.submit()
    walk.receive()
    walk.give_back()
    walk.submit()
    walk.receive()
    walk.give_back(further_return_reason="Bản bổ sung vẫn thiếu chữ ký.")
    walk.submit()
    walk.receive()
    walk.accept(S.IN_COUNCIL)
    walk.council()
    walk.opinion()
    walk.decline()


def rejected(walk):
    walk.submit()
    walk.receive()
    walk.reject()


def notice_with_objections_council_then_forward(walk):
    walk.submit()
    walk.receive()
    walk.accept(S.PUBLIC_NOTICE)
    first, second = walk.object_to(), walk.object_to()
    walk.resolve(first)
    walk.resolve(second)
    walk.close_notice(S.IN_COUNCIL)
    walk.council()
    walk.opinion()
    upward = walk.forward()
    # The dossier at the next level starts its own process, waiting for its standing body.
    assert fresh(upward).state == S.SUBMITTED
    assert_task_matches_state(upward)


def simplified_without_council(walk):
    walk.submit()
    walk.receive()
    walk.accept(S.AWAITING_DECISION)
    walk.decide()


def simplified_after_a_public_notice(walk):
    walk.submit()
    walk.receive()
    walk.accept(S.PUBLIC_NOTICE)
    walk.resolve(walk.object_to())
    walk.close_notice(S.AWAITING_DECISION)
    walk.decide()


def withdrawn_as_a_draft(walk):
    walk.withdraw()


def withdrawn_once_submitted(walk):
    walk.submit()
    walk.withdraw()


def withdrawn_when_returned(walk):
    walk.submit()
    walk.receive()
    walk.give_back()
    walk.withdraw()


def withdrawn_when_submitted_again(walk):
    walk.submit()
    walk.receive()
    walk.give_back()
    walk.submit()
    walk.withdraw()


D, SUB, IA, RET = S.DRAFT, S.SUBMITTED, S.IN_APPRAISAL, S.RETURNED
PN, IC, CV, AD = S.PUBLIC_NOTICE, S.IN_COUNCIL, S.COUNCIL_VOTED, S.AWAITING_DECISION
SUBMIT, RECEIVE = (D, "submit", SUB), (SUB, "receive", IA)
RETURN, RESUBMIT = (IA, "return_for_supplement", RET), (RET, "submit", SUB)
COUNCIL = [(IA, "accept", IC), (IC, "record_council_result", CV), (CV, "give_opinion", AD)]
OBJECTION = (PN, "lodge_objection", PN)

# name: (the draft, the walk, the moves the machine must make on the way)
PATHS = {
    "council, then an award decision": (
        new_dossier,
        council_then_decide,
        [SUBMIT, RECEIVE, *COUNCIL, (AD, "decide", S.DECIDED)],
    ),
    "returned, resubmitted, returned again, then declined": (
        new_dossier,
        returned_twice_then_declined,
        [
            SUBMIT,
            RECEIVE,
            RETURN,
            RESUBMIT,
            RECEIVE,
            RETURN,
            RESUBMIT,
            RECEIVE,
            *COUNCIL,
            (AD, "decline", S.DECLINED),
        ],
    ),
    "rejected": (new_dossier, rejected, [SUBMIT, RECEIVE, (IA, "reject", S.REJECTED)]),
    "public notice with objections, council, then forwarded": (
        lambda w: with_notice(w, "giay-khen"),
        notice_with_objections_council_then_forward,
        [
            SUBMIT,
            RECEIVE,
            (IA, "accept", PN),
            OBJECTION,
            OBJECTION,
            (PN, "close_public_notice", IC),
            *COUNCIL[1:],
            (AD, "forward", S.FORWARDED),
        ],
    ),
    "simplified, without a council": (
        lambda w: new_dossier(w, award="giay-khen-dot-xuat"),
        simplified_without_council,
        [SUBMIT, RECEIVE, (IA, "accept", AD), (AD, "decide", S.DECIDED)],
    ),
    "simplified, after a public notice": (
        lambda w: with_notice(w, "giay-khen-dot-xuat"),
        simplified_after_a_public_notice,
        [
            SUBMIT,
            RECEIVE,
            (IA, "accept", PN),
            OBJECTION,
            (PN, "close_public_notice", AD),
            (AD, "decide", S.DECIDED),
        ],
    ),
    "withdrawn as a draft": (new_dossier, withdrawn_as_a_draft, [(D, "withdraw", S.WITHDRAWN)]),
    "withdrawn once submitted": (
        new_dossier,
        withdrawn_once_submitted,
        [SUBMIT, (SUB, "withdraw", S.WITHDRAWN)],
    ),
    "withdrawn when returned": (
        new_dossier,
        withdrawn_when_returned,
        [SUBMIT, RECEIVE, RETURN, (RET, "withdraw", S.WITHDRAWN)],
    ),
    "withdrawn when submitted again": (
        new_dossier,
        withdrawn_when_submitted_again,
        [SUBMIT, RECEIVE, RETURN, RESUBMIT, (SUB, "withdraw", S.WITHDRAWN)],
    ),
}


def test_the_paths_take_every_move_of_the_machine():
    assert {move for _draft, _walk, taken in PATHS.values() for move in taken} == moves(STATE_GRAPH)


@pytest.mark.parametrize("name", PATHS)
def test_each_path_moves_as_the_machine_declares_with_the_task_of_its_state(people, name):
    make, walk_it, expected = PATHS[name]
    walk = Walk(people, make(people))
    walk_it(walk)
    assert walk.taken == expected


# --- the regression: a simplified award after a public notice -----------------------------------


def test_a_simplified_award_after_a_public_notice_goes_to_the_chair_and_is_decided(people, client):
    w = people
    d = public_notice(w, new_dossier(w, award="giay-khen-dot-xuat"))
    assert fresh(d).state == S.PUBLIC_NOTICE
    notice_period_over(d)

    client.force_login(w.officer)
    response = client.post(reverse("notice-close", args=[d.pk]))
    assert response.status_code == 302
    assert fresh(d).state == S.AWAITING_DECISION
    assert [t.flow_task for t in open_tasks(d)] == [DossierFlow.decide]

    client.force_login(w.chair)
    body = {"decide-title": "Khen thưởng đột xuất", TOKEN_FIELD: dossier_token(fresh(d))}
    response = client.post(reverse("dossier-decide", args=[d.pk]), body)
    assert response.status_code == 302
    assert fresh(d).state == S.DECIDED and open_tasks(d) == []
    assert Award.objects.get(nominee=d.nominee).amount == 710_000  # Giấy khen: 0.3 × base salary, rounded up


# --- each service refuses exactly where the machine does --------------------------------------------


def closed_meeting_without(w, dossier):
    """A closed meeting of the dossier's council that did not have it on its agenda."""
    return CouncilMeeting.objects.create(
        council=w.council,
        title="Phiên họp khác",
        scheduled_at=timezone.now(),
        place="Hội trường",
        chairperson=w.vice_chair,
        secretary=w.secretary,
        state=MeetingState.CLOSED,
        members_total=3,
        created_by=w.secretary,
    )


def services_by_transition(w, dossier):
    """The business service that takes each transition, with an actor allowed to take it."""
    one = {"dossiers": [dossier]}
    return {
        "submit": lambda: dossier_services.dossier_submit(actor=w.head_a, dossier=dossier),
        "withdraw": lambda: dossier_services.dossier_withdraw(actor=w.head_a, dossier=dossier, reason="x"),
        "receive": lambda: approvals.appraisal_receive(actor=w.officer, dossier=dossier),
        "return_for_supplement": lambda: approvals.appraisal_return(
            actor=w.officer, dossier=dossier, items=["x"]
        ),
        "reject": lambda: approvals.appraisal_reject(actor=w.officer, dossier=dossier, reasons="x"),
        "accept": lambda: approvals.appraisal_accept(actor=w.officer, dossier=dossier),
        "lodge_objection": lambda: approvals.objection_lodge(actor=w.head_a, dossier=dossier, text="x"),
        "close_public_notice": lambda: approvals.notice_close(actor=w.officer, dossier=dossier),
        "record_council_result": lambda: approvals.council_result_record(
            actor=w.secretary, dossier=dossier, meeting=closed_meeting_without(w, dossier)
        ),
        "give_opinion": lambda: approvals.opinion_give(actor=w.vice_chair, dossier=dossier, text="x"),
        "decide": lambda: approvals.decision_issue(actor=w.chair, title="x", **one),
        "forward": lambda: approvals.dossier_forward(actor=w.chair, title="x", **one),
        "decline": lambda: approvals.dossier_decline(actor=w.chair, dossier=dossier, reason="x"),
    }


def test_every_transition_has_a_service(people):
    names = {name for by_name in STATE_GRAPH.values() for name in by_name}
    assert set(services_by_transition(people, None)) == names


def parked_in(w, state) -> Dossier:
    dossier = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a, state=state)
    f.NomineeFactory(dossier=dossier, rule=f.award("giay-khen").rule_on(w.today))
    PublicNotice.objects.create(dossier=dossier, starts_on=w.today, ends_on=w.today)
    return dossier


@pytest.mark.parametrize("state", list(S))
def test_each_service_refuses_exactly_where_the_machine_does(people, state):
    w = people
    label = str(S(state).label)
    for name in services_by_transition(w, None):
        dossier = parked_in(w, state)
        call = services_by_transition(w, dossier)[name]
        if name in STATE_GRAPH[state]:
            # Allowed by the machine: the service may refuse for its own rules, never for the state.
            with suppress(ValidationError, PermissionDenied):
                call()
        else:
            with pytest.raises(TransitionNotAllowed) as refused:
                call()
            assert f"“{label}”" in refused.value.message, name
            assert fresh(dossier).state == state
    assert Objection.objects.filter(dossier__state=state).exists() == (state == S.PUBLIC_NOTICE)
