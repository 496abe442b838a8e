"""The pages' forms: their shape only (the services check the rules)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org import limits

from .models import EffectScope, InitiativeState

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _text(max_length, **kw):
    return forms.CharField(
        max_length=max_length, widget=forms.TextInput(attrs={"class": "form-control"}), **kw
    )


def _area(max_length, rows=4, **kw):
    return forms.CharField(
        max_length=max_length, widget=forms.Textarea(attrs={"class": "form-control", "rows": rows}), **kw
    )


class FilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), *InitiativeState.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class RegisterForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=None, label=_("Unit"), widget=forms.Select(attrs={"class": "form-select"})
    )
    year = forms.IntegerField(label=_("Year"), widget=forms.NumberInput(attrs={"class": "form-control"}))
    title = _text(limits.TITLE, label=_("Title"))
    field = _text(limits.TITLE, label=_("Field"))
    summary = _area(limits.LONG_TEXT, label=_("Summary"))
    improvement = _area(limits.TEXT, rows=3, label=_("What it improves"))
    applied_on = forms.DateField(label=_("Applied since"), required=False, widget=DATE)
    co_authors = _area(
        limits.SHORT_TEXT,
        rows=3,
        label=_("Authors"),
        required=False,
        help_text=_("One a line: name; date of birth (dd/mm/yyyy); position; share (%)."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["year"].initial = timezone.localdate().year

    def clean_co_authors(self):
        import datetime as dt

        authors = []
        for n, line in enumerate((self.cleaned_data.get("co_authors") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            parts += [""] * (4 - len(parts))
            born = None
            if parts[1]:
                try:
                    born = dt.datetime.strptime(parts[1], "%d/%m/%Y").date()
                except ValueError:
                    raise forms.ValidationError(
                        _("Line %(n)d: write the date of birth as dd/mm/yyyy.") % {"n": n}
                    ) from None
            share = 100
            if parts[3]:
                if not parts[3].rstrip("%").strip().isdigit():
                    raise forms.ValidationError(_("Line %(n)d: the share is a whole number.") % {"n": n})
                share = int(parts[3].rstrip("%").strip())
            authors.append(
                {"name": parts[0], "date_of_birth": born, "position": parts[2], "share_percent": share}
            )
        return authors


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))


class RecogniseForm(forms.Form):
    decision_number = _text(64, label=_("Decision number"))
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE)
    effect_scope = forms.ChoiceField(
        label=_("Scope of effect"),
        choices=EffectScope.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ScheduleForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = _text(limits.PLACE, label=_("Place"))
    initiatives = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Initiatives on the agenda"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = initiatives


class OpenForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Members present"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class VoteForm(forms.Form):
    initiative = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=[("agree", _("Agree")), ("disagree", _("Disagree"))])
