"""A collective nominee is linked to its unit; a council member's automatic recusal follows that
link (their own unit, a role they hold in it or under it, its head) rather than the name. The
name is only the fallback for a collective without a link (a team inside a unit)."""

import pytest
from django.core.exceptions import PermissionDenied

from approvals import meeting_services as ms
from approvals.meeting_permissions import automatic_recusal
from approvals.meetings import Recusal, RecusalReason
from dossiers.models import Nominee
from org.models import Role, RoleAssignment
from tests import factories as f
from tests.council.conftest import in_council, open_with, schedule


def linked_collective(cw, unit, name="Trường THCS Ngọc Lâm"):
    return in_council(cw, kind="collective", name=name, collective_unit=unit)


def recused_on(meeting):
    return {(r.member.username, r.reason) for r in Recusal.objects.filter(item__meeting=meeting)}


def test_the_head_of_the_linked_unit_on_the_council_does_not_vote_on_it(cw):
    head = cw.others[0]
    RoleAssignment.objects.create(user=head, role=Role.UNIT_HEAD, unit=cw.school_a)
    dossier = linked_collective(cw, cw.school_a)

    meeting = open_with(cw, schedule(cw, [dossier]))

    assert recused_on(meeting) == {("m1", RecusalReason.COLLECTIVE)}
    with pytest.raises(PermissionDenied):
        ms.ballot_cast(actor=head, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")


def test_a_member_working_in_the_linked_unit_or_under_it_does_not_vote(cw):
    team = f.UnitFactory(name="Tổ Ngữ văn", code="TNV", parent=cw.school_a)
    cw.others[1].unit = team
    cw.others[1].save()
    dossier = linked_collective(cw, cw.school_a)

    meeting = schedule(cw, [dossier])

    assert recused_on(meeting) == {("m2", RecusalReason.COLLECTIVE)}


def test_the_link_wins_over_the_name(cw):
    """A member of a unit named like the collective, but not its unit, still votes; and a
    member of the linked unit is recused whatever the collective is called."""
    namesake = f.UnitFactory(name="Trường THCS Ngọc Lâm", code="X", parent=cw.province)
    cw.others[2].unit = namesake
    cw.others[2].save()
    cw.others[3].unit = cw.school_a
    cw.others[3].save()
    dossier = linked_collective(cw, cw.school_a, name="Tập thể giáo viên nhà trường")

    meeting = schedule(cw, [dossier])

    assert recused_on(meeting) == {("m4", RecusalReason.COLLECTIVE)}


def test_a_collective_without_a_link_falls_back_to_the_name(cw):
    cw.others[1].unit = cw.school_a
    cw.others[1].save()
    nominee = Nominee(kind="collective", name="trường thcs ngọc lâm")
    assert automatic_recusal(cw.others[1], nominee) == RecusalReason.COLLECTIVE
    assert automatic_recusal(cw.others[0], nominee) is None


def test_a_role_in_a_unit_above_the_collective_is_no_reason(cw):
    """The commune's chair is not a member of a school's collective."""
    nominee = Nominee(kind="collective", name="Trường THCS Ngọc Lâm", collective_unit=cw.school_a)
    assert automatic_recusal(cw.chair, nominee) is None
    assert automatic_recusal(cw.inspector, nominee) is None
