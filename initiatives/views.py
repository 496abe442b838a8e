"""The initiative pages: the unit's list and registration, an initiative's page (authors, files,
review history, recognition), the council's meetings with voting on a phone, the recognition
decision. Views parse, call the service and render; the services decide."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dossiers.files import file_response
from dossiers.views import PAGE_SIZE, ServiceFormView
from org.models import Unit, User
from org.scopes import scopes_for

from . import permissions, selectors, services
from .forms import FileForm, FilterForm, OpenForm, RecogniseForm, RegisterForm, ScheduleForm, VoteForm
from .models import Initiative, InitiativeFile, InitiativeMeetingState, InitiativeState


def registering_units(user):
    ids = {s.unit_id for s in scopes_for(user) if s.role in permissions.STAFF}
    if user.unit_id:
        ids.add(user.unit_id)
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))


@login_required
def initiative_list(request):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.initiative_list_for(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "initiatives/initiative_list.html",
        {"filter_form": form, "page": page, "can_register": bool(registering_units(request.user))},
    )


class RegisterView(ServiceFormView):
    template_name = "initiatives/initiative_form.html"

    def back_url(self):
        return reverse("initiative-list")

    def load(self):
        self.units = registering_units(self.request.user)
        if not self.units:
            raise Http404

    def get_form(self, data=None, files=None):
        return RegisterForm(data, units=Unit.objects.filter(pk__in=[u.pk for u in self.units]))

    def get_context(self):
        return {"form": self.form}

    def perform(self, data):
        self.initiative = services.initiative_register(
            actor=self.request.user,
            unit=data["unit"],
            year=data["year"],
            title=data["title"],
            field=data["field"],
            summary=data["summary"],
            improvement=data["improvement"],
            applied_on=data["applied_on"],
            authors=data["co_authors"],
        )
        return _("The initiative “%(title)s” has been registered.") % {"title": self.initiative.title}

    def success_url(self):
        return reverse("initiative-detail", args=[self.initiative.pk])


def _detail_context(request, initiative, **forms):
    user = request.user
    history = selectors.review_history(initiative)
    recognition = selectors.recognition_of(initiative)
    is_head = permissions.is_unit_head(user, initiative.unit)
    can_edit = permissions.is_unit_staff(user, initiative.unit) or permissions.is_author(user, initiative)
    passed = bool(history) and history[-1].result == "passed"
    return {
        "initiative": initiative,
        "history": history,
        "recognition": recognition,
        "can_submit": is_head and initiative.state == InitiativeState.REGISTERED,
        "can_withdraw": can_edit
        and initiative.state in (InitiativeState.REGISTERED, InitiativeState.SUBMITTED),
        "can_add_file": can_edit
        and initiative.state in (InitiativeState.REGISTERED, InitiativeState.SUBMITTED),
        "can_recognise": is_head and initiative.state == InitiativeState.UNDER_REVIEW and passed,
        "file_form": forms.get("file_form") or FileForm(),
        "recognise_form": forms.get("recognise_form") or RecogniseForm(),
    }


@login_required
def initiative_detail(request, pk):
    initiative = selectors.access_initiative(user=request.user, pk=pk)
    return render(request, "initiatives/initiative_detail.html", _detail_context(request, initiative))


class InitiativeActionView(ServiceFormView):
    """A step on an initiative from its page; a refused form comes back on the page."""

    template_name = "initiatives/initiative_detail.html"
    form_name = ""

    def back_url(self):
        return reverse("initiative-detail", args=[self.kwargs["pk"]])

    def get(self, request, *args, **kwargs):
        return redirect(self.back_url())

    def load(self):
        self.initiative = selectors.access_initiative(user=self.request.user, pk=self.kwargs["pk"])

    def get_context(self):
        return _detail_context(self.request, self.initiative, **{self.form_name: self.form})

    def success_url(self):
        return self.back_url()


class FileAddView(InitiativeActionView):
    form_name = "file_form"

    def get_form(self, data=None, files=None):
        return FileForm(data, files)

    def perform(self, data):
        row = services.initiative_file_add(
            actor=self.request.user, initiative=self.initiative, uploaded_file=data["file"]
        )
        return _("The file “%(name)s” has been added.") % {"name": row.original_name}


class RecogniseView(InitiativeActionView):
    form_name = "recognise_form"

    def get_form(self, data=None, files=None):
        return RecogniseForm(data)

    def perform(self, data):
        recognition = services.initiative_recognise(
            actor=self.request.user, initiative=self.initiative, **data
        )
        self.recognition = recognition
        return _("The initiative has been recognised by decision %(number)s.") % {
            "number": recognition.decision_number
        }


class _ConfirmForm(forms.Form):
    """A button: nothing to fill in."""


class SubmitView(InitiativeActionView):
    def get_form(self, data=None, files=None):
        return _ConfirmForm(data)

    def perform(self, data):
        services.initiative_submit(actor=self.request.user, initiative=self.initiative)
        return _("The initiative has been submitted to the initiative council.")


class WithdrawView(SubmitView):
    def perform(self, data):
        services.initiative_withdraw(actor=self.request.user, initiative=self.initiative)
        return _("The initiative has been withdrawn.")


@login_required
def initiative_file(request, pk, file_id):
    initiative = selectors.access_initiative(user=request.user, pk=pk)
    try:
        row = InitiativeFile.objects.get(pk=file_id, initiative=initiative)
    except (InitiativeFile.DoesNotExist, ValueError):
        raise Http404 from None
    return file_response(row.file.open("rb"), filename=row.original_name, content_type=row.content_type)


# --- the council's meetings ----------------------------------------------------------------------


def _officer_councils(user):
    from .models import InitiativeCouncil, InitiativeCouncilRole

    return list(
        InitiativeCouncil.objects.filter(
            members__user=user,
            members__role__in=[InitiativeCouncilRole.CHAIR, InitiativeCouncilRole.SECRETARY],
        ).select_related("unit")
    )


@login_required
def meeting_list(request):
    councils = _officer_councils(request.user)
    return render(
        request,
        "initiatives/meeting_list.html",
        {"meetings": selectors.meeting_list_for(user=request.user)[:100], "councils": councils},
    )


class ScheduleView(ServiceFormView):
    template_name = "initiatives/meeting_form.html"

    def back_url(self):
        return reverse("initiative-meeting-list")

    def load(self):
        councils = _officer_councils(self.request.user)
        if not councils:
            raise Http404
        self.council = councils[0]

    def get_form(self, data=None, files=None):
        waiting = Initiative.objects.filter(unit=self.council.unit, state=InitiativeState.SUBMITTED).order_by(
            "title"
        )
        return ScheduleForm(data, initiatives=waiting)

    def get_context(self):
        return {"form": self.form, "council": self.council}

    def perform(self, data):
        self.meeting = services.meeting_schedule(
            actor=self.request.user,
            council=self.council,
            held_on=data["held_on"],
            place=data["place"],
            initiatives=list(data["initiatives"]),
        )
        return _("The meeting has been convened.")

    def success_url(self):
        return reverse("initiative-meeting-detail", args=[self.meeting.pk])


def _meeting_context(request, meeting, open_form=None):
    user = request.user
    council = meeting.council
    role = permissions.council_role(user, council)
    members = User.objects.filter(pk__in=council.members.values("user_id")).order_by("full_name")
    present_ids = set(meeting.present.values_list("pk", flat=True))
    return {
        "meeting": meeting,
        "council": council,
        "items": selectors.meeting_agenda(meeting, user),
        "members": list(council.members.select_related("user")),
        "present_ids": present_ids,
        "is_officer": permissions.is_council_officer(user, council),
        "can_vote": bool(role) and meeting.state == InitiativeMeetingState.VOTING and user.pk in present_ids,
        "open_form": open_form or OpenForm(members=members),
        "votes_needed": services.votes_needed(meeting.members_total or len(members), council),
        "quorum": services.quorum_needed(len(members), council.quorum_numerator, council.quorum_denominator),
    }


@login_required
def meeting_detail(request, pk):
    meeting = selectors.access_meeting(user=request.user, pk=pk)
    return render(request, "initiatives/meeting_detail.html", _meeting_context(request, meeting))


class MeetingActionView(ServiceFormView):
    template_name = "initiatives/meeting_detail.html"

    def back_url(self):
        return reverse("initiative-meeting-detail", args=[self.kwargs["pk"]])

    def get(self, request, *args, **kwargs):
        return redirect(self.back_url())

    def load(self):
        self.meeting = selectors.access_meeting(user=self.request.user, pk=self.kwargs["pk"])

    def get_context(self):
        return _meeting_context(self.request, self.meeting)

    def success_url(self):
        return self.back_url()


class OpenView(MeetingActionView):
    def get_form(self, data=None, files=None):
        members = User.objects.filter(pk__in=self.meeting.council.members.values("user_id"))
        return OpenForm(data, members=members)

    def get_context(self):
        return _meeting_context(self.request, self.meeting, open_form=self.form)

    def perform(self, data):
        services.meeting_open_voting(
            actor=self.request.user, meeting=self.meeting, present=list(data["present"])
        )
        return _("The vote is open.")


class VoteView(MeetingActionView):
    def get_form(self, data=None, files=None):
        return VoteForm(data)

    def perform(self, data):
        item = (
            self.meeting.agenda.filter(initiative_id=data["initiative"]).select_related("initiative").first()
        )
        if item is None:
            raise Http404
        services.ballot_cast(
            actor=self.request.user, meeting=self.meeting, initiative=item.initiative, choice=data["choice"]
        )
        return _("Your secret ballot on “%(title)s” has been cast.") % {"title": item.initiative.title}


class _CloseForm(forms.Form):
    """The confirmation page's button: without `confirmed` the POST only shows that page."""

    confirmed = forms.BooleanField(required=True, widget=forms.HiddenInput)


class CloseView(MeetingActionView):
    """The chair or secretary closes the vote from a confirmation page that names the members
    present who have not voted yet and on which initiatives (as the award councils' close does);
    the meeting page's button, and any POST without `confirmed`, shows that page and closes
    nothing."""

    template_name = "initiatives/meeting_close_confirm.html"

    def get_form(self, data=None, files=None):
        return _CloseForm(data)

    def get_context(self):
        return {
            "meeting": self.meeting,
            "council": self.meeting.council,
            "form": self.form,
            "missing": selectors.missing_votes(self.meeting),
        }

    def confirmation(self):
        if not permissions.is_council_officer(self.request.user, self.meeting.council):
            raise PermissionDenied(_("Only the council's chair or secretary closes the vote."))
        if self.meeting.state != InitiativeMeetingState.VOTING:
            return self.refusal(409, _("The vote is not open: there is nothing to close."))
        self.form = _CloseForm(initial={"confirmed": True})
        return self.render_form()

    def get(self, request, *args, **kwargs):
        self.load()
        return self.confirmation()

    def post(self, request, *args, **kwargs):
        if not request.POST.get("confirmed"):
            self.load()
            return self.confirmation()
        return super().post(request, *args, **kwargs)

    def perform(self, data):
        services.meeting_close(actor=self.request.user, meeting=self.meeting)
        return _("The vote is closed and counted.")


@login_required
def recognition_detail(request, pk):
    recognition = selectors.access_recognition(user=request.user, pk=pk)
    return render(request, "initiatives/recognition_detail.html", {"recognition": recognition})
