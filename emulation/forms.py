"""Forms of the plan and registration pages: the shape of the input only; the rules (deadline,
duplicates, the title suiting the kind, who may) are the services' (emulation.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dossiers.forms import StyledForm
from dossiers.history_forms import DateInput
from dossiers.models import AwardType
from org import limits
from org.models import Unit, User

from .models import RegistrationKind


class PlanForm(StyledForm, forms.Form):
    unit = forms.ModelChoiceField(label=_("Issuing unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=limits.TITLE)
    number = forms.CharField(label=_("Number and symbol"), max_length=64, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    registration_deadline = forms.DateField(label=_("Registration deadline"), widget=DateInput())
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=limits.SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class RegistrationForm(StyledForm, forms.Form):
    """One line: a collective of the unit, or one of its people (an account, or a name with the
    date of birth), and the title aimed for."""

    kind = forms.ChoiceField(label=_("Kind"), choices=RegistrationKind.choices)
    award_type = forms.ModelChoiceField(
        label=pgettext_lazy("emulation title", "Title"), queryset=AwardType.objects.order_by("name")
    )
    person = forms.ModelChoiceField(label=_("Person (account)"), queryset=User.objects.none(), required=False)
    name = forms.CharField(label=_("Full name"), max_length=limits.NAME, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    position = forms.CharField(label=_("Position / title"), max_length=limits.PLACE, required=False)
    collective_unit = forms.ModelChoiceField(
        label=_("Collective"), queryset=Unit.objects.none(), required=False
    )
    late_reason = forms.CharField(
        label=_("Reason for accepting it late"),
        max_length=limits.SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, unit=None, late=False, award_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if award_types is not None:
            self.fields["award_type"].queryset = award_types
        if unit is not None:
            self.fields["person"].queryset = User.objects.filter(
                unit__path__startswith=unit.path, is_active=True
            ).order_by("full_name", "username")
            self.fields["collective_unit"].queryset = Unit.objects.filter(
                path__startswith=unit.path, is_active=True
            ).order_by("path")
        self.fields["person"].help_text = _(
            "Or give the name and date of birth of someone without an account."
        )
        if not late:
            del self.fields["late_reason"]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("late_reason", "")
        return data


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
