"""Reads of the workflow, filtered by who asks: the inboxes of each role, a dossier's open steps
and deadlines, what changed since it was returned, decisions.

Every list is built from the person's scopes (org.scopes, loaded once) into one filter, so it
costs the same few queries for ten dossiers or ten thousand. Deadlines are counted in working
days on one WorkingCalendar per request (org.calendar: weekends and the public holidays, as data).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_fsm import can_proceed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals.models import (
    AgendaItem,
    Decision,
    DecisionDossier,
    DecisionKind,
    DossierAssignment,
    MeetingState,
    Objection,
    Opinion,
    PublicNotice,
    ReturnRequest,
)
from approvals.permissions import can_object
from approvals.services import RETURN_DAYS, decides_here
from dossiers.models import (
    APPRAISAL_DAYS,
    Attachment,
    AwardType,
    Campaign,
    Dossier,
    DossierState,
    Nominee,
    NomineeOutcome,
)
from dossiers.permissions import (
    can_edit_dossier,
    can_submit_dossier,
    can_withdraw_dossier,
    units_user_can_draft_for,
    visible_dossiers_q,
)
from dossiers.selectors import dossier_list_for, dossier_timeline
from dossiers.selectors import text_q as dossier_text_q
from org.calendar import WorkingCalendar
from org.models import Role
from org.scopes import scopes_for

from .flows import REVIEWING_UNIT, STEPS, DossierFlow

S = DossierState
OPEN = (STATUS.NEW, STATUS.ASSIGNED)
DOSSIER = "process__dossierprocess__dossier"
TASK_RELATED = [f"{DOSSIER}__unit", f"{DOSSIER}__campaign", f"{DOSSIER}__reviewing_unit", "owner"]


# --- deadlines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    """The standing body's limits for one submission (Luật TĐKT 2022; ND 152/2025): return an
    incomplete dossier within 5 working days, appraise within 20, both counted from the day the
    complete dossier arrived (its latest submission)."""

    received_on: dt.date
    return_by: dt.date
    appraise_by: dt.date


def local_day(moment) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def appraisal_deadlines(dossier, calendar: WorkingCalendar) -> Deadlines | None:
    received = local_day(dossier.submitted_at)
    if received is None:
        return None
    return Deadlines(
        received_on=received,
        return_by=calendar.add_working_days(received, RETURN_DAYS),
        appraise_by=calendar.add_working_days(received, APPRAISAL_DAYS),
    )


@dataclass
class TaskRow:
    """One open task as an inbox shows it."""

    task: Task
    dossier: Dossier
    step: object
    holder: object = None
    due: dt.date | None = None  # the deadline the task must meet
    overdue: bool = False
    return_by: dt.date | None = None
    notice_until: dt.date | None = None  # public notice: it may be closed after this day
    ready: bool = False  # public notice whose period has run


def task_row(task, calendar: WorkingCalendar, today: dt.date) -> TaskRow:
    dossier = task.process.dossierprocess.dossier
    step = STEPS.get(task.flow_task.name) if task.flow_task else None
    row = TaskRow(task=task, dossier=dossier, step=step, holder=task.owner)
    if step is DossierFlow.appraise:
        limits = appraisal_deadlines(dossier, calendar)
        if limits:
            row.due, row.return_by = limits.appraise_by, limits.return_by
            row.overdue = today > limits.appraise_by
    elif step is DossierFlow.notice:
        notice = getattr(dossier, "public_notice", None)
        if notice is not None:
            row.notice_until = notice.ends_on
            row.ready = today > notice.ends_on
    return row


def task_rows(tasks, calendar: WorkingCalendar | None = None) -> list[TaskRow]:
    calendar = calendar or WorkingCalendar()
    today = timezone.localdate()
    return [task_row(task, calendar, today) for task in tasks]


# --- inboxes ------------------------------------------------------------------------------------


def _unit_field(step) -> str:
    return f"{DOSSIER}__reviewing_unit_id" if step.at == REVIEWING_UNIT else f"{DOSSIER}__unit_id"


def steps_q(user, steps) -> Q | None:
    """Open tasks of `steps` that the user's roles cover: for each step, the dossiers whose
    reviewing unit (or own unit) is a unit where the user holds one of the step's roles."""
    scopes = scopes_for(user) if user.is_active else []
    q = None
    for step in steps:
        units = sorted({s.unit_id for s in scopes if s.role in step.roles})
        if units:
            # The dossier's states while the step is open (Step.states, checked against the state
            # machine on import) add nothing to the answer; they let the database start from the
            # unit's dossiers in those states (an index) rather than from every open task.
            part = Q(
                flow_task=step,
                **{f"{_unit_field(step)}__in": units, f"{DOSSIER}__state__in": sorted(step.states)},
            )
            q = part if q is None else q | part
    return q


def _open_tasks():
    return Task.objects.filter(status__in=OPEN, flow_task__in=list(STEPS.values())).select_related(
        *TASK_RELATED, f"{DOSSIER}__public_notice"
    )


def _search(qs, text):
    text = (text or "").strip()
    if text:
        qs = qs.filter(dossier_text_q(text, prefix=f"{DOSSIER}__"))
    return qs


def _current_assignments():
    """The current assignment of each task's dossier (approvals.assignments), for Exists()."""
    return DossierAssignment.objects.filter(dossier_id=OuterRef(DOSSIER), ended_at__isnull=True)


def my_tasks(*, user, filters=None):
    """Tasks the user may do now: held by them, or open to anyone with their role and scope."""
    q = steps_q(user, STEPS.values())
    if q is None:
        return Task.objects.none()
    filters = filters or {}
    qs = _open_tasks().filter(q).filter(Q(owner__isnull=True) | Q(owner=user))
    # A dossier the standing body's leader gave to another specialist is not this officer's to
    # take (the leader still sees it).
    led = sorted({s.unit_id for s in scopes_for(user) if s.role == Role.STANDING_LEADER})
    others = Exists(_current_assignments().exclude(assignee=user))
    qs = qs.exclude(others & ~Q(**{f"{DOSSIER}__reviewing_unit_id__in": led}))
    if filters.get("step") in STEPS:
        qs = qs.filter(flow_task=STEPS[filters["step"]])
    if filters.get("campaign"):
        qs = qs.filter(**{f"{DOSSIER}__campaign_id": filters["campaign"]})
    return _search(qs, filters.get("q")).order_by("created", "pk")


def standing_queue(*, user, filters=None, calendar=None):
    """The standing body's open work at its level (receive, appraise, public notice), whoever holds
    it, earliest deadline first; `overdue` keeps only appraisals past their 20 working days."""
    steps = [DossierFlow.appraise, DossierFlow.notice]
    q = steps_q(user, steps)
    if q is None:
        return Task.objects.none()
    filters = filters or {}
    qs = _open_tasks().filter(q)
    if filters.get("step") in ("appraise", "notice"):
        qs = qs.filter(flow_task=STEPS[filters["step"]])
    holder = filters.get("holder")
    if holder == "mine":
        qs = qs.filter(owner=user)
    elif holder == "assigned_me":
        qs = qs.filter(Exists(_current_assignments().filter(assignee=user)))
    elif holder == "nobody":
        qs = qs.filter(owner__isnull=True)
    if filters.get("overdue"):
        calendar = calendar or WorkingCalendar()
        last = calendar.latest_overdue_start(timezone.localdate(), APPRAISAL_DAYS)
        qs = qs.filter(flow_task=DossierFlow.appraise, **{f"{DOSSIER}__submitted_at__date__lte": last})
    return _search(qs, filters.get("q")).order_by(f"{DOSSIER}__submitted_at", "pk")


def to_sign(*, user, filters=None):
    """The chair's dossiers awaiting a decision at the chair's level, oldest first, with how many
    nominees were approved."""
    q = steps_q(user, [DossierFlow.decide])
    if q is None:
        return Task.objects.none()
    filters = filters or {}
    # Counted per row shown (a correlated subquery), not by grouping every open task.
    approved = (
        Nominee.objects.filter(
            dossier=OuterRef(DOSSIER),
            removed_at__isnull=True,
            outcome__in=[NomineeOutcome.VOTED_IN, NomineeOutcome.ELIGIBLE],
        )
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        _open_tasks()
        .filter(q)
        .annotate(approved_count=Coalesce(Subquery(approved, output_field=IntegerField()), 0))
    )
    if filters.get("campaign"):
        qs = qs.filter(**{f"{DOSSIER}__campaign_id": filters["campaign"]})
    return _search(qs, filters.get("q")).order_by("created", "pk")


def decisions_to_sign_digitally(*, user, limit=20):
    """The decisions the user approved and numbered as their signer whose PDF does not carry their
    digital signature yet (`Decision.signed_at` is set by the first one): what is left of their
    signature, oldest first."""
    return (
        Decision.objects.filter(
            signed_by=user, signed_at__isnull=True, kind__in=[DecisionKind.AWARD, DecisionKind.REVOCATION]
        )
        .select_related("issuer")
        .order_by("signed_on", "number")[:limit]
    )


def campaigns_of(tasks):
    """The campaigns of the dossiers of `tasks` (a list's rows before its filters): what its
    campaign filter offers."""
    return Campaign.objects.filter(pk__in=tasks.order_by().values(f"{DOSSIER}__campaign_id"))


UNIT_SECTIONS = {
    "drafts": [S.DRAFT],
    "returned": [S.RETURNED],
    "in_review": [
        S.SUBMITTED,
        S.IN_APPRAISAL,
        S.PUBLIC_NOTICE,
        S.IN_COUNCIL,
        S.COUNCIL_VOTED,
        S.AWAITING_DECISION,
    ],
    "decided": [S.DECIDED, S.FORWARDED, S.DECLINED, S.REJECTED],
    "withdrawn": [S.WITHDRAWN],
}


def unit_dossiers(*, user, section="drafts", filters=None):
    """The unit's own dossiers by section (drafts, returned, in review, decided, withdrawn), with
    what each section needs: the returns' lists, the decisions."""
    units = units_user_can_draft_for(user)
    states = UNIT_SECTIONS.get(section, UNIT_SECTIONS["drafts"])
    filters = {**(filters or {}), "units": units, "states": states}
    if not units:
        return Dossier.objects.none()
    qs = dossier_list_for(user=user, filters=filters)
    if section == "returned":
        qs = qs.prefetch_related(
            Prefetch("return_requests", queryset=ReturnRequest.objects.order_by("created_at"))
        )
    if section == "decided":
        qs = qs.select_related("forwarded_to").prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("issuer"))
        )
    return qs


def unit_rows(dossiers, calendar=None):
    """Drafts carry the campaign's deadline and the working days left to it."""
    calendar = calendar or WorkingCalendar()
    today = timezone.localdate()
    for dossier in dossiers:
        deadline = dossier.campaign.submission_deadline
        dossier.deadline = deadline
        dossier.deadline_passed = today > deadline
        dossier.working_days_left = calendar.working_days_between(today, deadline)
    return dossiers


def unit_counts(*, user) -> dict:
    """How many dossiers each section of the unit's inbox holds (one query)."""
    units = units_user_can_draft_for(user)
    if not units:
        return {key: 0 for key in UNIT_SECTIONS}
    rows = dict(
        dossier_list_for(user=user, filters={"units": units})
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    return {key: sum(rows.get(s, 0) for s in states) for key, states in UNIT_SECTIONS.items()}


# --- one dossier ----------------------------------------------------------------------------------


@dataclass
class DossierWorkflow:
    """What the dossier page shows of the workflow."""

    dossier: Dossier
    tasks: list = field(default_factory=list)  # TaskRow of each open step
    returns: list = field(default_factory=list)
    notice: object = None
    objections: list = field(default_factory=list)
    opinions: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    forwarded_from: list = field(default_factory=list)
    forwarded_to: object = None
    started: bool = False

    @property
    def task(self):
        return self.tasks[0] if self.tasks else None


def dossier_workflow(*, dossier, calendar=None) -> DossierWorkflow:
    """The open steps of a dossier the caller may see, with their deadlines, and the written record
    of the steps taken (returns, public notice and objections, opinions, decisions, the chain)."""
    tasks = list(
        Task.objects.filter(
            **{f"{DOSSIER}_id": dossier.pk}, status__in=OPEN, flow_task__in=list(STEPS.values())
        )
        .select_related(*TASK_RELATED, f"{DOSSIER}__public_notice")
        .order_by("pk")
    )
    wf = DossierWorkflow(dossier=dossier)
    if tasks:
        needs_calendar = any(t.flow_task is DossierFlow.appraise for t in tasks)
        calendar = calendar or (WorkingCalendar() if needs_calendar else WorkingCalendar(holidays=()))
        wf.tasks = task_rows(tasks, calendar)
    if dossier.state == S.DRAFT:
        return wf
    wf.started = True
    wf.returns = list(
        ReturnRequest.objects.filter(dossier=dossier).select_related("created_by").order_by("created_at")
    )
    wf.notice = PublicNotice.objects.filter(dossier=dossier).first()
    if wf.notice is not None:
        wf.objections = list(
            Objection.objects.filter(dossier=dossier).select_related("nominee", "lodged_by", "resolved_by")
        )
    wf.opinions = list(
        Opinion.objects.filter(dossier=dossier).select_related("author").order_by("created_at")
    )
    wf.decisions = list(
        dossier.decisions.select_related("issuer", "signed_by").order_by("signed_on", "number")
    )
    wf.forwarded_from = list(dossier.forwarded_from.select_related("unit").order_by("pk"))
    if dossier.forwarded_to_id:
        wf.forwarded_to = Dossier.objects.select_related("unit", "reviewing_unit").get(
            pk=dossier.forwarded_to_id
        )
    return wf


# --- what changed since the return ---------------------------------------------------------------


@dataclass
class Changes:
    """What the unit changed between the submission that was returned and now."""

    returned_at: object
    return_items: list
    attachments_added: list = field(default_factory=list)  # Attachment: a slot that was empty
    attachments_replaced: list = field(default_factory=list)  # (Attachment, same_content: bool)
    attachments_removed: list = field(default_factory=list)  # Attachment no longer counted
    nominees_added: list = field(default_factory=list)  # Nominee
    nominees_removed: list = field(default_factory=list)  # Nominee
    dossier_fields: list = field(default_factory=list)  # (label, before, after)
    nominee_fields: dict = field(default_factory=dict)  # nominee name: [(label, before, after)]
    nominee_names: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (
            self.attachments_added
            or self.attachments_replaced
            or self.attachments_removed
            or self.nominees_added
            or self.nominees_removed
            or self.dossier_fields
            or self.nominee_fields
        )


def _merge(into: dict, changes: dict):
    for name, (before, after) in changes.items():
        if name in into:
            into[name][1] = after
        else:
            into[name] = [before, after]


def changes_since_return(*, dossier) -> Changes | None:
    """Compare the dossier now with the submission that was returned: the nominees and the file
    hashes that submission recorded in its audit event, and the edits recorded since the return.
    None when the dossier was never returned."""
    events = dossier_timeline(dossier=dossier)
    returns = [i for i, e in enumerate(events) if e.action == "dossier.return"]
    if not returns:
        return None
    last_return = returns[-1]
    baseline = next(
        (
            e
            for e in reversed(events[:last_return])
            if e.action == "dossier.submit" and e.object_type == "dossiers.dossier"
        ),
        None,
    )
    if baseline is None:  # a forwarded dossier's first version was not submitted by a unit
        baseline_attachments, baseline_nominees = {}, set()
    else:
        baseline_attachments = {int(k): v for k, v in baseline.data.get("attachments", {}).items()}
        baseline_nominees = {n["id"] for n in baseline.data.get("nominees", [])}
    returned = events[last_return]
    changes = Changes(returned_at=returned.ts, return_items=returned.data.get("items", []))
    changes.dossier_fields, changes.nominee_fields = {}, {}

    attachments = list(
        Attachment.objects.filter(dossier=dossier).select_related("kind", "nominee").order_by("pk")
    )
    by_id = {a.pk: a for a in attachments}
    baseline_slots = {}
    for pk, sha in baseline_attachments.items():
        if pk in by_id:
            a = by_id[pk]
            baseline_slots[(a.kind_id, a.nominee_id)] = sha
    for a in attachments:
        if a.pk in baseline_attachments:
            if a.detached:
                changes.attachments_removed.append(a)
            continue
        if a.detached:
            continue
        slot = (a.kind_id, a.nominee_id)
        if slot in baseline_slots:
            changes.attachments_replaced.append((a, baseline_slots[slot] == a.sha256))
        else:
            changes.attachments_added.append(a)

    nominees = list(Nominee.objects.filter(dossier=dossier).order_by("pk"))
    changes.nominee_names = {n.pk: n.name for n in nominees}
    for n in nominees:
        if n.removed_at is None and n.pk not in baseline_nominees:
            changes.nominees_added.append(n)
        elif n.removed_at is not None and n.pk in baseline_nominees:
            changes.nominees_removed.append(n)
    for event in events[last_return + 1 :]:
        if event.action == "dossier.update":
            _merge(changes.dossier_fields, event.data.get("changes", {}))
        elif event.action == "nominee.update":
            nominee_id = int(event.object_id)
            if nominee_id in baseline_nominees:  # a new nominee's edits are part of "added"
                _merge(changes.nominee_fields.setdefault(nominee_id, {}), event.data.get("changes", {}))
    changes.dossier_fields = _labelled(Dossier, changes.dossier_fields)
    changes.nominee_fields = {
        changes.nominee_names.get(pk, pk): _labelled(Nominee, fields)
        for pk, fields in changes.nominee_fields.items()
    }
    return changes


def _labelled(model, fields: dict) -> list:
    """[(label, before, after)] for display; an award type is shown by its name."""
    rows = []
    for name, (before, after) in fields.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = name
        if name == "award_type":
            names = dict(AwardType.objects.filter(pk__in=[before, after]).values_list("pk", "name"))
            before, after = names.get(before, before), names.get(after, after)
        rows.append((label, before, after))
    return rows


# --- decisions --------------------------------------------------------------------------------------


def decisions_for(*, user):
    """Decisions on dossiers the user may see, and those of the bodies whose records office the
    user keeps (văn thư: their outgoing decisions), newest first."""
    q = visible_dossiers_q(user)
    kept = {s.unit_id for s in scopes_for(user) if s.role == Role.RECORDS_CLERK} if user.is_active else set()
    if q is None and not kept:
        return Decision.objects.none()
    decisions = Decision.objects.select_related("issuer", "signed_by").order_by("-signed_on", "-number")
    if q is not None and not q:
        return decisions  # the superuser's empty filter: every decision, without visiting every dossier
    where = Q(issuer_id__in=kept) if kept else Q(pk__in=[])
    if q is not None:
        # A semi-join per decision (does it cover, or revoke one that covers, a dossier the user
        # sees?) instead of joining every covered dossier and de-duplicating: decisions are few,
        # dossiers many, and the page needs only the newest 25.
        covered = DecisionDossier.objects.filter(dossier__in=Dossier.objects.filter(q))
        where |= Exists(covered.filter(decision_id=OuterRef("pk"))) | Exists(
            covered.filter(decision_id=OuterRef("revokes_id"))
        )
    return decisions.filter(where)


# --- what a user may do on a dossier -------------------------------------------------------------


@dataclass
class DossierActions:
    """What one user may do on one dossier now, computed once for its page (and nothing else
    decides it there: the templates only render this). The services decide again on every POST.

    `allowed` names the actions: the unit's `edit`, `submit`, `withdraw`; the steps' `receive`,
    `accept`, `return`, `reject`, `close_notice`, `resolve`, `opinion`, `decide`,
    `forward`, `decline`, `claim`; anyone's `objection` during a public notice.
    """

    workflow: DossierWorkflow
    nominees: list
    allowed: frozenset = frozenset()
    resolvable: list = field(default_factory=list)  # open objections the user may resolve
    awaits_meeting: bool = False  # the council's secretary: the result comes from a meeting
    approved: list = field(default_factory=list)  # the nominees a decision would award
    needs_forward: bool = False  # an approved award is decided at a higher level
    capacity: str = ""  # "KT" when a vice-chair signs on the chair's behalf
    changes: object = None  # Changes since the last return, for the appraiser and the unit

    def __contains__(self, name) -> bool:
        return name in self.allowed


def _step_actions(user, dossier, wf, nominees) -> dict:
    """The actions of the dossier's open step that are `user`'s, with what their forms need."""
    row = wf.task
    if row is None or row.step is None:
        return {}
    step, in_scope = row.step, row.dossier  # the task's dossier has its units loaded
    if "_current_assignment" in dossier.__dict__:  # read once for the page (approvals.permissions)
        in_scope.__dict__["_current_assignment"] = dossier.__dict__["_current_assignment"]
    free = row.holder is None
    mine = row.holder is not None and row.holder.pk == user.pk
    may = step.may(user, in_scope)
    # The standing body's leader completes its steps whoever holds the task.
    mine = mine or bool(may and step.supervisor and step.supervisor(user, in_scope))
    out: dict = {"allowed": set()}
    allowed = out["allowed"]
    if step is DossierFlow.appraise and may:
        # The state machine says which of the appraisal's moves the dossier allows now.
        if free and can_proceed(dossier.receive):
            allowed.add("receive")
        elif mine and can_proceed(dossier.accept):
            allowed.update({"accept", "return", "reject"})
    elif step is DossierFlow.notice and may:
        allowed.add("close_notice")
        out["resolvable"] = [o for o in wf.objections if o.resolved_at is None]
        if out["resolvable"]:
            allowed.add("resolve")
    elif step is DossierFlow.council and may and (free or mine):
        # Nothing to type in here: the council's result comes from a closed meeting of the
        # council (workflows.council). The secretary is shown the way to the meetings.
        out["awaits_meeting"] = True
    elif step is DossierFlow.opinion and may and (free or mine):
        allowed.add("opinion")
    elif step is DossierFlow.decide and (free or mine):
        deputy = not may and step.may(user, in_scope, "KT")
        if may or deputy:
            allowed.add("decide")
            approved = [
                n for n in nominees if n.outcome in (NomineeOutcome.VOTED_IN, NomineeOutcome.ELIGIBLE)
            ]
            out["approved"] = approved
            out["needs_forward"] = any(
                n.rule and not decides_here(n.rule, in_scope.reviewing_unit) for n in approved
            )
            out["capacity"] = "KT" if deputy else ""
        if may:
            allowed.update({"forward", "decline"})
    if free and may and step is not DossierFlow.appraise and step is not DossierFlow.resubmit:
        allowed.add("claim")
    return out


def dossier_actions(*, user, dossier) -> DossierActions:
    """What `user` may do on `dossier` (one the caller has already been allowed to see) right now:
    its unit's edits and submission, the open step's actions that are the user's, an objection
    during the public notice. Read once, rendered by the dossier's page."""
    wf = dossier_workflow(dossier=dossier)
    nominees = getattr(dossier, "current_nominees", None)
    if nominees is None:
        nominees = list(dossier.nominees.current().select_related("award_type", "rule").order_by("pk"))
    step = _step_actions(user, dossier, wf, nominees)
    allowed = set(step.pop("allowed", ()))
    if can_edit_dossier(user, dossier):
        allowed.add("edit")
    if can_submit_dossier(user, dossier) and can_proceed(dossier.submit):
        allowed.add("submit")
    if can_withdraw_dossier(user, dossier) and can_proceed(dossier.withdraw):
        allowed.add("withdraw")
    if can_proceed(dossier.lodge_objection) and can_object(user, dossier):
        allowed.add("objection")
    changes = None
    if wf.returns and dossier.state in (S.RETURNED, S.SUBMITTED, S.IN_APPRAISAL):
        changes = changes_since_return(dossier=dossier)
    return DossierActions(workflow=wf, nominees=nominees, allowed=frozenset(allowed), changes=changes, **step)


# --- one decision for many dossiers ---------------------------------------------------------------

DECISION_ROLES = {"chair", "vice_chair", "standing_officer", "standing_leader"}


def decision_units(user) -> set[int]:
    """The issuing bodies where `user` signs (chair, vice-chair) or prepares (standing body)
    decisions."""
    return {s.unit_id for s in scopes_for(user) if s.role in DECISION_ROLES}


def decision_candidates(*, user) -> list[Dossier]:
    """The dossiers awaiting a decision at the bodies where `user` signs or prepares decisions,
    by campaign then age, each with `approved_count` and `meetings` (the closed council meetings
    that voted on it). Three queries whatever the numbers."""
    units = decision_units(user)
    if not units:
        return []
    dossiers = list(
        Dossier.objects.filter(state=DossierState.AWAITING_DECISION, reviewing_unit_id__in=units)
        .select_related("campaign", "unit", "reviewing_unit")
        .annotate(
            approved_count=Count(
                "nominees",
                filter=Q(
                    nominees__removed_at__isnull=True,
                    nominees__outcome__in=[NomineeOutcome.VOTED_IN, NomineeOutcome.ELIGIBLE],
                ),
            )
        )
        .order_by("campaign__period_start", "campaign_id", "pk")
    )
    meetings = {}
    for item in (
        AgendaItem.objects.filter(dossier__in=[d.pk for d in dossiers], meeting__state=MeetingState.CLOSED)
        .select_related("meeting")
        .order_by("meeting__scheduled_at", "meeting_id")
    ):
        meetings.setdefault(item.dossier_id, {})[item.meeting_id] = item.meeting
    for d in dossiers:
        d.meetings = list(meetings.get(d.pk, {}).values())
    return dossiers


def decision_groups(dossiers) -> dict:
    """The candidates grouped by campaign and by council meeting, in order of first appearance."""
    campaigns, meetings = {}, {}
    for d in dossiers:
        campaigns.setdefault(d.campaign_id, {"campaign": d.campaign, "dossiers": []})["dossiers"].append(d)
        for m in d.meetings:
            meetings.setdefault(m.pk, {"meeting": m, "dossiers": []})["dossiers"].append(d)
    return {"campaigns": list(campaigns.values()), "meetings": list(meetings.values())}
