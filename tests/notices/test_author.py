"""The audit trail names the person whose act caused each event: the chairperson's close of a
meeting produces the council's results, so `dossier.council_result` is theirs, not the secretary's,
even when the secretary had taken the workflow's council task."""

import pytest
from django.core.exceptions import PermissionDenied

from approvals import meeting_services as ms
from approvals.models import CouncilResult
from audit.models import AuditEvent
from tests.council.conftest import open_with, schedule
from tests.council.test_handoff import flowing_dossier, open_tasks
from workflows import council
from workflows import services as workflow_services


def _voted_meeting(cw, dossier):
    meeting = open_with(cw, schedule(cw, [dossier]))
    for member in cw.members[:7]:
        for nominee in dossier.agenda_nominees:
            ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice="agree")
    return meeting


def test_the_chairs_close_records_the_council_result_under_the_chair(cw):
    dossier = flowing_dossier(cw, nominees=1)
    meeting = _voted_meeting(cw, dossier)

    council.meeting_close(actor=cw.cchair, meeting=meeting)

    event = AuditEvent.objects.get(action="dossier.council_result", object_id=str(dossier.pk))
    assert event.actor == "cchair"
    assert CouncilResult.objects.get(nominee__dossier=dossier).recorded_by == cw.cchair
    assert open_tasks(dossier) == ["opinion"]


def test_the_chairs_close_completes_the_council_task_the_secretary_had_taken(cw):
    dossier = flowing_dossier(cw, nominees=1)
    task = workflow_services.open_task(dossier, workflow_services.DossierFlow.council)
    workflow_services.task_claim(actor=cw.secretary, task=task)
    meeting = _voted_meeting(cw, dossier)

    council.meeting_close(actor=cw.cchair, meeting=meeting)

    assert AuditEvent.objects.get(action="dossier.council_result").actor == "cchair"
    assert open_tasks(dossier) == ["opinion"]


def test_a_member_who_does_not_chair_the_meeting_cannot_hand_its_result_over(cw):
    dossier = flowing_dossier(cw, nominees=1)
    meeting = _voted_meeting(cw, dossier)
    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    with pytest.raises(PermissionDenied):
        workflow_services.council_result_record(actor=cw.vice, dossier=dossier, meeting=meeting)
    assert not AuditEvent.objects.filter(action="dossier.council_result").exists()
