"""Forms of the web UI. They parse and check the shape of the input; every rule that decides
whether a change is allowed lives in the services, which the views call with `cleaned_data`.

Model forms here are used only to build fields from the models (labels, choices, widgets):
nothing calls `save()`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from org import limits
from org.models import Unit

from .models import (
    AwardType,
    Campaign,
    DocumentKind,
    Dossier,
    DossierState,
    Nominee,
    NomineeKind,
    ProcedureKind,
)


class StyledForm:
    """Gives each widget its Bootstrap class, so templates render fields one generic way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self):
        """A field with an error is drawn in red beside its message, whether the form or the
        service found it (Django marks it aria-invalid)."""
        for name in self._errors or {}:
            field = self.fields.get(name)
            if field is None or "is-invalid" in field.widget.attrs.get("class", "").split():
                continue
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} is-invalid".strip()


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field messages under their fields (or at
    the top when the form has no such field), a list of problems at the top, one by one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


class DossierFilterForm(StyledForm, forms.Form):
    """The filters of the dossier list (GET). Invalid values are ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *DossierState.choices]
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        required=False,
        queryset=Campaign.objects.order_by("-period_start", "name"),
        empty_label=_("All campaigns"),
    )
    # The dashboard's overdue bars open the list with it (dossiers.selectors.OVERDUE_STEPS).
    overdue = forms.ChoiceField(
        label=_("Steps past their time limit"),
        required=False,
        choices=[
            ("", ""),
            ("appraisal", _("Appraisal past its 20 working days")),
            ("notice", _("Public notice still open after its period")),
        ],
    )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        campaign = data.get("campaign")
        return {
            "q": (data.get("q") or "").strip(),
            "state": data.get("state") or "",
            "campaign": campaign.pk if campaign else None,
            "overdue": data.get("overdue") or "",
        }


class DossierForm(StyledForm, forms.ModelForm):
    """The dossier's own fields, as the unit edits them."""

    class Meta:
        model = Dossier
        fields = ["title", "procedure_kind", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class DossierCreateForm(DossierForm):
    """A new draft: the campaign (open ones) and, for someone who drafts for several units, the
    unit; with one unit it is implied."""

    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    class Meta(DossierForm.Meta):
        fields = ["campaign", "unit", "title", "procedure_kind", "summary"]

    def __init__(self, *args, campaigns, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["unit"].queryset = units
        self.initial.setdefault("procedure_kind", ProcedureKind.CAMPAIGN)
        listed = list(units)
        self.single_unit = listed[0] if len(listed) == 1 else None
        if self.single_unit is not None:
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        if self.single_unit is not None:
            data["unit"] = self.single_unit
        return data


class NomineeForm(StyledForm, forms.ModelForm):
    """A nominee: who, for which award (the campaign's awards), their achievements, and whether
    anything bars an award."""

    prefix = "nominee"

    class Meta:
        model = Nominee
        fields = [
            "kind",
            "name",
            # identity (an individual)
            "sex",
            "date_of_birth",
            "hometown",
            "id_number",
            # work (a collective: the unit it is)
            "position",
            "workplace",
            "collective_unit",
            # qualifications
            "qualifications",
            "award_type",
            "achievements",
            "is_enterprise",
            "under_discipline",
            "under_investigation",
            "pending_complaint",
        ]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 3}),
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "id_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {
            "id_number": _(
                "The 12-digit citizen ID number (CCCD). Shown only to the unit and the reviewing bodies."
            ),
            "collective_unit": _(
                "For a collective: the unit it is (a council member of that unit then does not vote on it)."
            ),
            "qualifications": _("E.g. Đại học Sư phạm Toán; Trung cấp lý luận chính trị."),
        }

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.kind:
            self.initial["kind"] = NomineeKind.INDIVIDUAL
        # The units in scope: the dossier's own unit and those below it.
        self.fields["collective_unit"].queryset = Unit.objects.filter(
            path__startswith=dossier.unit.path, is_active=True
        ).order_by("path")
        # The campaign's awards; a campaign that lists none offers them all (as the service says).
        listed = Campaign.award_types.through.objects.filter(campaign_id=dossier.campaign_id)
        self.fields["award_type"].queryset = AwardType.objects.filter(
            Q(pk__in=listed.values("awardtype_id")) | ~Exists(listed)
        )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NomineeAuthorForm(StyledForm, forms.Form):
    """One author of an initiative or research topic."""

    prefix = "author"

    name = forms.CharField(label=_("Author's name"), max_length=limits.NAME)
    position = forms.CharField(label=_("Position / title"), max_length=limits.PLACE, required=False)
    share_percent = forms.DecimalField(
        label=_("Share (%)"), required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
    )


class KindSelect(forms.Select):
    """Each document kind carries its scope, so the page can ask for a nominee only when needed."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-scope"] = instance.scope
        return option


class AttachmentForm(StyledForm, forms.Form):
    prefix = "attachment"

    kind = forms.ModelChoiceField(
        label=_("Document kind"), queryset=DocumentKind.objects.order_by("pk"), widget=KindSelect
    )
    nominee = forms.ModelChoiceField(
        label=_("Nominee"),
        queryset=Nominee.objects.none(),
        required=False,
        empty_label=_("— the whole dossier —"),
        help_text=_("Only for documents that belong to one nominee, such as an achievement report."),
    )
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, JPEG or PNG."))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = Nominee.objects.current().filter(dossier=dossier)


class WithdrawForm(StyledForm, forms.Form):
    prefix = "withdraw"

    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.SHORT_TEXT,
    )


class ConfirmForm(forms.Form):
    """An action without input (submit, remove a nominee): the form only carries the service's
    refusals back to the page."""
