"""The administrator's actions on units for a merger or a split (the 2025 reorganisation): pick
the units in the admin's list, choose the action, then give the successor, the day and the legal
basis on a second page. Both call org.services (unit_merge, unit_split), which check, move and
audit everything in one transaction; a refusal comes back as the admin's error message."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import TransitionNotAllowed
from .models import Unit
from .services import unit_merge, unit_split


def _active_units():
    return Unit.objects.filter(is_active=True, dissolved_on__isnull=True).order_by("path")


class ReorganiseForm(forms.Form):
    on_date = forms.DateField(
        label=gettext_lazy("Takes effect on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(ReorganiseForm):
    into = forms.ModelChoiceField(label=gettext_lazy("Merge into"), queryset=Unit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _active_units()


class SplitForm(ReorganiseForm):
    into = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Split into (the first is the main successor)"), queryset=Unit.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _active_units()


def _reorganise(modeladmin, request, queryset, *, form_class, title, apply):
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            try:
                apply(request, list(queryset.order_by("pk")), form.cleaned_data)
            except (ValidationError, PermissionDenied, TransitionNotAllowed) as exc:
                text = " ".join(getattr(exc, "messages", None) or [str(exc)])
                modeladmin.message_user(request, text, messages.ERROR)
            else:
                modeladmin.message_user(request, _("The units have been reorganised."), messages.SUCCESS)
                return None
    else:
        form = form_class(initial={"on_date": timezone.localdate()})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "units": queryset,
        "action": request.POST.get("action"),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/org/unit/reorganise.html", context)


@admin.action(description=gettext_lazy("Merge the selected units into another unit"), permissions=["change"])
def merge_units(modeladmin, request, queryset):
    def apply(request, units, data):
        unit_merge(
            actor=request.user,
            sources=units,
            into=data["into"],
            on_date=data["on_date"],
            legal_basis=data["legal_basis"],
        )

    return _reorganise(
        modeladmin, request, queryset, form_class=MergeForm, title=_("Merge units"), apply=apply
    )


@admin.action(description=gettext_lazy("Split the selected unit into several units"), permissions=["change"])
def split_unit(modeladmin, request, queryset):
    def apply(request, units, data):
        if len(units) != 1:
            raise ValidationError(_("Choose exactly one unit to split."))
        into = sorted(data["into"], key=lambda u: [u.pk for u in data["into"]].index(u.pk))
        unit_split(
            actor=request.user,
            source=units[0],
            into=into,
            on_date=data["on_date"],
            legal_basis=data["legal_basis"],
        )

    return _reorganise(
        modeladmin, request, queryset, form_class=SplitForm, title=_("Split a unit"), apply=apply
    )
