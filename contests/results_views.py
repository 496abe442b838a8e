"""Pages of a contest's results: the results table (rank, scores, prize, cash, totals), ranking,
resolving a tie, preparing, signing and issuing the results decision, and the public results.
They parse, call contests.results_services and render; who sees what is results_selectors'."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from approvals.models import SignerCapacity
from documents.publication import issued_document
from dossiers.files import file_response
from dossiers.views import ServiceErrorsMixin
from org import limits
from org.models import RoleAssignment, User

from . import results_permissions as perms
from . import results_selectors as selectors
from . import results_services as services


def _context(request, contest) -> dict:
    results = selectors.results_of(contest)
    document = services.current_document(contest)
    user = request.user
    return {
        "contest": contest,
        "results": results,
        "ties": selectors.open_ties(results),
        "total": sum(g.total for g in results),
        "prizes": sum(g.prizes for g in results),
        "document": document,
        "may_rank": contest.state == "final" and perms.can_rank(user, contest),
        "may_resolve": contest.state == "results"
        and not contest.decision_id
        and perms.can_rank(user, contest),
        "may_prepare": contest.state == "results"
        and not contest.decision_id
        and perms.can_prepare_decision(user, contest),
        "may_sign": document is not None and not document.signed and perms.can_sign_decision(user, contest),
        "may_issue": document is not None and document.signed and perms.keeps_records(user, contest),
        "may_certify": services.may_make_certificates(user, contest),
        "certificates": services.current_certificates(contest) if contest.decision_id else None,
    }


class ResultsView(LoginRequiredMixin, View):
    def get(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        return render(request, "contests/results_page.html", _context(request, contest))


class _ResultsAction(LoginRequiredMixin, ServiceErrorsMixin, View):
    back_label = gettext_lazy("Back to the results")

    def back_url(self):
        return reverse("contest-results", args=[self.kwargs["pk"]])


class RankView(_ResultsAction):
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        services.contest_rank(actor=request.user, contest=contest)
        messages.success(request, _("The finalists are ranked and the prizes given."))
        return redirect("contest-results", pk)


class TieForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why this order (e.g. the jury's vote, a draw before the jury)"),
        max_length=limits.TITLE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, placings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.placings = list(placings)
        for p in self.placings:
            self.fields[f"place_{p.entry_id}"] = forms.IntegerField(
                label=p.entry.title, min_value=1, max_value=len(self.placings)
            )

    def order(self) -> list[int]:
        places = {p.entry_id: self.cleaned_data[f"place_{p.entry_id}"] for p in self.placings}
        return sorted(places, key=lambda entry_id: places[entry_id])


class TieResolveView(_ResultsAction):
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        wanted = {int(v) for v in request.POST.getlist("entry") if v.isdigit()}
        tie = next(
            (
                t
                for t in selectors.open_ties(selectors.results_of(contest))
                if {p.entry_id for p in t} == wanted
            ),
            None,
        )
        if tie is None:
            return self.refusal(400, _("These entries are not one open tie of the ranking."))
        form = TieForm(request.POST, placings=tie)
        if not form.is_valid():
            return self.refusal(400, " ".join(str(e) for errors in form.errors.values() for e in errors))
        services.contest_tie_resolve(
            actor=request.user, contest=contest, entries=form.order(), reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The tie is resolved and the reason recorded."))
        return redirect("contest-results", pk)


def signer_choices(contest):
    """The people who sign the organising unit's decisions today (its chair and vice-chairs)."""
    ids = (
        RoleAssignment.objects.active_on()
        .filter(unit=contest.organizer, role__in=perms.SIGNER_ROLES)
        .values_list("user_id", flat=True)
    )

    return User.objects.filter(pk__in=ids).order_by("full_name")


class DecisionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Subject"), max_length=limits.TITLE)
    signer = forms.ModelChoiceField(label=gettext_lazy("Signed by"), queryset=None)
    capacity = forms.ChoiceField(
        label=gettext_lazy("Signs as"),
        choices=[(c, label) for c, label in SignerCapacity.choices if c in ("", "TM", "KT")],
        required=False,
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = signer_choices(contest)


class DecisionView(_ResultsAction):
    """The decision's preparation: the prizes it awards and the form for its subject and signer;
    once prepared, its PDF, the signer's signature and the records office's issue."""

    def load(self, request, pk):
        self.contest = selectors.contest_for_results(request.user, pk)

    def render_form(self, status=200):
        context = _context(self.request, self.contest)
        context["prized"] = selectors.results_of(self.contest, prized_only=True)
        context["form"] = self.form
        return render(self.request, "contests/results_decision.html", context, status=status)

    def get(self, request, pk):
        self.load(request, pk)
        self.form = DecisionForm(
            contest=self.contest, initial={"title": services.default_title(self.contest)}
        )
        return self.render_form()

    def post(self, request, pk):
        self.load(request, pk)
        self.form = DecisionForm(request.POST, contest=self.contest)
        if not self.form.is_valid():
            return self.render_form(status=400)
        data = self.form.cleaned_data
        decision = services.contest_decision_prepare(
            actor=request.user,
            contest=self.contest,
            signer=data["signer"],
            title=data["title"],
            capacity=data["capacity"] or "",
        )
        messages.success(
            request, _("Decision %(symbol)s is prepared for its signer.") % {"symbol": decision.symbol}
        )
        return redirect("contest-results-decision", pk)


class DecisionSignView(_ResultsAction):
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        services.contest_decision_sign(actor=request.user, contest=contest)
        messages.success(request, _("The decision is signed: the contest's results are decided."))
        return redirect("contest-results-decision", pk)


class DecisionIssueView(_ResultsAction):
    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        services.contest_decision_issue(actor=request.user, contest=contest)
        messages.success(request, _("The decision is issued: the results are public."))
        return redirect("contest-results-decision", pk)


class CertificatesView(_ResultsAction):
    """The prize winners' Giấy khen: made (POST) by the organiser or the records clerk once the
    decision is issued; the PDF (GET) for whoever may read the decision's PDF."""

    def get(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        made = selectors.certificates_for(request.user, contest)
        return file_response(
            made.file.open("rb"),
            filename=f"giay-khen-hoi-thi-{contest.pk}-v{made.version}.pdf",
            content_type="application/pdf",
        )

    def post(self, request, pk):
        contest = selectors.contest_for_results(request.user, pk)
        made = services.contest_certificates_make(actor=request.user, contest=contest)
        messages.success(
            request, _("The certificates are made: %(count)s in one PDF.") % {"count": made.count}
        )
        return redirect("contest-results-decision", pk)


def public_list(request):
    return render(
        request, "contests/results_public_list.html", {"contests": list(selectors.public_contests())}
    )


def public_detail(request, pk):
    contest = selectors.public_contest(pk)
    results = selectors.results_of(contest, prized_only=True)
    return render(
        request,
        "contests/results_public.html",
        {"contest": contest, "results": results, "total": sum(g.total for g in results)},
    )


def public_decision_pdf(request, pk):
    """The results decision as issued (the signer's and the agency's signatures), for anyone once
    the results are public; a 404 before, as the results page."""
    contest = selectors.public_contest(pk)
    document = issued_document(contest.decision)
    if document is None:
        raise Http404
    return file_response(
        document.file.open("rb"),
        filename=f"quyet-dinh-{contest.decision.number:02d}-{contest.decision.year}.pdf",
        content_type="application/pdf",
        inline=request.GET.get("inline") == "1",
    )
