"""Pages of the year's emulation plan: the plans list and a new plan (the standing body), the
plan's overview with its xlsx export (the standing body, inspectors), a unit's registration page
(its own officer and head), withdrawing a line, and the override on a nominee (posted from the
dossier's page). Thin: parse, call a selector or a service, render."""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dossiers.history import access_nominee_history
from dossiers.views import ServiceFormView
from org.models import Unit
from org.scopes import scopes_for

from . import permissions, selectors, services
from .checks import registrable_award_types
from .forms import PlanForm, ReasonForm, RegistrationForm
from .models import Registration


def _initiatives_url():
    """The unit's initiative registrations, owned by the initiatives app, when it has its page."""
    for name in ("initiative-list", "initiatives"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def _plan_units(user):
    ids = [s.unit_id for s in scopes_for(user) if s.role in permissions.STANDING_ROLES]
    return Unit.objects.filter(pk__in=ids, grants_awards=True).order_by("path")


@login_required
def plan_list(request):
    plans = list(selectors.plan_list_for(user=request.user))
    if selectors.plans_q(request.user) is None:
        raise Http404
    for plan in plans:
        plan.own_units = selectors.own_units_in(user=request.user, plan=plan)
        plan.reads_overview = permissions.can_read_plan_overview(request.user, plan)
    return render(
        request,
        "emulation/plan_list.html",
        {"plans": plans, "can_open": _plan_units(request.user).exists()},
    )


class PlanOpenView(ServiceFormView):
    template_name = "emulation/plan_form.html"

    def back_url(self):
        return reverse("emulation-plans")

    def load(self):
        self.units = _plan_units(self.request.user)
        if not self.units.exists():
            raise Http404

    def get_form(self, data=None, files=None):
        year = timezone.localdate().year
        initial = {"year": year, "title": _("Emulation plan for %(year)d") % {"year": year}}
        return PlanForm(data, units=self.units, initial=initial)

    def get_context(self):
        return {"form": self.form}

    def perform(self, data):
        self.plan = services.plan_open(actor=self.request.user, **data)
        return _("The emulation plan for %(year)d is open for registration.") % {"year": self.plan.year}

    def success_url(self):
        return reverse("emulation-plan", args=[self.plan.pk])


@login_required
def plan_detail(request, pk):
    plan = selectors.access_plan(user=request.user, pk=pk)
    if not permissions.can_read_plan_overview(request.user, plan):
        own = selectors.own_units_in(user=request.user, plan=plan)
        if len(own) == 1:
            return redirect("emulation-unit", plan.pk, own[0].pk)
        return render(request, "emulation/plan_units.html", {"plan": plan, "units": own})
    return render(
        request,
        "emulation/plan_detail.html",
        {"plan": plan, "overview": selectors.plan_overview(plan=plan), "today": timezone.localdate()},
    )


class UnitRegistrationView(ServiceFormView):
    """A unit's registration page: its lines, the deadline, and the form to add one."""

    template_name = "emulation/unit_registrations.html"

    def back_url(self):
        return reverse("emulation-unit", args=[self.kwargs["pk"], self.kwargs["unit_pk"]])

    def load(self):
        self.plan, self.unit = selectors.access_plan_unit(
            user=self.request.user, plan_pk=self.kwargs["pk"], unit_pk=self.kwargs["unit_pk"]
        )
        user = self.request.user
        self.late = timezone.localdate() > self.plan.registration_deadline
        self.standing = permissions.is_standing_body_of(user, self.plan)
        self.may_add = permissions.can_register(user, self.plan, self.unit) and (
            not self.late or self.standing
        )

    def get_form(self, data=None, files=None):
        if data is not None and not self.may_add:
            raise Http404
        return RegistrationForm(
            data,
            unit=self.unit,
            late=self.late and self.standing,
            award_types=registrable_award_types(self.plan, timezone.localdate()),
        )

    def get_context(self):
        rows = list(selectors.unit_registrations(plan=self.plan, unit=self.unit))
        return {
            "plan": self.plan,
            "unit": self.unit,
            "form": self.form if self.may_add else None,
            "late": self.late,
            "collectives": [r for r in rows if r.kind == "collective"],
            "individuals": [r for r in rows if r.kind == "individual"],
            "may_withdraw": permissions.can_register(self.request.user, self.plan, self.unit),
            "withdraw_form": ReasonForm(),
            "reads_overview": permissions.can_read_plan_overview(self.request.user, self.plan),
            "initiatives_url": _initiatives_url(),
            "unregistered": (
                selectors.unit_nominees_unregistered(plan=self.plan, unit=self.unit) if self.standing else []
            ),
            "override_form": ReasonForm(),
        }

    def perform(self, data):
        registration = services.registration_add(
            actor=self.request.user, plan=self.plan, unit=self.unit, **self.form.values()
        )
        return _("%(name)s is registered for “%(award)s”.") % {
            "name": registration.name,
            "award": registration.award_type,
        }

    def success_url(self):
        return self.back_url()


class RegistrationWithdrawView(ServiceFormView):
    template_name = "emulation/withdraw.html"

    def load(self):
        self.registration = selectors.access_registration(user=self.request.user, pk=self.kwargs["pk"])

    def back_url(self):
        r = self.registration
        return reverse("emulation-unit", args=[r.plan_id, r.unit_id])

    def get_form(self, data=None, files=None):
        return ReasonForm(data)

    def get_context(self):
        return {"form": self.form, "registration": self.registration}

    def perform(self, data):
        services.registration_withdraw(
            actor=self.request.user, registration=self.registration, reason=data["reason"]
        )
        return _("The registration of %(name)s has been withdrawn.") % {"name": self.registration.name}

    def success_url(self):
        return self.back_url()


class NomineeOverrideView(ServiceFormView):
    """The standing body lets a nominee without a registration be proposed (its form is on the
    dossier's page; this page shows it again when it comes back with errors)."""

    template_name = "emulation/override.html"

    def load(self):
        self.nominee = access_nominee_history(user=self.request.user, pk=self.kwargs["pk"])
        self.dossier = self.nominee.dossier

    def back_url(self):
        return reverse("dossier-detail", args=[self.nominee.dossier_id])

    def get_form(self, data=None, files=None):
        return ReasonForm(data)

    def get_context(self):
        return {"form": self.form, "nominee": self.nominee, "dossier": self.dossier}

    def perform(self, data):
        services.registration_override_record(
            actor=self.request.user, nominee=self.nominee, reason=data["reason"]
        )
        return _("%(name)s may be proposed without a registration.") % {"name": self.nominee.name}


class UnitNomineeOverrideView(NomineeOverrideView):
    """The same override given from the unit's registration page, where the standing body sees the
    nominees of the unit's drafts that lack a registration (it may not open those drafts)."""

    def load(self):
        self.plan, self.unit = selectors.access_plan_unit(
            user=self.request.user, plan_pk=self.kwargs["pk"], unit_pk=self.kwargs["unit_pk"]
        )
        self.nominee = selectors.access_unit_nominee(
            user=self.request.user, plan=self.plan, unit=self.unit, pk=self.kwargs["nominee_pk"]
        )
        self.dossier = self.nominee.dossier

    def back_url(self):
        return reverse("emulation-unit", args=[self.plan.pk, self.unit.pk])

    def get_context(self):
        return {**super().get_context(), "back": self.back_url()}

    def success_url(self):
        return self.back_url()


# --- export -----------------------------------------------------------------------------------

HEADERS = [
    "STT",
    "Đơn vị",
    "Đối tượng",
    "Họ và tên / Tập thể",
    "Ngày sinh",
    "Chức vụ",
    "Danh hiệu đăng ký",
    "Ngày đăng ký",
    "Ghi chú",
]
KIND_WORDS = {"individual": "Cá nhân", "collective": "Tập thể"}


@login_required
def plan_export(request, pk):
    """The plan's live registrations as an xlsx sheet in the offices' own words (write-only,
    two queries whatever the length)."""
    plan = selectors.access_plan(user=request.user, pk=pk)
    if not permissions.can_read_plan_overview(request.user, plan):
        raise Http404
    rows = (
        Registration.objects.active()
        .filter(plan=plan)
        .select_related("unit", "award_type")
        .order_by("unit__path", "kind", "award_type__name", "name_folded", "pk")
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Đăng ký {plan.year}")
    sheet.append([f"{plan.title} — {plan.unit.name}"])
    sheet.append(HEADERS)
    for i, r in enumerate(rows.iterator(chunk_size=500), start=1):
        sheet.append(
            [
                i,
                r.unit.name,
                KIND_WORDS.get(r.kind, r.kind),
                r.name,
                r.date_of_birth.strftime("%d/%m/%Y") if r.date_of_birth else "",
                r.position,
                r.award_type.name,
                timezone.localtime(r.registered_at).strftime("%d/%m/%Y"),
                f"Chấp nhận muộn: {r.late_reason}" if r.late_reason else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="dang-ky-thi-dua-{plan.year}.xlsx"'
    return response
