"""One decision for many dossiers: the page that gathers the dossiers awaiting a decision at the
body (by campaign and by council meeting), the standing body's prepared draft, the preview (the
annex on the page and the draft PDF marked "DỰ THẢO", never stored) and the chair's confirmed
signature. Thin views over approvals.services and workflows.services."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals import permissions as approval_permissions
from approvals import services as approvals
from approvals.models import DecisionDraft
from documents.rendering import html_to_pdf, render_html
from dossiers.views import ServiceFormView
from fund import services as fund_services

from . import confirm, selectors, services
from .forms import DecisionBatchForm


def _open_drafts(units):
    return list(
        DecisionDraft.objects.filter(issuer_id__in=units, decision__isnull=True)
        .select_related("issuer", "prepared_by")
        .prefetch_related("dossiers")
        .order_by("-prepared_at", "-pk")
    )


class DecisionBatchView(ServiceFormView):
    """GET: the picker (`?campaign=`, `?meeting=` or `?draft=` preselects those dossiers).
    POST (standing body): save the choice as a draft for the chair."""

    template_name = "workflows/decision_prepare.html"
    back_label = gettext_lazy("Back to the decision's dossiers")

    def load(self):
        user = self.request.user
        self.units = selectors.decision_units(user)
        if not self.units:
            raise Http404
        self.candidates = selectors.decision_candidates(user=user)
        self.issuer = self.candidates[0].reviewing_unit if self.candidates else None
        self.capacities = (
            approval_permissions.decision_capacities(user, self.issuer) if self.issuer is not None else []
        )
        self.may_prepare = self.issuer is not None and approval_permissions.can_prepare_decision(
            user, self.issuer
        )
        self.drafts = _open_drafts(self.units)

    def back_url(self) -> str:
        return reverse("decision-prepare")

    def _preselected(self) -> tuple[list[int], str, int | None]:
        params = self.request.GET
        groups = selectors.decision_groups(self.candidates)
        draft = None
        if params.get("draft", "").isdigit():
            draft = next((d for d in self.drafts if d.pk == int(params["draft"])), None)
        if draft is not None:
            return [d.pk for d in draft.dossiers.all()], draft.title, draft.pk
        for key, name in (("meeting", "meetings"), ("campaign", "campaigns")):
            if params.get(key, "").isdigit():
                for g in groups[name]:
                    if g[key].pk == int(params[key]):
                        return [d.pk for d in g["dossiers"]], self._title(g["dossiers"]), None
        if groups["campaigns"]:
            first = groups["campaigns"][0]["dossiers"]
            return [d.pk for d in first], self._title(first), None
        return [], "", None

    def _title(self, dossiers) -> str:
        campaigns = {d.campaign_id: d.campaign for d in dossiers}
        if len(campaigns) == 1:
            return _("On awards in the campaign “%(campaign)s”") % {
                "campaign": next(iter(campaigns.values()))
            }
        return _("On awards for achievements in the emulation campaigns")

    def get_form(self, data=None, files=None):
        initial = {}
        if data is None:
            ids, title, draft = self._preselected()
            initial = {
                "dossiers": ids,
                "title": title,
                "draft": draft,
                "capacity": self.capacities[0] if self.capacities else "",
            }
        return DecisionBatchForm(
            data, initial=initial, candidates=self.candidates, capacities=self.capacities
        )

    def get_context(self) -> dict:
        groups = selectors.decision_groups(self.candidates)
        chosen = set(self.form["dossiers"].value() or [])
        for g in groups["campaigns"]:
            for d in g["dossiers"]:
                d.checked = d.pk in {int(x) for x in chosen if str(x).isdigit()}
        return {
            "form": self.form,
            "groups": groups,
            "drafts": self.drafts,
            "may_sign": bool(self.capacities),
            "may_prepare": self.may_prepare,
            "issuer": self.issuer,
        }

    def perform(self, data):
        draft = approvals.decision_draft_prepare(
            actor=self.request.user, dossiers=self.form.chosen(), title=data["title"]
        )
        self.draft = draft
        return _("The draft decision “%(title)s” is ready for the chair to sign.") % {"title": draft.title}

    def success_url(self):
        return reverse("decision-prepare") + f"?draft={self.draft.pk}"


class DecisionBatchConfirmView(DecisionBatchView):
    """GET: the confirmation — the decision as it would read (annex by kind and award, totals, the
    draft PDF link) from the picker's choice. POST: the signature, only with the token of the
    dossiers as they were shown (workflows.confirm)."""

    template_name = "workflows/decision_prepare.html"

    def load(self):
        super().load()
        if not self.capacities:
            raise Http404

    def _draft(self, data):
        pk = data.get("draft")
        return next((d for d in self.drafts if d.pk == pk), None) if pk else None

    def get(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.GET)
        if not self.form.is_valid():
            return self.render_form(status=400)
        data, dossiers = self.form.cleaned_data, self.form.chosen()
        preview = confirm.decision_preview(
            actor=request.user,
            dossiers=dossiers,
            title=data["title"],
            signed_on=data.get("signed_on"),
            capacity=data.get("capacity", ""),
        )
        context = {
            "form": self.form,
            "dossiers": dossiers,
            "preview": preview,
            "annex": preview["document"]["annex"] if preview["document"] else None,
            "capacity_label": dict(self.form.fields["capacity"].choices).get(data.get("capacity", ""), ""),
            "token": confirm.batch_token(dossiers),
            "token_field": confirm.TOKEN_FIELD,
            "query": request.GET.urlencode(),
            "draft": self._draft(data),
            # The award fund before and after this decision's cash, and its overdraw warning.
            "fund_outlook": fund_services.planned_outlook(
                issuer=dossiers[0].reviewing_unit, year=preview["day"].year, amount=preview["total"]
            )
            if dossiers
            else None,
        }
        return render(request, "workflows/confirm_decide_batch.html", context)

    def post(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.POST)
        if not self.form.is_valid():
            return self.render_form(status=400)
        data, dossiers = self.form.cleaned_data, self.form.chosen()
        confirm.require_batch_token(request.POST, dossiers)
        self.decision = services.decision_issue(
            actor=request.user,
            dossiers=dossiers,
            title=data["title"],
            signed_on=data.get("signed_on"),
            capacity=data.get("capacity", ""),
            draft=self._draft(data),
            acknowledge_overdraw=request.POST.get("acknowledge_overdraw") == "on",
        )
        messages.success(
            request,
            _(
                "Decision %(symbol)s is approved and numbered for %(count)d dossiers: make its PDF and"
                " sign it digitally."
            )
            % {"symbol": self.decision.symbol, "count": len(dossiers)},
        )
        return redirect(reverse("decision-detail", args=[self.decision.pk]))


class DecisionPreviewPdfView(DecisionBatchView):
    """The draft PDF of the decision on the chosen dossiers, marked "DỰ THẢO": rendered on each
    request, never stored, never signed, with no number."""

    def get(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.GET)
        if not self.form.is_valid():
            return self.render_form(status=400)
        data = self.form.cleaned_data
        preview = confirm.decision_preview(
            actor=request.user,
            dossiers=self.form.chosen(),
            title=data["title"],
            signed_on=data.get("signed_on"),
            capacity=data.get("capacity", ""),
        )
        if preview["document"] is None:
            return self.refusal(400, " ".join(preview["problems"]))
        pdf = html_to_pdf(render_html("documents/decision.html", preview["document"]))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="du-thao-quyet-dinh.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request, *args, **kwargs):
        raise Http404
