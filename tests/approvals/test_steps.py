"""The steps after submission, service by service: who may, from which state, which rule."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals import services
from approvals.models import Award, Decision, ReturnRequest
from audit.models import AuditEvent
from dossiers import services as dossier_services
from dossiers.models import AwardRule, Dossier, DossierState, Nominee, NomineeOutcome
from org.calendar import WorkingCalendar
from org.errors import TransitionNotAllowed
from tests import factories as f
from tests import paper

S = DossierState


def state(dossier):
    return Dossier.objects.get(pk=dossier.pk).state


def unchanged_after(call, dossier, exc):
    before = (
        state(dossier),
        AuditEvent.objects.count(),
        list(Nominee.objects.values_list("outcome", flat=True)),
    )
    with pytest.raises(exc) as info:
        call()
    assert (
        state(dossier),
        AuditEvent.objects.count(),
        list(Nominee.objects.values_list("outcome", flat=True)),
    ) == before
    return info.value


def to_council(dossier, world):
    services.appraisal_receive(actor=world.officer, dossier=dossier)
    services.appraisal_accept(actor=world.officer, dossier=dossier)


def vote(dossier, world, votes_for, total=9):
    """The council of `total` members met on paper; `votes_for` of them voted for the nominee."""
    paper.council_result(
        secretary=world.secretary,
        council=world.council,
        dossier=dossier,
        votes_for=votes_for,
        against=total - votes_for,
        size=total,
    )


def test_standing_body_receives(submitted, world):
    services.appraisal_receive(actor=world.officer, dossier=submitted)
    assert state(submitted) == S.IN_APPRAISAL
    assert AuditEvent.objects.order_by("-seq").first().action == "dossier.receive"


@pytest.mark.parametrize("who", ["head_a", "staff_a", "chair", "inspector", "member", "head_b"])
def test_only_the_standing_body_receives(submitted, world, who):
    unchanged_after(
        lambda: services.appraisal_receive(actor=getattr(world, who), dossier=submitted),
        submitted,
        PermissionDenied,
    )


def test_officer_of_another_level_cannot_receive(submitted, world, province_roles):
    unchanged_after(
        lambda: services.appraisal_receive(actor=world.province_officer, dossier=submitted),
        submitted,
        PermissionDenied,
    )


def test_return_needs_items_and_second_return_needs_a_reason(submitted, world):
    services.appraisal_receive(actor=world.officer, dossier=submitted)
    with pytest.raises(ValidationError):
        services.appraisal_return(actor=world.officer, dossier=submitted, items=["", "  "])
    services.appraisal_return(actor=world.officer, dossier=submitted, items=["Thiếu xác nhận sáng kiến"])
    assert state(submitted) == S.RETURNED
    dossier_services.dossier_submit(actor=world.head_a, dossier=submitted)
    services.appraisal_receive(actor=world.officer, dossier=submitted)
    err = unchanged_after(
        lambda: services.appraisal_return(actor=world.officer, dossier=submitted, items=["Bổ sung biên bản"]),
        submitted,
        ValidationError,
    )
    assert "already returned once" in str(err)
    services.appraisal_return(
        actor=world.officer,
        dossier=submitted,
        items=["Bổ sung biên bản"],
        further_return_reason="Biên bản thiếu chữ ký",
    )
    assert ReturnRequest.objects.filter(dossier=submitted).count() == 2
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.data["return_number"], event.data["further_return_reason"]) == (
        "dossier.return",
        2,
        "Biên bản thiếu chữ ký",
    )


def test_reject_with_reasons(submitted, world):
    services.appraisal_receive(actor=world.officer, dossier=submitted)
    unchanged_after(
        lambda: services.appraisal_reject(actor=world.officer, dossier=submitted, reasons=" "),
        submitted,
        ValidationError,
    )
    services.appraisal_reject(
        actor=world.officer, dossier=submitted, reasons="Không thuộc đối tượng của phong trào"
    )
    assert state(submitted) == S.REJECTED


def test_accept_goes_to_the_council(submitted, world):
    to_council(submitted, world)
    assert state(submitted) == S.IN_COUNCIL
    assert Nominee.objects.get(pk=submitted.nominee.pk).outcome == NomineeOutcome.ELIGIBLE


def test_accept_refuses_a_nominee_now_under_discipline(submitted, world):
    services.appraisal_receive(actor=world.officer, dossier=submitted)
    Nominee.objects.filter(pk=submitted.nominee.pk).update(under_discipline=True)
    err = unchanged_after(
        lambda: services.appraisal_accept(actor=world.officer, dossier=submitted), submitted, ValidationError
    )
    assert "mark them ineligible" in str(err)


def test_accept_with_every_nominee_ineligible_is_refused(submitted, world):
    services.appraisal_receive(actor=world.officer, dossier=submitted)
    unchanged_after(
        lambda: services.appraisal_accept(
            actor=world.officer,
            dossier=submitted,
            ineligible={submitted.nominee.pk: "Chưa đủ thời gian công tác"},
        ),
        submitted,
        ValidationError,
    )


def test_simplified_procedure_skips_the_council(world):
    dossier = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, reviewing_unit=world.commune
    )
    nominee = f.NomineeFactory(dossier=dossier, award_type=f.award("giay-khen-dot-xuat"))
    dossier_services.attachment_add(
        actor=world.staff_a, dossier=dossier, kind=f.doc_kind("to-trinh"), uploaded_file=f.pdf_upload()
    )
    dossier_services.attachment_add(
        actor=world.staff_a,
        dossier=dossier,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=nominee,
        uploaded_file=f.pdf_upload(),
    )
    dossier_services.dossier_submit(actor=world.head_a, dossier=dossier)
    to_council(dossier, world)
    assert state(dossier) == S.AWAITING_DECISION


@pytest.mark.calendar
def test_public_notice_then_objections_must_be_resolved(submitted, world):
    rule = Nominee.objects.get(pk=submitted.nominee.pk).rule
    AwardRule.objects.filter(pk=rule.pk).update(public_notice_days=10)
    to_council(submitted, world)
    assert state(submitted) == S.PUBLIC_NOTICE
    notice = submitted.public_notice
    # 10 working days from today, on the calendar of weekends and public holidays: always more
    # than 10 calendar days, since they span at least one weekend.
    assert notice.starts_on == timezone.localdate()
    assert notice.ends_on == WorkingCalendar().add_working_days(notice.starts_on, 10)
    assert (notice.ends_on - notice.starts_on).days > 10
    unchanged_after(
        lambda: services.objection_lodge(actor=world.head_b, dossier=submitted, text="x"),
        submitted,
        PermissionDenied,
    )
    unchanged_after(
        lambda: services.objection_lodge(actor=world.inspector, dossier=submitted, text="x"),
        submitted,
        PermissionDenied,
    )
    objection = services.objection_lodge(
        actor=world.member, dossier=submitted, text="Chưa hoàn thành nhiệm vụ", nominee=submitted.nominee
    )
    err = unchanged_after(
        lambda: services.notice_close(actor=world.officer, dossier=submitted), submitted, ValidationError
    )
    assert "runs until" in str(err) and "not resolved" in str(err)
    type(notice).objects.filter(pk=notice.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    unchanged_after(
        lambda: services.notice_close(actor=world.officer, dossier=submitted), submitted, ValidationError
    )
    services.objection_resolve(
        actor=world.officer, objection=objection, resolution="Đã xác minh, ý kiến không có cơ sở"
    )
    services.notice_close(actor=world.officer, dossier=submitted)
    assert state(submitted) == S.IN_COUNCIL


@pytest.mark.parametrize(
    ("award", "votes", "passed"),
    [
        ("giay-khen", 5, True),  # majority of 9
        ("giay-khen", 4, False),
        ("chien-si-thi-dua-co-so", 8, True),  # 8/9 = 88.9 % ≥ 80 %
        ("chien-si-thi-dua-co-so", 7, False),  # 7/9 = 77.8 %
    ],
)
def test_threshold_counts_all_members(db, award, votes, passed):
    from dossiers.models import AwardType

    rule = AwardType.objects.get(code=award).rule_on(timezone.localdate())
    assert services.passes_threshold(rule, votes, 9) is passed


def test_council_result_sets_outcomes(submitted, world, council_roles):
    to_council(submitted, world)
    vote(submitted, world, 7)
    assert state(submitted) == S.COUNCIL_VOTED
    assert Nominee.objects.get(pk=submitted.nominee.pk).outcome == NomineeOutcome.VOTED_IN
    assert submitted.nominee.council_result.passed


def test_council_result_comes_only_from_a_closed_meeting_of_the_dossiers_council(
    submitted, world, council_roles
):
    to_council(submitted, world)
    today = timezone.localdate()
    other = f.DossierFactory(
        unit=world.school_b,
        campaign=world.campaign,
        created_by=world.head_b,
        state=S.IN_COUNCIL,
        rules_date=today,
        submission_count=1,
    )
    award = f.award("giay-khen")
    f.NomineeFactory(dossier=other, award_type=award, rule=award.rule_on(today), outcome="eligible")
    paper.council_of_size(world.council, 9)
    # A closed meeting of the same council whose agenda does not hold this dossier.
    elsewhere = paper.record(secretary=world.secretary, council=world.council, dossiers=[other], size=3)
    unchanged_after(
        lambda: services.council_result_record(actor=world.secretary, dossier=submitted, meeting=elsewhere),
        submitted,
        ValidationError,
    )
    unchanged_after(
        lambda: vote(submitted, world.__class__(**{**vars(world), "secretary": world.member}), 7),
        submitted,
        PermissionDenied,
    )


def decided(submitted, world, votes=9):
    to_council(submitted, world)
    vote(submitted, world, votes)
    services.opinion_give(actor=world.vice_chair, dossier=submitted, text="Đồng ý đề nghị của Hội đồng")
    return services.decision_issue(actor=world.chair, dossiers=[submitted], title="Về việc tặng Giấy khen")


@pytest.mark.calendar
def test_decision_numbers_and_cash(submitted, world, council_roles):
    decision = decided(submitted, world)
    assert decision.symbol == "01/QĐ-UBND"
    award = Award.objects.get(decision=decision)
    # Giấy khen, individual: 0.3 × 2,340,000 = 702,000 → rounded up to 710,000
    assert award.amount == 710_000
    assert state(submitted) == S.DECIDED
    assert Nominee.objects.get(pk=submitted.nominee.pk).outcome == NomineeOutcome.AWARDED
    second = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=S.AWAITING_DECISION,
    )
    f.NomineeFactory(
        dossier=second,
        outcome=NomineeOutcome.VOTED_IN,
        rule=f.award("giay-khen").rule_on(timezone.localdate()),
    )
    assert services.decision_issue(actor=world.chair, dossiers=[second], title="Lần 2").symbol == "02/QĐ-UBND"


@pytest.mark.calendar
def test_numbers_restart_every_year(world, council_roles):
    rule = f.award("giay-khen").rule_on(timezone.localdate())
    issued = []
    for day in (dt.date(2025, 12, 30), dt.date(2026, 1, 5)):
        d = f.DossierFactory(
            unit=world.school_a,
            campaign=world.campaign,
            created_by=world.staff_a,
            reviewing_unit=world.commune,
            state=S.AWAITING_DECISION,
        )
        f.NomineeFactory(dossier=d, outcome=NomineeOutcome.VOTED_IN, rule=rule)
        issued.append(services.decision_issue(actor=world.chair, dossiers=[d], title="x", signed_on=day))
    assert [(d.year, d.symbol) for d in issued] == [(2025, "01/QĐ-UBND"), (2026, "01/QĐ-UBND")]
    assert issued[1].base_salary == 2_340_000


def test_household_cash_is_one_and_a_half_individual(db):
    from dossiers.models import AwardType

    rule = AwardType.objects.get(code="giay-khen").rule_on(timezone.localdate())
    household = Nominee(kind="household")
    assert (
        services.cash_amount(nominee=household, rule=rule, base_salary=2_340_000) == 1_060_000
    )  # 1,053,000 ↑


def test_vice_chair_signs_only_on_behalf(submitted, world, council_roles):
    to_council(submitted, world)
    vote(submitted, world, 9)
    services.opinion_give(actor=world.vice_chair, dossier=submitted, text="Đồng ý")
    unchanged_after(
        lambda: services.decision_issue(actor=world.vice_chair, dossiers=[submitted], title="x"),
        submitted,
        PermissionDenied,
    )
    decision = services.decision_issue(actor=world.vice_chair, dossiers=[submitted], title="x", capacity="KT")
    assert (decision.signed_by, decision.signer_capacity) == (world.vice_chair, "KT")


def test_award_above_this_level_must_be_forwarded(world, council_roles):
    d = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=S.AWAITING_DECISION,
    )
    f.NomineeFactory(
        dossier=d,
        outcome=NomineeOutcome.VOTED_IN,
        award_type=f.award("bang-khen-chu-tich-tinh"),
        rule=f.award("bang-khen-chu-tich-tinh").rule_on(timezone.localdate()),
    )
    err = unchanged_after(
        lambda: services.decision_issue(actor=world.chair, dossiers=[d], title="x"), d, ValidationError
    )
    assert "forward the dossier" in str(err)


def test_forward_creates_a_linked_dossier_at_the_next_level(world, council_roles, province_roles):
    d = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
    )
    n = f.NomineeFactory(
        dossier=d,
        outcome=NomineeOutcome.VOTED_IN,
        award_type=f.award("bang-khen-chu-tich-tinh"),
        rule=f.award("bang-khen-chu-tich-tinh").rule_on(timezone.localdate()),
    )
    # The upward dossier passes the submission's completeness check: the files travel with it.
    for code in ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]:
        dossier_services.attachment_add(
            actor=world.staff_a,
            dossier=d,
            kind=f.doc_kind(code),
            uploaded_file=f.pdf_upload(f"{code}.pdf"),
            nominee=n if code == "bao-cao-thanh-tich" else None,
        )
    Dossier.objects.filter(pk=d.pk).update(state=S.AWAITING_DECISION)
    d.refresh_from_db()
    upward = services.dossier_forward(
        actor=world.chair, dossiers=[d], title="Tờ trình đề nghị Chủ tịch UBND thành phố tặng Bằng khen"
    )
    assert (upward.state, upward.unit, upward.reviewing_unit, upward.is_upward) == (
        S.SUBMITTED,
        world.commune,
        world.province,
        True,
    )
    assert Dossier.objects.get(pk=d.pk).forwarded_to == upward and state(d) == S.FORWARDED
    assert Nominee.objects.get(dossier=upward).source == n
    services.appraisal_receive(actor=world.province_officer, dossier=upward)
    assert state(upward) == S.IN_APPRAISAL


def test_decline_with_reason(world, council_roles):
    d = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=S.AWAITING_DECISION,
    )
    unchanged_after(
        lambda: services.dossier_decline(actor=world.chair, dossier=d, reason=""), d, ValidationError
    )
    services.dossier_decline(actor=world.chair, dossier=d, reason="Không đủ tiêu chuẩn")
    assert state(d) == S.DECLINED


def test_revocation_is_a_new_decision_citing_the_old(submitted, world, council_roles):
    decision = decided(submitted, world)
    award = Award.objects.get(decision=decision)
    revocation = services.decision_revoke(
        actor=world.chair, awards=[award], reason="Hồ sơ sử dụng giấy tờ giả"
    )
    award.refresh_from_db()
    assert (revocation.revokes, revocation.symbol, award.revoked_by) == (decision, "02/QĐ-UBND", revocation)
    assert Nominee.objects.get(pk=submitted.nominee.pk).outcome == NomineeOutcome.REVOKED
    assert Decision.objects.filter(pk=decision.pk).exists()  # nothing deleted
    with pytest.raises(TransitionNotAllowed):
        services.decision_revoke(actor=world.chair, awards=[award], reason="lần nữa")
    assert AuditEvent.objects.order_by("-seq").first().data["cash_to_recover"] == 710_000
