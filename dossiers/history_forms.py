"""Forms of the award-history pages: they check the shape of the input; the rules (who may record,
plausible dates, duplicates) are the services' (dossiers.history_services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org import limits
from org.models import Unit

from .forms import StyledForm
from .history_services import RECORD_FIELDS
from .models import AwardRecord, AwardType, NomineeKind

AWARDEE_KINDS = [
    (NomineeKind.INDIVIDUAL, _("Individual")),
    (NomineeKind.COLLECTIVE, _("Collective")),
    (NomineeKind.HOUSEHOLD, _("Household")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AwardRecordForm(StyledForm, forms.ModelForm):
    """An award decided outside the engine. `units` are those the user may record for."""

    kind = forms.ChoiceField(label=_("Awardee kind"), choices=AWARDEE_KINDS)

    class Meta:
        model = AwardRecord
        fields = [f for f in RECORD_FIELDS if f != "person"]  # the page does not ask for an account
        widgets = {"date_of_birth": DateInput(), "decision_date": DateInput()}
        help_texts = {
            "unit": _("The unit the person works in, or the collective's own unit."),
            "collective_unit": _("For a collective: the unit that received the award."),
            "award_title": _("Only when the award is not in the list (e.g. Huân chương Lao động hạng Ba)."),
            "year": _("The year the award is for; for a period, its last year."),
            "period": _("For an award over several years, e.g. 2021 - 2025."),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else Unit.objects.none()
        self.fields["unit"].queryset = units
        self.fields["collective_unit"].queryset = units
        self.fields["collective_unit"].required = False
        self.fields["award_type"].queryset = AwardType.objects.order_by("name")
        self.fields["award_type"].required = False
        self.fields["name"].required = False
        self.fields["decision_number"].max_length = 64
        self.fields["issuer"].max_length = limits.NAME

    def _post_clean(self):
        # Nothing is saved from this form: the model's checks and constraints are the service's,
        # with its own messages.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=limits.TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionForm(AwardRecordForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=limits.TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class OverrideForm(StyledForm, forms.Form):
    condition = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the override"), max_length=limits.TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class AwardRecordFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2100)
    include_void = forms.BooleanField(label=_("Show voided records"), required=False)
