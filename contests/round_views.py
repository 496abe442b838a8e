"""Chấm thi: the jurors' scoring pages (phone first: a juror scores an entry on a phone at the
presentation) and the organiser's round panel. They parse, call contests.round_services and
render; who sees what is contests.round_selectors'."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dossiers.views import ServiceErrorsMixin, ServiceFormView
from org import limits

from . import round_selectors as selectors
from . import round_services as services
from .models import Entry, RoundKind

K = RoundKind
KINDS = (K.APPRAISAL, K.FINAL)
# The rounds as a sentence names them (seed 002, section 3 b and c).
ROUND_NAMES = {K.APPRAISAL: gettext_lazy("the appraisal round"), K.FINAL: gettext_lazy("the final round")}


def _kind(kind) -> str:
    if kind not in K.values:
        raise Http404
    return kind


@login_required
def scoring_home(request):
    """A juror's rounds to score (with how far they are) and the organiser's contests."""
    return render(
        request,
        "contests/round_home.html",
        {
            "to_score": selectors.rounds_to_score(request.user),
            "organised": selectors.organised_contests(request.user),
        },
    )


def _section(seat, kind, round_, tasks):
    """One round's part of the panel, as the person asking may see it."""
    contest = seat.contest
    section = {"kind": kind, "label": ROUND_NAMES[kind], "round": round_}
    if seat.organiser:
        section["can_start"] = tasks.get(services.OPENED_BY[kind]) is not None
        section["can_close"] = round_ is not None and tasks.get(services.CLOSED_BY[kind]) is not None
    if round_ is None:
        return section
    criteria = selectors.criteria_of(contest, kind)
    entries = selectors.entries_of(round_)
    section["criteria"] = criteria
    if round_.is_closed:
        section["jurors"], section["rows"] = selectors.scores_table(round_, entries, criteria)
        if kind == K.APPRAISAL:
            finalists = [row for row in section["rows"] if row.entry.state == "finalist"]
            section["finalists"] = finalists
            section["tie_at_line"] = len(finalists) > contest.finalists
        section["excluded"] = list(round_.excluded_jurors.select_related("user"))
    else:
        if seat.organiser:
            section["progress"] = selectors.progress(round_, entries, criteria)
        if seat.juror is not None:
            section["mine"] = selectors.my_entries(round_, seat.juror, entries, criteria)
    return section


@login_required
def round_panel(request, pk):
    seat = selectors.seat_for(request.user, pk)
    rounds = selectors.rounds_of(seat.contest)
    tasks = {}
    if seat.organiser:
        for name in ("receive_entries", "appraisal", "finalists", "final"):
            tasks[name] = services.open_task(seat.contest, name)
    sections = [_section(seat, kind, rounds.get(kind), tasks) for kind in KINDS]
    return render(
        request,
        "contests/round_panel.html",
        {"seat": seat, "contest": seat.contest, "sections": sections, "close_form": CloseForm()},
    )


class RoundStartView(LoginRequiredMixin, ServiceErrorsMixin, View):
    """POST: the organiser opens a round."""

    def back_url(self):
        return reverse("contest-rounds", args=[self.kwargs["pk"]])

    def post(self, request, pk, kind):
        seat = selectors.seat_for(request.user, pk)
        services.round_start(actor=request.user, contest=seat.contest, kind=_kind(kind))
        messages.success(
            request, _("%(round)s is open: the jurors can score.") % {"round": capfirst(ROUND_NAMES[kind])}
        )
        return redirect("contest-rounds", pk)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for closing with scores missing"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Only when a juror has not scored every entry: that juror's scores then count for no entry."
        ),
    )


class RoundCloseView(ServiceFormView):
    """The organiser closes a round; a refusal (scores missing) comes back with the list."""

    template_name = "contests/round_close.html"

    def back_url(self):
        return reverse("contest-rounds", args=[self.kwargs["pk"]])

    def load(self):
        self.seat = selectors.seat_for(self.request.user, self.kwargs["pk"])
        self.kind = _kind(self.kwargs["kind"])

    def get_form(self, data=None, files=None):
        return CloseForm(data)

    def get_context(self):
        return {"form": self.form, "contest": self.seat.contest, "kind_label": ROUND_NAMES[self.kind]}

    def perform(self, data):
        services.round_close(
            actor=self.request.user, contest=self.seat.contest, kind=self.kind, reason=data["reason"]
        )
        return _("%(round)s is closed and scored.") % {"round": capfirst(ROUND_NAMES[self.kind])}

    def success_url(self):
        return reverse("contest-rounds", args=[self.seat.contest.pk])


class ScoreForm(forms.Form):
    """All the criteria of the round for one entry, at once."""

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                max_digits=5,
                decimal_places=2,
                initial=(initial_scores or {}).get(criterion.pk),
                help_text=_("Weight %(weight)d %% · from 0 to %(max)d")
                % {"weight": criterion.weight, "max": criterion.max_score},
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "min": 0}),
            )

    def values(self) -> dict:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ScoreView(ServiceFormView):
    """A juror's form for one entry: every criterion, their previous scores, the entry's files."""

    template_name = "contests/score_form.html"

    def back_url(self):
        return reverse("contest-rounds", args=[self.kwargs["pk"]])

    def load(self):
        self.seat = selectors.seat_for(self.request.user, self.kwargs["pk"])
        self.kind = _kind(self.kwargs["kind"])
        if self.seat.juror is None:
            raise Http404
        self.round = selectors.rounds_of(self.seat.contest).get(self.kind)
        if self.round is None:
            raise Http404
        self.entries = selectors.entries_of(self.round)
        self.entry = next((e for e in self.entries if e.pk == self.kwargs["entry_pk"]), None)
        if self.entry is None:
            raise Http404
        self.criteria = selectors.criteria_of(self.seat.contest, self.kind)
        self.mine = {
            row.entry.pk: row
            for row in selectors.my_entries(self.round, self.seat.juror, self.entries, self.criteria)
        }

    def get_form(self, data=None, files=None):
        return ScoreForm(data, criteria=self.criteria, initial_scores=self.mine[self.entry.pk].scores)

    def get_context(self):
        position = [e.pk for e in self.entries].index(self.entry.pk)
        following = self.entries[position + 1] if position + 1 < len(self.entries) else None
        return {
            "form": self.form,
            "contest": self.seat.contest,
            "round": self.round,
            "kind_label": ROUND_NAMES[self.kind],
            "entry": self.entry,
            "files": list(get_object_or_404(Entry, pk=self.entry.pk).files.all()),
            "mine": self.mine[self.entry.pk],
            "position": position + 1,
            "count": len(self.entries),
            "following": following,
        }

    def perform(self, data):
        services.scores_save(
            actor=self.request.user, entry=self.entry, kind=self.kind, values=self.form.values()
        )
        return _("Your scores of “%(entry)s” are saved.") % {"entry": self.entry.title}

    def success_url(self):
        # On to the next entry the juror has not scored yet, else back to the round.
        for entry in self.entries:
            row = self.mine.get(entry.pk)
            if entry.pk != self.entry.pk and row is not None and not row.conflict and not row.complete:
                return reverse("contest-score", args=[self.seat.contest.pk, self.kind, entry.pk])
        return reverse("contest-rounds", args=[self.seat.contest.pk])
