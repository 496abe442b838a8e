"""The fund's forms: shapes only (whole đồng, the limits of org.limits); every rule is the
services' to check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org import limits

from .services import VOUCHER_LENGTH

MAX_AMOUNT = 10**15  # a bound on what a form takes: no fund holds a thousand trillion đồng


class AmountField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Amount (đồng)"))
        super().__init__(min_value=1, max_value=MAX_AMOUNT, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "step": 1})


class FundOpenForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Issuing body"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    budget = AmountField(label=_("Budget for the year (đồng)"))
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AdditionForm(forms.Form):
    amount = AmountField()
    note = forms.CharField(
        label=_("Where the addition comes from"),
        max_length=limits.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectionForm(forms.Form):
    amount = AmountField()
    increases = forms.TypedChoiceField(
        label=_("Direction"),
        choices=[("0", _("Takes from the fund")), ("1", _("Adds to the fund"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=limits.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaymentForm(forms.Form):
    award = forms.ModelChoiceField(label=_("Awardee"), queryset=None)
    amount = AmountField()
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    voucher = forms.CharField(label=_("Voucher number"), max_length=VOUCHER_LENGTH)
    paid_to = forms.CharField(
        label=_("Paid to (when not the awardee)"), max_length=limits.NAME, required=False
    )

    def __init__(self, *args, awards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards
        self.fields["award"].label_from_instance = lambda a: a.nominee.name


def reversed_period(start, end):
    """The message for a period whose start comes after its end (None when it is a period): such a
    period holds no day, so its zero totals would read as an empty fund instead of a mistake."""
    if start and end and start > end:
        return _(
            "The start date %(start)s is after the end date %(end)s: choose a start on or before the end."
        ) % {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }
    return None


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        message = reversed_period(data.get("start"), data.get("end"))
        if message:
            self.add_error("end", message)
        return data
