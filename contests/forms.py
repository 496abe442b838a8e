"""The forms of a contest's set-up and of its entries: they check the shape of what is typed (the
limits of org.limits, the choices); every rule is the services' (contests.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org import limits
from org.models import User

from .models import Contest, Criterion, EntrantKind, Entry, JurorRole, Prize

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)


class ContestForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Contest
        fields = [
            "name",
            "year",
            "plan_reference",
            "legal_basis",
            "description",
            "entry_cap_per_unit",
            "entries_deadline",
            "appraisal_deadline",
            "final_deadline",
            "finalists",
            "aggregation",
            "tie_rule",
        ]
        widgets = {"entries_deadline": DATE, "appraisal_deadline": DATE, "final_deadline": DATE}
        help_texts = {
            "entries_deadline": _("A working day; entries sent after it are refused."),
            "entry_cap_per_unit": _("Each unit pre-selects and sends at most this many entries."),
        }

    def validate_constraints(self, exclude=None):
        """The deadlines' order is the service's to say, with the dates in its message."""

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class CriterionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["round", "name", "weight", "max_score"]

    def validate_unique(self):
        """Uniqueness within the contest is the service's check (the form has no contest)."""


class PrizeForm(BootstrapMixin, forms.ModelForm):
    position = forms.IntegerField(
        label=_("order"), min_value=1, required=False, help_text=_("Empty: after the last level.")
    )

    class Meta:
        model = Prize
        fields = ["entrant_kind", "name", "count", "amount", "position"]
        help_texts = {"amount": _("In đồng, e.g. 10000000.")}

    def validate_unique(self):
        """Uniqueness within the contest is the service's check."""


class PersonChoiceField(forms.ModelChoiceField):
    """Namesakes are common (three "Hoàng Minh Tuấn"): each choice shows the position, the unit and
    the login beside the name so the organiser picks the right person."""

    def label_from_instance(self, user):
        name = user.full_name or user.username
        details = [d for d in (user.position, user.unit.name if user.unit_id else "") if d]
        return f"{name} — {', '.join([*details, user.username])}"


class JurorForm(BootstrapMixin, forms.Form):
    user = PersonChoiceField(
        label=_("person"),
        queryset=User.objects.filter(is_active=True).select_related("unit").order_by("full_name", "username"),
    )
    role = forms.ChoiceField(label=_("role"), choices=JurorRole.choices, initial=JurorRole.MEMBER)


class ConflictForm(BootstrapMixin, forms.Form):
    juror = forms.ModelChoiceField(label=_("juror"), queryset=None)
    entry = forms.ModelChoiceField(label=_("entry"), queryset=None)
    reason = forms.CharField(label=_("reason"), max_length=limits.TITLE)

    def __init__(self, *args, jurors, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = jurors
        self.fields["entry"].queryset = entries


class EntryForm(BootstrapMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)
    authors = forms.CharField(
        label=_("authors"),
        widget=forms.Textarea,
        max_length=limits.TEXT,
        help_text=_(
            "One author a line: name, then a comma and the position (e.g. Nguyễn Thị Hoa, Chuyên viên)."
        ),
    )

    class Meta:
        model = Entry
        fields = ["title", "entrant_kind", "entrant_name", "summary", "contact", "preselection_note"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrant_kind"].initial = EntrantKind.COLLECTIVE
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            if units.count() == 1:
                self.fields["unit"].initial = units.first()
        if self.instance.pk:
            self.initial["authors"] = "\n".join(
                f"{a.name}, {a.position}" if a.position else a.name for a in self.instance.authors.all()
            )

    def clean_authors(self) -> list[dict]:
        out = []
        for line in self.cleaned_data["authors"].splitlines():
            name, _sep, position = line.partition(",")
            if name.strip():
                out.append({"name": name.strip(), "position": position.strip()})
        if not out:
            raise forms.ValidationError(_("Name at least one author."))
        return out

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in [*self.Meta.fields, "authors"]}


class EntryFileForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_("The entry's description (PDF or DOCX) or a picture (JPEG, PNG)."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.docx,.jpg,.jpeg,.png"}
        ),
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=limits.TEXT, widget=forms.Textarea)


class OptionalReasonForm(ReasonForm):
    reason = forms.CharField(label=_("reason"), max_length=limits.TEXT, widget=forms.Textarea, required=False)
