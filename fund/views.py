"""The fund's pages: the list of funds a user may see (and opening one), a fund's statement for a
period (page and xlsx; the page prints as the PDF), additions, corrections and an award decision's
payments. Thin: parse, call a selector or a service, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import Award, DecisionKind
from approvals.selectors import access_decision
from dossiers.views import ServiceFormView

from . import exports, permissions, selectors, services
from .forms import AdditionForm, CorrectionForm, FundOpenForm, PaymentForm, PeriodForm


@login_required
def fund_list(request):
    if not permissions.may_use_fund(request.user):
        raise Http404
    funds = list(selectors.visible_funds(request.user))
    return render(
        request,
        "fund/fund_list.html",
        {"funds": funds, "may_open": selectors.managed_units(request.user).exists()},
    )


def _statement(request, pk):
    fund = selectors.access_fund(user=request.user, pk=pk)
    period = PeriodForm(request.GET or None)
    dates = period.cleaned_data if period.is_valid() else {}
    view = selectors.statement(fund, start=dates.get("start"), end=dates.get("end"))
    return fund, period, view


@login_required
def fund_detail(request, pk):
    fund, period, view = _statement(request, pk)
    user = request.user
    return render(
        request,
        "fund/fund_detail.html",
        {
            **view,
            "period": period,
            "query": request.GET.urlencode(),
            "may_manage": permissions.can_manage(user, fund.unit),
            "may_correct": permissions.can_correct(user, fund.unit),
        },
    )


@login_required
def fund_statement_xlsx(request, pk):
    fund, _period, view = _statement(request, pk)
    response = HttpResponse(exports.statement_xlsx(view), content_type=exports.XLSX)
    name = f"so-quy-thi-dua-khen-thuong-{fund.unit.code.lower()}-{fund.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class FundOpenView(ServiceFormView):
    template_name = "fund/fund_form.html"
    back_label = gettext_lazy("Back to the award funds")

    def load(self):
        self.units = selectors.managed_units(self.request.user)
        if not self.units.exists():
            raise Http404

    def back_url(self):
        return reverse("fund-list")

    def get_form(self, data=None, files=None):
        return FundOpenForm(data, units=self.units, initial={"year": services.timezone.localdate().year})

    def get_context(self):
        return {
            "form": self.form,
            "heading": _("Set the year's budget of the award fund"),
            "back_url": self.back_url(),
        }

    def perform(self, data):
        self.fund = services.fund_open(actor=self.request.user, **data)
        return _("The budget of the award fund %(year)s of %(unit)s is set.") % {
            "year": self.fund.year,
            "unit": self.fund.unit.name,
        }

    def success_url(self):
        return reverse("fund-detail", args=[self.fund.pk])


class FundEntryView(ServiceFormView):
    """An addition (the leader or the chair) or a correction (the leader) on a fund's ledger."""

    template_name = "fund/fund_form.html"
    form_class = AdditionForm

    def load(self):
        self.fund = selectors.access_fund(user=self.request.user, pk=self.kwargs["pk"])
        allowed = permissions.can_manage if self.form_class is AdditionForm else permissions.can_correct
        if not allowed(self.request.user, self.fund.unit):
            raise Http404

    def back_url(self):
        return reverse("fund-detail", args=[self.fund.pk])

    def get_form(self, data=None, files=None):
        return self.form_class(data)

    def get_context(self):
        heading = (
            _("Addition to the award fund")
            if self.form_class is AdditionForm
            else _("Correction of the ledger")
        )
        return {"form": self.form, "fund": self.fund, "heading": heading, "back_url": self.back_url()}

    def perform(self, data):
        if self.form_class is AdditionForm:
            services.fund_addition_record(actor=self.request.user, fund=self.fund, **data)
            return _("The addition is recorded.")
        services.fund_correction_record(actor=self.request.user, fund=self.fund, **data)
        return _("The correction is recorded.")

    def success_url(self):
        return self.back_url()


class FundCorrectionView(FundEntryView):
    form_class = CorrectionForm


class DecisionPaymentsView(ServiceFormView):
    """An award decision's awards with what is paid and unpaid, and the form to record a payment
    (the standing body or the records clerk of the issuing body)."""

    template_name = "fund/decision_payments.html"

    def load(self):
        self.decision = access_decision(user=self.request.user, pk=self.kwargs["pk"])
        if self.decision.kind != DecisionKind.AWARD or not permissions.can_view(
            self.request.user, self.decision.issuer
        ):
            raise Http404
        self.may_pay = permissions.can_pay(self.request.user, self.decision.issuer)

    def back_url(self):
        return reverse("decision-detail", args=[self.decision.pk])

    def _awards(self):
        return Award.objects.filter(decision=self.decision, revoked_by__isnull=True).select_related("nominee")

    def get_form(self, data=None, files=None):
        if data is not None and not self.may_pay:
            raise Http404
        return PaymentForm(data, awards=self._awards(), initial={"paid_on": services.timezone.localdate()})

    def get_context(self):
        info = selectors.decision_fund(self.decision)
        paid = {}
        for p in info["payments"]:
            paid[p.award_id] = paid.get(p.award_id, 0) + p.amount
        awards = list(Award.objects.filter(decision=self.decision).select_related("nominee"))
        for a in awards:
            a.paid = paid.get(a.pk, 0)
            a.unpaid = 0 if a.revoked_by_id else a.amount - a.paid
        return {
            "form": self.form if self.may_pay else None,
            "decision": self.decision,
            "awards": awards,
            "fund_info": info,
            "back_url": self.back_url(),
        }

    def perform(self, data):
        entry = services.fund_payment_record(actor=self.request.user, **data)
        return _("The payment of %(amount)s to %(name)s is recorded.") % {
            "amount": services.money(entry.amount),
            "name": entry.paid_to,
        }

    def success_url(self):
        return reverse("fund-decision-payments", args=[self.decision.pk])
