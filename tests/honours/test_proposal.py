"""A province's proposal of state honours: assembled from the dossiers its council voted on for a
central award, signed and submitted by its chair, and its results recorded per nominee."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from dossiers.models import AwardRecord, Dossier, DossierState
from honours import services
from honours.models import NomineeResult, ProposalState
from org.errors import TransitionNotAllowed
from tests import factories as f

from .builders import at_chair, candidate, draft_for, proposal

pytestmark = pytest.mark.django_db


def test_standing_body_assembles_a_proposal_from_the_councils_central_nominees(hw):
    d = candidate(hw)
    p = proposal(hw)
    entry = services.proposal_nominee_add(actor=hw.province_officer, proposal=p, nominee=d.nominee)
    assert entry.proposal == p and entry.result == NomineeResult.PENDING
    event = AuditEvent.objects.filter(action="honours.nominee_add").get()
    assert event.data["nominee_id"] == d.nominee.pk and event.scope == hw.province.path


def test_a_nominee_is_proposed_once(hw):
    d = candidate(hw)
    p = proposal(hw)
    services.proposal_nominee_add(actor=hw.province_officer, proposal=p, nominee=d.nominee)
    other = proposal(hw, title="Tờ trình bổ sung")
    with pytest.raises(ValidationError, match="already in the proposal"):
        services.proposal_nominee_add(actor=hw.province_officer, proposal=other, nominee=d.nominee)


def test_a_dossier_not_yet_at_the_chairs_is_refused(hw):
    d = draft_for(hw)
    from workflows import services as wf

    wf.dossier_submit(actor=hw.dept_head, dossier=d)
    with pytest.raises(ValidationError, match="only a dossier the council voted on"):
        services.proposal_nominee_add(actor=hw.province_officer, proposal=proposal(hw), nominee=d.nominee)


def test_an_award_of_the_province_is_not_a_state_honour(hw):
    d = candidate(hw, award="bang-khen-chu-tich-tinh")
    with pytest.raises(ValidationError, match="not at the central level"):
        services.proposal_nominee_add(actor=hw.province_officer, proposal=proposal(hw), nominee=d.nominee)


def test_a_dossier_handled_by_a_commune_is_refused(hw):
    d = f.DossierFactory(
        unit=hw.school_a, campaign=hw.campaign, created_by=hw.staff_a, state=DossierState.AWAITING_DECISION
    )
    n = f.NomineeFactory(dossier=d, award_type=f.award("bang-khen-thu-tuong"), outcome="voted_in")
    with pytest.raises(ValidationError, match="handled by Phường Long Biên"):
        services.proposal_nominee_add(actor=hw.province_officer, proposal=proposal(hw), nominee=n)


def test_a_public_notice_shorter_than_ten_working_days_is_refused(hw):
    d = at_chair(hw, draft_for(hw), notice_days=6)
    with pytest.raises(ValidationError, match="ran 6 working days; state honours need at least 10"):
        services.proposal_nominee_add(actor=hw.province_officer, proposal=proposal(hw), nominee=d.nominee)


def test_only_the_provinces_standing_body_assembles(hw):
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=hw.officer, unit=hw.province, year=2025, title="Tờ trình")
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=hw.province_chair, unit=hw.province, year=2025, title="Tờ trình")


def _submitted(hw, dispatch_date=None):
    d = candidate(hw)
    collective = candidate(hw, name="Trường THPT Chu Văn An", kind="collective")
    p = proposal(hw)
    for x in (d, collective):
        services.proposal_nominee_add(actor=hw.province_officer, proposal=p, nominee=x.nominee)
    services.proposal_submit(actor=hw.province_chair, proposal=p, dispatch_date=dispatch_date)
    p.refresh_from_db()
    return p, d, collective


def test_the_chair_submits_with_the_registers_number_and_the_dossiers_are_forwarded(hw):
    p, d, _collective = _submitted(hw)
    assert p.state == ProposalState.SUBMITTED
    assert p.dispatch_number == "01/TTr-UBND" and p.dispatch_date == dt.date(2026, 3, 11)
    assert Dossier.objects.get(pk=d.pk).state == DossierState.FORWARDED
    assert AuditEvent.objects.filter(action="honours.dossier_forward", object_id=str(d.pk)).exists()
    from tests.workflows.conftest import open_steps

    assert open_steps(d) == []  # the chair's decision step is completed by the submission


def test_the_standing_body_cannot_submit_and_a_submitted_proposal_is_not_changed(hw):
    d = candidate(hw)
    p = proposal(hw)
    services.proposal_nominee_add(actor=hw.province_officer, proposal=p, nominee=d.nominee)
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=hw.province_officer, proposal=p)
    services.proposal_submit(actor=hw.province_chair, proposal=p)
    with pytest.raises(TransitionNotAllowed):
        services.proposal_submit(actor=hw.province_chair, proposal=p)
    with pytest.raises(TransitionNotAllowed):
        services.proposal_nominee_remove(actor=hw.province_officer, entry=p.entries.get())


def test_results_are_recorded_in_the_award_register_and_history(hw):
    p, d, _collective = _submitted(hw, dispatch_date=dt.date(2026, 2, 2))
    award, other = p.entries.order_by("pk")
    services.result_record(
        actor=hw.province_officer,
        entry=award,
        awarded=True,
        decision_number="1234/QĐ-TTg",
        decision_date=dt.date(2026, 3, 2),
        issuer="Thủ tướng Chính phủ",
    )
    p.refresh_from_db()
    assert p.state == ProposalState.RESULTS_PARTIAL
    record = AwardRecord.objects.get(decision_number="1234/QĐ-TTg")
    # The source dossier's timeline shows where its nominee went and what came back.
    on_dossier = AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(d.pk))
    assert (
        on_dossier.filter(action="honours.dossier_forward").get().data["dispatch_number"] == p.dispatch_number
    )
    assert on_dossier.filter(action="honours.nominee_result").get().data["decision_number"] == "1234/QĐ-TTg"
    assert record.name == "Nguyễn Thị Minh" and record.award_type.code == "bang-khen-thu-tuong"
    assert record.unit == hw.department and record.year == 2025
    from dossiers.history import award_history  # noqa: F401  the register reads AwardRecord

    services.result_record(
        actor=hw.province_officer, entry=other, awarded=False, reason="Chưa đủ tiêu chuẩn theo Điều 71."
    )
    p.refresh_from_db()
    assert p.state == ProposalState.RESULTS_RECORDED
    with pytest.raises(TransitionNotAllowed):
        services.result_record(actor=hw.province_officer, entry=other, awarded=False, reason="Lần nữa")
    services.proposal_close(actor=hw.province_officer, proposal=p)
    p.refresh_from_db()
    assert p.state == ProposalState.CLOSED


def test_a_refused_result_needs_its_reason(hw):
    p, _d, _c = _submitted(hw)
    with pytest.raises(ValidationError) as caught:
        services.result_record(actor=hw.province_officer, entry=p.entries.first(), awarded=False)
    assert "reason" in caught.value.message_dict


def test_a_decision_without_number_is_refused_and_nothing_is_recorded(hw):
    p, _d, _c = _submitted(hw)
    with pytest.raises(ValidationError):
        services.result_record(
            actor=hw.province_officer,
            entry=p.entries.first(),
            awarded=True,
            decision_date=dt.date(2026, 3, 2),
        )
    assert not AwardRecord.objects.exists()
    assert p.entries.first().result == NomineeResult.PENDING


def test_a_decision_dated_before_the_submission_is_refused(hw):
    p, _d, _c = _submitted(hw, dispatch_date=dt.date(2026, 3, 3))
    with pytest.raises(ValidationError, match="before the tờ trình"):
        services.result_record(
            actor=hw.province_officer,
            entry=p.entries.first(),
            awarded=True,
            decision_number="88/QĐ-CTN",
            decision_date=dt.date(2026, 3, 2),
            issuer="Chủ tịch nước",
        )


def test_the_registers_number_comes_again_in_a_new_year_but_not_twice_in_one_year(hw):
    """The register restarts each year: 2025's 01/TTr-UBND does not stop 2026's 01/TTr-UBND
    (the chair's submission was a server error), while one year's number stays unique."""
    from django.db import IntegrityError, transaction

    from honours.models import HonoursProposal

    last_year = HonoursProposal.objects.create(
        unit=hw.province,
        year=2024,
        title="Tờ trình đề nghị khen thưởng cấp Nhà nước năm 2024",
        state=ProposalState.SUBMITTED,
        dispatch_number="01/TTr-UBND",
        dispatch_date=dt.date(2025, 1, 15),
        submitted_by=hw.province_chair,
        created_by=hw.province_officer,
    )
    p, _d, _collective = _submitted(hw)
    assert (p.dispatch_number, p.dispatch_date.year) == (last_year.dispatch_number, 2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        HonoursProposal.objects.create(
            unit=hw.province,
            year=2025,
            title="Tờ trình thứ hai",
            state=ProposalState.SUBMITTED,
            dispatch_number="01/TTr-UBND",
            dispatch_date=dt.date(2026, 3, 1),
            submitted_by=hw.province_chair,
            created_by=hw.province_officer,
        )
