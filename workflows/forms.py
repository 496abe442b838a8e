"""Forms of the workflow steps. They check the shape of the input only; whether the step may be
taken, and every business rule, is the services' to decide."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import SignerCapacity
from approvals.services import REVOCATION_RETURN_DAYS
from dossiers.forms import StyledForm
from dossiers.models import Campaign
from org import limits

from .flows import STEPS


def styled(field):
    """A field added after StyledForm styled the others, given the same Bootstrap class."""
    if isinstance(field.widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(field.widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    field.widget.attrs["class"] = css
    return field


class AcceptForm(StyledForm, forms.Form):
    """Accept the dossier; a nominee found ineligible is ticked, with the reason."""

    prefix = "accept"

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = list(nominees)
        for nominee in self.nominees:
            self.fields[f"ineligible_{nominee.pk}"] = styled(
                forms.BooleanField(
                    label=_("%(name)s is not eligible") % {"name": nominee.name}, required=False
                )
            )
            self.fields[f"reason_{nominee.pk}"] = styled(
                forms.CharField(label=_("Why"), required=False, max_length=limits.SHORT_TEXT)
            )

    def rows(self):
        return [(n, self[f"ineligible_{n.pk}"], self[f"reason_{n.pk}"]) for n in self.nominees]

    def ineligible(self) -> dict:
        data = self.cleaned_data
        return {n.pk: data.get(f"reason_{n.pk}", "") for n in self.nominees if data.get(f"ineligible_{n.pk}")}


class ReturnForm(StyledForm, forms.Form):
    prefix = "return"

    items = forms.CharField(
        label=_("What the unit must supply"),
        help_text=_("One item per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
        # Every item a line: at most RETURN_ITEMS of RETURN_ITEM characters (the service says
        # which one is too long).
        max_length=limits.RETURN_ITEMS * (limits.RETURN_ITEM + 1),
    )
    further_return_reason = forms.CharField(
        label=_("Reason for a further return"),
        help_text=_("The law allows one return: a second one must say why."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=limits.SHORT_TEXT,
    )

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class RejectForm(StyledForm, forms.Form):
    prefix = "reject"

    reasons = forms.CharField(
        label=_("Reasons for the rejection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.TEXT
    )


class ObjectionForm(StyledForm, forms.Form):
    prefix = "objection"

    nominee = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(
        label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.TEXT
    )

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = {n.pk: n for n in nominees}
        self.fields["nominee"].choices = [("", _("— the whole list —"))] + [(n.pk, n.name) for n in nominees]

    def chosen_nominee(self):
        return self.nominees.get(self.cleaned_data.get("nominee"))


class ResolveForm(StyledForm, forms.Form):
    prefix = "resolve"

    resolution = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.TEXT
    )


class OpinionForm(StyledForm, forms.Form):
    prefix = "opinion"

    text = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.TEXT
    )
    agrees = forms.BooleanField(label=_("I agree with the proposal"), required=False, initial=True)


class DecideForm(StyledForm, forms.Form):
    prefix = "decide"

    title = forms.CharField(label=_("Subject of the decision"), max_length=limits.TITLE)
    capacity = forms.ChoiceField(label=_("Signs as"), choices=SignerCapacity.choices, required=False)
    signed_on = forms.DateField(
        label=_("Signed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today when left empty."),
    )

    def __init__(self, *args, capacities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if (
            capacities
        ):  # only the capacities the signer may use (a chair: own right or TM.; a vice-chair: KT.)
            labels = dict(SignerCapacity.choices)
            self.fields["capacity"].choices = [(c, labels[c]) for c in capacities]


class ForwardForm(StyledForm, forms.Form):
    prefix = "forward"

    title = forms.CharField(label=_("Title of the dossier sent up"), max_length=limits.TITLE)


class DeclineForm(StyledForm, forms.Form):
    prefix = "decline"

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.SHORT_TEXT
    )


class RevokeForm(StyledForm, forms.Form):
    prefix = "revoke"

    awards = forms.TypedMultipleChoiceField(
        label=_("Awards to revoke"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason (fraud, false papers, an unlawful procedure …)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.TEXT,
    )
    capacity = forms.ChoiceField(label=_("Signs as"), choices=SignerCapacity.choices, required=False)
    return_by = forms.DateField(
        label=_("Cash and certificate to be returned by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        # The decision is signed today: the default day the service would take.
        self.fields["return_by"].initial = timezone.localdate() + dt.timedelta(days=REVOCATION_RETURN_DAYS)
        self.fields["return_by"].help_text = _(
            "%(days)d days after signing unless you choose another day."
        ) % {"days": REVOCATION_RETURN_DAYS}
        self.award_map = {a.pk: a for a in awards}
        self.fields["awards"].choices = [
            (a.pk, f"{a.nominee.name} — {a.amount:,} đ".replace(",", ".")) for a in awards
        ]
        self.fields["awards"].widget.attrs["class"] = ""

    def chosen(self):
        return [self.award_map[pk] for pk in self.cleaned_data["awards"]]


class TaskFilterForm(StyledForm, forms.Form):
    """Filters of the inboxes (GET); invalid values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    step = forms.ChoiceField(label=_("Step"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none(), empty_label=_("All campaigns")
    )
    holder = forms.ChoiceField(
        label=_("Held by"),
        required=False,
        choices=[
            ("", _("Anyone")),
            ("mine", _("Me")),
            ("assigned_me", _("Assigned to me")),
            ("nobody", _("Nobody yet")),
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, steps=None, fields=("q", "step"), campaigns=None, **kwargs):
        """`campaigns`: those offered by the campaign filter (the campaigns of the rows the list
        can show: no other body's campaign is named)."""
        super().__init__(*args, **kwargs)
        steps = steps or list(STEPS.values())
        self.fields["step"].choices = [("", _("All steps"))] + [(s.name, s.task_title) for s in steps]
        if "campaign" in fields:
            offered = campaigns if campaigns is not None else Campaign.objects.none()
            self.fields["campaign"].queryset = offered.order_by("-period_start", "name")
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        campaign = data.get("campaign")
        return {
            "q": (data.get("q") or "").strip(),
            "step": data.get("step") or "",
            "campaign": campaign.pk if campaign else None,
            "holder": data.get("holder") or "",
            "overdue": bool(data.get("overdue")),
        }


class DecisionBatchForm(StyledForm, forms.Form):
    """One decision for many dossiers: which of the dossiers awaiting a decision at the body, the
    subject, and (for the signer) the capacity and the date. Only the capacities the signer may use
    are offered (a chair in their own right or TM., a vice-chair KT.)."""

    prefix = "decision"

    dossiers = forms.TypedMultipleChoiceField(
        label=_("Dossiers in the decision"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Subject of the decision"), max_length=limits.TITLE)
    capacity = forms.ChoiceField(label=_("Signs as"), choices=(), required=False)
    signed_on = forms.DateField(
        label=_("Signed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today when left empty."),
    )
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates, capacities, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {d.pk: d for d in candidates}
        self.fields["dossiers"].choices = [(d.pk, d.title) for d in candidates]
        labels = dict(SignerCapacity.choices)
        self.fields["capacity"].choices = [(c, labels[c]) for c in capacities]
        if not capacities:
            del self.fields["capacity"]
            del self.fields["signed_on"]

    def chosen(self) -> list:
        return [self.candidates[pk] for pk in self.cleaned_data["dossiers"]]
