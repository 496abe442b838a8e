"""Who may take which step on a dossier: a role held in the dossier's reviewing unit (the deciding
level that handles it). A role elsewhere, even above, gives no power over this step."""

from dossiers.permissions import can_view_dossier
from org.models import Role
from org.scopes import has_role_in, roles_of

from .meeting_permissions import can_close_meeting
from .models import DecisionKind


def _at_reviewing_unit(user, roles, dossier) -> bool:
    return dossier.reviewing_unit_id is not None and has_role_in(user, roles, dossier.reviewing_unit)


def can_appraise(user, dossier) -> bool:
    """The standing body's officers receive, appraise, return, reject and run public notice."""
    return _at_reviewing_unit(user, {Role.STANDING_OFFICER}, dossier)


def can_record_council_result(user, dossier, meeting=None) -> bool:
    """The council's secretary hands the council's result to the workflow. So does the
    chairperson who closes `meeting` (a meeting of the council that handles the dossier): their
    close is the act that produces the result, so the audit trail names them as its author."""
    if _at_reviewing_unit(user, {Role.COUNCIL_SECRETARY}, dossier):
        return True
    return (
        meeting is not None
        and dossier.reviewing_unit_id is not None
        and meeting.council.unit_id == dossier.reviewing_unit_id
        and can_close_meeting(user, meeting)
    )


def can_give_opinion(user, dossier) -> bool:
    return _at_reviewing_unit(user, {Role.VICE_CHAIR}, dossier)


def can_decide(user, dossier, capacity="") -> bool:
    """The chair decides; a vice-chair only signs "KT. CHỦ TỊCH" (on the chair's behalf)."""
    if _at_reviewing_unit(user, {Role.CHAIR}, dossier):
        return True
    return capacity == "KT" and _at_reviewing_unit(user, {Role.VICE_CHAIR}, dossier)


def can_object(user, dossier) -> bool:
    """Anyone who may see the dossier may lodge an objection while it is publicly noticed, except
    inspectors, who read and never change."""
    return can_view_dossier(user, dossier) and bool(roles_of(user) - {Role.INSPECTOR})


def decision_dossiers(decision) -> list:
    """The dossiers a decision speaks about: its own, or for a revocation those of the decision
    it revokes (a revocation covers no dossier of its own)."""
    dossiers = list(decision.dossiers.select_related("unit", "reviewing_unit").order_by("pk"))
    if not dossiers and decision.kind == DecisionKind.REVOCATION and decision.revokes_id:
        dossiers = list(decision.revokes.dossiers.select_related("unit", "reviewing_unit").order_by("pk"))
    return dossiers


def can_view_decision(user, decision) -> bool:
    """Whoever may see one of the dossiers a decision speaks about may see the decision."""
    return any(can_view_dossier(user, d) for d in decision_dossiers(decision))
