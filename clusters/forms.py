"""Forms of the cluster pages: they check the shape of the input; every rule (who, when, weights,
rotation, ties) is the services' (clusters.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.forms import StyledForm
from dossiers.models import Campaign
from org import limits
from org.models import Unit

from .models import ClusterKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


POINTS = {"min_value": 0, "max_digits": 6, "decimal_places": 2}


class ClusterForm(StyledForm, forms.Form):
    organizer = forms.ModelChoiceField(label=_("Organised by"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=limits.TITLE)
    kind = forms.ChoiceField(label=_("Kind"), choices=ClusterKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=limits.SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organizers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = Unit.objects.filter(pk__in=[u.pk for u in organizers])


class MembersForm(StyledForm, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    units = forms.ModelMultipleChoiceField(
        label=_("Member units"), queryset=Unit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = candidates if candidates is not None else Unit.objects.none()


class TermForm(StyledForm, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    leader = forms.ModelChoiceField(label=_("Leader unit"), queryset=Unit.objects.none())
    deputy = forms.ModelChoiceField(label=_("Deputy unit"), queryset=Unit.objects.none(), required=False)
    self_scoring_deadline = forms.DateField(label=_("Self-scoring deadline"), widget=DateInput())
    repeat_reason = forms.CharField(
        label=_("Reason the leader is kept (only when it led last year too)"),
        max_length=limits.SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("leader", "deputy"):
            self.fields[name].queryset = candidates if candidates is not None else Unit.objects.none()


class CriteriaForm(StyledForm, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    lines = forms.CharField(
        label=_("Criteria, one a line: name | weight (%) | maximum points"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=limits.LONG_TEXT,
    )

    def clean_lines(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write the name, the weight and the maximum, separated by “|”.")
                    % {"n": number}
                )
            rows.append({"name": parts[0], "weight": int(parts[1]), "max_points": int(parts[2])})
        return rows


class SelfScoreForm(StyledForm, forms.Form):
    """One points field, one note and one file per criterion."""

    def __init__(self, *args, criteria=(), scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.criteria = list(criteria)
        for c in self.criteria:
            old = scores.get(c.pk)
            self.fields[f"points_{c.pk}"] = forms.DecimalField(
                label=_("Points (of %(max)s)") % {"max": c.max_points},
                max_value=c.max_points,
                initial=old.points if old else None,
                **POINTS,
            )
            self.fields[f"note_{c.pk}"] = forms.CharField(
                label=_("Evidence note"),
                required=False,
                max_length=limits.SHORT_TEXT,
                initial=old.note if old else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"evidence_{c.pk}"] = forms.FileField(label=_("Evidence file"), required=False)
        # The fields are added after StyledForm styled the (then empty) form.
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def rows(self):
        return [
            (c, self[f"points_{c.pk}"], self[f"note_{c.pk}"], self[f"evidence_{c.pk}"]) for c in self.criteria
        ]

    def scores(self):
        data = self.cleaned_data
        return [
            {
                "criterion": c,
                "points": data[f"points_{c.pk}"],
                "note": data.get(f"note_{c.pk}", ""),
                "evidence": data.get(f"evidence_{c.pk}"),
            }
            for c in self.criteria
        ]


class CrossScoreForm(forms.Form):
    """The scorer's sheet: one points field per other member and criterion."""

    def __init__(self, *args, criteria=(), scored=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.criteria, self.scored = list(criteria), list(scored)
        for unit in self.scored:
            for c in self.criteria:
                self.fields[f"p_{unit.pk}_{c.pk}"] = forms.DecimalField(
                    label=f"{unit.name} — {c.name}",
                    max_value=c.max_points,
                    initial=current.get((unit.pk, c.pk)),
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                    **POINTS,
                )

    def grid(self):
        return [(unit, [(c, self[f"p_{unit.pk}_{c.pk}"]) for c in self.criteria]) for unit in self.scored]

    def scores(self):
        return [
            {"scored": unit, "criterion": c, "points": self.cleaned_data[f"p_{unit.pk}_{c.pk}"]}
            for unit in self.scored
            for c in self.criteria
        ]


class ReviewForm(forms.Form):
    """The standing body's score of one unit on each criterion, with a reason where it departs."""

    def __init__(self, *args, criteria=(), initial_points=None, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_points, reasons = initial_points or {}, reasons or {}
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"points_{c.pk}"] = forms.DecimalField(
                label=c.name,
                max_value=c.max_points,
                initial=initial_points.get(c.pk),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                **POINTS,
            )
            self.fields[f"reason_{c.pk}"] = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=limits.SHORT_TEXT,
                initial=reasons.get(c.pk, ""),
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def rows(self):
        return [(c, self[f"points_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.criteria]

    def scores(self):
        return [
            {
                "criterion": c,
                "points": self.cleaned_data[f"points_{c.pk}"],
                "reason": self.cleaned_data.get(f"reason_{c.pk}", ""),
            }
            for c in self.criteria
        ]


class CloseForm(StyledForm, forms.Form):
    tie_order = forms.CharField(
        label=_(
            "Order of the units the criteria leave equal: their numbers (No.) in the scores table, first to last"
        ),
        required=False,
        max_length=200,
    )
    tie_reason = forms.CharField(
        label=_("Reason for that order"),
        required=False,
        max_length=limits.SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_tie_order(self):
        value = self.cleaned_data["tie_order"].replace(",", " ").split()
        if not all(v.isdigit() for v in value):
            raise forms.ValidationError(_("Give the units' numbers separated by commas."))
        return [int(v) for v in value]


class ProposalForm(StyledForm, forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    commendations = forms.IntegerField(
        label=_("Units proposed for the provincial chair's certificate of merit after the first"),
        min_value=0,
        max_value=10,
        initial=2,
    )

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns if campaigns is not None else Campaign.objects.none()
