"""Pages of a contest's set-up and of its entries: the list, the contest's page, the organiser's
forms (rules, criteria, prizes, jury), the unit's entry form and the entry's page with its files.
Thin: parse, call a selector or a service (contests.services), render. The rounds and the results
show on the contest's page through their own templates (contests/slot_rounds.html,
contests/slot_results.html), included when they exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.files import file_response
from dossiers.views import REFUSALS, ServiceFormView, refusal_of, render_refusal
from org.models import Unit

from . import permissions as perms
from . import selectors, services
from .forms import (
    ConflictForm,
    ContestForm,
    CriterionForm,
    EntryFileForm,
    EntryForm,
    JurorForm,
    OptionalReasonForm,
    PrizeForm,
    ReasonForm,
)
from .models import ContestState, Criterion, EntrantKind, EntryFile, EntryState, Juror, Prize, RoundKind


@login_required
def contest_list(request):
    contests = list(selectors.contest_list_for(user=request.user))
    return render(
        request,
        "contests/contest_list.html",
        {"contests": contests, "can_create": bool(perms.organising_unit_ids(request.user))},
    )


def contest_context(request, contest) -> dict:
    """What the contest's page shows to `request.user` (a fixed number of queries)."""
    user = request.user
    criteria = list(contest.criteria.all())
    prizes = list(contest.prizes.all())
    jury = list(selectors.jury_of(contest))
    organiser = perms.can_organise(user, contest)
    seat = perms.juror_of(user, contest)
    entries = list(selectors.entries_for(user=user, contest=contest))
    today = timezone.localdate()
    receiving = contest.state == ContestState.OPEN and today <= contest.entries_deadline
    return {
        "contest": contest,
        "rounds": [
            {"kind": kind, "label": label, "criteria": [c for c in criteria if c.round == kind]}
            for kind, label in RoundKind.choices
        ],
        "weights": {kind: sum(c.weight for c in criteria if c.round == kind) for kind in RoundKind.values},
        "prize_groups": [
            {
                "kind": kind,
                "label": label,
                "prizes": [p for p in prizes if p.entrant_kind == kind],
                "totals": services.prize_totals(p for p in prizes if p.entrant_kind == kind),
            }
            for kind, label in EntrantKind.choices
        ],
        "prize_totals": services.prize_totals(prizes),
        "jury": jury,
        "conflicts": list(selectors.conflicts_of(contest)) if organiser or seat else [],
        "entries": entries,
        "is_organiser": organiser,
        "seat": seat,
        "is_draft": contest.state == ContestState.DRAFT,
        "receiving": receiving,
        "can_enter": receiving and bool(perms.entering_unit_ids(user, contest)),
        "opening_problems": services.opening_problems(contest)
        if organiser and contest.state == "draft"
        else [],
    }


@login_required
def contest_detail(request, pk):
    contest = selectors.access_contest(user=request.user, pk=pk)
    return render(request, "contests/contest_detail.html", contest_context(request, contest))


class ContestFormView(ServiceFormView):
    """Create a contest (no pk) or edit a draft's rules (pk)."""

    template_name = "contests/contest_form.html"
    back_label = None

    def back_url(self):
        pk = self.kwargs.get("pk")
        return reverse("contest-detail", args=[pk]) if pk else reverse("contest-list")

    def load(self):
        pk = self.kwargs.get("pk")
        self.contest = selectors.access_contest_to_organise(user=self.request.user, pk=pk) if pk else None
        if self.contest is None:
            units = perms.organising_unit_ids(self.request.user)
            if not units:
                raise Http404
            self.organizer = Unit.objects.filter(pk__in=units).order_by("path").first()

    def get_form(self, data=None, files=None):
        return ContestForm(data, instance=self.contest)

    def get_context(self):
        return {"form": self.form, "contest": self.contest}

    def perform(self, data):
        if self.contest is None:
            self.contest = services.contest_create(
                actor=self.request.user, organizer=self.organizer, **self.form.values()
            )
            return _("The contest “%(name)s” is prepared: now set its criteria, prizes and jury.") % {
                "name": self.contest.name
            }
        services.contest_update(actor=self.request.user, contest=self.contest, **self.form.values())
        return _("The contest's rules have been saved.")

    def success_url(self):
        return reverse("contest-detail", args=[self.contest.pk])


class OrganiserFormView(ServiceFormView):
    """A form of the organiser on a contest's set-up page (criteria, prizes, jury)."""

    back_label = None

    def back_url(self):
        return reverse(self.page, args=[self.kwargs["pk"]])

    def load(self):
        self.contest = selectors.access_contest_to_organise(user=self.request.user, pk=self.kwargs["pk"])

    def success_url(self):
        return reverse(self.page, args=[self.contest.pk])


class CriteriaView(OrganiserFormView):
    template_name = "contests/criteria.html"
    page = "contest-criteria"

    def get_form(self, data=None, files=None):
        return CriterionForm(data)

    def get_context(self):
        criteria = list(self.contest.criteria.all())
        return {
            "form": self.form,
            "contest": self.contest,
            "rounds": [
                {
                    "label": label,
                    "criteria": [c for c in criteria if c.round == kind],
                    "total": sum(c.weight for c in criteria if c.round == kind),
                }
                for kind, label in RoundKind.choices
            ],
        }

    def perform(self, data):
        services.criterion_add(actor=self.request.user, contest=self.contest, **data)
        return _("The criterion has been added.")


class PrizesView(OrganiserFormView):
    template_name = "contests/prizes.html"
    page = "contest-prizes"

    def get_form(self, data=None, files=None):
        return PrizeForm(data)

    def get_context(self):
        prizes = list(self.contest.prizes.all())
        return {
            "form": self.form,
            "contest": self.contest,
            "groups": [
                {
                    "label": label,
                    "prizes": [p for p in prizes if p.entrant_kind == kind],
                    "totals": services.prize_totals(p for p in prizes if p.entrant_kind == kind),
                }
                for kind, label in EntrantKind.choices
            ],
            "totals": services.prize_totals(prizes),
        }

    def perform(self, data):
        services.prize_add(actor=self.request.user, contest=self.contest, **data)
        return _("The prize has been added.")


class JuryView(OrganiserFormView):
    template_name = "contests/jury.html"
    page = "contest-jury"

    def get_form(self, data=None, files=None):
        return JurorForm(data)

    def get_context(self):
        return {
            "form": self.form,
            "contest": self.contest,
            "jury": list(selectors.jury_of(self.contest)),
            "conflicts": list(selectors.conflicts_of(self.contest)),
            "conflict_form": conflict_form(self.contest),
        }

    def perform(self, data):
        juror = services.juror_add(actor=self.request.user, contest=self.contest, **data)
        return _("%(name)s has been appointed to the jury.") % {"name": juror.user}


def conflict_form(contest, data=None):
    return ConflictForm(
        data,
        jurors=selectors.jury_of(contest),
        entries=contest.entries.filter(state__in=perms.SENT_STATES).select_related("unit").order_by("title"),
    )


class ConflictDeclareView(ServiceFormView):
    """The organiser, or a juror for themself, declares a conflict of interest."""

    template_name = "contests/conflict_form.html"
    back_label = None

    def back_url(self):
        return reverse("contest-detail", args=[self.kwargs["pk"]])

    def load(self):
        self.contest = selectors.access_contest(user=self.request.user, pk=self.kwargs["pk"])
        self.organiser = perms.can_organise(self.request.user, self.contest)
        self.seat = perms.juror_of(self.request.user, self.contest)
        if not self.organiser and self.seat is None:
            raise Http404

    def get_form(self, data=None, files=None):
        form = conflict_form(self.contest, data)
        if not self.organiser:
            form.fields["juror"].queryset = Juror.objects.filter(pk=self.seat.pk).select_related("user")
            form.fields["juror"].initial = self.seat.pk
        return form

    def get_context(self):
        return {"form": self.form, "contest": self.contest}

    def perform(self, data):
        services.conflict_declare(
            actor=self.request.user, juror=data["juror"], entry=data["entry"], reason=data["reason"]
        )
        return _("The conflict of interest has been recorded.")

    def success_url(self):
        return reverse("contest-detail", args=[self.contest.pk])


def _post_action(request, *, back_url, action):
    """Run a service from a button; a refusal is its page, with the way back."""
    try:
        message = action()
    except REFUSALS as exc:
        return render_refusal(request, *refusal_of(exc), back_url=back_url)
    messages.success(request, message)
    return redirect(back_url)


@login_required
@require_POST
def contest_open(request, pk):
    contest = selectors.access_contest_to_organise(user=request.user, pk=pk)

    def action():
        services.contest_open(actor=request.user, contest=contest)
        return _("The contest is open: units may send their entries until %(day)s.") % {
            "day": contest.entries_deadline.strftime("%d/%m/%Y")
        }

    return _post_action(request, back_url=reverse("contest-detail", args=[pk]), action=action)


def _remove_view(model, remove, *, field, back, done):
    """A POST that removes one part of a draft contest's set-up (a criterion, a prize, a juror)
    through its service, then returns to that part's page."""

    @login_required
    @require_POST
    def view(request, pk, item_pk):
        contest = selectors.access_contest_to_organise(user=request.user, pk=pk)
        item = model.objects.filter(contest=contest, pk=item_pk).first()
        if item is None:
            raise Http404

        def action():
            remove(actor=request.user, **{field: item})
            return done()

        return _post_action(request, back_url=reverse(back, args=[pk]), action=action)

    return view


criterion_remove = _remove_view(
    Criterion,
    services.criterion_remove,
    field="criterion",
    back="contest-criteria",
    done=lambda: _("The criterion has been removed."),
)
prize_remove = _remove_view(
    Prize,
    services.prize_remove,
    field="prize",
    back="contest-prizes",
    done=lambda: _("The prize has been removed."),
)
juror_remove = _remove_view(
    Juror,
    services.juror_remove,
    field="juror",
    back="contest-jury",
    done=lambda: _("The juror has been removed."),
)


# --- entries -------------------------------------------------------------------------------------


class EntryFormView(ServiceFormView):
    """A unit drafts an entry (no entry pk) or changes its draft."""

    template_name = "contests/entry_form.html"
    back_label = None

    def back_url(self):
        entry = getattr(self, "entry", None)
        return (
            reverse("contest-entry", args=[entry.pk])
            if entry
            else reverse("contest-detail", args=[self.kwargs["pk"]])
        )

    def load(self):
        if "entry_pk" in self.kwargs:
            self.entry = selectors.access_entry(user=self.request.user, pk=self.kwargs["entry_pk"])
            self.contest = self.entry.contest
            self.units = None
        else:
            self.entry = None
            self.contest = selectors.access_contest(user=self.request.user, pk=self.kwargs["pk"])
            self.units = selectors.units_of_user_for(user=self.request.user, contest=self.contest)
            if not self.units.exists():
                raise Http404

    def get_form(self, data=None, files=None):
        return EntryForm(data, instance=self.entry, units=self.units)

    def get_context(self):
        return {"form": self.form, "contest": self.contest, "entry": self.entry}

    def perform(self, data):
        values = self.form.values()
        if self.entry is None:
            self.entry = services.entry_create(
                actor=self.request.user, contest=self.contest, unit=data["unit"], **values
            )
            return _("The entry is drafted: attach its description, then the unit's head sends it.")
        services.entry_update(actor=self.request.user, entry=self.entry, **values)
        return _("The entry has been saved.")

    def success_url(self):
        return reverse("contest-entry", args=[self.entry.pk])


class EntryView(ServiceFormView):
    """The entry's page: its authors, files, state; the unit adds files here."""

    template_name = "contests/entry_detail.html"
    back_label = None

    def back_url(self):
        return reverse("contest-entry", args=[self.kwargs["entry_pk"]])

    def load(self):
        self.entry = selectors.access_entry(user=self.request.user, pk=self.kwargs["entry_pk"])

    def get_form(self, data=None, files=None):
        return EntryFileForm(data, files)

    def get_context(self):
        entry, user = self.entry, self.request.user
        contest = entry.contest
        receiving = contest.state == ContestState.OPEN and timezone.localdate() <= contest.entries_deadline
        is_draft = entry.state == EntryState.DRAFT
        sent = list(services.unit_sent_entries(contest, entry.unit).only("pk", "title", "submitted_at"))
        return {
            "entry": entry,
            "contest": contest,
            "form": self.form,
            "can_edit": receiving and is_draft and perms.can_draft_entry(user, contest, entry.unit),
            "can_send": receiving and is_draft and perms.can_send_entry(user, entry),
            "can_withdraw": receiving
            and entry.state == EntryState.SUBMITTED
            and perms.can_send_entry(user, entry),
            "can_refuse": contest.state == ContestState.OPEN
            and entry.state == EntryState.SUBMITTED
            and perms.can_organise(user, contest),
            "reason_form": ReasonForm(),
            "withdraw_form": OptionalReasonForm(),
            "sent_count": len(sent),
            # The unit's cap reached (the service refuses a further send): the page names the sent
            # entries instead of offering a send that can only fail.
            "sent_entries": sent,
            "cap_reached": len(sent) >= contest.entry_cap_per_unit,
        }

    def perform(self, data):
        record = services.entry_file_add(
            actor=self.request.user, entry=self.entry, uploaded_file=data["file"]
        )
        return _("“%(name)s” has been attached.") % {"name": record.original_name}

    def success_url(self):
        return reverse("contest-entry", args=[self.entry.pk])


@login_required
@require_POST
def entry_send(request, entry_pk):
    entry = selectors.access_entry(user=request.user, pk=entry_pk)

    def action():
        services.entry_send(actor=request.user, entry=entry)
        return _("The entry has been sent to %(unit)s.") % {"unit": entry.contest.organizer}

    return _post_action(request, back_url=reverse("contest-entry", args=[entry_pk]), action=action)


@login_required
@require_POST
def entry_withdraw(request, entry_pk):
    entry = selectors.access_entry(user=request.user, pk=entry_pk)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def action():
        services.entry_withdraw(actor=request.user, entry=entry, reason=reason)
        return _("The entry has been withdrawn.")

    return _post_action(request, back_url=reverse("contest-entry", args=[entry_pk]), action=action)


@login_required
@require_POST
def entry_refuse(request, entry_pk):
    entry = selectors.access_entry(user=request.user, pk=entry_pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def action():
        services.entry_refuse(actor=request.user, entry=entry, reason=reason)
        return _("The entry is marked not admitted.")

    return _post_action(request, back_url=reverse("contest-entry", args=[entry_pk]), action=action)


@login_required
@require_POST
def entry_file_remove(request, entry_pk, file_pk):
    entry = selectors.access_entry(user=request.user, pk=entry_pk)
    record = EntryFile.objects.filter(entry=entry, pk=file_pk).select_related("entry__contest").first()
    if record is None:
        raise Http404

    def action():
        services.entry_file_remove(actor=request.user, entry_file=record)
        return _("The file has been removed.")

    return _post_action(request, back_url=reverse("contest-entry", args=[entry_pk]), action=action)


@login_required
def entry_file_download(request, entry_pk, file_pk):
    """A file of an entry the reader may see (404 otherwise), byte for byte as it was sent."""
    entry = selectors.access_entry(user=request.user, pk=entry_pk)
    record = EntryFile.objects.filter(entry=entry, pk=file_pk).first()
    if record is None:
        raise Http404
    return file_response(
        record.file.open("rb"),
        filename=record.original_name,
        content_type=record.content_type,
    )
