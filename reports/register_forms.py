"""The award register's search form: the shape of the filters; who sees which rows is the
selector's (reports.register_search)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.forms import StyledForm
from dossiers.history_forms import AWARDEE_KINDS
from dossiers.models import AwardType
from org.models import Unit, UnitLevel
from org.scopes import scopes_for

from .register_search import ELSEWHERE

SEARCH_LENGTH = 100


def register_units_for(user):
    """The units a reader may narrow the register to: those under any unit their roles cover."""
    if user.is_superuser:
        return Unit.objects.order_by("path")
    q = Q(pk__in=[])
    for scope in scopes_for(user):
        q |= Q(path__startswith=scope.unit_path)
    return Unit.objects.filter(q).order_by("path")


class RegisterFilterForm(StyledForm, forms.Form):
    q = forms.CharField(
        label=_("Name"),
        max_length=SEARCH_LENGTH,
        required=False,
        help_text=_("With or without accents: “nguyen van a” finds “Nguyễn Văn A”."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    award_type = forms.ModelChoiceField(
        label=_("Award"), queryset=AwardType.objects.order_by("name"), required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100, required=False)
    kind = forms.ChoiceField(
        label=_("Awardee kind"), choices=[("", "---------"), *AWARDEE_KINDS], required=False
    )
    level = forms.ChoiceField(
        label=_("Decided at"),
        choices=[("", "---------"), *UnitLevel.choices, (ELSEWHERE, _("Recorded from elsewhere"))],
        required=False,
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["unit"].queryset = register_units_for(user)
        # The hint is shown under the whole row of fields, so they all keep one height.
        self.fields["q"].widget.attrs["aria-describedby"] = "register-q-help"

    def filters(self) -> dict:
        """The valid filters (an invalid form filters nothing, its errors shown)."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}
