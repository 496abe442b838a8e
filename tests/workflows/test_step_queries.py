"""A step costs what its work needs (STYLE.md, "Queries are budgeted"): each step of the path is
pinned at its count of queries, with and without an assignment inside the standing body.

A step reads its task, its process and the dossier in one locked query (workflows.services),
the business service works on that same dossier, and the flow's fork takes the state the service
saved. The actor is loaded as a request has them (their roles and model permissions: the page
loaded them for its navigation). The audit append's own cost (audit.services.record) is measured
here rather than assumed, so the pins count the steps' own queries; SAVEPOINT and RELEASE are
counted too (they are round trips): one pair for the step's transaction. The flow moves on in
three writes (four at its end), whether or not a Switch follows the step (workflows.advance).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from approvals.models import Decision
from audit import services as audit
from dossiers.models import Nominee
from org.models import Role, User
from org.scopes import scopes_for
from tests import factories as f
from tests import paper
from workflows import council
from workflows import services as wf

from .conftest import (
    attach_complete,
    awaiting_decision,
    council_voted,
    fresh,
    in_appraisal,
    in_council,
    new_dossier,
    notice_period_over,
    public_notice,
    returned,
    submitted,
)

# The step's transaction: its SAVEPOINT and RELEASE (in a test; BEGIN and COMMIT in production).
STEP = 2
# The locked read of the task with its process and the dossier.
HELD = 1
# The standing body's permission once the dossier is assigned: the assignee's per-object grant
# (django-guardian, one query). Whether it is assigned is read with the task (HELD).
GRANT = 1
# PostgreSQL takes the flow's writes in one statement (workflows.advance); elsewhere they are
# the ORM's statements, one round trip each.
ONE_STATEMENT = connection.vendor == "postgresql"
# Moving the flow on (workflows.advance): the task saved done, the next task (after the Switch's
# own, done, when the step is followed by one) in one INSERT, and their links in one INSERT.
COMPLETE = 1 if ONE_STATEMENT else 3
# ... to the end of the flow: the End's task is the next one, and the process is marked done in
# one UPDATE that asks that no task is left open.
END = 0 if ONE_STATEMENT else 1
# Starting the flow (workflows.advance.start): the process in its two tables, the start and
# first tasks in one INSERT, their link in one INSERT.
START = 1 if ONE_STATEMENT else 2 + 1 + 1
# A step's own writes beside the dossier's new state: in its statement on PostgreSQL
# (dossiers.services.save_dossiers), the ORM's statements elsewhere.
SAVED = 1 if ONE_STATEMENT else 2
# The step's audit event, inserted by the step's last statement on PostgreSQL (audit.carried).
CARRIED = 1 if ONE_STATEMENT else 0
# ... and the chain locked and its head read in the message of the step's last write before it.
AHEAD = 1 if ONE_STATEMENT else 0


def audit_append(dossier) -> int:
    """The queries one audit event about `dossier` costs a step (audit.services.record), measured
    on this database: less its INSERT on PostgreSQL, which a step's last statement carries with
    its own writes (audit.services.carried)."""
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        audit.record(actor="system", action="test.append", target=dossier, data={}, actor_roles=[])
    alone = sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])
    return alone - CARRIED


def step_event(dossier) -> int:
    """The queries the event of a step that saves the dossier last costs it: on PostgreSQL the
    chain's lock and head read go in the message of that save (audit.lock_ahead), nothing more."""
    return audit_append(dossier) - AHEAD


def as_requested(user):
    """The user as a request has them when its view runs."""
    fresh_user = User.objects.get(pk=user.pk)
    scopes_for(fresh_user)
    fresh_user.get_all_permissions()
    return fresh_user


@pytest.fixture
def leader(people):
    return f.user_with_role(Role.STANDING_LEADER, people.commune, username="leader")


def assign(w, leader, dossier):
    wf.dossier_assign(actor=leader, dossier=fresh(dossier), assignee=w.officer)


# What a submission reads of the rulebook when the process keeps nothing of it (dossiers.rulebook):
# the rules in force for the nominees' awards (all at once), their documents with their kinds,
# the award-history conditions. Kept, they are not read again while the rulebook is unchanged.
RULEBOOK = 3


@pytest.mark.parametrize("kept", [False, True], ids=["rulebook-read", "rulebook-kept"])
def test_the_first_submission(people, django_assert_num_queries, kept):
    w = people
    if kept:
        wf.dossier_submit(actor=w.head_a, dossier=fresh(new_dossier(w)))
    d = fresh(new_dossier(w))
    head = as_requested(w.head_a)
    # The dossier locked (a draft has no process yet); its nominees, with the rulebook's stamp;
    # the rulebook (RULEBOOK) unless kept; the files (their hashes go in the event); the
    # nominees' rules and the dossier saved (one statement on PostgreSQL, org.statements: SAVED);
    # the process started (workflows.advance.start: the process in two tables, the start and
    # appraisal tasks in one INSERT, their link in one: START). The year's emulation plans above
    # the unit: one query (emulation.checks; a year without a plan asks nothing more).
    work = 1 + 2 + (0 if kept else RULEBOOK) + SAVED + 1
    with django_assert_num_queries(STEP + work + step_event(d) + START):
        wf.dossier_submit(actor=head, dossier=d)


def test_a_submission_of_several_nominees_costs_what_one_does(people):
    """The rules in force, their documents and the files are read once for the whole dossier,
    whatever the number of nominees and of their awards."""
    w = people

    def cost(dossier):
        head = as_requested(w.head_a)
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            wf.dossier_submit(actor=head, dossier=fresh(dossier))
        return len(ctx.captured_queries)

    one = cost(new_dossier(w))
    several = new_dossier(w)
    for award in ("giay-khen", "giay-khen-dot-xuat", "giay-khen-dot-xuat"):
        nominee = f.NomineeFactory(dossier=several, award_type=f.award(award))
        attach_complete(w, several, nominee, award)
    assert cost(several) == one
    # Each nominee pinned to its own award's rule, in that one write.
    pinned = list(Nominee.objects.filter(dossier=several).select_related("rule"))
    assert len({n.rule_id for n in pinned}) == 2
    assert all(n.rule.award_type_id == n.award_type_id for n in pinned)


def test_a_resubmission(people, django_assert_num_queries):
    w = people
    d = fresh(returned(w, new_dossier(w)))
    head = as_requested(w.head_a)
    # Is there a process, its resubmit task; the business checks as at the first submission
    # (without the dossier's read: the step holds it; with the earlier returns' count; with the
    # year's emulation plans; the rulebook kept since the first submission; the nominees' rules
    # and the dossier saved: SAVED).
    with django_assert_num_queries(STEP + 2 + HELD + 3 + SAVED + step_event(d) + COMPLETE):
        wf.dossier_submit(actor=head, dossier=d)


@pytest.mark.parametrize("assigned", [False, True], ids=["unassigned", "assigned"])
def test_receiving(people, leader, django_assert_num_queries, assigned):
    w = people
    d = submitted(w, new_dossier(w))
    if assigned:
        assign(w, leader, d)
    d, officer = fresh(d), as_requested(w.officer)
    # The dossier saved, the task taken (saved).
    with django_assert_num_queries(STEP + HELD + GRANT * assigned + 1 + step_event(d) + 1):
        wf.appraisal_receive(actor=officer, dossier=d)


@pytest.mark.parametrize("assigned", [False, True], ids=["unassigned", "assigned"])
def test_accepting(people, leader, django_assert_num_queries, assigned):
    w = people
    d = in_appraisal(w, new_dossier(w))
    if assigned:
        assign(w, leader, d)
    d, officer = fresh(d), as_requested(w.officer)
    # The nominees, their outcomes saved, the dossier saved.
    work = 3
    with django_assert_num_queries(STEP + HELD + GRANT * assigned + work + step_event(d) + COMPLETE):
        wf.appraisal_accept(actor=officer, dossier=d)


@pytest.mark.parametrize("assigned", [False, True], ids=["unassigned", "assigned"])
def test_returning(people, leader, django_assert_num_queries, assigned):
    w = people
    d = in_appraisal(w, new_dossier(w))
    if assigned:
        assign(w, leader, d)
    d, officer = fresh(d), as_requested(w.officer)
    # The earlier returns counted, the return created, the dossier saved.
    work = 3
    with django_assert_num_queries(STEP + HELD + GRANT * assigned + work + step_event(d) + COMPLETE):
        wf.appraisal_return(actor=officer, dossier=d, items=["Bổ sung biên bản họp xét"])


@pytest.mark.parametrize("assigned", [False, True], ids=["unassigned", "assigned"])
def test_closing_the_public_notice(people, leader, django_assert_num_queries, assigned):
    w = people
    d = public_notice(w, new_dossier(w))
    notice_period_over(d)
    if assigned:
        assign(w, leader, d)
    d, officer = fresh(d), as_requested(w.officer)
    # The notice with its open objections and where its nominees go next (one read: the dossier's
    # lock, taken with the task, is the one every objection takes), the notice saved, the dossier
    # saved.
    work = 3
    with django_assert_num_queries(STEP + HELD + GRANT * assigned + work + step_event(d) + COMPLETE):
        wf.notice_close(actor=officer, dossier=d)


def test_the_councils_result(people, django_assert_num_queries):
    w = people
    d = in_council(w, new_dossier(w))
    meeting = paper.record(secretary=w.secretary, council=w.council, dossiers=[fresh(d)])
    d, secretary = fresh(d), as_requested(w.secretary)
    # The meeting locked, the eligible nominees with their item on its agenda (one read); the
    # results created, the nominees' outcomes and the dossier saved (one statement on
    # PostgreSQL; an INSERT and two UPDATEs elsewhere).
    work = 3 if ONE_STATEMENT else 5
    with django_assert_num_queries(STEP + HELD + work + step_event(d) + COMPLETE):
        wf.council_result_record(actor=secretary, dossier=d, meeting=meeting)


@pytest.mark.parametrize("dossiers", [1, 3])
def test_a_meetings_hand_over_reads_the_meeting_once_for_all_its_dossiers(people, dossiers):
    """A meeting closed (or recorded) hands each dossier of its agenda its result: the meeting is
    read under its lock once, then each dossier costs the council step without that read."""
    w = people
    held = [in_council(w, new_dossier(w)) for _ in range(dossiers)]
    meeting = paper.record(secretary=w.secretary, council=w.council, dossiers=[fresh(d) for d in held])
    secretary = as_requested(w.secretary)
    append = step_event(held[0])
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        council._hand_over(actor=secretary, meeting=meeting)
    # The meeting locked with its council, the agenda's dossiers; then, each in its SAVEPOINT
    # pair: the eligible nominees with their agenda item, the results and the nominees' outcomes
    # and the dossier saved (one statement on PostgreSQL).
    per_dossier = STEP + HELD + (2 if ONE_STATEMENT else 4) + append + COMPLETE
    assert len(ctx.captured_queries) == 2 + dossiers * per_dossier, [
        q["sql"][:80] for q in ctx.captured_queries
    ]
    assert per_dossier <= 12


def test_the_opinion(people, django_assert_num_queries):
    w = people
    d = council_voted(w, new_dossier(w))
    d, vice_chair = fresh(d), as_requested(w.vice_chair)
    # The opinion created, the dossier saved (one statement on PostgreSQL: SAVED).
    with django_assert_num_queries(STEP + HELD + SAVED + step_event(d) + COMPLETE):
        wf.opinion_give(actor=vice_chair, dossier=d, text="Đồng ý đề nghị của Hội đồng.")


@pytest.mark.parametrize("first_of_year", [False, True], ids=["later", "first-of-the-year"])
def test_the_decision(people, django_assert_num_queries, first_of_year):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    if not first_of_year:  # an earlier decision: the year's register, the base salary kept
        earlier = fresh(awaiting_decision(w, new_dossier(w)))
        wf.decision_issue(actor=w.chair, dossiers=[earlier], title="Tặng Giấy khen")
    d, chair = fresh(d), as_requested(w.chair)
    ContentType.objects.get_for_model(Decision)  # cached by a running server
    # The nominees, with the rulebook's stamp; the base salary, unless kept since an earlier
    # decision (dossiers.rulebook); the year's register locked and its next number found (on
    # PostgreSQL in one round trip with the decision's id reserved, org.register_numbers; the
    # year's first decision: not found, then created unless another made it, in the message
    # of the lock taken again; elsewhere created in its SAVEPOINT pair and locked, then as
    # usual). On PostgreSQL the decision, its register entry, its links to the dossier, its
    # awards, the nominees' outcomes and the dossier's state in one statement (org.statements;
    # a decision created here is not signed: nothing to ask); elsewhere the decision created,
    # its entry, the links, the awards, the outcomes, the dossier saved. Its two events (the
    # dossier's and the decision's) in one append. Then the body's award fund for the year,
    # locked (with no budget set it warns of nothing, and the cash is not summed).
    opened = 1 if ONE_STATEMENT else 1 + 3 + 1  # the year's first: the register opened
    register = (1 if ONE_STATEMENT else 2) + opened * first_of_year
    written = 1 if ONE_STATEMENT else 2 + 3 + 1
    work = 1 + first_of_year + register + written + 1
    with django_assert_num_queries(STEP + HELD + work + audit_append(d) + COMPLETE + END):
        wf.decision_issue(actor=chair, dossiers=[d], title="Tặng Giấy khen")


def test_a_decision_of_many_dossiers_costs_what_one_does(people):
    """One decision for a whole campaign: its dossiers' links, awards and events are written
    together, whatever their number (each dossier's own task and state are its own)."""
    w = people

    def cost(dossiers):
        chair = as_requested(w.chair)
        held = [fresh(d) for d in dossiers]
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            wf.decision_issue(actor=chair, dossiers=held, title="Tặng Giấy khen")
        return len(ctx.captured_queries)

    cost([awaiting_decision(w, new_dossier(w))])  # the year's register made
    one = cost([awaiting_decision(w, new_dossier(w))])
    # Per dossier beyond the first: its task held, its state saved (in the awards' statement on
    # PostgreSQL), its flow moved on (3, and the end of its process: 1); the rest (nominees,
    # register, decision, links, awards, events, fund) is one.
    per_dossier = HELD + (0 if ONE_STATEMENT else 1) + COMPLETE + END
    assert cost([awaiting_decision(w, new_dossier(w)) for _ in range(4)]) == one + 3 * per_dossier
