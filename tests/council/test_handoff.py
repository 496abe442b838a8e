"""Closing the meeting moves each dossier on its agenda to the next step of the workflow, in one
transaction: the chairperson closes and their hand-off records each dossier's result,
the quotas are applied. A refusal anywhere leaves the meeting open and every dossier as it was."""

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals import meeting_services as ms
from approvals.models import AgendaResult, CouncilResult, MeetingState
from audit.models import AuditEvent
from dossiers import services as dossier_services
from dossiers.models import Dossier, DossierState, Nominee, NomineeOutcome
from org.errors import TransitionNotAllowed
from tests import factories as f
from workflows import council
from workflows import services as workflow_services

from .conftest import in_council, open_with, schedule
from .helpers import unchanged_after


def flowing_dossier(w, nominees=2, unit=None, head=None):
    """A dossier taken through the real flow up to the council (submit, receive, accept)."""
    unit, head, staff = (
        unit or w.school_a,
        head or w.head_a,
        w.staff_a if unit in (None, w.school_a) else head,
    )
    dossier = dossier_services.dossier_create(
        actor=staff, unit=unit, campaign=w.campaign, title=f"Hồ sơ {unit.name}"
    )
    for i in range(nominees):
        nominee = dossier_services.nominee_add(
            actor=staff,
            dossier=dossier,
            kind="individual",
            sex="female",
            name=f"Giáo viên {unit.code} {i}",
            award_type=f.award("giay-khen"),
            achievements="Hoàn thành xuất sắc nhiệm vụ.",
        )
        dossier_services.attachment_add(
            actor=staff,
            dossier=dossier,
            kind=f.doc_kind("bao-cao-thanh-tich"),
            nominee=nominee,
            uploaded_file=f.pdf_upload(),
        )
    for kind in ("to-trinh", "bien-ban"):
        dossier_services.attachment_add(
            actor=staff, dossier=dossier, kind=f.doc_kind(kind), uploaded_file=f.pdf_upload()
        )
    workflow_services.dossier_submit(actor=head, dossier=dossier)
    workflow_services.appraisal_receive(actor=w.officer, dossier=dossier)
    workflow_services.appraisal_accept(actor=w.officer, dossier=dossier)
    dossier = Dossier.objects.get(pk=dossier.pk)
    dossier.agenda_nominees = list(Nominee.objects.filter(dossier=dossier).order_by("pk"))
    assert dossier.state == DossierState.IN_COUNCIL
    return dossier


def open_tasks(dossier):
    tasks = Task.objects.filter(
        process__dossierprocess__dossier_id=dossier.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )
    return [task.flow_task.name for task in tasks]


@pytest.fixture
def two_dossiers(cw):
    return [flowing_dossier(cw), flowing_dossier(cw, nominees=1, unit=cw.school_b, head=cw.head_b)]


def test_closing_hands_each_dossier_to_the_vice_chairs_opinion(cw, two_dossiers):
    first, second = two_dossiers
    meeting = open_with(cw, schedule(cw, two_dossiers))
    for member in cw.members[:6]:
        for nominee in first.agenda_nominees:
            ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice="agree")
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    results = council.meeting_close(
        actor=cw.cchair, meeting=meeting, conclusion="Đề nghị Chủ tịch UBND phường khen thưởng."
    )

    assert set(results) == {first.pk, second.pk}
    assert {Dossier.objects.get(pk=d.pk).state for d in two_dossiers} == {DossierState.COUNCIL_VOTED}
    assert open_tasks(first) == open_tasks(second) == ["opinion"]
    outcomes = dict(Nominee.objects.filter(dossier__in=two_dossiers).values_list("pk", "outcome"))
    assert [outcomes[n.pk] for n in first.agenda_nominees] == [NomineeOutcome.VOTED_IN] * 2  # 6/9
    assert outcomes[second.agenda_nominees[0].pk] == NomineeOutcome.VOTED_OUT  # no vote: 0/9
    assert set(CouncilResult.objects.values_list("recorded_by__username", flat=True)) == {"cchair"}
    events = list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("action", "actor"))
    assert events[0] == ("meeting.close", "cchair")
    assert ("dossier.council_result", "cchair") in events
    assert ("dossier.council_result", "secretary") not in events
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED


def test_a_failed_hand_off_leaves_the_meeting_open_and_every_dossier_as_it_was(cw, two_dossiers):
    """A dossier whose council step is not open in the workflow (here: put before the council by
    hand, with no process) cannot be handed over; the whole close is refused."""
    stray = in_council(cw)
    meeting = open_with(cw, schedule(cw, [*two_dossiers, stray]))
    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=stray.agenda_nominees[0], choice="agree")

    unchanged_after(lambda: council.meeting_close(actor=cw.cchair, meeting=meeting), TransitionNotAllowed)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.VOTING
    assert open_tasks(two_dossiers[0]) == open_tasks(two_dossiers[1]) == ["council"]


def test_over_quota_nominees_are_voted_out_in_the_hand_off(cw):
    dossier = flowing_dossier(cw)
    f.quota(
        cw.campaign, 1, award_type=f.award("giay-khen")
    )  # the campaign's quota tightened since submission
    meeting = open_with(cw, schedule(cw, [dossier]))
    top, second = dossier.agenda_nominees
    for member in cw.members:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=top, choice="agree")
    for member in cw.members[:7]:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=second, choice="agree")

    council.meeting_close(actor=cw.cchair, meeting=meeting)

    assert dict(meeting.agenda.values_list("nominee_id", "result")) == {
        top.pk: AgendaResult.PASSED,
        second.pk: AgendaResult.OVER_QUOTA,
    }
    assert dict(Nominee.objects.filter(dossier=dossier).values_list("pk", "outcome")) == {
        top.pk: NomineeOutcome.VOTED_IN,
        second.pk: NomineeOutcome.VOTED_OUT,
    }
    assert dict(CouncilResult.objects.values_list("nominee_id", "passed")) == {top.pk: True, second.pk: False}
    assert AuditEvent.objects.order_by("-seq").first().action == "meeting.quota_apply"
