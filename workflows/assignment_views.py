"""The standing body's assignments on the web: the leader assigns or reassigns a dossier from the
queue or the dossier's page; the queue shows each row's assignee, and to the leader the "assign
to" control and each specialist's load. Thin: the rules are approvals' (permissions, services,
selectors), the task's move is workflows.services.dossier_assign."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals import assignment_selectors
from approvals import permissions as approval_permissions
from approvals.assignment_services import ASSIGNABLE_STATES
from dossiers import selectors as dossier_selectors
from dossiers.forms import StyledForm
from dossiers.views import REFUSALS, refusal_of, render_refusal
from org import limits
from org.models import Role, Unit
from org.scopes import scopes_for

from . import services


class AssignForm(StyledForm, forms.Form):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"), queryset=None, empty_label=gettext_lazy("Choose a specialist")
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for reassignment"),
        required=False,
        max_length=limits.SHORT_TEXT,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Why it goes to another specialist")}),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignment_selectors.specialists(unit=unit)


def _back(request, dossier) -> str:
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return nxt
    return reverse("dossier-detail", args=[dossier.pk])


@login_required
@require_POST
def dossier_assign(request, pk):
    """POST: the leader gives the dossier to a specialist (a reason when it changes hands)."""
    dossier = dossier_selectors.access_dossier(user=request.user, pk=pk)
    back = _back(request, dossier)
    form = AssignForm(request.POST, unit=dossier.reviewing_unit)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(back)
    try:
        assignment = services.dossier_assign(
            actor=request.user,
            dossier=dossier,
            assignee=form.cleaned_data["assignee"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect(back)
    except REFUSALS as exc:
        return render_refusal(request, *refusal_of(exc), back_url=back)
    messages.success(
        request,
        _("“%(dossier)s” is now assigned to %(name)s.")
        % {"dossier": dossier.title, "name": assignment.assignee},
    )
    return redirect(back)


def led_units(user) -> set[int]:
    """The units whose standing body `user` leads."""
    return {s.unit_id for s in scopes_for(user) if s.role == Role.STANDING_LEADER}


def attach_row_assignments(user, rows, units=None) -> None:
    """Each task row's current assignment (one query for the page): the row then says who it is
    assigned to ("assigned to me" for the assignee), and whether only someone else may take it
    (`units`: those `user` leads, whose leader may take any)."""
    assignment_selectors.attach_assignments([row.dossier for row in rows])
    units = led_units(user) if units is None else units
    for row in rows:
        row.assignment = approval_permissions.current_assignment(row.dossier)
        # Only the assignee or the leader may take an assigned dossier: others see who has it
        # instead of a button that would refuse them.
        row.assigned_elsewhere = bool(
            row.assignment
            and row.assignment.assignee_id != user.pk
            and row.dossier.reviewing_unit_id not in units
        )


def queue_context(user, rows, calendar) -> dict:
    """What the queue adds for assignments: each row's current assignment (one query for the page),
    and for a leader the "assign to" form of each row of a unit they lead and each specialist's
    load (two queries per unit led, usually one unit)."""
    units = led_units(user)
    attach_row_assignments(user, rows, units)
    if not units:
        return {}
    loads, choices = [], {}
    for row in rows:
        unit = row.dossier.reviewing_unit
        if unit is None or unit.pk not in units:
            continue
        if unit.pk not in choices:
            choices[unit.pk] = list(assignment_selectors.specialists(unit=unit))
        form = AssignForm(
            unit=unit, initial={"assignee": row.assignment.assignee_id if row.assignment else None}
        )
        form.fields["assignee"].choices = [("", _("Choose a specialist"))] + [
            (u.pk, u.get_full_name()) for u in choices[unit.pk]
        ]
        row.assign_form = form
    for unit in Unit.objects.filter(pk__in=units).order_by("path"):
        loads.append(
            {"unit": unit, "rows": assignment_selectors.specialist_load(unit=unit, calendar=calendar)}
        )
    return {"loads": loads}


def dossier_context(user, dossier) -> dict:
    """The dossier's page: who appraises it (its current assignee, to everyone who sees the page)
    and, to the leader, the form to assign or reassign it; both while the standing body holds the
    dossier (one query, none in other states)."""
    if dossier.state not in ASSIGNABLE_STATES or not dossier.reviewing_unit_id:
        return {}
    assignment = approval_permissions.current_assignment(dossier)
    form = AssignForm(unit=dossier.reviewing_unit) if approval_permissions.can_assign(user, dossier) else None
    return {"assignment": assignment, "assign_form": form}
