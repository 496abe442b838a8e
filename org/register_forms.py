from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .register_numbers import SUBJECT_MAX, SYMBOL_MAX
from .registers import RegisterSeries


class OutsideNumberForm(forms.Form):
    """A number the body issued on paper, outside the system (the records clerk's form)."""

    series = forms.ChoiceField(
        label=_("Series"), choices=RegisterSeries.choices, initial=RegisterSeries.DOCUMENTS
    )
    number = forms.IntegerField(label=_("Number"), min_value=1)
    symbol = forms.CharField(
        label=_("Symbol"), max_length=SYMBOL_MAX, help_text=_("As printed after the number, e.g. CV-UBND.")
    )
    issued_on = forms.DateField(
        label=_("Issued on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
