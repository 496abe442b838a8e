"""Who may take which step on a dossier: a role held in the dossier's reviewing unit (the deciding
level that handles it). A role elsewhere, even above, gives no power over this step."""

from django.db.models import Exists, Q
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from dossiers.permissions import can_view_dossier
from org.models import Role
from org.scopes import has_role_in, has_role_in_any, roles_of

from .meeting_permissions import can_close_meeting
from .models import DecisionKind, DossierAssignment, DossierGroupObjectPermission, DossierUserObjectPermission


def _at_reviewing_unit(user, roles, dossier) -> bool:
    # By id: the reviewing unit's row need not be loaded.
    return dossier.reviewing_unit_id is not None and has_role_in_any(user, roles, {dossier.reviewing_unit_id})


APPRAISE_PERMISSION = "dossiers.appraise_dossier"
STANDING_BODY = frozenset({Role.STANDING_OFFICER, Role.STANDING_LEADER})


def leads_standing_body(user, dossier) -> bool:
    """The standing body's leader (lãnh đạo) at the dossier's reviewing unit."""
    return _at_reviewing_unit(user, {Role.STANDING_LEADER}, dossier)


def in_standing_body(user, dossier) -> bool:
    """An officer or the leader of the standing body at the dossier's reviewing unit."""
    return _at_reviewing_unit(user, STANDING_BODY, dossier)


def current_assignment(dossier):
    """The dossier's current assignment to a specialist (None when unassigned), read once per
    dossier object."""
    cache = dossier.__dict__
    if "_current_assignment" not in cache:
        cache["_current_assignment"] = (
            DossierAssignment.objects.filter(dossier_id=dossier.pk, ended_at__isnull=True)
            .select_related("assignee")
            .first()
        )
    return cache["_current_assignment"]


def is_assigned(dossier) -> bool:
    """Whether the dossier is assigned now: known without a query when whoever read it said so
    (`_assigned`, a step reads it with its task: workflows.services), else its assignment read."""
    cache = dossier.__dict__
    if "_current_assignment" not in cache and "_assigned" in cache:
        return cache["_assigned"]
    return current_assignment(dossier) is not None


def holds_appraise_grant(user, dossier) -> bool:
    """`user` holds the per-object permission to appraise `dossier` (django-guardian: their own
    grant or a group's), asked once per user and dossier object: a step asks it in the workflow
    and again in the business service, and the grant cannot change meanwhile (assigning takes
    the same flow lock)."""
    asked = dossier.__dict__.setdefault("_appraise_grants", {})
    if user.pk not in asked:
        asked[user.pk] = _appraise_grant_exists(user, dossier)
    return asked[user.pk]


def _appraise_grant_exists(user, dossier) -> bool:
    """What `user.has_perm(APPRAISE_PERMISSION, dossier)` answers (guardian's direct-FK grants
    to the user or to one of their groups; an active superuser holds every permission, an
    inactive user none; a model-wide grant does not count for one object), in one query
    instead of guardian's two."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    app_label, codename = APPRAISE_PERMISSION.split(".")
    grant = {
        "content_object_id": dossier.pk,
        "permission__codename": codename,
        "permission__content_type__app_label": app_label,
        "permission__content_type__model": Dossier._meta.model_name,
    }
    return (
        Dossier.objects.filter(pk=dossier.pk)
        .annotate(
            to_user=Exists(DossierUserObjectPermission.objects.filter(user_id=user.pk, **grant)),
            to_group=Exists(DossierGroupObjectPermission.objects.filter(group__user=user.pk, **grant)),
        )
        .filter(Q(to_user=True) | Q(to_group=True))
        .exists()
    )


def assignment_refusal(user, dossier) -> str:
    """Why an officer of the standing body may not appraise this dossier ("" when they may, and
    for anyone outside the body, whose refusal is the body's own).

    Once the leader has assigned it, only the assignee (who holds the per-object permission
    `dossiers.appraise_dossier`, django-guardian) or the leader appraises it. A dossier nobody
    has assigned yet is open to every officer of the body, as before: a small body has one
    officer and no leader, and a dossier must not wait for an assignment nobody will make."""
    if not in_standing_body(user, dossier) or leads_standing_body(user, dossier):
        return ""
    if not is_assigned(dossier) or holds_appraise_grant(user, dossier):
        return ""
    return _(
        "This dossier is assigned to %(name)s: only they or the standing body's leader may appraise it."
    ) % {"name": current_assignment(dossier).assignee}


def can_appraise(user, dossier) -> bool:
    """The standing body receives, appraises, returns, rejects and runs public notice: its leader,
    and its officers, limited to the assignee once the dossier is assigned."""
    if not in_standing_body(user, dossier):
        return False
    return not assignment_refusal(user, dossier)


def can_assign(user, dossier) -> bool:
    """Only the standing body's leader assigns and reassigns its dossiers."""
    return leads_standing_body(user, dossier)


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


def decision_capacities(user, unit) -> list[str]:
    """The capacities in which `user` may sign a decision of `unit` (Decree 30/2020, Phụ lục I):
    its chair in their own right or "TM." (for the people's committee); a vice-chair only
    "KT." (on the chair's behalf). Anyone else, none."""
    if has_role_in(user, {Role.CHAIR}, unit):
        return ["", "TM"]
    if has_role_in(user, {Role.VICE_CHAIR}, unit):
        return ["KT"]
    return []


def can_prepare_decision(user, unit) -> bool:
    """The standing body (its officers and its leader) prepares the decision its chair signs."""
    return has_role_in(user, STANDING_BODY, unit)


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


def keeps_records_of(user, decision) -> bool:
    """A records clerk (văn thư) of the issuing body keeps its outgoing decisions: they read
    them, and sign, decide or revoke nothing (every such service asks its own role)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and has_role_in_any(user, {Role.RECORDS_CLERK}, {decision.issuer_id})
    )


def can_view_decision(user, decision) -> bool:
    """Whoever may see one of the dossiers a decision speaks about may see the decision, and so
    does the records office of its issuing body."""
    return keeps_records_of(user, decision) or any(
        can_view_dossier(user, d) for d in decision_dossiers(decision)
    )
