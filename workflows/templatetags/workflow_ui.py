"""The workflow's part of the dossier's page and of the navigation bar.

They only choose what to show (which step forms, for whom); every step is decided again by
workflows.services when it is posted.
"""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from approvals.permissions import can_object
from approvals.services import decides_here
from dossiers.forms import ConfirmForm
from dossiers.models import DossierState, NomineeOutcome
from dossiers.permissions import units_user_can_draft_for
from org.models import CouncilMembership, Role
from org.scopes import roles_of

from .. import selectors
from ..flows import DossierFlow
from ..forms import (
    AcceptForm,
    CouncilResultForm,
    DecideForm,
    DeclineForm,
    ForwardForm,
    ObjectionForm,
    OpinionForm,
    RejectForm,
    ResolveForm,
    ReturnForm,
)

register = template.Library()
S = DossierState
O = NomineeOutcome


def _form(context, key, build):
    """The form that came back with errors, else a blank one."""
    return context.get(key) or build()


@register.simple_tag(takes_context=True)
def workflow_for(context, dossier) -> dict:
    user = context["request"].user
    wf = selectors.dossier_workflow(dossier=dossier)
    nominees = getattr(dossier, "current_nominees", None)
    if nominees is None:
        nominees = list(dossier.nominees.current().select_related("award_type", "rule").order_by("pk"))
    actions = {}
    row = wf.task
    if row is not None and row.step is not None:
        step = row.step
        dossier_units = row.dossier  # the same dossier, with its units loaded by the task's query
        free = row.holder is None
        mine = row.holder is not None and row.holder.pk == user.pk
        may = step.may(user, dossier_units)
        if step is DossierFlow.appraise and may:
            if dossier.state == S.SUBMITTED and free:
                actions["receive"] = _form(context, "wf_receive_form", ConfirmForm)
            elif dossier.state == S.IN_APPRAISAL and mine:
                actions["accept"] = _form(context, "wf_accept_form", lambda: AcceptForm(nominees=nominees))
                actions["return"] = _form(context, "wf_return_form", ReturnForm)
                actions["reject"] = _form(context, "wf_reject_form", RejectForm)
        elif step is DossierFlow.notice and may:
            actions["close_notice"] = _form(context, "wf_notice_form", ConfirmForm)
            failed = context.get("wf_resolve_form")
            actions["resolve"] = {
                o.pk: failed
                if failed is not None and getattr(failed, "objection_id", None) == o.pk
                else ResolveForm()
                for o in wf.objections
                if o.resolved_at is None
            }
        elif step is DossierFlow.council and may and (free or mine):
            members = (
                CouncilMembership.objects.active_on()
                .filter(council__unit_id=dossier.reviewing_unit_id)
                .count()
            )
            eligible = [n for n in nominees if n.outcome == O.ELIGIBLE]
            actions["council"] = _form(
                context,
                "wf_council_form",
                lambda: CouncilResultForm(nominees=eligible, members_total=members),
            )
        elif step is DossierFlow.opinion and may and (free or mine):
            actions["opinion"] = _form(context, "wf_opinion_form", OpinionForm)
        elif step is DossierFlow.decide and (free or mine):
            deputy = not may and step.may(user, dossier_units, "KT")
            if may or deputy:
                approved = [n for n in nominees if n.outcome in (O.VOTED_IN, O.ELIGIBLE)]
                higher = [
                    n for n in approved if n.rule and not decides_here(n.rule, dossier_units.reviewing_unit)
                ]
                wf.approved, wf.needs_forward = approved, bool(higher)
                title = _("On awards in the campaign “%(campaign)s”") % {"campaign": dossier.campaign}
                initial = {"title": title, "capacity": "KT" if deputy else ""}
                actions["decide"] = _form(context, "wf_decide_form", lambda: DecideForm(initial=initial))
            if may:
                forward_title = _("Proposal for awards at the higher level: %(title)s") % {
                    "title": dossier.title
                }
                actions["forward"] = _form(
                    context, "wf_forward_form", lambda: ForwardForm(initial={"title": forward_title})
                )
                actions["decline"] = _form(context, "wf_decline_form", DeclineForm)
        if free and may and step is not DossierFlow.appraise and step is not DossierFlow.resubmit:
            actions["claim"] = ConfirmForm()
    if dossier.state == S.PUBLIC_NOTICE and can_object(user, dossier):
        actions["objection"] = _form(context, "wf_objection_form", lambda: ObjectionForm(nominees=nominees))
    changes = None
    if wf.returns and dossier.state in (S.RETURNED, S.SUBMITTED, S.IN_APPRAISAL):
        changes = selectors.changes_since_return(dossier=dossier)
    return {"wf": wf, "actions": actions, "changes": changes}


@register.simple_tag
def workflow_nav(user) -> dict:
    """Which inboxes the navigation bar offers (their pages decide again what they list)."""
    if not user.is_authenticated:
        return {}
    roles = roles_of(user)
    return {
        "tasks": True,
        "queue": Role.STANDING_OFFICER in roles,
        "to_sign": Role.CHAIR in roles,
        "unit": bool(units_user_can_draft_for(user)),
    }


@register.filter
def vnd(amount) -> str:
    """An amount of đồng with its thousands grouped as the page's language writes them
    (710.000 in Vietnamese, 710,000 in English)."""
    try:
        grouped = f"{int(amount):,}"
    except (TypeError, ValueError):
        return ""
    return grouped.replace(",", ".") if get_language() == "vi" else grouped
