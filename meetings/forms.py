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
from org.models import CouncilMembership, CouncilRole


class MeetingScheduleForm(StyledForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limits.TITLE, required=False)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
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


def absence_reason_field(name) -> forms.CharField:
    """Why a member is absent, as the minutes print it ("đi công tác"); blank when present."""
    return forms.CharField(
        label=_("Reason for absence of %(name)s") % {"name": name},
        required=False,
        max_length=limits.SHORT_TEXT,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("Reason for absence, if absent")}
        ),
    )


class AttendanceForm(forms.Form):
    """Who is present; for each member absent, why (optional)."""

    present = forms.MultipleChoiceField(
        label=_("Present"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, data=None, *, roll, **kwargs):
        super().__init__(data, **kwargs)
        self.roll = list(roll)
        self.fields["present"].choices = [(r.member_id, r.member.get_full_name()) for r in self.roll]
        self.fields["present"].initial = [r.member_id for r in self.roll if r.status == "present"]
        for r in self.roll:
            field = absence_reason_field(r.member.get_full_name())
            field.initial = r.absence_reason
            self.fields[f"reason_{r.member_id}"] = field

    def rows(self):
        """[(the member's checkbox, their reason for absence), …], in the roll's order."""
        return list(zip(self["present"], (self[f"reason_{r.member_id}"] for r in self.roll), strict=True))

    def absence_reasons(self) -> dict:
        """{member id: reason} for the reasons given (the service refuses one for a member present)."""
        data = self.cleaned_data
        return {
            r.member_id: data[f"reason_{r.member_id}"] for r in self.roll if data[f"reason_{r.member_id}"]
        }


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


class TieDecisionForm(StyledForm, forms.Form):
    chosen = forms.MultipleChoiceField(
        label=_("Nominees who take the places left"), widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the minutes and the audit trail."),
    )

    def __init__(self, data=None, *, tied, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["chosen"].choices = [(r.nominee_id, r.nominee) for r in tied]


class LeaveForm(StyledForm, forms.Form):
    member = forms.ChoiceField(label=_("Member who has left"))

    def __init__(self, data=None, *, roll, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["member"].choices = [
            (r.member_id, r.member.get_full_name()) for r in roll if r.status == "present"
        ]


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


class PaperMeetingForm(StyledForm, forms.Form):
    """A meeting the council held on paper, from its signed minutes: when and where, who chaired
    and who was present, the dossiers before it and, per nominee, the votes and who did not vote.
    The people offered are everyone who has sat on the council; the service checks them against
    its members on the meeting date."""

    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    ended_time = forms.TimeField(
        label=_("Ended at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("As the minutes say; the same day."),
    )
    place = forms.CharField(label=_("Place"), max_length=255)
    chairperson = forms.ChoiceField(label=_("Chaired by"))
    present = forms.MultipleChoiceField(
        label=_("Members present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    written_votes = forms.IntegerField(
        label=_("Written votes of absent members"), min_value=0, initial=0, required=False
    )
    secret_ballot = forms.BooleanField(label=_("Secret ballot"), required=False, initial=True)
    dossiers = forms.MultipleChoiceField(
        label=_("Dossiers on the agenda"), widget=forms.CheckboxSelectMultiple
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Not required here: the service checks the file with the counts, so every problem is told
    # at once ("Attach the signed minutes of the meeting (PDF)." when there is none).
    minutes = forms.FileField(
        label=_("Signed minutes (PDF)"),
        required=False,
        help_text=_(
            "PDF only: the minutes signed by the chairperson and the secretary, scanned or signed digitally."
        ),
    )

    def __init__(self, data=None, files=None, *, council, ready, nominees, **kwargs):
        super().__init__(data, files, **kwargs)
        self.council = council
        self.ready = list(ready)
        self.nominees = list(nominees)
        people = {}
        for m in (
            CouncilMembership.objects.filter(council=council)
            .select_related("user")
            .order_by("user__full_name", "user__username", "-start")
        ):
            people.setdefault(m.user_id, m)
        self.people = {uid: m.user for uid, m in people.items()}
        # The chair first (and chosen by default): a vice-chair chairs only in their stead.
        chairs = sorted(
            (m for m in people.values() if m.council_role in (CouncilRole.CHAIR, CouncilRole.VICE_CHAIR)),
            key=lambda m: CouncilRole.rank(m.council_role),
        )
        self.fields["chairperson"].choices = [
            (m.user_id, f"{m.user.get_full_name()} — {m.get_council_role_display()}") for m in chairs
        ]
        if chairs:
            self.fields["chairperson"].initial = chairs[0].user_id
        member_choices = [(uid, m.user.get_full_name()) for uid, m in people.items()]
        self.fields["present"].choices = member_choices
        for uid, m in people.items():
            self.fields[f"reason_{uid}"] = absence_reason_field(m.user.get_full_name())
        self.fields["present"].widget.attrs["class"] = "form-check-input"
        self.fields["dossiers"].choices = [(d.pk, d.title) for d in self.ready]
        self.fields["dossiers"].widget.attrs["class"] = "form-check-input"
        self.fields["day"].initial = timezone.localdate()
        self.fields["time"].initial = dt.time(8, 0)
        for n in self.nominees:
            for name, label in (
                ("for", _("Agree")),
                ("against", _("Disagree")),
                ("abstain", _("Abstain")),
            ):
                self.fields[f"{name}_{n.pk}"] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
            self.fields[f"recused_{n.pk}"] = forms.MultipleChoiceField(
                label=_("Did not vote (conflict of interest)"),
                choices=member_choices,
                required=False,
                widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm", "size": 3}),
            )

    def rows(self):
        """Per dossier, its nominees with their fields: [(dossier, [(nominee, for, against,
        abstain, recused), …]), …]."""
        by_dossier = {}
        for n in self.nominees:
            by_dossier.setdefault(n.dossier_id, []).append(
                (
                    n,
                    self[f"for_{n.pk}"],
                    self[f"against_{n.pk}"],
                    self[f"abstain_{n.pk}"],
                    self[f"recused_{n.pk}"],
                )
            )
        return [(d, by_dossier.get(d.pk, [])) for d in self.ready]

    def absence_rows(self):
        """Each member's reason for absence, in the order of the members offered."""
        return [self[f"reason_{uid}"] for uid in self.people]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        chosen = {int(pk) for pk in data["dossiers"]}
        counts, recusals = {}, {}
        for n in self.nominees:
            if n.dossier_id not in chosen:
                continue
            votes = [data.get(f"{name}_{n.pk}") for name in ("for", "against", "abstain")]
            if any(v is not None for v in votes):
                counts[n.pk] = dict(
                    zip(("votes_for", "votes_against", "abstentions"), (v or 0 for v in votes), strict=True)
                )
            if data.get(f"recused_{n.pk}"):
                recusals[n.pk] = [int(uid) for uid in data[f"recused_{n.pk}"]]
        return {
            "council": self.council,
            "title": data["title"],
            "held_at": timezone.make_aware(dt.datetime.combine(data["day"], data["time"])),
            "ended_at": (
                timezone.make_aware(dt.datetime.combine(data["day"], data["ended_time"]))
                if data["ended_time"]
                else None
            ),
            "absence_reasons": {uid: data[f"reason_{uid}"] for uid in self.people if data[f"reason_{uid}"]},
            "place": data["place"],
            "chairperson": self.people[int(data["chairperson"])],
            "present": [int(uid) for uid in data["present"]],
            "written_votes": data["written_votes"] or 0,
            "secret_ballot": data["secret_ballot"],
            "dossiers": [d for d in self.ready if d.pk in chosen],
            "counts": counts,
            "recusals": recusals,
            "conclusion": data["conclusion"],
            "minutes": data["minutes"],
        }
