"""Convening a meeting: who may, which dossiers, who is invited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals import meeting_services as ms
from approvals.models import AttendanceStatus, MeetingState
from dossiers.models import DossierState, NomineeOutcome
from org.errors import TransitionNotAllowed
from org.models import CouncilMembership
from tests import factories as f

from .conftest import in_council, schedule
from .helpers import last_event, unchanged_after


def test_secretary_convenes_a_meeting_with_the_eligible_nominees_of_each_dossier(cw):
    first, second = in_council(cw, nominees=2), in_council(cw, nominees=1, unit=cw.school_b)
    f.NomineeFactory(dossier=first, outcome=NomineeOutcome.INELIGIBLE)  # set aside at appraisal

    meeting = schedule(cw, [second, first], title="Phiên họp xét khen thưởng đợt 1")

    agenda = list(meeting.agenda.order_by("position"))
    assert [i.nominee_id for i in agenda] == [n.pk for n in first.agenda_nominees + second.agenda_nominees]
    assert [i.position for i in agenda] == [1, 2, 3]
    assert meeting.state == MeetingState.SCHEDULED and meeting.secret_ballot and not meeting.allow_abstention
    roll = {a.member_id: a for a in meeting.roll.all()}
    assert set(roll) == {m.pk for m in cw.members}
    assert {a.status for a in roll.values()} == {AttendanceStatus.INVITED}
    event = last_event()
    assert (event.action, event.actor, event.data["dossiers"]) == (
        "meeting.schedule",
        "secretary",
        [first.pk, second.pk],
    )


@pytest.mark.parametrize("who", ["member", "cchair", "vice", "officer", "chair", "head_a", "inspector"])
def test_only_the_council_secretary_convenes(cw, dossier, who):
    unchanged_after(lambda: schedule(cw, [dossier], actor=getattr(cw, who)), PermissionDenied, "secretary")


def test_the_secretary_of_another_council_cannot_convene_this_one(cw, dossier):
    other = f.council_for(cw.province)
    outsider = f.council_member(other, "secretary", username="province_secretary")
    unchanged_after(lambda: schedule(cw, [dossier], actor=outsider), PermissionDenied)


def test_only_dossiers_before_this_council(cw, dossier):
    appraised = in_council(cw)
    type(appraised).objects.filter(pk=appraised.pk).update(state=DossierState.IN_APPRAISAL)
    # The commune's own dossier, sent up to the province: the commune's secretary sees it, but
    # its council does not handle it.
    elsewhere = in_council(cw, unit=cw.commune)
    type(elsewhere).objects.filter(pk=elsewhere.pk).update(reviewing_unit=cw.province)

    err = unchanged_after(lambda: schedule(cw, [dossier, appraised, elsewhere]), ValidationError)

    assert "is not before the council" in str(err) and "is not handled by Phường Long Biên" in str(err)


def test_a_dossier_the_secretary_may_not_see_is_unknown_and_nothing_of_it_comes_back(cw, dossier):
    """A refusal must not tell the secretary the title or state of a dossier they may not see
    (another unit's draft), nor that it exists: the service says what it says of a missing one."""
    draft = in_council(cw, unit=cw.school_b)
    type(draft).objects.filter(pk=draft.pk).update(state=DossierState.DRAFT, title="Hồ sơ nháp bí mật")

    err = unchanged_after(lambda: schedule(cw, [dossier, draft]), ValidationError)

    assert err.message_dict == {"dossiers": ["Unknown dossier."]}
    assert "bí mật" not in str(err)


def test_a_dossier_is_on_one_pending_meeting_at_a_time(cw, dossier, meeting):
    unchanged_after(lambda: schedule(cw, [dossier]), ValidationError, "already on the agenda")
    ms.meeting_cancel(actor=cw.secretary, meeting=meeting, reason="Chủ tịch đi công tác")
    assert schedule(cw, [dossier]).agenda.count() == 2


def test_chairperson_and_secretary_hold_those_roles_in_the_council(cw, dossier):
    err = unchanged_after(
        lambda: schedule(cw, [dossier], chairperson=cw.member, secretary=cw.vice), ValidationError
    )
    assert set(err.message_dict) == {"chairperson", "secretary"}
    assert schedule(cw, [dossier], chairperson=cw.vice).chairperson == cw.vice


def test_place_time_and_agenda_are_required(cw):
    err = unchanged_after(lambda: schedule(cw, [], place=" ", scheduled_at=None), ValidationError)
    assert set(err.message_dict) == {"place", "scheduled_at", "dossiers"}


@pytest.mark.calendar
def test_the_roll_is_the_council_on_the_meeting_date(cw, dossier):
    day = timezone.localdate() + dt.timedelta(days=10)
    CouncilMembership.objects.filter(user=cw.others[0]).update(end=day - dt.timedelta(days=1))  # gone by then
    newcomer = f.council_member(cw.council, "member", username="newcomer")
    CouncilMembership.objects.filter(user=newcomer).update(start=day)  # starts that day

    meeting = schedule(
        cw, [dossier], scheduled_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
    )

    members = set(meeting.roll.values_list("member_id", flat=True))
    assert newcomer.pk in members and cw.others[0].pk not in members
    assert len(members) == 9


def test_cancel_needs_a_reason_and_a_scheduled_meeting(cw, meeting):
    unchanged_after(
        lambda: ms.meeting_cancel(actor=cw.secretary, meeting=meeting, reason=""), ValidationError
    )
    unchanged_after(lambda: ms.meeting_cancel(actor=cw.cchair, meeting=meeting, reason="x"), PermissionDenied)
    ms.meeting_cancel(actor=cw.secretary, meeting=meeting, reason="Hoãn họp")
    unchanged_after(
        lambda: ms.meeting_cancel(actor=cw.secretary, meeting=meeting, reason="x"), TransitionNotAllowed
    )
    assert last_event().action == "meeting.cancel"
