"""Pages of the state honours proposals: list, new proposal, the proposal (nominees, candidates,
states, results, documents), and the forms to assemble, submit and record results. Thin: parse,
call a selector or a service (honours.services), render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from dossiers.paging import page_of
from dossiers.views import ServiceErrorsMixin, ServiceFormView

from . import permissions, selectors, services
from .forms import ProposalForm, ResultForm, SubmitForm
from .models import NomineeResult, ProposedNominee

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def proposal_list(request):
    proposals = selectors.proposal_list_for(user=request.user)
    return render(
        request,
        "honours/proposal_list.html",
        {
            "page": page_of(proposals, request.GET.get("page"), PAGE_SIZE),
            "can_create": selectors.assembling_units(request.user).exists(),
        },
    )


@login_required
def proposal_detail(request, pk):
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    user = request.user
    can_assemble = permissions.can_assemble(user, proposal.unit)
    entries = selectors.entries_of(proposal)
    return render(
        request,
        "honours/proposal_detail.html",
        {
            "proposal": proposal,
            "entries": entries,
            "candidates": list(selectors.candidates_for(proposal.unit))
            if can_assemble and proposal.is_draft
            else [],
            "can_assemble": can_assemble,
            "can_submit": permissions.can_submit(user, proposal.unit),
            "submit_form": SubmitForm(),
            "pending": NomineeResult.PENDING,
        },
    )


class ProposalCreateView(ServiceFormView):
    template_name = "honours/proposal_form.html"
    back_label = None

    def back_url(self):
        return reverse("honours-list")

    def get_form(self, data=None, files=None):
        units = selectors.assembling_units(self.request.user)
        if not units.exists():
            raise Http404
        return ProposalForm(data, units=units, initial={"unit": units.first()})

    def perform(self, data):
        self.proposal = services.proposal_create(actor=self.request.user, **data)
        return _("The proposal has been opened: add its nominees.")

    def success_url(self):
        return reverse("honours-detail", args=[self.proposal.pk])


class ProposalActionView(LoginRequiredMixin, ServiceErrorsMixin, View):
    """A POST on a proposal: load it (404 out of scope), call the service, go back to it."""

    def back_url(self):
        return reverse("honours-detail", args=[self.kwargs["pk"]])

    def post(self, request, pk, **kwargs):
        self.proposal = selectors.proposal_get_for(user=request.user, pk=pk)
        messages.success(request, self.perform(request))
        return redirect(self.back_url())


class NomineeAddView(ProposalActionView):
    def perform(self, request):
        from dossiers.models import Nominee

        # Any nominee of a dossier handled in the province: the service says why one may not go.
        nominee = get_object_or_404(
            Nominee,
            pk=request.POST.get("nominee") or 0,
            dossier__unit__path__startswith=self.proposal.unit.path,
        )
        entry = services.proposal_nominee_add(actor=request.user, proposal=self.proposal, nominee=nominee)
        return _("%(name)s has been added to the proposal.") % {"name": entry.nominee.name}


class NomineeRemoveView(ProposalActionView):
    def perform(self, request):
        entry = get_object_or_404(ProposedNominee, pk=self.kwargs["entry"], proposal=self.proposal)
        services.proposal_nominee_remove(actor=request.user, entry=entry)
        return _("The nominee has been taken out of the proposal.")


class SubmitView(ProposalActionView):
    def perform(self, request):
        form = SubmitForm(request.POST)
        day = form.cleaned_data.get("dispatch_date") if form.is_valid() else None
        proposal = services.proposal_submit(actor=request.user, proposal=self.proposal, dispatch_date=day)
        return _("The proposal has been submitted to the central level as tờ trình %(number)s.") % {
            "number": proposal.dispatch_number
        }


class CloseView(ProposalActionView):
    def perform(self, request):
        services.proposal_close(actor=request.user, proposal=self.proposal)
        return _("The proposal has been closed.")


class ResultView(ServiceFormView):
    template_name = "honours/result_form.html"

    def back_url(self):
        return reverse("honours-detail", args=[self.kwargs["pk"]])

    def load(self):
        self.proposal = selectors.proposal_get_for(user=self.request.user, pk=self.kwargs["pk"])
        self.entry = get_object_or_404(
            ProposedNominee.objects.select_related("nominee__award_type"),
            pk=self.kwargs["entry"],
            proposal=self.proposal,
        )

    def get_form(self, data=None, files=None):
        return ResultForm(data)

    def get_context(self):
        return {"form": self.form, "proposal": self.proposal, "entry": self.entry}

    def perform(self, data):
        services.result_record(actor=self.request.user, entry=self.entry, **data)
        return _("The result of %(name)s has been recorded.") % {"name": self.entry.nominee.name}

    def success_url(self):
        return self.back_url()


def document_response(proposal, data, fmt) -> HttpResponse:
    name = f"to-trinh-khen-cao-{proposal.year}-{proposal.pk}"
    if fmt == "pdf":
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    else:
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="danh-sach-{name}.xlsx"'
    return response


@login_required
def proposal_document(request, pk, fmt):
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    data = services.proposal_document_render(actor=request.user, proposal=proposal, fmt=fmt)
    return document_response(proposal, data, fmt)
