"""The public pages' forms: the search of published decisions and a citizen's objection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.forms import StyledForm
from org import limits


class DecisionSearchForm(StyledForm, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    number = forms.IntegerField(label=_("Number"), required=False, min_value=1, max_value=99_999)
    name = forms.CharField(label=_("Name of an awardee"), required=False, max_length=limits.SEARCH)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("— every year —"))] + [(y, str(y)) for y in years]


class NoticeSearchForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name of a nominee or unit"), required=False, max_length=limits.SEARCH)


class PublicObjectionForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=limits.NAME)
    contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=limits.NAME,
        help_text=_("Only the standing body sees it, to reach you about the objection."),
    )
    nominee = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(
        label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=limits.TEXT
    )

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = {n.pk: n for n in nominees}
        self.fields["nominee"].choices = [("", _("— the whole list —"))] + [(n.pk, n.name) for n in nominees]


class ReceiptForm(StyledForm, forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=16)
