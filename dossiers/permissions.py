"""Who may do what to which dossier. Services and selectors call these; templates only mirror them.

A check has two halves: the role's model permission (its group) and the object scope (the unit
the role is held in). Neither alone is enough.
"""

from django.db.models import Q

from org.models import Role
from org.scopes import REVIEW_ROLES, UNIT_ROLES, has_role_in, has_role_in_any, has_role_over, scopes_for

from .models import EDITABLE_STATES, PRIVATE_STATES, DossierState

VIEW = ["dossiers.view_dossier", "dossiers.view_nominee", "dossiers.view_attachment"]
DRAFTING = [
    "dossiers.add_dossier",
    "dossiers.change_dossier",
    "dossiers.add_nominee",
    "dossiers.change_nominee",
    "dossiers.delete_nominee",
    "dossiers.add_attachment",
]
ROLE_PERMISSIONS = {
    Role.UNIT_STAFF: VIEW + DRAFTING,
    Role.UNIT_HEAD: VIEW + DRAFTING + ["dossiers.submit_dossier"],
    Role.STANDING_OFFICER: VIEW + DRAFTING,
    Role.STANDING_LEADER: VIEW,
    Role.COUNCIL_MEMBER: VIEW,
    Role.COUNCIL_SECRETARY: VIEW,
    Role.VICE_CHAIR: VIEW,
    Role.CHAIR: [*VIEW, "dossiers.submit_dossier"],
    Role.INSPECTOR: [*VIEW, "audit.view_auditevent"],
    Role.ADMIN: VIEW,
}


def is_private(dossier) -> bool:
    """The unit's own working copy: a draft, or a dossier withdrawn before it was ever submitted.
    Nobody outside the unit sees it, reviewers and inspectors included."""
    return dossier.state in PRIVATE_STATES or (
        dossier.state == DossierState.WITHDRAWN and dossier.submitted_at is None
    )


def sent_to_q(unit_id) -> Q:
    """The dossiers a deciding unit's review roles (standing body, council, chair) see: those
    sent to it (it is their reviewing unit) and those it sent on itself (a dossier forwarded up is
    its unit's own). Not a lower level's dossier, even one forwarded up to it: the upward dossier
    carries its nominees, their files and the lower level's documents by reference
    (approvals.forwarding), so the level above reviews the upward dossier and never opens the
    lower one (trình cấp trên, DOMAIN.md "Units and levels")."""
    return Q(reviewing_unit_id=unit_id) | Q(unit_id=unit_id)


def sent_to_unit_ids(dossier) -> set[int]:
    """The units whose review roles see `dossier` (`sent_to_q`, for one dossier)."""
    return {dossier.unit_id, dossier.reviewing_unit_id} - {None}


def visible_dossiers_q(user) -> Q | None:
    """The filter of dossiers `user` may see, or None when they may see none: the unit's own
    dossiers for its staff and head, those sent to their unit (`sent_to_q`) for review roles,
    everything in their subtree for inspectors; never another unit's private working copy.

    Built from the user's scopes (loaded once), so a list costs the same queries for any size.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    q = None
    for scope in scopes_for(user):
        if scope.role in UNIT_ROLES:
            part = Q(unit_id=scope.unit_id)
        elif scope.role in REVIEW_ROLES or scope.role == Role.INSPECTOR:
            where = (
                sent_to_q(scope.unit_id)
                if scope.role in REVIEW_ROLES
                else Q(unit__path__startswith=scope.unit_path)
            )
            # A draft is the unit's own working copy (dossiers.models.PRIVATE_STATES), and so
            # is one withdrawn before it was ever submitted.
            part = (
                where
                & ~Q(state__in=PRIVATE_STATES)
                & ~Q(state=DossierState.WITHDRAWN, submitted_at__isnull=True)
            )
        else:
            continue
        q = part if q is None else q | part
    if q is None or not user.has_perm("dossiers.view_dossier"):
        return None
    return q


def can_view_dossier(user, dossier) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("dossiers.view_dossier"):
        return False
    if has_role_in(user, UNIT_ROLES, dossier.unit):
        return True
    if is_private(dossier):
        return False
    if has_role_over(user, {Role.INSPECTOR}, dossier.unit):
        return True
    if not any(s.role in REVIEW_ROLES for s in scopes_for(user)):
        return False
    return has_role_in_any(user, REVIEW_ROLES, sent_to_unit_ids(dossier))


def can_create_dossier_in(user, unit) -> bool:
    return user.has_perm("dossiers.add_dossier") and has_role_in(user, UNIT_ROLES, unit)


def units_user_can_draft_for(user):
    return [s.unit_id for s in scopes_for(user) if s.role in UNIT_ROLES]


def is_drafter_of(user, dossier) -> bool:
    """The people who draft this dossier, whatever its state: the unit's staff and head (and, for
    a dossier forwarded up, the standing body that prepares it)."""
    drafters = UNIT_ROLES | {Role.STANDING_OFFICER} if dossier.is_upward else UNIT_ROLES
    return user.has_perm("dossiers.change_dossier") and has_role_in(user, drafters, dossier.unit)


def can_edit_dossier(user, dossier) -> bool:
    """Unit staff and the unit head edit their own unit's dossier while it is a draft or returned."""
    return dossier.state in EDITABLE_STATES and is_drafter_of(user, dossier)


def can_submit_dossier(user, dossier) -> bool:
    """Only the head of the unit signs the tờ trình and submits or withdraws (DOMAIN.md, roles).
    For a commune or a department that is its chair (Chủ tịch UBND xã, giám đốc sở)."""
    return user.has_perm("dossiers.submit_dossier") and has_role_in(
        user, {Role.UNIT_HEAD, Role.CHAIR}, dossier.unit
    )


can_withdraw_dossier = can_submit_dossier


def can_see_id_number(user, dossier) -> bool:
    """A nominee's ID number (số CCCD / định danh cá nhân) is personal data: shown to the unit's
    own people (they typed it) and to the reviewing bodies the dossier was sent to (standing body,
    council, chair), who check who is proposed. Nobody else: not an inspector (who reads the
    dossier's history, not the person's identity), not lists, exports, notices, documents made
    for publication, nor the audit chain (which keeps its last four digits only)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("dossiers.view_nominee"):
        return False
    if has_role_in(user, UNIT_ROLES, dossier.unit):
        return True
    if is_private(dossier):
        return False
    return has_role_in_any(user, REVIEW_ROLES, sent_to_unit_ids(dossier))
