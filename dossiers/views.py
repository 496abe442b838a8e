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
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_fsm import can_proceed

from org.errors import TransitionNotAllowed
from org.models import Role, Unit
from org.scopes import roles_of

from . import permissions, selectors, services
from .forms import (
    AttachmentForm,
    ConfirmForm,
    DossierCreateForm,
    DossierFilterForm,
    DossierForm,
    NomineeForm,
    WithdrawForm,
    add_service_errors,
)
from .models import Dossier, DossierState, Nominee

S = DossierState
PAGE_SIZE = 25
HOME_ROWS = 10


# --- the one mapping of refusals to responses -------------------------------------------------


class ServiceErrorsMixin:
    """Turns a service's refusal into the answer the user can act on.

    A view that calls a service keeps its form in `self.form` and can show it again with
    `render_form(status=…)`; a ValidationError is put on that form.
    """

    form = None

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return self.refusal(403, str(exc) or _("You are not allowed to do this."))
        except TransitionNotAllowed as exc:
            return self.refusal(409, str(exc.message))
        except ValidationError as exc:
            if self.form is None:
                raise
            add_service_errors(self.form, exc)
            return self.render_form(status=400)

    def refusal(self, status, message):
        pk = self.kwargs.get("pk")
        back_url = reverse("dossier-detail", args=[pk]) if pk else reverse("home")
        context = {"exception": message, "back_url": back_url}
        return render(self.request, f"{status}.html", context, status=status)


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
        "filters": {"states": [S.PUBLIC_NOTICE, S.IN_COUNCIL, S.COUNCIL_VOTED]},
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
    (Role.CHAIR, ["decision", "recent"]),
    (Role.VICE_CHAIR, ["decision", "council", "recent"]),
    (Role.COUNCIL_SECRETARY, ["council", "recent"]),
    (Role.COUNCIL_MEMBER, ["council", "recent"]),
    (Role.INSPECTOR, ["recent"]),
    (Role.ADMIN, ["recent"]),
]


@login_required
def home(request):
    """What concerns each role, one query a section whatever the numbers."""
    roles = roles_of(request.user)
    keys = []
    for role, section_keys in ROLE_SECTIONS:
        if role in roles:
            keys += [k for k in section_keys if k not in keys]
    own_units = permissions.units_user_can_draft_for(request.user)
    sections = []
    for key in keys:
        section = HOME_SECTIONS[key]
        filters = dict(section["filters"])
        if section.get("own_units"):
            filters["units"] = own_units
        rows = selectors.dossier_list_for(user=request.user, filters=filters)[:HOME_ROWS]
        sections.append({"key": key, **section, "dossiers": list(rows)})
    return render(request, "dossiers/home.html", {"sections": sections})


@login_required
def dossier_list(request):
    form = DossierFilterForm(request.GET or None)
    dossiers = selectors.dossier_list_for(user=request.user, filters=form.filters())
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/dossier_list.html", {"form": form, "page": page})


# --- detail -----------------------------------------------------------------------------------


def attachment_slots(attachments):
    """Attachments grouped by slot (kind, nominee), newest version first: the first is current."""
    slots = {}
    for attachment in attachments:
        key = (attachment.kind_id, attachment.nominee_id)
        if key not in slots:
            slots[key] = {"kind": attachment.kind, "nominee": attachment.nominee, "versions": []}
        slots[key]["versions"].append(attachment)
    for slot in slots.values():
        slot["current"], slot["older"] = slot["versions"][0], slot["versions"][1:]
    return list(slots.values())


ACTION_LABELS = {
    "dossier.create": gettext_lazy("Dossier created"),
    "dossier.update": gettext_lazy("Dossier edited"),
    "dossier.submit": gettext_lazy("Dossier submitted"),
    "dossier.withdraw": gettext_lazy("Dossier withdrawn"),
    "nominee.add": gettext_lazy("Nominee added"),
    "nominee.update": gettext_lazy("Nominee edited"),
    "nominee.remove": gettext_lazy("Nominee removed"),
    "attachment.add": gettext_lazy("File attached"),
    # The steps after submission (approvals, driven by workflows).
    "dossier.receive": gettext_lazy("Received by the standing body"),
    "dossier.return": gettext_lazy("Returned for supplement"),
    "dossier.reject": gettext_lazy("Rejected"),
    "dossier.accept": gettext_lazy("Accepted after appraisal"),
    "dossier.notice_close": gettext_lazy("Public notice closed"),
    "dossier.council_result": gettext_lazy("Council result recorded"),
    "dossier.opinion": gettext_lazy("Vice-chair's opinion"),
    "dossier.decide": gettext_lazy("Decided"),
    "dossier.forward": gettext_lazy("Forwarded to the next level"),
    "dossier.create_upward": gettext_lazy("Received from the level below"),
    "dossier.decline": gettext_lazy("Declined"),
    "objection.lodge": gettext_lazy("Objection lodged"),
    "objection.resolve": gettext_lazy("Objection resolved"),
    "task.claim": gettext_lazy("Task taken"),
}


def field_label(model, name) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def event_detail(event) -> str:
    """A short line saying what the event changed, from its data."""
    data = event.data or {}
    if event.action == "attachment.add":
        return f"{data.get('name', '')} (v{data.get('version', 1)})"
    if event.action in ("nominee.add", "nominee.remove"):
        return data.get("name", "")
    if event.action in ("dossier.update", "nominee.update"):
        model = Dossier if event.action == "dossier.update" else Nominee
        return ", ".join(field_label(model, name) for name in sorted(data.get("changes", {})))
    if event.action == "dossier.withdraw":
        return data.get("reason", "")
    if event.action == "dossier.submit":
        return _("submission %(n)s") % {"n": data.get("submission", 1)}
    if event.action == "dossier.return":
        return "; ".join(data.get("items", [])) + (
            f" — {data['further_return_reason']}" if data.get("further_return_reason") else ""
        )
    if event.action == "dossier.reject":
        return data.get("reasons", "")
    if event.action in ("dossier.decline",):
        return data.get("reason", "")
    if event.action in ("dossier.opinion", "objection.lodge"):
        return data.get("text", "")
    if event.action == "objection.resolve":
        return data.get("resolution", "")
    if event.action == "dossier.decide":
        return data.get("symbol", "")
    if event.action == "dossier.forward":
        return data.get("to_unit", "")
    if event.action == "dossier.accept":
        ineligible = data.get("ineligible") or {}
        return _("%(n)d not eligible") % {"n": len(ineligible)} if ineligible else ""
    if event.action == "dossier.council_result":
        results = (data.get("results") or {}).values()
        return ", ".join(f"{r['for']}/{r['of']}" for r in results)
    return ""


def render_detail(request, pk, forms=None, status=200):
    """The detail page; `forms` replaces the blank action forms with ones that carry errors."""
    user = request.user
    dossier = selectors.dossier_detail(user=user, pk=pk)
    # Only to show or hide the actions: the services decide again on every POST.
    can_edit = permissions.can_edit_dossier(user, dossier)
    context = {
        "dossier": dossier,
        "nominees": dossier.current_nominees,
        "slots": attachment_slots(dossier.all_attachments),
        "timeline": [
            {"event": e, "label": ACTION_LABELS.get(e.action, e.action), "detail": event_detail(e)}
            for e in selectors.dossier_timeline(dossier=dossier)
        ],
        "can_edit": can_edit,
        "can_submit": permissions.can_submit_dossier(user, dossier) and can_proceed(dossier.submit),
        "can_withdraw": (permissions.can_withdraw_dossier(user, dossier) and can_proceed(dossier.withdraw)),
        "submit_form": ConfirmForm(),
        "withdraw_form": WithdrawForm(),
    }
    if can_edit:
        context["nominee_form"] = NomineeForm(dossier=dossier)
        context["attachment_form"] = AttachmentForm(dossier=dossier)
    context.update(forms or {})
    return render(request, "dossiers/dossier_detail.html", context, status=status)


@login_required
def dossier_detail(request, pk):
    return render_detail(request, pk)


@login_required
def attachment_download(request, pk):
    attachment = selectors.access_attachment(user=request.user, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
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

    def get_form(self, data=None, files=None):
        return NomineeForm(data, instance=self.nominee, dossier=self.dossier)

    def get_context(self):
        return {**super().get_context(), "nominee": self.nominee}

    def perform(self, data):
        services.nominee_update(actor=self.request.user, nominee=self.nominee, **self.form.changes())
        return _("The nominee has been saved.")


# --- actions on the detail page ---------------------------------------------------------------


class DossierActionView(ServiceFormView):
    """A form of the detail page. When refused, the whole page comes back with that form and its
    errors (400)."""

    http_method_names = ["post"]
    form_name = ""

    def load(self):
        self.dossier = selectors.access_dossier(user=self.request.user, pk=self.kwargs["pk"])

    def render_form(self, status=200):
        return render_detail(self.request, self.dossier.pk, {self.form_name: self.form}, status)


class NomineeAddView(DossierActionView):
    form_name = "nominee_form"

    def get_form(self, data=None, files=None):
        return NomineeForm(data, dossier=self.dossier)

    def perform(self, data):
        nominee = services.nominee_add(actor=self.request.user, dossier=self.dossier, **self.form.changes())
        return _("%(name)s has been added to the dossier.") % {"name": nominee.name}


class NomineeRemoveView(DossierActionView):
    form_name = "remove_form"

    def get_form(self, data=None, files=None):
        return ConfirmForm(data)

    def perform(self, data):
        # Not limited to current nominees: removing one twice is the service's refusal (409).
        nominee = get_object_or_404(Nominee, pk=self.kwargs["nominee_pk"], dossier=self.dossier)
        services.nominee_remove(actor=self.request.user, nominee=nominee)
        return _("%(name)s has been removed from the dossier.") % {"name": nominee.name}


class AttachmentAddView(DossierActionView):
    form_name = "attachment_form"

    def get_form(self, data=None, files=None):
        return AttachmentForm(data, files, dossier=self.dossier)

    def perform(self, data):
        attachment = services.attachment_add(
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
