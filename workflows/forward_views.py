"""Forwarding that gathers, as pages: the chair picks the dossiers awaiting their decision whose
approved nominees go up (grouped by campaign and unit, all preselected), sees on a confirmation
page every nominee with its source and its files and the documents that travel, and forwards
them in one upward dossier with one tờ trình (workflows.services.dossier_forward). The forwarding
is done only for what was shown: a change in between is refused with nothing done."""

import hashlib
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from approvals import forwarding
from approvals.services import decides_here
from dossiers.forms import StyledForm
from dossiers.models import Dossier, DossierState
from dossiers.views import refusal_of, render_refusal
from org import limits
from org.errors import TransitionNotAllowed
from org.models import Role, Unit
from org.scopes import scopes_for

from . import confirm, services

TOKEN_FIELD = confirm.TOKEN_FIELD


def gatherable_dossiers(user) -> list:
    """The dossiers awaiting the decision of a body where `user` is the chair, with their
    approved nominees (`approved`) and whether one of them must go up (`must_go_up`); in
    campaign, unit, id order. Three queries whatever the number."""
    units = {s.unit_id for s in scopes_for(user) if s.role == Role.CHAIR}
    dossiers = list(
        Dossier.objects.filter(state=DossierState.AWAITING_DECISION, reviewing_unit_id__in=units)
        .select_related("unit", "campaign", "reviewing_unit")
        .order_by("campaign__name", "campaign_id", "unit__name", "pk")
    )
    by_dossier = {}
    for n in forwarding.approved_nominees(dossiers):
        by_dossier.setdefault(n.dossier_id, []).append(n)
    out = []
    for d in dossiers:
        d.approved = by_dossier.get(d.pk, [])
        d.must_go_up = any(n.rule_id and not decides_here(n.rule, d.reviewing_unit) for n in d.approved)
        if d.approved:
            out.append(d)
    return out


def may_forward(user) -> bool:
    """Whether `user` chairs a body that has a higher level to forward to (one query)."""
    units = {s.unit_id for s in scopes_for(user) if s.role == Role.CHAIR}
    return bool(units) and Unit.objects.filter(pk__in=units, parent__isnull=False).exists()


def grouped(dossiers) -> list[dict]:
    return [
        {"campaign": campaign, "dossiers": list(rows)}
        for campaign, rows in groupby(dossiers, key=lambda d: d.campaign)
    ]


def gathering_token(dossiers) -> str:
    """A digest of the dossiers the confirmation showed (each as workflows.confirm sees it)."""
    facts = [confirm.dossier_token(d) for d in sorted(dossiers, key=lambda d: d.pk)]
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


class GatherForm(StyledForm, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the dossier sent up"), max_length=limits.TITLE)
    dossiers = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Dossiers whose approved nominees go up"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one dossier.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].choices = [(d.pk, d.title) for d in choices]


def _default_title(dossiers) -> str:
    unit = dossiers[0].reviewing_unit if dossiers else None
    return _("Proposal for awards at the higher level from %(unit)s") % {"unit": unit or ""}


class GatherView(LoginRequiredMixin, View):
    """GET: the pick page. GET with a selection (?dossiers=…&title=…&preview=1): the confirmation.
    POST: forward what the confirmation showed."""

    http_method_names = ["get", "post"]

    def setup_choices(self, request):
        self.candidates = gatherable_dossiers(request.user)
        if not self.candidates and not may_forward(request.user):
            raise PermissionDenied(_("Only the chair of a body with a higher level may forward dossiers."))
        self.by_pk = {d.pk: d for d in self.candidates}

    def chosen(self, form):
        return [self.by_pk[pk] for pk in form.cleaned_data["dossiers"]]

    def get(self, request):
        self.setup_choices(request)
        if "preview" not in request.GET:
            preselected = [d.pk for d in self.candidates]
            form = GatherForm(
                initial={"dossiers": preselected, "title": _default_title(self.candidates)},
                choices=self.candidates,
            )
            return self.pick(request, form)
        form = GatherForm(request.GET, choices=self.candidates)
        if not form.is_valid():
            return self.pick(request, form, status=400)
        return self.confirmation(request, form)

    def pick(self, request, form, status=200):
        context = {
            "form": form,
            "groups": grouped(self.candidates),
            "selected": set(form["dossiers"].value() or []),
        }
        return render(request, "workflows/forward_pick.html", context, status=status)

    def confirmation(self, request, form):
        dossiers = self.chosen(form)
        nominees = forwarding.approved_nominees(dossiers)
        by_nominee, by_dossier = forwarding.current_files(dossiers)
        for n in nominees:
            n.files = by_nominee.get(n.pk, [])
        context = {
            "form": form,
            "dossiers": dossiers,
            "nominees": nominees,
            "documents": [(d, by_dossier.get(d.pk, [])) for d in dossiers],
            "receiving_unit": dossiers[0].reviewing_unit.parent.deciding_unit()
            if dossiers[0].reviewing_unit.parent_id
            else None,
            "token": gathering_token(dossiers),
            "token_field": TOKEN_FIELD,
        }
        return render(request, "workflows/forward_confirm.html", context)

    def post(self, request):
        try:
            return self.forward(request)
        except (PermissionDenied, TransitionNotAllowed) as exc:
            code, message = refusal_of(exc)
            return render_refusal(request, code, message, back_url=reverse("forward-gather"))

    def forward(self, request):
        self.setup_choices(request)
        form = GatherForm(request.POST, choices=self.candidates)
        if not form.is_valid():
            return self.pick(request, form, status=400)
        dossiers = self.chosen(form)
        given = (request.POST.get(TOKEN_FIELD) or "").strip()
        if given != gathering_token(dossiers):
            raise TransitionNotAllowed(
                _(
                    "A dossier changed after you confirmed (its state, nominees or files): nothing was "
                    "forwarded. Look at the selection again and confirm anew."
                )
            )
        try:
            upward = services.dossier_forward(
                actor=request.user, dossiers=dossiers, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.pick(request, form, status=400)
        messages.success(
            request,
            _("%(count)d dossiers have been forwarded to %(unit)s in one dossier.")
            % {"count": len(dossiers), "unit": upward.reviewing_unit},
        )
        return redirect(reverse("dossier-detail", args=[upward.pk]))
