"""The web UI of the workflow: the steps, taken from the dossier's page, and the inboxes of each
role. Thin views: each step calls one function of workflows.services (objections and revocations:
approvals.services) with `actor=request.user`; refusals are shown by dossiers.views'
ServiceErrorsMixin — a form with errors comes back on the dossier's page (400), a step that is
not the user's is a 403 page, a step that is not open now a 409 page with the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from viewflow.workflow.models import Task

from approvals import forwarding
from approvals import permissions as approval_permissions
from approvals import services as approvals
from approvals.meeting_selectors import PENDING
from approvals.models import CouncilMeeting, MeetingState, Objection
from approvals.selectors import access_decision
from documents import permissions as document_permissions
from documents import selectors as document_selectors
from dossiers import selectors as dossier_selectors
from dossiers import services as dossier_services
from dossiers.evidence import document_evidence
from dossiers.forms import AttachmentForm, ConfirmForm, NomineeForm, WithdrawForm
from dossiers.models import DossierState, Nominee
from dossiers.paging import page_of
from dossiers.permissions import can_view_dossier
from dossiers.selectors import attachment_slots
from dossiers.views import PAGE_SIZE, ServiceFormView, home_sections
from emulation import selectors as emulation_selectors
from org.calendar import WorkingCalendar
from org.errors import TransitionNotAllowed
from org.models import Role
from org.scopes import roles_of

from . import assignment_views, confirm, selectors, services
from .flows import DossierFlow
from .forms import (
    AcceptForm,
    DecideForm,
    DeclineForm,
    ForwardForm,
    ObjectionForm,
    OpinionForm,
    RejectForm,
    ResolveForm,
    ReturnForm,
    RevokeForm,
    TaskFilterForm,
)
from .labels import action_label, event_detail

# --- the dossier's page ----------------------------------------------------------------------------


def _step_forms(actions: selectors.DossierActions, dossier, failed: dict) -> dict:
    """A blank form for each action the user may take (the one that came back with errors in its
    place). Only shapes: what is allowed was decided by selectors.dossier_actions."""

    def form(name, build):
        return failed.get(name) or build()

    nominees = actions.nominees
    forms = {}
    for name, build in [
        ("receive", ConfirmForm),
        ("accept", lambda: AcceptForm(nominees=nominees)),
        ("return", ReturnForm),
        ("reject", RejectForm),
        ("close_notice", ConfirmForm),
        ("opinion", OpinionForm),
        ("decline", DeclineForm),
        ("objection", lambda: ObjectionForm(nominees=nominees)),
        ("claim", ConfirmForm),
    ]:
        if name in actions:
            forms[name] = form(name, build)
    if "resolve" in actions:
        failed_resolve = failed.get("resolve")
        forms["resolve"] = {
            o.pk: failed_resolve if getattr(failed_resolve, "objection_id", None) == o.pk else ResolveForm()
            for o in actions.resolvable
        }
    if "decide" in actions:
        title = _("On awards in the campaign “%(campaign)s”") % {"campaign": dossier.campaign}
        initial = {"title": title, "capacity": actions.capacity}
        # Only the capacities the signer may use: a vice-chair signs KT., the chair in their own right or TM.
        capacities = ["KT"] if actions.capacity == "KT" else ["", "TM"]
        forms["decide"] = form("decide", lambda: DecideForm(initial=initial, capacities=capacities))
    if "forward" in actions:
        forward_title = _("Proposal for awards at the higher level: %(title)s") % {"title": dossier.title}
        forms["forward"] = form("forward", lambda: ForwardForm(initial={"title": forward_title}))
    return forms


def render_dossier_page(request, pk, failed=None, status=200):
    """The dossier's page: its data, files and timeline, and the actions of
    selectors.dossier_actions as forms. `failed` is {action or form name: the form that came back
    with errors}, shown in place of its blank form."""
    user, failed = request.user, failed or {}
    dossier = dossier_selectors.dossier_detail(user=user, pk=pk)
    assignment = assignment_views.dossier_context(user, dossier)
    actions = selectors.dossier_actions(user=user, dossier=dossier)
    wf = actions.workflow
    # A dossier forwarded up: each nominee with where it comes from (unit, dossier, the lower
    # council's result); the lower dossiers are named, and linked only for those who may open them.
    sources = forwarding.nominee_sources(dossier)
    for nominee in actions.nominees:
        nominee.forward_source = sources.get(nominee.pk)
    # A recognised initiative of a nominee stands for the certification of an initiative (the
    # `sang-kien` document): the page names it (dossiers.evidence; initiatives fill the hook).
    evidence = document_evidence(dossier, actions.nominees, {"sang-kien"})
    for nominee in actions.nominees:
        nominee.certifying_initiative = evidence.get(("sang-kien", nominee.pk))
    for source in wf.forwarded_from if wf else ():
        source.viewable = can_view_dossier(user, source)
    # The year's emulation registrations: a warning on each nominee whose title needs one and
    # has none, the standing body's override when there is one (and its form for that body).
    may_override_registration = emulation_selectors.dossier_registrations(
        user=user, dossier=dossier, nominees=actions.nominees
    )
    context = {
        "may_override_registration": may_override_registration,
        "dossier": dossier,
        "nominees": actions.nominees,
        "slots": attachment_slots(dossier.all_attachments),
        "timeline": [
            {"event": e, "label": action_label(e.action), "detail": event_detail(e)}
            for e in dossier_selectors.dossier_timeline(dossier=dossier)
        ],
        "actions": actions,
        "can_edit": "edit" in actions,
        "can_submit": "submit" in actions,
        # A draft was never sent: there is nothing to withdraw from anyone, so it is not offered.
        "can_withdraw": ("withdraw" in actions and dossier.state != DossierState.DRAFT)
        or "withdraw" in failed,
        "submit_form": failed.get("submit") or ConfirmForm(),
        "withdraw_form": failed.get("withdraw") or WithdrawForm(),
        "wfp": {
            "wf": wf,
            "actions": _step_forms(actions, dossier, failed),
            "changes": actions.changes,
            "needs_forward": actions.needs_forward,
            "awaits_meeting": actions.awaits_meeting,
            # Where the dossier went is the unit's to know; the upward dossier itself is the
            # higher level's, shown (title, link) only to those who may open it.
            "sees_forwarded_to": bool(wf and wf.forwarded_to) and can_view_dossier(user, wf.forwarded_to),
        },
    }
    if "edit" in actions:
        context["nominee_form"] = failed.get("nominee") or NomineeForm(dossier=dossier)
        context["attachment_form"] = failed.get("attachment") or AttachmentForm(dossier=dossier)
    context.update(assignment)
    return render(request, "workflows/dossier_detail.html", context, status=status)


@login_required
def dossier_detail(request, pk):
    return render_dossier_page(request, pk)


class DossierActionView(ServiceFormView):
    """A form posted from the dossier's page. When refused, the whole page comes back with that
    form and its errors (400), in the place of the action `action` names."""

    http_method_names = ["post"]
    action = ""

    def load(self):
        self.dossier = dossier_selectors.access_dossier(user=self.request.user, pk=self.kwargs["pk"])

    def render_form(self, status=200):
        if self.form.errors:
            # The form may sit far down the page, below the fold on a phone: said at the top too.
            messages.error(self.request, _("Not done yet: correct what is marked in red in the form below."))
        return render_dossier_page(self.request, self.dossier.pk, {self.action: self.form}, status)


class NomineeAddView(DossierActionView):
    action = "nominee"

    def get_form(self, data=None, files=None):
        return NomineeForm(data, dossier=self.dossier)

    def perform(self, data):
        nominee = dossier_services.nominee_add(
            actor=self.request.user, dossier=self.dossier, **self.form.changes()
        )
        return _("%(name)s has been added to the dossier.") % {"name": nominee.name}


class NomineeRemoveView(DossierActionView):
    action = "remove"

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        # Not limited to current nominees: removing one twice is the service's refusal (409).
        nominee = get_object_or_404(Nominee, pk=self.kwargs["nominee_pk"], dossier=self.dossier)
        dossier_services.nominee_remove(actor=self.request.user, nominee=nominee)
        return _("%(name)s has been removed from the dossier.") % {"name": nominee.name}


class AttachmentAddView(DossierActionView):
    action = "attachment"

    def get_form(self, data=None, files=None):
        return AttachmentForm(data, files, dossier=self.dossier)

    def perform(self, data):
        attachment = dossier_services.attachment_add(
            actor=self.request.user,
            dossier=self.dossier,
            kind=data["kind"],
            nominee=data["nominee"],
            uploaded_file=data["file"],
        )
        return _("“%(name)s” has been attached as “%(kind)s”, version %(version)s.") % {
            "name": attachment.original_name,
            "kind": attachment.kind,
            "version": attachment.version,
        }


# --- confirmed steps: a page that shows what will be done, then the action ------------------------


class ConfirmedStepMixin:
    """Submit, return and decide: GET shows the confirmation page (what will be sent or decided,
    from the form's data in the query), POST does it, only with the token of what was confirmed
    (workflows.confirm). A form that does not hold comes back on the dossier's page (400)."""

    http_method_names = ["get", "post"]
    confirm_template = ""

    def summary(self, data) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.GET if self.form_has_data else {})
        if not self.form.is_valid():
            return self.render_form(status=400)
        if self.action not in selectors.dossier_actions(user=request.user, dossier=self.dossier):
            raise TransitionNotAllowed(_("This step cannot be taken on this dossier now, or not by you."))
        context = {
            "dossier": self.dossier,
            "form": self.form,
            "token": confirm.dossier_token(self.dossier),
            "token_field": confirm.TOKEN_FIELD,
            "action_url": request.path,
            **self.summary(self.form.cleaned_data),
        }
        return render(request, self.confirm_template, context)

    def post(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.POST, request.FILES)
        if not self.form.is_valid():
            return self.render_form(status=400)
        # A step that is not the user's (or not open) is the service's refusal, said precisely
        # (403 or 409); a step they may take needs the confirmation of what it does.
        if self.action in selectors.dossier_actions(user=request.user, dossier=self.dossier):
            confirm.require_token(request.POST, self.dossier)
        messages.success(request, self.perform(self.form.cleaned_data))
        return redirect(self.success_url())


# --- the unit head: submit and withdraw (they start and stop the process) -----------------------


class DossierSubmitView(ConfirmedStepMixin, DossierActionView):
    """Submit: the confirmation lists the nominees, the files and the receiving body."""

    action = "submit"
    form_has_data = False
    confirm_template = "workflows/confirm_submit.html"

    def summary(self, data):
        nominees = Nominee.objects.current().filter(dossier=self.dossier).select_related("award_type")
        return {
            "nominees": list(nominees.order_by("pk")),
            "attachments": confirm.current_attachments(self.dossier),
            "receiving_unit": self.dossier.reviewing_unit,
        }

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        services.dossier_submit(actor=self.request.user, dossier=self.dossier)
        return _("The dossier has been submitted to the standing body.")


class DossierWithdrawView(DossierActionView):
    action = "withdraw"

    def get_form(self, data=None, files=None):
        return WithdrawForm(data)

    def perform(self, data):
        services.dossier_withdraw(actor=self.request.user, dossier=self.dossier, reason=data["reason"])
        return _("The dossier has been withdrawn.")


# --- the steps on the dossier's page ---------------------------------------------------------------


class StepView(DossierActionView):
    """A step's form posted from the dossier's page. The page's workflow panel shows the form
    of its `action` when it comes back with errors."""

    def nominees(self):
        return self.dossier.nominees.current().order_by("pk")


class ReceiveView(StepView):
    action = "receive"

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        services.appraisal_receive(actor=self.request.user, dossier=self.dossier)
        return _("You have received the dossier; its appraisal has started.")


class AcceptView(StepView):
    action = "accept"

    def get_form(self, data=None, files=None):
        return AcceptForm(data, nominees=self.nominees())

    def perform(self, data):
        dossier = services.appraisal_accept(
            actor=self.request.user, dossier=self.dossier, ineligible=self.form.ineligible()
        )
        return _("The dossier has been accepted; it is now “%(state)s”.") % {
            "state": dossier.get_state_display()
        }


class ReturnView(ConfirmedStepMixin, StepView):
    """Return: the confirmation shows the list of what the unit must supply."""

    action = "return"
    form_has_data = True
    confirm_template = "workflows/confirm_return.html"

    def summary(self, data):
        return {"items": self.form.item_list(), "further_return_reason": data["further_return_reason"]}

    def get_form(self, data=None, files=None):
        return ReturnForm(data)

    def perform(self, data):
        services.appraisal_return(
            actor=self.request.user,
            dossier=self.dossier,
            items=self.form.item_list(),
            further_return_reason=data["further_return_reason"],
        )
        return _("The dossier has been returned to the unit with the list of what to supply.")


class RejectView(StepView):
    action = "reject"

    def get_form(self, data=None, files=None):
        return RejectForm(data)

    def perform(self, data):
        services.appraisal_reject(actor=self.request.user, dossier=self.dossier, reasons=data["reasons"])
        return _("The dossier has been rejected.")


class ObjectionLodgeView(StepView):
    action = "objection"

    def get_form(self, data=None, files=None):
        return ObjectionForm(data, nominees=self.nominees())

    def perform(self, data):
        approvals.objection_lodge(
            actor=self.request.user,
            dossier=self.dossier,
            text=data["text"],
            nominee=self.form.chosen_nominee(),
        )
        return _("Your objection has been recorded; the standing body will resolve it.")


class ObjectionResolveView(StepView):
    action = "resolve"

    def get_form(self, data=None, files=None):
        return ResolveForm(data)

    def render_form(self, status=200):
        self.form.objection_id = self.kwargs["objection_pk"]
        return super().render_form(status)

    def perform(self, data):
        objection = get_object_or_404(Objection, pk=self.kwargs["objection_pk"], dossier=self.dossier)
        approvals.objection_resolve(
            actor=self.request.user, objection=objection, resolution=data["resolution"]
        )
        return _("The objection has been resolved.")


class NoticeCloseView(StepView):
    action = "close_notice"

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        dossier = services.notice_close(actor=self.request.user, dossier=self.dossier)
        return _("The public notice is closed; the dossier is now “%(state)s”.") % {
            "state": dossier.get_state_display()
        }


class CouncilResultGoneView(LoginRequiredMixin, View):
    """Where the council's result used to be typed in by hand: now 410 Gone, saying that it comes
    only from a closed meeting of the council (convened, or held on paper and recorded)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        context = {
            "exception": services.council_result_gone_message(),
            "back_url": reverse("dossier-detail", args=[pk]),
        }
        return render(request, "409.html", context, status=410)


class OpinionView(StepView):
    action = "opinion"

    def get_form(self, data=None, files=None):
        return OpinionForm(data)

    def perform(self, data):
        services.opinion_give(
            actor=self.request.user, dossier=self.dossier, text=data["text"], agrees=data["agrees"]
        )
        return _("Your opinion has been recorded; the dossier awaits the chair's decision.")


class DecideView(ConfirmedStepMixin, StepView):
    """Decide: the confirmation shows the annex (each awardee, the award, the cash, the total)."""

    action = "decide"
    form_has_data = True
    confirm_template = "workflows/confirm_decide.html"

    def summary(self, data):
        capacity = dict(DecideForm.base_fields["capacity"].choices).get(data["capacity"], "")
        return {"annex": confirm.decision_annex(self.dossier, data["signed_on"]), "capacity_label": capacity}

    def get_form(self, data=None, files=None):
        capacities = approval_permissions.decision_capacities(self.request.user, self.dossier.reviewing_unit)
        return DecideForm(data, capacities=capacities)

    def perform(self, data):
        self.decision = services.decision_issue(
            actor=self.request.user,
            dossiers=[self.dossier],
            title=data["title"],
            signed_on=data["signed_on"],
            capacity=data["capacity"],
        )
        return _("Decision %(symbol)s is approved and numbered: make its PDF and sign it digitally.") % {
            "symbol": self.decision.symbol
        }

    def success_url(self):
        return reverse("decision-detail", args=[self.decision.pk])


class ForwardView(StepView):
    action = "forward"

    def get_form(self, data=None, files=None):
        return ForwardForm(data)

    def perform(self, data):
        self.upward = services.dossier_forward(
            actor=self.request.user, dossiers=[self.dossier], title=data["title"]
        )
        return _("The dossier has been forwarded to %(unit)s.") % {"unit": self.upward.reviewing_unit}


class DeclineView(StepView):
    action = "decline"

    def get_form(self, data=None, files=None):
        return DeclineForm(data)

    def perform(self, data):
        services.dossier_decline(actor=self.request.user, dossier=self.dossier, reason=data["reason"])
        return _("The dossier has been declined.")


class TaskClaimView(ServiceFormView):
    """Take an open task (for the appraisal: receive the dossier)."""

    http_method_names = ["post"]

    def load(self):
        task = Task.objects.filter(
            pk=self.kwargs["task_pk"], flow_task__in=list(selectors.STEPS.values())
        ).first()
        if task is None:
            raise Http404
        self.dossier = task.process.coerced.dossier
        if not can_view_dossier(self.request.user, self.dossier):
            raise Http404
        self.task = task

    def back_url(self) -> str:
        return reverse("dossier-detail", args=[self.dossier.pk])

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        services.task_claim(actor=self.request.user, task=self.task)
        return _("The task “%(step)s” is now yours.") % {"step": self.task.flow_task.task_title}

    def success_url(self):
        nxt = self.request.POST.get("next", "")
        return (
            nxt
            if nxt.startswith("/") and not nxt.startswith("//")
            else reverse("dossier-detail", args=[self.dossier.pk])
        )


# --- the home page: what each role must do now -------------------------------------------------

HOME_ROWS = 10


def _home_meetings(user) -> list[dict]:
    """The pending meetings the user sits on (the chair among the members) or serves as secretary:
    the open vote first, then the next convened ones. One query."""
    meetings = (
        CouncilMeeting.objects.filter(state__in=PENDING)
        .filter(Q(roll__member=user) | Q(secretary=user))
        .select_related("council")
        .annotate(
            on_roll=Count("roll", filter=Q(roll__member=user), distinct=True),
            nominee_count=Count("agenda", distinct=True),
            my_votes=Count(
                "agenda__participations", filter=Q(agenda__participations__member=user), distinct=True
            ),
        )
        .order_by("scheduled_at", "pk")
    )
    voting = [m for m in meetings if m.state == MeetingState.VOTING]
    scheduled = [m for m in meetings if m.state == MeetingState.SCHEDULED]
    rows = []
    for m in voting + scheduled[:1] + ([] if voting else scheduled[1:HOME_ROWS]):
        rows.append(
            {
                "meeting": m,
                "voting": m.state == MeetingState.VOTING,
                "member": bool(m.on_roll),
                "runs": m.secretary_id == user.pk,
                "chairs": m.chairperson_id == user.pk,
                "votes_left": max(m.nominee_count - m.my_votes, 0),
            }
        )
    return rows


@login_required
def home(request):
    """Each role's next step first (the open meeting, the tasks with their due dates, what the
    chair must sign, the unit's returned dossiers then its drafts), then the dossiers of its
    scope. A fixed number of queries whatever the numbers."""
    user = request.user
    roles = roles_of(user)
    council_roles = {Role.CHAIR, Role.VICE_CHAIR, Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER}
    now = {"meetings": _home_meetings(user) if roles & council_roles else []}
    if roles & {Role.STANDING_OFFICER, Role.STANDING_LEADER}:
        calendar = WorkingCalendar()
        tasks = selectors.standing_queue(user=user, calendar=calendar)[:HOME_ROWS]
        now["queue"] = selectors.task_rows(tasks, calendar)
    if roles & {Role.CHAIR, Role.VICE_CHAIR}:
        tasks = selectors.to_sign(user=user)[:HOME_ROWS]
        now["to_sign"] = selectors.task_rows(tasks, WorkingCalendar(holidays=()))
    if Role.VICE_CHAIR in roles:
        # The vice-chair in charge gives a written opinion on each dossier the council voted on.
        tasks = selectors.my_tasks(user=user, filters={"step": "opinion"})[:HOME_ROWS]
        now["opinions"] = selectors.task_rows(tasks, WorkingCalendar(holidays=()))
    if Role.RECORDS_CLERK in roles:
        # The records office's next step: the decisions signed and waiting to be issued.
        now["to_issue"] = list(document_selectors.documents_to_issue(user=user)[:HOME_ROWS])
    skip = ()
    if roles & {Role.UNIT_HEAD, Role.UNIT_STAFF}:
        for section in ("returned", "drafts"):
            rows = selectors.unit_dossiers(user=user, section=section)[:HOME_ROWS]
            # Only the deadline's date is shown (not the working days left): no holidays needed.
            now[section] = selectors.unit_rows(list(rows), WorkingCalendar(holidays=()))
        skip = ("unit_work",)
    context = {"now": now, "sections": home_sections(user, skip=skip)}
    return render(request, "dossiers/home.html", context)


# --- inboxes ------------------------------------------------------------------------------------


def _page(request, rows):
    # Counted up to a cap: a province's inbox stays fast, and says "more than" past it.
    return page_of(rows, request.GET.get("page"), PAGE_SIZE)


@login_required
def my_tasks(request):
    campaigns = selectors.campaigns_of(selectors.my_tasks(user=request.user))
    form = TaskFilterForm(request.GET or None, fields=("q", "step", "campaign"), campaigns=campaigns)
    page = _page(request, selectors.my_tasks(user=request.user, filters=form.filters()))
    page.object_list = selectors.task_rows(page.object_list, WorkingCalendar())
    assignment_views.attach_row_assignments(request.user, page.object_list)
    return render(request, "workflows/my_tasks.html", {"form": form, "page": page})


@login_required
def standing_queue(request):
    steps = [DossierFlow.appraise, DossierFlow.notice]
    form = TaskFilterForm(request.GET or None, steps=steps, fields=("q", "step", "holder", "overdue"))
    calendar = WorkingCalendar()
    tasks = selectors.standing_queue(user=request.user, filters=form.filters(), calendar=calendar)
    page = _page(request, tasks)
    page.object_list = selectors.task_rows(page.object_list, calendar)
    extra = assignment_views.queue_context(request.user, page.object_list, calendar)
    return render(request, "workflows/queue.html", {"form": form, "page": page, **extra})


@login_required
def to_sign(request):
    campaigns = selectors.campaigns_of(selectors.to_sign(user=request.user))
    form = TaskFilterForm(request.GET or None, fields=("q", "campaign"), campaigns=campaigns)
    page = _page(request, selectors.to_sign(user=request.user, filters=form.filters()))
    page.object_list = selectors.task_rows(page.object_list, WorkingCalendar(holidays=()))
    context = {
        "form": form,
        "page": page,
        "unsigned": list(selectors.decisions_to_sign_digitally(user=request.user)),
    }
    return render(request, "workflows/to_sign.html", context)


@login_required
def unit_inbox(request):
    section = request.GET.get("section", "drafts")
    if section not in selectors.UNIT_SECTIONS:
        section = "drafts"
    form = TaskFilterForm(request.GET or None, fields=("q",))
    dossiers = selectors.unit_dossiers(user=request.user, section=section, filters=form.filters())
    page = _page(request, dossiers)
    page.object_list = selectors.unit_rows(list(page.object_list), WorkingCalendar())
    context = {
        "form": form,
        "page": page,
        "section": section,
        "counts": selectors.unit_counts(user=request.user),
    }
    return render(request, "workflows/unit_inbox.html", context)


# --- decisions ----------------------------------------------------------------------------------


@login_required
def decision_list(request):
    page = _page(request, selectors.decisions_for(user=request.user))
    return render(request, "workflows/decision_list.html", {"page": page})


def render_decision(request, pk, revoke_form=None, status=200):
    decision = access_decision(user=request.user, pk=pk)
    live = [a for a in decision.award_list if not a.revoked_by_id]
    may_revoke = (
        decision.kind == "award"
        and bool(live)
        and any(
            approval_permissions.can_decide(request.user, d, c)
            for d in decision.covered_dossiers
            for c in ("", "KT")
        )
    )
    context = {
        "decision": decision,
        "may_revoke": may_revoke,
        "revoke_form": revoke_form or (RevokeForm(awards=live) if may_revoke else None),
        "papers": _decision_papers(request.user, decision),
    }
    return render(request, "workflows/decision_detail.html", context, status=status)


def _decision_papers(user, decision) -> dict:
    """The decision's own PDF (its current version, signed or not), each award's certificate and
    the latest certificate batch: what the decision's page links, with their state."""
    docs = document_selectors.decision_documents(user=user, pk=decision.pk)
    current = next((d for d in docs["documents"] if not d.superseded_by_id), None)
    if current is not None:
        current.may_sign = document_permissions.may_sign(user, current)
    certificates = {a.pk: a.certificate for a in docs["awards"]}
    for award in decision.award_list:
        award.certificate = certificates.get(award.pk)
    wanted = [a for a in docs["awards"] if not a.revoked_by_id]
    return {
        "document": current,
        "certificates_made": sum(1 for a in wanted if a.certificate),
        "certificates_wanted": len(wanted),
        "batch": docs["batch"],
        "with_certificates": docs["own_kind"] == "decision",
    }


@login_required
def decision_detail(request, pk):
    return render_decision(request, pk)


class DecisionRevokeView(ServiceFormView):
    http_method_names = ["post"]

    def load(self):
        self.decision = access_decision(user=self.request.user, pk=self.kwargs["pk"])

    back_label = gettext_lazy("Back to the decision")

    def back_url(self) -> str:
        return reverse("decision-detail", args=[self.decision.pk])

    def get_form(self, data=None, files=None):
        live = [a for a in self.decision.award_list if not a.revoked_by_id]
        return RevokeForm(data, awards=live)

    def render_form(self, status=200):
        return render_decision(self.request, self.decision.pk, self.form, status)

    def perform(self, data):
        self.revocation = approvals.decision_revoke(
            actor=self.request.user,
            awards=self.form.chosen(),
            reason=data["reason"],
            capacity=data["capacity"],
            return_by=data["return_by"],
        )
        return _("Decision %(symbol)s revokes the awards.") % {"symbol": self.revocation.symbol}

    def success_url(self):
        return reverse("decision-detail", args=[self.revocation.pk])
