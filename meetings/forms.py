"""Forms of the council's meeting pages. They check the shape of the input only; every rule
(who, when, quorum, once per nominee, conflicts) is approvals.meeting_services'."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.meeting_services import council_members_on
from approvals.models import VoteChoice
from dossiers.forms import StyledForm
from org import limits
from org.models import CouncilRole


class MeetingScheduleForm(StyledForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limits.TITLE, required=False)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=limits.PLACE)
    chairperson = forms.ChoiceField(label=_("Chaired by"))
    secretary = forms.ChoiceField(label=_("Secretary"))
    secret_ballot = forms.BooleanField(label=_("Secret ballot"), required=False, initial=True)
    allow_abstention = forms.BooleanField(label=_("Members may abstain"), required=False)
    dossiers = forms.MultipleChoiceField(
        label=_("Dossiers on the agenda"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, council, ready, **kwargs):
        super().__init__(data, **kwargs)
        self.council = council
        self.ready = list(ready)
        members = council_members_on(council, timezone.localdate())
        self.people = {m.user_id: m.user for m in members}
        self.fields["chairperson"].choices = [
            (m.user_id, f"{m.user.get_full_name()} — {m.get_council_role_display()}")
            for m in members
            if m.council_role in (CouncilRole.CHAIR, CouncilRole.VICE_CHAIR)
        ]
        self.fields["secretary"].choices = [
            (m.user_id, m.user.get_full_name()) for m in members if m.council_role == CouncilRole.SECRETARY
        ]
        self.fields["dossiers"].choices = [(d.pk, d.title) for d in self.ready]
        self.fields["dossiers"].widget.attrs["class"] = "form-check-input"
        self.fields["day"].initial = timezone.localdate() + dt.timedelta(days=1)
        self.fields["time"].initial = dt.time(8, 0)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        chosen = {int(pk) for pk in data["dossiers"]}
        return {
            "council": self.council,
            "title": data["title"],
            "scheduled_at": timezone.make_aware(dt.datetime.combine(data["day"], data["time"])),
            "place": data["place"],
            "chairperson": self.people[int(data["chairperson"])],
            "secretary": self.people[int(data["secretary"])],
            "secret_ballot": data["secret_ballot"],
            "allow_abstention": data["allow_abstention"],
            "dossiers": [d for d in self.ready if d.pk in chosen],
        }


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, roll, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["present"].choices = [(r.member_id, r.member.get_full_name()) for r in roll]
        self.fields["present"].initial = [r.member_id for r in roll if r.status == "present"]


class VoteForm(forms.Form):
    nominee = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=VoteChoice.choices)


class RecusalForm(StyledForm, forms.Form):
    nominee = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("What is the conflict of interest?"), max_length=limits.SHORT_TEXT)


class CloseForm(StyledForm, forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"),
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The council's conclusion, as the minutes will state it."),
    )


class CancelForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=limits.SHORT_TEXT)


class WrittenVoteForm(forms.Form):
    """One paper: a choice and an optional comment for each nominee the member may vote on."""

    def __init__(self, data=None, *, items, allow_abstention, **kwargs):
        super().__init__(data, **kwargs)
        choices = [
            (VoteChoice.AGREE, VoteChoice.AGREE.label),
            (VoteChoice.DISAGREE, VoteChoice.DISAGREE.label),
        ]
        if allow_abstention:
            choices.append((VoteChoice.ABSTAIN, VoteChoice.ABSTAIN.label))
        self.items = items
        for view in items:
            nominee = view.item.nominee
            self.fields[f"choice_{nominee.pk}"] = forms.ChoiceField(
                label=nominee.name, choices=choices, widget=forms.RadioSelect
            )
            self.fields[f"comment_{nominee.pk}"] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=limits.SHORT_TEXT,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def rows(self):
        return [
            (v, self[f"choice_{v.item.nominee_id}"], self[f"comment_{v.item.nominee_id}"]) for v in self.items
        ]

    def votes(self) -> dict:
        data = self.cleaned_data
        return {
            v.item.nominee_id: {
                "choice": data[f"choice_{v.item.nominee_id}"],
                "comment": data[f"comment_{v.item.nominee_id}"],
            }
            for v in self.items
        }
