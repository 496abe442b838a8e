"""The web UI of the workflow: the steps, taken from the dossier's page, and the inboxes of each
role. Thin views: each step calls one function of workflows.services (objections and revocations:
approvals.services) with `actor=request.user`; refusals are shown by dossiers.views'
ServiceErrorsMixin — a form with errors comes back on the dossier's page (400), a step that is
not the user's is a 403 page, a step that is not open now a 409 page with the reason.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from approvals import permissions as approval_permissions
from approvals import services as approvals
from approvals.models import Objection
from dossiers.forms import ConfirmForm, WithdrawForm
from dossiers.permissions import can_view_dossier
from dossiers.views import PAGE_SIZE, DossierActionView, ServiceFormView
from org.calendar import WorkingCalendar

from . import selectors, services
from .flows import DossierFlow
from .forms import (
    AcceptForm,
    CouncilResultForm,
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

# --- the unit head: submit and withdraw (they start and stop the process) -----------------------


class DossierSubmitView(DossierActionView):
    form_name = "submit_form"

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        services.dossier_submit(actor=self.request.user, dossier=self.dossier)
        return _("The dossier has been submitted to the standing body.")


class DossierWithdrawView(DossierActionView):
    form_name = "withdraw_form"

    def get_form(self, data=None, files=None):
        return WithdrawForm(data)

    def perform(self, data):
        services.dossier_withdraw(actor=self.request.user, dossier=self.dossier, reason=data["reason"])
        return _("The dossier has been withdrawn.")


# --- the steps on the dossier's page ---------------------------------------------------------------


class StepView(DossierActionView):
    """A step's form posted from the dossier's page. The page's workflow panel shows the form
    named `form_name` from the context when it comes back with errors."""

    def nominees(self):
        return self.dossier.nominees.current().order_by("pk")


class ReceiveView(StepView):
    form_name = "wf_receive_form"

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        services.appraisal_receive(actor=self.request.user, dossier=self.dossier)
        return _("You have received the dossier; its appraisal has started.")


class AcceptView(StepView):
    form_name = "wf_accept_form"

    def get_form(self, data=None, files=None):
        return AcceptForm(data, nominees=self.nominees())

    def perform(self, data):
        dossier = services.appraisal_accept(
            actor=self.request.user, dossier=self.dossier, ineligible=self.form.ineligible()
        )
        return _("The dossier has been accepted; it is now “%(state)s”.") % {
            "state": dossier.get_state_display()
        }


class ReturnView(StepView):
    form_name = "wf_return_form"

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
    form_name = "wf_reject_form"

    def get_form(self, data=None, files=None):
        return RejectForm(data)

    def perform(self, data):
        services.appraisal_reject(actor=self.request.user, dossier=self.dossier, reasons=data["reasons"])
        return _("The dossier has been rejected.")


class ObjectionLodgeView(StepView):
    form_name = "wf_objection_form"

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
    form_name = "wf_resolve_form"

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
    form_name = "wf_notice_form"

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        dossier = services.notice_close(actor=self.request.user, dossier=self.dossier)
        return _("The public notice is closed; the dossier is now “%(state)s”.") % {
            "state": dossier.get_state_display()
        }


class CouncilResultView(StepView):
    form_name = "wf_council_form"

    def get_form(self, data=None, files=None):
        return CouncilResultForm(data, nominees=self.nominees().filter(outcome="eligible"))

    def perform(self, data):
        services.council_result_record(
            actor=self.request.user, dossier=self.dossier, results=self.form.results()
        )
        return _("The council's result has been recorded.")


class OpinionView(StepView):
    form_name = "wf_opinion_form"

    def get_form(self, data=None, files=None):
        return OpinionForm(data)

    def perform(self, data):
        services.opinion_give(
            actor=self.request.user, dossier=self.dossier, text=data["text"], agrees=data["agrees"]
        )
        return _("Your opinion has been recorded; the dossier awaits the chair's decision.")


class DecideView(StepView):
    form_name = "wf_decide_form"

    def get_form(self, data=None, files=None):
        return DecideForm(data)

    def perform(self, data):
        self.decision = services.decision_issue(
            actor=self.request.user,
            dossiers=[self.dossier],
            title=data["title"],
            signed_on=data["signed_on"],
            capacity=data["capacity"],
        )
        return _("Decision %(symbol)s has been signed.") % {"symbol": self.decision.symbol}

    def success_url(self):
        return reverse("decision-detail", args=[self.decision.pk])


class ForwardView(StepView):
    form_name = "wf_forward_form"

    def get_form(self, data=None, files=None):
        return ForwardForm(data)

    def perform(self, data):
        self.upward = services.dossier_forward(
            actor=self.request.user, dossiers=[self.dossier], title=data["title"]
        )
        return _("The dossier has been forwarded to %(unit)s.") % {"unit": self.upward.reviewing_unit}


class DeclineView(StepView):
    form_name = "wf_decline_form"

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

    def refusal(self, status, message):
        context = {"exception": message, "back_url": reverse("dossier-detail", args=[self.dossier.pk])}
        return render(self.request, f"{status}.html", context, status=status)

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


# --- inboxes ------------------------------------------------------------------------------------


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def my_tasks(request):
    form = TaskFilterForm(request.GET or None, fields=("q", "step", "campaign"))
    page = _page(request, selectors.my_tasks(user=request.user, filters=form.filters()))
    page.object_list = selectors.task_rows(page.object_list, WorkingCalendar())
    return render(request, "workflows/my_tasks.html", {"form": form, "page": page})


@login_required
def standing_queue(request):
    steps = [DossierFlow.appraise, DossierFlow.notice]
    form = TaskFilterForm(request.GET or None, steps=steps, fields=("q", "step", "holder", "overdue"))
    calendar = WorkingCalendar()
    tasks = selectors.standing_queue(user=request.user, filters=form.filters(), calendar=calendar)
    page = _page(request, tasks)
    page.object_list = selectors.task_rows(page.object_list, calendar)
    return render(request, "workflows/queue.html", {"form": form, "page": page})


@login_required
def to_sign(request):
    form = TaskFilterForm(request.GET or None, fields=("q", "campaign"))
    page = _page(request, selectors.to_sign(user=request.user, filters=form.filters()))
    page.object_list = selectors.task_rows(page.object_list, WorkingCalendar(holidays=()))
    return render(request, "workflows/to_sign.html", {"form": form, "page": page})


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
    decision = selectors.access_decision(user=request.user, pk=pk)
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
    }
    return render(request, "workflows/decision_detail.html", context, status=status)


@login_required
def decision_detail(request, pk):
    return render_decision(request, pk)


class DecisionRevokeView(ServiceFormView):
    http_method_names = ["post"]

    def load(self):
        self.decision = selectors.access_decision(user=self.request.user, pk=self.kwargs["pk"])

    def refusal(self, status, message):
        context = {"exception": message, "back_url": reverse("decision-detail", args=[self.decision.pk])}
        return render(self.request, f"{status}.html", context, status=status)

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
        )
        return _("Decision %(symbol)s revokes the awards.") % {"symbol": self.revocation.symbol}

    def success_url(self):
        return reverse("decision-detail", args=[self.revocation.pk])
