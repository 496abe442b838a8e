"""Forms of the state honours pages: they check the input's shape; every rule is the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.forms import StyledForm
from dossiers.history_forms import DateInput
from org import limits

from .models import DEFAULT_CENTRAL_BODY


class ProposalForm(StyledForm, forms.Form):
    unit = forms.ModelChoiceField(label=_("Province"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=limits.TITLE)
    central_body = forms.CharField(label=_("Sent to"), max_length=limits.NAME, initial=DEFAULT_CENTRAL_BODY)
    summary = forms.CharField(
        label=_("Summary of the submission"), max_length=limits.TEXT, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SubmitForm(StyledForm, forms.Form):
    dispatch_date = forms.DateField(
        label=_("Date of the tờ trình"),
        required=False,
        widget=DateInput(),
        help_text=_("Today when left empty; the number comes from the register of outgoing documents."),
    )


class ResultForm(StyledForm, forms.Form):
    awarded = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Awarded")), ("0", _("Not awarded"))],
        coerce=lambda v: v == "1",
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=limits.NAME,
        required=False,
        help_text=_("e.g. Thủ tướng Chính phủ, Chủ tịch nước"),
    )
    reason = forms.CharField(
        label=_("Reason (when not awarded)"),
        max_length=limits.SHORT_TEXT,
        required=False,
        widget=forms.Textarea,
    )
