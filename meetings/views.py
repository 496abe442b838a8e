"""The council's meeting pages: the list of meetings and invitations, convening a meeting, the
member's page (the agenda with each nominee's achievements and documents, one click per vote, a
clear "you have voted" state), the written vote, the secretary's live view of who has voted
(never how, in a secret vote), and the minutes.

Thin views: each POST calls one service of approvals.meeting_services (the close: workflows.council,
which also hands the results over) with `actor=request.user`. The services decide; templates only
hide what the user cannot do. Refusals become answers in one place (`MeetingErrorsMixin`).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from approvals import meeting_permissions as perms
from approvals import meeting_selectors as selectors
from approvals import meeting_services as services
from approvals import paper_meetings
from approvals.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CouncilMeeting,
    MeetingState,
    Participation,
    Recusal,
)
from dossiers.files import file_response
from dossiers.forms import ConfirmForm
from dossiers.views import ServiceErrorsMixin
from org.models import CouncilRole
from workflows import council

from .forms import (
    AttendanceForm,
    CancelForm,
    CloseForm,
    LeaveForm,
    MeetingScheduleForm,
    PaperMeetingForm,
    RecusalForm,
    TieDecisionForm,
    VoteForm,
    WrittenVoteForm,
)

M = MeetingState
LIVE_POLL_SECONDS = 5


class MeetingErrorsMixin(ServiceErrorsMixin):
    """A refusal of a service becomes the page the user can act on (dossiers.views'
    ServiceErrorsMixin), leading back to the meeting. A vote clicked through htmx gets its card
    back with the message instead, with the same status."""

    back_label = gettext_lazy("Back to the meeting")

    def back_url(self) -> str:
        pk = self.kwargs.get("pk")
        return reverse("council-meeting-detail", args=[pk]) if pk else reverse("council-meeting-list")

    def render_form(self, status=200):
        raise NotImplementedError


class MeetingActionView(LoginRequiredMixin, MeetingErrorsMixin, View):
    """A POST on a meeting the user may see (else 404): check the form's shape, call the service,
    come back to the meeting's page with a message."""

    http_method_names = ["post"]

    def load(self):
        self.meeting = selectors.access_meeting(user=self.request.user, pk=self.kwargs["pk"])

    form_name = "action_form"

    def get_form(self, data):
        return ConfirmForm(data)

    def perform(self, data) -> str:
        raise NotImplementedError

    def render_form(self, status=200):
        forms = {self.form_name: self.form, "failed_form": self.form}
        return render_meeting(self.request, self.meeting, forms, status=status)

    def post(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.POST)
        if not self.form.is_valid():
            return self.render_form(status=400)
        messages.success(request, self.perform(self.form.cleaned_data))
        return redirect("council-meeting-detail", self.meeting.pk)


# --- lists ------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    user = request.user
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "invitations": list(selectors.meeting_invitations_for(user=user)),
            "meetings": list(selectors.meeting_list_for(user=user)[:50]),
            "councils": list(selectors.councils_to_convene(user=user)),
        },
    )


class MeetingCreateView(LoginRequiredMixin, MeetingErrorsMixin, View):
    template_name = "meetings/meeting_form.html"

    def load(self):
        chosen = self.request.GET.get("council") or self.request.POST.get("council")
        if chosen:
            self.council = selectors.access_council_to_convene(user=self.request.user, pk=chosen)
        else:
            self.council = selectors.councils_to_convene(user=self.request.user).first()
            if self.council is None:
                raise PermissionDenied(_("Only a council's secretary convenes its meetings."))
        self.ready = selectors.dossiers_ready_for(council=self.council)

    def render_form(self, status=200):
        return render(
            self.request, self.template_name, {"form": self.form, "council": self.council}, status=status
        )

    def get(self, request):
        self.load()
        self.form = MeetingScheduleForm(council=self.council, ready=self.ready)
        return self.render_form()

    def post(self, request):
        self.load()
        self.form = MeetingScheduleForm(request.POST, council=self.council, ready=self.ready)
        if not self.form.is_valid():
            return self.render_form(status=400)
        meeting = services.meeting_schedule(actor=request.user, **self.form.service_kwargs())
        messages.success(request, _("The meeting has been convened; its members are invited."))
        return redirect("council-meeting-detail", meeting.pk)


class PaperMeetingView(LoginRequiredMixin, MeetingErrorsMixin, View):
    """The council's secretary records a meeting the council held on paper, with its signed
    minutes; its results go on to each dossier's next step (workflows.council)."""

    template_name = "meetings/paper_meeting_form.html"

    def load(self):
        chosen = self.request.GET.get("council") or self.request.POST.get("council")
        if chosen:
            self.council = selectors.access_council_to_convene(user=self.request.user, pk=chosen)
        else:
            self.council = selectors.councils_to_convene(user=self.request.user).first()
            if self.council is None:
                raise PermissionDenied(_("Only a council's secretary records its meetings."))
        self.ready = list(selectors.dossiers_ready_for(council=self.council))
        self.nominees = paper_meetings.nominees_before(self.ready)

    def make_form(self, data=None, files=None):
        return PaperMeetingForm(data, files, council=self.council, ready=self.ready, nominees=self.nominees)

    def render_form(self, status=200):
        return render(
            self.request, self.template_name, {"form": self.form, "council": self.council}, status=status
        )

    def get(self, request):
        self.load()
        self.form = self.make_form()
        return self.render_form()

    def post(self, request):
        self.load()
        self.form = self.make_form(request.POST, request.FILES)
        if not self.form.is_valid():
            return self.render_form(status=400)
        meeting = council.paper_meeting_record(actor=request.user, **self.form.service_kwargs())
        messages.success(
            request,
            _("The meeting held on paper is recorded; its results have gone on to the next step."),
        )
        return redirect("council-meeting-detail", meeting.pk)


@login_required
def meeting_minutes_file(request, pk):
    """The signed minutes of a meeting recorded from paper, for whoever may see the meeting."""
    meeting = selectors.access_meeting(user=request.user, pk=pk)
    if not meeting.minutes_file:
        raise Http404
    return file_response(
        meeting.minutes_file.open("rb"),
        filename=f"bien-ban-hop-{meeting.pk}.pdf",
        content_type="application/pdf",
    )


# --- the meeting's page -------------------------------------------------------------------------


def meeting_context(request, meeting, forms=None) -> dict:
    user = request.user
    page = selectors.meeting_page(user=user, meeting=meeting)
    me = page.me
    is_member = me is not None and perms.can_vote(user, meeting, {me.member_id})
    can_run = perms.can_run_meeting(user, meeting)
    context = {
        "meeting": meeting,
        "page": page,
        "me": me,
        "is_member": is_member,
        "can_vote_now": is_member and meeting.state == M.VOTING and me.status == AttendanceStatus.PRESENT,
        "can_write": is_member and meeting.state == M.SCHEDULED and me.status != AttendanceStatus.PRESENT,
        "can_recuse": is_member and meeting.state in (M.SCHEDULED, M.VOTING),
        "can_run": can_run,
        "can_close": perms.can_close_meeting(user, meeting) and meeting.state == M.VOTING,
        "can_watch": perms.can_watch_meeting(user, meeting),
    }
    if can_run and meeting.state in (M.SCHEDULED, M.VOTING):
        context["attendance_form"] = AttendanceForm(roll=page.roll)
        context["cancel_form"] = CancelForm()
    if context["can_close"]:
        context["close_form"] = CloseForm()
    if can_run and meeting.state == M.VOTING:
        context["leave_form"] = LeaveForm(roll=page.roll)
    if meeting.state == M.TIED:
        context["can_resolve_tie"] = perms.can_close_meeting(user, meeting)
        context["runoffs"] = list(meeting.runoffs.order_by("round"))
    context.update(forms or {})
    return context


def render_meeting(request, meeting, forms=None, status=200):
    return render(
        request, "meetings/meeting_detail.html", meeting_context(request, meeting, forms), status=status
    )


@login_required
def meeting_detail(request, pk):
    meeting = selectors.access_meeting(user=request.user, pk=pk)
    return render_meeting(request, meeting)


class AttendanceView(MeetingActionView):
    form_name = "attendance_form"

    def get_form(self, data):
        self.roll = list(self.meeting.roll.select_related("member"))
        return AttendanceForm(data, roll=self.roll)

    def perform(self, data):
        present = [int(pk) for pk in data["present"]]
        services.meeting_attendance_record(
            actor=self.request.user,
            meeting=self.meeting,
            present=present,
            absence_reasons=self.form.absence_reasons(),
        )
        return _("Attendance recorded: %(n)d present.") % {"n": len(present)}


class OpenVotingView(MeetingActionView):
    def perform(self, data):
        services.meeting_open_voting(actor=self.request.user, meeting=self.meeting)
        return _("The vote is open.")


class CancelView(MeetingActionView):
    form_name = "cancel_form"

    def get_form(self, data):
        return CancelForm(data)

    def perform(self, data):
        services.meeting_cancel(actor=self.request.user, meeting=self.meeting, reason=data["reason"])
        return _("The meeting has been cancelled.")


def missing_votes(meeting) -> list[dict]:
    """The members present who have not voted on every nominee they may vote on, with those
    nominees: [{"member": user, "nominees": [nominee, …]}, …], the council's order. Who has voted
    is known (never how); a recused member owes no vote. Three queries whatever the numbers."""
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("nominee").order_by("position"))
    present = list(
        Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).select_related("member")
    )
    present.sort(key=lambda r: (CouncilRole.rank(r.council_role), r.member.get_full_name()))
    done = set(
        Participation.objects.filter(item__meeting=meeting)
        .order_by()
        .values_list("member_id", "item_id")
        .union(Recusal.objects.filter(item__meeting=meeting).order_by().values_list("member_id", "item_id"))
    )
    rows = []
    for r in present:
        left = [i.nominee for i in items if (r.member_id, i.pk) not in done]
        if left:
            rows.append({"member": r.member, "nominees": left})
    return rows


class CloseView(MeetingActionView):
    """The chairperson closes the vote from a confirmation page (GET) that says who, among the
    members present, has not voted yet and on which nominees; the close itself is the POST."""

    http_method_names = ["get", "post"]
    form_name = "close_form"
    template_name = "meetings/close_confirm.html"

    def get_form(self, data):
        return CloseForm(data)

    def render_form(self, status=200):
        context = {
            "meeting": self.meeting,
            "form": self.form,
            "missing": missing_votes(self.meeting),
            "crumb": _("Close the vote"),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        self.load()
        if not perms.can_close_meeting(request.user, self.meeting):
            raise PermissionDenied(_("Only the meeting's chairperson closes the vote."))
        if self.meeting.state != M.VOTING:
            return self.refusal(409, _("The vote is not open: there is nothing to close."))
        self.form = CloseForm()
        return self.render_form()

    def perform(self, data):
        council.meeting_close(actor=self.request.user, meeting=self.meeting, conclusion=data["conclusion"])
        decided = self.meeting.runoff_of or self.meeting
        decided.refresh_from_db()
        if decided.state == M.TIED:
            return _("The vote is counted, but nominees tie at the quota line: the council resolves the tie.")
        return _("The vote is closed; the results have gone on to the next step.")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        decided_pk = self.meeting.runoff_of_id or self.meeting.pk
        if response.status_code == 302 and self.meeting.runoff_of_id:
            return redirect(
                "council-meeting-tie" if _is_tied(decided_pk) else "council-meeting-detail", decided_pk
            )
        if response.status_code == 302 and _is_tied(decided_pk):
            return redirect("council-meeting-tie", decided_pk)
        return response


def _is_tied(pk) -> bool:
    return CouncilMeeting.objects.filter(pk=pk, state=M.TIED).exists()


class LeaveView(MeetingActionView):
    form_name = "leave_form"

    def get_form(self, data):
        return LeaveForm(data, roll=list(self.meeting.roll.select_related("member")))

    def perform(self, data):
        member = get_object_or_404(get_user_model(), pk=data["member"])
        services.attendance_leave(actor=self.request.user, meeting=self.meeting, member=member)
        return _("Recorded: %(name)s has left the meeting.") % {"name": member.get_full_name()}


class RunoffView(MeetingActionView):
    def perform(self, data):
        self.runoff = services.meeting_runoff_start(actor=self.request.user, meeting=self.meeting)
        return _("The run-off round is open: members present vote again on the tied nominees.")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            return redirect("council-meeting-detail", self.runoff.pk)
        return response


class TieView(MeetingActionView):
    """The chairperson's page for a tie at a quota's line: the ranking with the line, the tied
    nominees and the places left, and what the campaign's rule offers: a run-off round, or the
    chair's decision with a reason. GET shows it; POST is the chair's decision."""

    http_method_names = ["get", "post"]
    template_name = "meetings/tie.html"

    def tied_results(self, minutes):
        tied = set()
        for tie in self.meeting.ties:
            if tie["rule"] == "chair":
                tied |= set(tie["nominees"])
        return [r for r in minutes.results if r.nominee_id in tied]

    def get_form(self, data):
        minutes = selectors.meeting_minutes(self.meeting)
        return TieDecisionForm(data, tied=self.tied_results(minutes))

    def render_form(self, status=200):
        minutes = selectors.meeting_minutes(self.meeting)
        rules = {t["rule"] for t in self.meeting.ties}
        context = {
            "meeting": self.meeting,
            "minutes": minutes,
            "ranking": selectors.meeting_ranking(minutes),
            "form": self.form if "chair" in rules else None,
            "offers_runoff": "runoff" in rules,
            "can_resolve": perms.can_close_meeting(self.request.user, self.meeting),
            "runoffs": list(self.meeting.runoffs.order_by("round")),
            "crumb": _("Tie at the quota line"),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        self.load()
        if self.meeting.state != M.TIED:
            return redirect("council-meeting-detail", self.meeting.pk)
        self.form = self.get_form(None)
        return self.render_form()

    def perform(self, data):
        council.meeting_tie_decide(
            actor=self.request.user,
            meeting=self.meeting,
            chosen=[int(pk) for pk in data["chosen"]],
            reason=data["reason"],
        )
        return _("The tie is decided; the results have gone on to the next step.")


class RecusalView(MeetingActionView):
    form_name = "recusal_form"

    def get_form(self, data):
        return RecusalForm(data)

    def perform(self, data):
        services.recusal_declare(
            actor=self.request.user, meeting=self.meeting, nominee=data["nominee"], note=data["note"]
        )
        return _("Your conflict of interest is recorded: you do not vote on this nominee.")


class VoteView(MeetingActionView):
    """One click per vote. Through htmx the answer is the nominee's card (and the count of votes
    left, out of band); without JavaScript, the page again."""

    def get_form(self, data):
        return VoteForm(data)

    def perform(self, data):
        services.ballot_cast(
            actor=self.request.user, meeting=self.meeting, nominee=data["nominee"], choice=data["choice"]
        )
        return _("Your vote is recorded.")

    def post(self, request, *args, **kwargs):
        if not request.htmx:
            return super().post(request, *args, **kwargs)
        self.load()
        self.form = self.get_form(request.POST)
        if not self.form.is_valid():
            return self.render_form(status=400)
        self.perform(self.form.cleaned_data)
        return self.card(self.form.cleaned_data["nominee"])

    def render_form(self, status=200):
        if self.request.htmx:
            messages = [e for errors in self.form.errors.values() for e in errors]
            return self.refusal(status, " ".join(str(m) for m in messages))
        return super().render_form(status)

    def card(self, nominee_id, error="", status=200):
        meeting = selectors.access_meeting(user=self.request.user, pk=self.meeting.pk)
        context = meeting_context(self.request, meeting)
        view = next((v for v in context["page"].items if v.item.nominee_id == nominee_id), None)
        if view is None:
            raise Http404
        context.update({"view": view, "error": error, "oob": True})
        return render(self.request, "meetings/_item.html", context, status=status)

    def refusal(self, status, message):
        nominee = self.request.POST.get("nominee", "")
        if self.request.htmx and nominee.isdigit() and hasattr(self, "meeting"):
            return self.card(int(nominee), error=message, status=status)
        return super().refusal(status, message)


class WrittenVoteView(LoginRequiredMixin, MeetingErrorsMixin, View):
    template_name = "meetings/written_vote.html"

    def load(self):
        self.meeting = selectors.access_meeting(user=self.request.user, pk=self.kwargs["pk"])
        self.page = selectors.meeting_page(user=self.request.user, meeting=self.meeting)
        if self.page.me is None:
            raise PermissionDenied(_("Only the members of the council on the meeting date may vote."))
        self.items = [v for v in self.page.items if not v.recusal]

    def render_form(self, status=200):
        context = {"meeting": self.meeting, "form": self.form, "page": self.page}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        self.load()
        self.form = WrittenVoteForm(items=self.items, allow_abstention=self.meeting.allow_abstention)
        return self.render_form()

    def post(self, request, pk):
        self.load()
        self.form = WrittenVoteForm(
            request.POST, items=self.items, allow_abstention=self.meeting.allow_abstention
        )
        if not self.form.is_valid():
            return self.render_form(status=400)
        services.written_vote_cast(actor=request.user, meeting=self.meeting, votes=self.form.votes())
        messages.success(
            request, _("Your written vote is recorded. It counts like a vote cast in the meeting.")
        )
        return redirect("council-meeting-detail", self.meeting.pk)


# --- the live view and the minutes ------------------------------------------------------------


@login_required
def meeting_live(request, pk):
    meeting = selectors.access_live_meeting(user=request.user, pk=pk)
    return render(request, "meetings/meeting_live.html", _live_context(meeting))


def _live_context(meeting) -> dict:
    context = {"meeting": meeting, "live": selectors.meeting_live(meeting=meeting), "poll": LIVE_POLL_SECONDS}
    if meeting.state in (M.TIED, M.CLOSED):
        context["ranking"] = selectors.meeting_ranking(selectors.meeting_minutes(meeting))
    if meeting.state == M.CLOSED and meeting.runoff_of_id is None:
        # A tie at the line was resolved (run-off rounds, or the chair's reason): the ranking is
        # this round's, so say by what.
        context["runoffs"] = list(meeting.runoffs.order_by("round"))
        context["tie_resolved"] = bool(context["runoffs"] or meeting.tie_reason)
    return context


@login_required
def meeting_live_status(request, pk):
    """The polled part of the live view (htmx, every few seconds while the vote is open)."""
    meeting = selectors.access_live_meeting(user=request.user, pk=pk)
    return render(request, "meetings/_live_status.html", _live_context(meeting))


@login_required
def meeting_minutes_view(request, pk):
    meeting = selectors.access_meeting(user=request.user, pk=pk)
    return render(
        request, "meetings/minutes.html", {"meeting": meeting, "minutes": selectors.meeting_minutes(meeting)}
    )
