"""Who may do what at a council meeting. Two halves, both required: the role (a council role, or
the standing body's, held at the council's unit, through org.scopes) and the object (this
council; this meeting's chairperson or secretary; a member on this meeting's roll).

The roll is the list of members of the council on the meeting date (CouncilMembership terms), so
a member whose term has ended does not vote, and one whose term starts later is not on it.
"""

import unicodedata

from django.utils import timezone

from dossiers.models import NomineeKind
from org.models import Role, RoleAssignment
from org.scopes import has_role_in, has_role_in_any, has_role_over

from .meetings import RecusalReason

COUNCIL_ROLES = frozenset({Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.VICE_CHAIR})
# Who may see a meeting of a council: its members, the standing body and the deciding chair of
# the council's unit, and inspectors over it (who read, never change).
READERS = COUNCIL_ROLES | {Role.STANDING_OFFICER, Role.CHAIR}


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_schedule_meeting(user, council) -> bool:
    """The council's secretary (the standing body's officer who serves it) convenes meetings."""
    return _active(user) and has_role_in(user, {Role.COUNCIL_SECRETARY}, council.unit)


def _is_meeting_secretary(user, meeting) -> bool:
    return (
        _active(user)
        and user.pk == meeting.secretary_id
        and has_role_in(user, {Role.COUNCIL_SECRETARY}, meeting.council.unit)
    )


def can_run_meeting(user, meeting) -> bool:
    """The meeting's secretary records attendance, opens the vote, and may cancel the meeting."""
    return _is_meeting_secretary(user, meeting)


def can_close_meeting(user, meeting) -> bool:
    """The meeting's chairperson closes the vote (a chair or vice-chair of the council)."""
    return (
        _active(user)
        and user.pk == meeting.chairperson_id
        and has_role_in(user, COUNCIL_ROLES, meeting.council.unit)
    )


def can_vote(user, meeting, roll_member_ids) -> bool:
    """A member on the meeting's roll (the council on the meeting date), still holding a council
    role at the council's unit today."""
    return (
        _active(user)
        and user.pk in roll_member_ids
        and has_role_in_any(user, COUNCIL_ROLES, {meeting.council.unit_id})
    )


def can_record_recusal_for(user, meeting, member) -> bool:
    """A member declares their own conflict; the secretary records one announced in the room.
    Declaring one's own takes a council role at the council's unit: anyone else who may see the
    meeting is told it is not theirs, not that their input is wrong."""
    if not _active(user):
        return False
    if _is_meeting_secretary(user, meeting):
        return True
    return user.pk == member.pk and has_role_in(user, COUNCIL_ROLES, meeting.council.unit)


def can_view_council(user, council) -> bool:
    """Who may see a council and its meetings (READERS at its unit, inspectors over it)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return has_role_in(user, READERS, council.unit) or has_role_over(user, {Role.INSPECTOR}, council.unit)


def can_view_meeting(user, meeting) -> bool:
    return can_view_council(user, meeting.council)


def can_watch_meeting(user, meeting) -> bool:
    """The live view of who has voted (never how, in a secret vote): the meeting's secretary and
    chairperson, the council's secretaries, inspectors."""
    if not _active(user):
        return False
    if user.is_superuser or user.pk in (meeting.secretary_id, meeting.chairperson_id):
        return True
    unit = meeting.council.unit
    return has_role_in(user, {Role.COUNCIL_SECRETARY}, unit) or has_role_over(user, {Role.INSPECTOR}, unit)


def _normalised(name) -> str:
    return " ".join(unicodedata.normalize("NFC", name or "").split()).casefold()


def _unit_paths(member) -> list[str]:
    """The paths of the units `member` belongs to: their own unit and every unit where they hold
    a role today (as its head, staff, …). Read once per member object."""
    paths = getattr(member, "_recusal_unit_paths", None)
    if paths is None:
        paths = list(
            RoleAssignment.objects.active_on(timezone.localdate())
            .filter(user_id=member.pk)
            .values_list("unit__path", flat=True)
        )
        unit = getattr(member, "unit", None)
        if unit is not None:
            paths.append(unit.path)
        member._recusal_unit_paths = paths
    return paths


def automatic_recusal(member, nominee) -> str | None:
    """Why `member` may not vote on `nominee`, without anyone having to declare it.

    - the member is the nominee (Nominee.person);
    - the nominee is a collective linked to its unit (Nominee.collective_unit) and the member
      belongs to that unit: it is their own unit, or they hold a role in it or in a unit under it
      (its head included);
    - a collective without that link (a team inside a unit, e.g. "Tổ Ngữ văn", or one entered
      before the link existed) falls back to its name: the member's unit has that name (compared
      without case or extra spaces). Anything subtler is declared as a conflict.
    """
    if nominee.person_id and nominee.person_id == member.pk:
        return RecusalReason.NOMINEE
    if nominee.kind != NomineeKind.COLLECTIVE:
        return None
    if nominee.collective_unit_id:
        collective = nominee.collective_unit
        if any(path.startswith(collective.path) for path in _unit_paths(member)):
            return RecusalReason.COLLECTIVE
        return None
    unit = getattr(member, "unit", None)
    if unit is not None and _normalised(nominee.name) == _normalised(unit.name):
        return RecusalReason.COLLECTIVE
    return None
