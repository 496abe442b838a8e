"""The web UI of dossiers: thin views that parse the request, call a selector or a service and
render. Every write goes through dossiers.services with `actor=request.user`; every read through
dossiers.selectors, which answer 404 for what the user may not see.

The services' refusals become responses in one place, `ServiceErrorsMixin`:
PermissionDenied → 403 page with its message; TransitionNotAllowed → 409 page with its message;
ValidationError → the form shown again (400) with each message, the data unchanged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from org.errors import TransitionNotAllowed
from org.models import Role, Unit
from org.scopes import roles_of

from . import permissions, selectors, services
from .files import file_response
from .forms import (
    DossierCreateForm,
    DossierFilterForm,
    DossierForm,
    NomineeAuthorForm,
    NomineeForm,
    add_service_errors,
)
from .history import award_history, nominee_eligibility
from .models import DossierState, NomineeAuthor, NomineeKind
from .paging import page_of

S = DossierState
PAGE_SIZE = 25
HOME_ROWS = 10


# --- the one mapping of refusals to responses -------------------------------------------------


def refusal_of(exc) -> tuple[int, str]:
    """The status and the message of a service's refusal: not the user's to do (403), not now
    (409), or wrong data (400)."""
    if isinstance(exc, PermissionDenied):
        return 403, str(exc) or _("You are not allowed to do this.")
    if isinstance(exc, TransitionNotAllowed):
        return 409, str(exc.message)
    return 400, " ".join(exc.messages)


def render_refusal(request, status, message, *, back_url, back_label=None):
    """The refusal page: what was refused and why, and the way back."""
    context = {"exception": message, "back_url": back_url, "back_label": back_label}
    return render(request, f"{status}.html", context, status=status)


REFUSALS = (PermissionDenied, TransitionNotAllowed, ValidationError)


class ServiceErrorsMixin:
    """Turns a service's refusal into the answer the user can act on.

    A view that calls a service keeps its form in `self.form` and can show it again with
    `render_form(status=…)`; a ValidationError is put on that form. Without a form, every
    refusal is its page (`refusal`), which leads back to `back_url()`.
    """

    form = None
    back_label = None  # "Back to the dossier" unless a view says otherwise

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except REFUSALS as exc:
            if isinstance(exc, ValidationError) and self.form is not None:
                add_service_errors(self.form, exc)
                return self.render_form(status=400)
            return self.refusal(*refusal_of(exc))

    def back_url(self) -> str:
        pk = self.kwargs.get("pk")
        return reverse("dossier-detail", args=[pk]) if pk else reverse("home")

    def refusal(self, status, message):
        return render_refusal(
            self.request, status, message, back_url=self.back_url(), back_label=self.back_label
        )


class ServiceFormView(LoginRequiredMixin, ServiceErrorsMixin, View):
    """GET shows the form; POST checks its shape, calls the service and redirects."""

    template_name = ""

    def load(self):
        """Fetch what the page is about (404 when the user may not see it)."""

    def get_form(self, data=None, files=None):
        raise NotImplementedError

    def perform(self, data) -> str:
        """Call the service; return the message to show after the redirect."""
        raise NotImplementedError

    def success_url(self) -> str:
        return reverse("dossier-detail", args=[self.dossier.pk])

    def get_context(self) -> dict:
        return {"form": self.form, "dossier": getattr(self, "dossier", None)}

    def render_form(self, status=200):
        return render(self.request, self.template_name, self.get_context(), status=status)

    def get(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form()
        return self.render_form()

    def post(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.POST, request.FILES)
        if not self.form.is_valid():
            return self.render_form(status=400)
        message = self.perform(self.form.cleaned_data)
        messages.success(request, message)
        return redirect(self.success_url())


# --- home and list ----------------------------------------------------------------------------

IN_REVIEW = [s for s in S.values if s not in (S.DRAFT, S.RETURNED, S.WITHDRAWN)]
# Each section of the home page: its title and the filters of dossier_list_for. Sections marked
# `own_units` are limited to the units the user drafts for.
HOME_SECTIONS = {
    "unit_work": {
        "title": gettext_lazy("Drafts and returned dossiers of your unit"),
        "filters": {"states": [S.DRAFT, S.RETURNED]},
        "own_units": True,
    },
    "unit_sent": {
        "title": gettext_lazy("Submitted by your unit"),
        "filters": {"states": IN_REVIEW},
        "own_units": True,
    },
    "to_receive": {
        "title": gettext_lazy("Submitted dossiers waiting for the standing body"),
        "filters": {"state": S.SUBMITTED},
        "link": {"state": S.SUBMITTED},
    },
    "council": {
        "title": gettext_lazy("Dossiers before the council"),
        # Those the council has still to vote on: not those still under public notice, nor
        # those it has voted on.
        "filters": {"state": S.IN_COUNCIL},
        "link": {"state": S.IN_COUNCIL},
    },
    "decision": {
        "title": gettext_lazy("Dossiers awaiting a decision"),
        "filters": {"state": S.AWAITING_DECISION},
        "link": {"state": S.AWAITING_DECISION},
    },
    "recent": {
        "title": gettext_lazy("Recent dossiers in your scope"),
        "filters": {},
    },
}
ROLE_SECTIONS = [
    (Role.UNIT_HEAD, ["unit_work", "unit_sent"]),
    (Role.UNIT_STAFF, ["unit_work", "unit_sent"]),
    (Role.STANDING_OFFICER, ["to_receive", "recent"]),
    (Role.STANDING_LEADER, ["to_receive", "recent"]),
    (Role.CHAIR, ["decision", "recent"]),
    (Role.VICE_CHAIR, ["decision", "council", "recent"]),
    (Role.COUNCIL_SECRETARY, ["council", "recent"]),
    (Role.COUNCIL_MEMBER, ["council", "recent"]),
    (Role.INSPECTOR, ["recent"]),
    (Role.ADMIN, ["recent"]),
]


def home_sections(user, skip=()) -> list[dict]:
    """What concerns each role, one query a section whatever the numbers (the sections in `skip`
    left out: a page above this one shows them its own way)."""
    roles = roles_of(user)
    keys = []
    for role, section_keys in ROLE_SECTIONS:
        if role in roles:
            keys += [k for k in section_keys if k not in keys and k not in skip]
    own_units = permissions.units_user_can_draft_for(user) if keys else []
    sections = []
    for key in keys:
        section = HOME_SECTIONS[key]
        filters = dict(section["filters"])
        if section.get("own_units"):
            filters["units"] = own_units
        rows = selectors.dossier_list_for(user=user, filters=filters)[:HOME_ROWS]
        sections.append({"key": key, **section, "dossiers": list(rows)})
    return sections


@login_required
def dossier_list(request):
    form = DossierFilterForm(request.GET or None)
    dossiers = selectors.dossier_list_for(user=request.user, filters=form.filters())
    page = page_of(dossiers, request.GET.get("page"), PAGE_SIZE)
    return render(request, "dossiers/dossier_list.html", {"form": form, "page": page})


# --- files ------------------------------------------------------------------------------------


@login_required
def attachment_download(request, pk):
    attachment = selectors.access_attachment(user=request.user, pk=pk)
    return file_response(
        attachment.file.open("rb"), filename=attachment.original_name, content_type=attachment.content_type
    )


# --- create and edit --------------------------------------------------------------------------


class DossierCreateView(ServiceFormView):
    template_name = "dossiers/dossier_form.html"

    def load(self):
        unit_ids = permissions.units_user_can_draft_for(self.request.user)
        self.units = Unit.objects.filter(pk__in=unit_ids).order_by("name")
        if not unit_ids:
            raise PermissionDenied(_("You may draft dossiers only for your own unit."))

    def get_form(self, data=None, files=None):
        campaigns = selectors.open_campaigns(today=timezone.localdate())
        return DossierCreateForm(data, campaigns=campaigns, units=self.units)

    def perform(self, data):
        self.dossier = services.dossier_create(
            actor=self.request.user,
            unit=data["unit"],
            campaign=data["campaign"],
            title=data["title"],
            procedure_kind=data["procedure_kind"],
            summary=data["summary"],
        )
        return _("The draft dossier has been created. Add its nominees and documents.")


class DossierEditView(ServiceFormView):
    template_name = "dossiers/dossier_form.html"

    def load(self):
        self.dossier = selectors.access_dossier(user=self.request.user, pk=self.kwargs["pk"])
        # The form is shown only to whom the service would let save it (403, then 409).
        services.require_editable(self.request.user, self.dossier)

    def get_form(self, data=None, files=None):
        return DossierForm(data, instance=self.dossier)

    def perform(self, data):
        services.dossier_update(
            actor=self.request.user,
            dossier=self.dossier,
            **{field: data[field] for field in DossierForm.Meta.fields},
        )
        return _("The dossier has been saved.")


class NomineeEditView(ServiceFormView):
    template_name = "dossiers/nominee_form.html"

    def load(self):
        self.nominee = selectors.access_nominee(
            user=self.request.user, dossier_pk=self.kwargs["pk"], pk=self.kwargs["nominee_pk"]
        )
        self.dossier = self.nominee.dossier
        services.require_editable(self.request.user, self.dossier)

    def get_form(self, data=None, files=None):
        return NomineeForm(data, instance=self.nominee, dossier=self.dossier)

    def get_context(self):
        context = {**super().get_context(), "nominee": self.nominee}
        # The side panel: the nominee's awards over the years and the conditions of its award.
        context["history"] = award_history(self.nominee)
        context["eligibility"] = nominee_eligibility(self.nominee)
        if self.nominee.kind == NomineeKind.INITIATIVE:
            context["authors"] = list(self.nominee.authors.all())
            context.setdefault("author_form", NomineeAuthorForm())
        return context

    def perform(self, data):
        services.nominee_update(actor=self.request.user, nominee=self.nominee, **self.form.changes())
        return _("The nominee has been saved.")


class NomineeAuthorAddView(NomineeEditView):
    """The authors of an initiative, added one by one on the nominee's page."""

    def get(self, request, *args, **kwargs):
        return redirect("nominee-edit", pk=self.kwargs["pk"], nominee_pk=self.kwargs["nominee_pk"])

    def post(self, request, *args, **kwargs):
        self.load()
        self.author_form = NomineeAuthorForm(request.POST)
        self.form = self.author_form
        if not self.author_form.is_valid():
            return self.render_form(status=400)
        data = self.author_form.cleaned_data
        services.nominee_author_add(
            actor=request.user,
            nominee=self.nominee,
            name=data["name"],
            position=data["position"],
            share_percent=data["share_percent"],
        )
        messages.success(request, _("%(name)s has been added as an author.") % {"name": data["name"]})
        return redirect("nominee-edit", pk=self.dossier.pk, nominee_pk=self.nominee.pk)

    def get_context(self):
        return {
            **super().get_context(),
            "form": NomineeForm(instance=self.nominee, dossier=self.dossier),
            "author_form": self.author_form,
        }


class NomineeAuthorRemoveView(NomineeEditView):
    def get(self, request, *args, **kwargs):
        return redirect("nominee-edit", pk=self.kwargs["pk"], nominee_pk=self.kwargs["nominee_pk"])

    def post(self, request, *args, **kwargs):
        self.load()
        author = NomineeAuthor.objects.filter(pk=self.kwargs["author_pk"], nominee=self.nominee).first()
        if author is None:
            return self.refusal(409, _("This author has already been removed."))
        services.nominee_author_remove(actor=request.user, author=author)
        messages.success(request, _("%(name)s is no longer an author.") % {"name": author.name})
        return redirect("nominee-edit", pk=self.dossier.pk, nominee_pk=self.nominee.pk)
