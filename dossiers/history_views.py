"""Pages of the award history: awards recorded from outside the engine (list, record, correct,
void) and a nominee's history with the eligibility conditions of its award (and the standing
body's override). Thin: parse, call a selector or a service (dossiers.history_services), render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from org.models import Unit

from . import history_services as services
from .history import (
    access_award_record,
    access_nominee_history,
    award_history,
    award_record_list_for,
    nominee_eligibility,
)
from .history_forms import AwardRecordFilterForm, AwardRecordForm, CorrectionForm, OverrideForm, ReasonForm
from .models import EligibilityCondition
from .views import PAGE_SIZE, ServiceFormView


def recording_units_for(user):
    """The units `user` may record awards for: the subtrees of their standing bodies."""
    if user.is_superuser:
        return Unit.objects.order_by("path")
    q = Q(pk__in=[])
    for scope in services.recording_units(user):
        q |= Q(path__startswith=scope.unit_path)
    return Unit.objects.filter(q).order_by("path")


@login_required
def award_record_list(request):
    form = AwardRecordFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(award_record_list_for(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dossiers/award_record_list.html",
        {
            "filter_form": form,
            "page": page,
            "can_record": services.recording_units(request.user) or request.user.is_superuser,
        },
    )


class AwardRecordCreateView(ServiceFormView):
    template_name = "dossiers/award_record_form.html"
    back_label = None

    def back_url(self):
        return reverse("award-record-list")

    def get_form(self, data=None, files=None):
        return AwardRecordForm(data, units=recording_units_for(self.request.user))

    def get_context(self):
        return {"form": self.form, "record": None, "can_record": True}

    def perform(self, data):
        record = services.award_record_add(actor=self.request.user, **self.form.values())
        return _("The award of %(name)s has been recorded.") % {"name": record.name}

    def success_url(self):
        return reverse("award-record-list")


class AwardRecordCorrectView(AwardRecordCreateView):
    def load(self):
        self.record = access_award_record(user=self.request.user, pk=self.kwargs["pk"])

    def get_form(self, data=None, files=None):
        return CorrectionForm(data, instance=self.record, units=recording_units_for(self.request.user))

    def get_context(self):
        return {
            "form": self.form,
            "record": self.record,
            "void_form": ReasonForm(),
            "can_record": services.can_record_awards(self.request.user, self.record.unit),
        }

    def perform(self, data):
        services.award_record_correct(
            actor=self.request.user, record=self.record, reason=data["reason"], **self.form.values()
        )
        return _("The recorded award has been corrected.")


class AwardRecordVoidView(AwardRecordCorrectView):
    def get(self, request, *args, **kwargs):
        return redirect("award-record-correct", pk=self.kwargs["pk"])

    def get_form(self, data=None, files=None):
        return ReasonForm(data)

    def get_context(self):
        return {
            "form": CorrectionForm(instance=self.record, units=recording_units_for(self.request.user)),
            "record": self.record,
            "void_form": self.form,
            "can_record": services.can_record_awards(self.request.user, self.record.unit),
        }

    def perform(self, data):
        services.award_record_void(actor=self.request.user, record=self.record, reason=data["reason"])
        return _("The recorded award has been voided.")


class NomineeHistoryView(ServiceFormView):
    """A nominee's awards over the years, from every source, and how it stands against the
    conditions of its award; the reviewing standing body records an override here."""

    template_name = "dossiers/nominee_history.html"

    def back_url(self):
        return reverse("nominee-history", args=[self.kwargs["pk"]])

    def load(self):
        self.nominee = access_nominee_history(user=self.request.user, pk=self.kwargs["pk"])

    def get_form(self, data=None, files=None):
        return OverrideForm(data)

    def get_context(self):
        return {
            "nominee": self.nominee,
            "dossier": self.nominee.dossier,
            "history": award_history(self.nominee),
            "eligibility": nominee_eligibility(self.nominee),
            "can_override": services.can_override_eligibility(self.request.user, self.nominee),
            "form": self.form,
        }

    def perform(self, data):
        condition = EligibilityCondition.objects.filter(pk=data["condition"]).first()
        if condition is None:
            raise ValidationError(_("Choose a condition of the nominee's award."))
        services.eligibility_override_record(
            actor=self.request.user, nominee=self.nominee, condition=condition, reason=data["reason"]
        )
        return _("The override has been recorded for %(name)s.") % {"name": self.nominee.name}

    def success_url(self):
        return reverse("nominee-history", args=[self.nominee.pk])
