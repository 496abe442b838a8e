"""The inspector's workspace in the web UI (/inspection/): thin, read-only views over
inspection.selectors. Only GET: there is nothing an inspector may change here. Each page is
itself an audited read (inspection.reads.describe_read)."""

import tempfile

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from dossiers.forms import StyledForm
from workflows.labels import action_choices

from . import selectors

SPOOL_BYTES = 32 * 1024 * 1024  # bundles larger than this are spooled to disk


class EventFilterForm(StyledForm, forms.Form):
    """The filters of the event search (GET). A dossier outside the inspector's scope is a 404;
    any other invalid value (a date that is no date, a unit outside the scope) is an error shown
    on the field: a search that silently dropped a filter would show the inspector more than was
    asked for, as if it were the answer."""

    dossier = forms.IntegerField(label=_("Dossier no."), required=False, min_value=1)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("Exact, or a prefix ending with a dot, e.g. “dossier.”"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    before = forms.IntegerField(
        label=_("Older events"), required=False, min_value=1, widget=forms.HiddenInput
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        # The units already loaded: no second query for the choices or the chosen one.
        self.units = {unit.pk: unit for unit in units}
        depth = min((unit.path.count("/") for unit in units), default=0)
        self.fields["unit"].choices = [("", _("All units in scope"))] + [
            (unit.pk, f"{'— ' * (unit.path.count('/') - depth)}{unit.name}") for unit in units
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("“Until” must not be before “From”."))
        return cleaned

    def filters(self) -> dict:
        """The search's filters; only for a form without errors (or unbound: no filter)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "dossier": data.get("dossier"),
            "unit": self.units.get(data.get("unit")),
            "actor": (data.get("actor") or "").strip(),
            "action": (data.get("action") or "").strip(),
            "since": data.get("since"),
            "until": data.get("until"),
            "before": data.get("before"),
        }


def search(*, paths, params) -> dict:
    """Parse the search's query parameters and run it: shared by the page and the API.

    Invalid filters find nothing: `form.errors` says which and why (the page shows them on the
    fields, the API answers 400 with them).
    """
    units = list(selectors.units_in_scope(paths))
    form = EventFilterForm(params or None, units=units)
    if form.is_bound and not form.is_valid():
        return {
            "form": form,
            "dossier": None,
            "entries": [],
            "next_before": None,
            "actions": action_choices(form.data.get("action", "") if form.is_bound else ""),
        }
    filters = form.filters()
    dossier = None
    if filters["dossier"]:
        dossier = selectors.access_dossier(paths=paths, pk=filters.pop("dossier"))
    else:
        filters.pop("dossier")
    events, next_before = selectors.event_page(paths=paths, dossier=dossier, **filters)
    units_by_path = {u.path: u.name for u in units}
    return {
        "form": form,
        "dossier": dossier,
        "entries": selectors.entries(events, units_by_path),
        "next_before": next_before,
        "actions": action_choices(form.data.get("action", "") if form.is_bound else ""),
    }


@require_safe
@login_required
def events(request):
    paths = selectors.require_inspector(request.user)
    context = search(paths=paths, params=request.GET)
    if context["dossier"] is not None:
        request.audit_read = {"object_type": "dossiers.dossier", "object_id": context["dossier"].pk}
    query = request.GET.copy()
    query.pop("before", None)
    context["query"] = query.urlencode()
    context["entries"] = selectors.in_words(context["entries"])
    return render(request, "inspection/events.html", context)


@require_safe
@login_required
def dossier_timeline(request, pk):
    paths = selectors.require_inspector(request.user)
    dossier = selectors.access_dossier(paths=paths, pk=pk)
    units_by_path = {u.path: u.name for u in selectors.units_in_scope(paths)}
    entries = selectors.entries(selectors.dossier_events(dossier), units_by_path)
    show_reads = request.GET.get("reads") == "1"
    context = {
        "dossier": dossier,
        "entries": selectors.in_words([e for e in entries if show_reads or not e["is_read"]]),
        "read_count": sum(1 for e in entries if e["is_read"]),
        "show_reads": show_reads,
    }
    return render(request, "inspection/dossier.html", context)


@require_safe
@login_required
def dossier_evidence(request, pk):
    """The evidence bundle as a download (GET: reading, not changing; its export is audited)."""
    paths = selectors.require_inspector(request.user)
    dossier = selectors.access_dossier(paths=paths, pk=pk)
    return evidence_response(request, dossier)


def evidence_response(request, dossier):
    # Handed to the FileResponse, which closes it once sent.
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    manifest = selectors.dossier_evidence(dossier=dossier, user=request.user, target=target)
    target.seek(0)
    request.audit_read = {
        "action": selectors.EXPORT,
        "object_type": "dossiers.dossier",
        "object_id": dossier.pk,
        "data": {
            "events": manifest["events"]["count"],
            "skeleton_upto": manifest["skeleton"]["upto"],
            "checkpoint_seq": manifest["checkpoint"]["seq"] if manifest["checkpoint"] else None,
            "documents": len(manifest["documents"]),
        },
    }
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"evidence-dossier-{dossier.pk}-{stamp}.zip",
        content_type="application/zip",
    )


@require_safe
@login_required
def chain(request):
    selectors.require_inspector(request.user)
    return render(
        request,
        "inspection/chain.html",
        {"status": selectors.chain_status(), "reused_for": settings.AUDIT_STATUS_CACHE_SECONDS},
    )
