"""A dossier's whole path through workflows.services, as the people of the process take it: the
states, the open tasks, the audit chain, the decision's number and cash."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from approvals.models import Decision
from audit.models import AuditEvent
from dossiers import services as dossier_services
from dossiers.models import Dossier, DossierState, Nominee, NomineeOutcome
from org.errors import TransitionNotAllowed
from tests import factories as f
from tests import paper
from workflows import selectors
from workflows import services as wf
from workflows.confirm import TOKEN_FIELD, dossier_token
from workflows.models import DossierProcess

from .conftest import (
    awaiting_decision,
    fresh,
    new_dossier,
    notice_period_over,
    open_steps,
    public_notice,
    steps_done,
)

S = DossierState
N, A = "NEW", "ASSIGNED"


def dossier_actions(dossier):
    return list(
        AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.mark.calendar
def test_a_dossier_walks_from_the_units_draft_to_the_chairs_decision(people, complete_draft):
    w, d = people, complete_draft
    lan = d.nominee
    assert not DossierProcess.objects.filter(dossier=d).exists()

    wf.dossier_submit(actor=w.head_a, dossier=d)
    assert fresh(d).state == S.SUBMITTED and open_steps(d) == [("appraise", N)]

    wf.appraisal_receive(actor=w.officer, dossier=d)
    assert fresh(d).state == S.IN_APPRAISAL and open_steps(d) == [("appraise", A)]
    assert DossierProcess.objects.get(dossier=d).task_set.get(status=A).owner == w.officer

    wf.appraisal_return(
        actor=w.officer,
        dossier=d,
        items=["Báo cáo thành tích chưa có xác nhận của thủ trưởng", "Bổ sung tập thể Tổ Ngữ văn"],
    )
    assert fresh(d).state == S.RETURNED and open_steps(d) == [("resubmit", N)]

    # The unit supplements: a new version of the report, a collective nominee with its report, a
    # summary that says so; then its head submits again.
    dossier_services.attachment_add(
        actor=w.staff_a,
        dossier=d,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=lan,
        uploaded_file=f.pdf_upload("bao-cao-v2.pdf", "Báo cáo có xác nhận"),
    )
    team = dossier_services.nominee_add(
        actor=w.staff_a,
        dossier=d,
        kind="collective",
        name="Tổ Ngữ văn",
        award_type=f.award("giay-khen"),
        achievements="Thư viện số bài giảng dùng chung.",
    )
    dossier_services.attachment_add(
        actor=w.staff_a,
        dossier=d,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=team,
        uploaded_file=f.pdf_upload("bao-cao-to.pdf", "Tổ Ngữ văn"),
    )
    dossier_services.dossier_update(actor=w.staff_a, dossier=d, summary="Đã bổ sung theo yêu cầu.")
    wf.dossier_submit(actor=w.head_a, dossier=fresh(d))
    assert fresh(d).state == S.SUBMITTED and fresh(d).submission_count == 2
    assert open_steps(d) == [("appraise", N)]

    changes = selectors.changes_since_return(dossier=d)
    assert [(a.nominee_id, same) for a, same in changes.attachments_replaced] == [(lan.pk, False)]
    assert [a.nominee_id for a in changes.attachments_added] == [team.pk]
    assert [n.name for n in changes.nominees_added] == ["Tổ Ngữ văn"]
    assert [(label, after) for label, _before, after in changes.dossier_fields] == [
        ("summary", "Đã bổ sung theo yêu cầu.")
    ]

    wf.appraisal_receive(actor=w.officer, dossier=d)
    wf.appraisal_accept(actor=w.officer, dossier=d)
    assert fresh(d).state == S.IN_COUNCIL and open_steps(d) == [("council", N)]

    paper.handed_over(
        secretary=w.secretary,
        council=w.council,
        dossiers=[d],
        size=9,
        counts={
            lan.pk: {"votes_for": 8, "votes_against": 1},
            team.pk: {"votes_for": 6, "votes_against": 2, "abstentions": 1},
        },
    )
    assert fresh(d).state == S.COUNCIL_VOTED and open_steps(d) == [("opinion", N)]

    wf.opinion_give(actor=w.vice_chair, dossier=d, text="Đồng ý trình Chủ tịch khen thưởng.")
    assert fresh(d).state == S.AWAITING_DECISION and open_steps(d) == [("decide", N)]

    decision = wf.decision_issue(
        actor=w.chair, dossiers=[d], title="Về việc khen thưởng phong trào Sáng kiến"
    )
    assert fresh(d).state == S.DECIDED and open_steps(d) == []
    assert DossierProcess.objects.get(dossier=d).status == PROCESS.DONE
    assert steps_done(d) == [
        "start",
        "appraise",
        "after_appraisal",
        "resubmit",
        "appraise",
        "after_appraisal",
        "council",
        "opinion",
        "decide",
        "end",
    ]

    # 01/QĐ-UBND of this year; Giấy khen: 0.3 × 2,340,000 = 702,000 → 710,000 (rounded up to the
    # next 10,000 đ) for an individual, 0.6 × 2,340,000 = 1,404,000 → 1,410,000 for a collective.
    assert (decision.symbol, decision.year, decision.signed_by) == (
        "01/QĐ-UBND",
        timezone.localdate().year,
        w.chair,
    )
    assert dict(decision.awards.values_list("nominee__name", "amount")) == {
        lan.name: 710_000,
        "Tổ Ngữ văn": 1_410_000,
    }
    assert set(Nominee.objects.filter(dossier=d).values_list("outcome", flat=True)) == {
        NomineeOutcome.AWARDED
    }

    assert dossier_actions(d) == [
        "dossier.submit",
        "dossier.receive",
        "dossier.return",
        "dossier.update",
        "dossier.submit",
        "dossier.receive",
        "dossier.accept",
        "dossier.council_result",
        "dossier.opinion",
        "dossier.decide",
    ]
    assert AuditEvent.objects.filter(action="decision.issue", object_id=str(decision.pk)).exists()
    assert verify_audit().startswith("ok ")


def test_forwarding_sends_the_approved_nominees_up_where_they_run_the_same_path(people):
    """Bằng khen of the provincial chair, proposed at a school of the commune: decided up there."""
    w = people
    d = awaiting_decision(w, new_dossier(w, award="bang-khen-chu-tich-tinh"))
    with pytest.raises(ValidationError, match="decided at a higher level"):
        wf.decision_issue(actor=w.chair, dossiers=[d], title="Khen thưởng")
    assert open_steps(d) == [("decide", N)]

    upward = wf.dossier_forward(
        actor=w.chair, dossiers=[d], title="Tờ trình đề nghị Bằng khen của Chủ tịch UBND thành phố"
    )

    d = fresh(d)
    assert (d.state, d.forwarded_to_id) == (S.FORWARDED, upward.pk)
    assert open_steps(d) == [] and DossierProcess.objects.get(dossier=d).status == PROCESS.DONE
    assert (upward.state, upward.reviewing_unit, upward.unit, upward.is_upward) == (
        S.SUBMITTED,
        w.province,
        w.commune,
        True,
    )
    assert open_steps(upward) == [("appraise", N)]
    assert [n.source_id for n in upward.nominees.all()] == [d.nominee.pk]

    # At the province: its own standing body, council, vice-chair and chair.
    with pytest.raises(Exception, match="standing body of Thành phố Hà Nội"):
        wf.appraisal_receive(actor=w.officer, dossier=upward)
    wf.appraisal_receive(actor=w.province_officer, dossier=upward)
    wf.appraisal_accept(actor=w.province_officer, dossier=upward)
    nominee = upward.nominees.get()
    paper.handed_over(
        secretary=w.province_secretary,
        council=w.province_council,
        dossiers=[upward],
        size=11,
        counts={nominee.pk: {"votes_for": 8, "votes_against": 3}},
    )
    wf.opinion_give(actor=w.province_vice_chair, dossier=upward, text="Đồng ý.")
    decision = wf.decision_issue(actor=w.province_chair, dossiers=[upward], title="Tặng Bằng khen")

    assert fresh(upward).state == S.DECIDED
    assert decision.issuer == w.province and decision.symbol == "01/QĐ-UBND"
    assert list(decision.awards.values_list("amount", flat=True)) == [2_340_000]  # 1.0 × base salary
    assert verify_audit().startswith("ok ")


def test_both_dossiers_of_a_forwarding_show_the_chain(people, client):
    w = people
    d = awaiting_decision(w, new_dossier(w, award="bang-khen-chu-tich-tinh"))
    upward = wf.dossier_forward(actor=w.chair, dossiers=[d], title="Tờ trình lên thành phố")

    client.force_login(w.chair)
    page = client.get(f"/dossiers/{d.pk}/").content.decode()
    assert 'data-testid="forwarded-to"' in page and "Tờ trình lên thành phố" in page
    # The unit knows where its dossier went, not the commune's upward dossier it may not open.
    client.force_login(w.head_a)
    page = client.get(f"/dossiers/{d.pk}/").content.decode()
    chain = page[page.index('data-testid="forwarded-to"') :]
    chain = chain[: chain.index("</li>")]
    assert upward.reviewing_unit.name in chain
    assert "Tờ trình lên thành phố" not in chain and f"/dossiers/{upward.pk}/" not in chain
    client.force_login(w.province_officer)
    page = client.get(f"/dossiers/{upward.pk}/").content.decode()
    assert 'data-testid="forwarded-from"' in page and d.title in page


def test_simplified_procedure_goes_from_appraisal_straight_to_the_chair(people):
    w = people
    d = new_dossier(w, award="giay-khen-dot-xuat")
    wf.dossier_submit(actor=w.head_a, dossier=d)
    wf.appraisal_receive(actor=w.officer, dossier=d)
    wf.appraisal_accept(actor=w.officer, dossier=d)

    assert fresh(d).state == S.AWAITING_DECISION and open_steps(d) == [("decide", N)]
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Khen thưởng đột xuất")
    assert "council" not in steps_done(d) and "opinion" not in steps_done(d)
    assert decision.symbol == "01/QĐ-UBND" and list(decision.awards.values_list("amount", flat=True)) == [
        710_000
    ]


@pytest.mark.calendar
def test_public_notice_holds_the_dossier_until_its_period_has_run_and_objections_are_resolved(people):
    from approvals import services as approvals

    w = people
    d = public_notice(w, new_dossier(w), days=10)
    assert fresh(d).state == S.PUBLIC_NOTICE and open_steps(d) == [("notice", N)]
    objection = approvals.objection_lodge(
        actor=w.member, dossier=fresh(d), text="Sáng kiến chưa được áp dụng."
    )

    with pytest.raises(ValidationError) as refused:
        wf.notice_close(actor=w.officer, dossier=d)
    assert "runs until" in str(refused.value) and "not resolved" in str(refused.value)
    assert open_steps(d) == [("notice", N)] and fresh(d).state == S.PUBLIC_NOTICE

    approvals.objection_resolve(actor=w.officer, objection=objection, resolution="Đã xác minh: đã áp dụng.")
    notice_period_over(d)
    wf.notice_close(actor=w.officer, dossier=d)
    assert fresh(d).state == S.IN_COUNCIL and open_steps(d) == [("council", N)]


def test_rejection_ends_the_process(people):
    w = people
    d = new_dossier(w)
    wf.dossier_submit(actor=w.head_a, dossier=d)
    wf.appraisal_receive(actor=w.officer, dossier=d)
    wf.appraisal_reject(actor=w.officer, dossier=d, reasons="Không thuộc đối tượng của phong trào.")

    assert fresh(d).state == S.REJECTED and open_steps(d) == []
    assert steps_done(d)[-1] == "rejected"
    assert DossierProcess.objects.get(dossier=d).status == PROCESS.DONE


def test_a_submission_from_a_page_read_as_a_draft_goes_by_the_dossier_as_it_is_now(people):
    """The page showed a draft; meanwhile the dossier was submitted (a second tab), or even
    received and returned: the submission is refused, or resubmits it, and never starts a second
    process."""
    w = people
    d = new_dossier(w)
    stale = fresh(d)
    wf.dossier_submit(actor=w.head_a, dossier=d)
    with pytest.raises(TransitionNotAllowed, match="already"):
        wf.dossier_submit(actor=w.head_a, dossier=stale)
    assert DossierProcess.objects.filter(dossier=d).count() == 1

    wf.appraisal_receive(actor=w.officer, dossier=d)
    wf.appraisal_return(actor=w.officer, dossier=d, items=["Bổ sung biên bản họp xét"])
    assert stale.state == S.DRAFT and fresh(d).state == S.RETURNED
    wf.dossier_submit(actor=w.head_a, dossier=stale)
    assert fresh(d).state == S.SUBMITTED and fresh(d).submission_count == 2
    assert DossierProcess.objects.filter(dossier=d).count() == 1
    assert open_steps(d) == [("appraise", N)]
    assert steps_done(d)[-1] == "resubmit"


def test_withdrawing_a_submitted_dossier_cancels_its_process(people):
    w = people
    d = new_dossier(w)
    wf.dossier_submit(actor=w.head_a, dossier=d)
    wf.dossier_withdraw(actor=w.head_a, dossier=d, reason="Nộp nhầm đợt.")

    process = DossierProcess.objects.get(dossier=d)
    assert fresh(d).state == S.WITHDRAWN and open_steps(d) == []
    assert process.status == PROCESS.CANCELED and process.task_set.filter(status="CANCELED").count() == 1


def test_a_second_return_needs_a_recorded_reason(people):
    w = people
    d = new_dossier(w)
    wf.dossier_submit(actor=w.head_a, dossier=d)
    wf.appraisal_receive(actor=w.officer, dossier=d)
    wf.appraisal_return(actor=w.officer, dossier=d, items=["Thiếu biên bản có chữ ký"])
    wf.dossier_submit(actor=w.head_a, dossier=fresh(d))
    wf.appraisal_receive(actor=w.officer, dossier=d)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError, match="already returned once"):
        wf.appraisal_return(actor=w.officer, dossier=d, items=["Biên bản vẫn thiếu chữ ký"])
    assert (fresh(d).state, open_steps(d), AuditEvent.objects.count()) == (
        S.IN_APPRAISAL,
        [("appraise", A)],
        events,
    )

    wf.appraisal_return(
        actor=w.officer,
        dossier=d,
        items=["Biên bản vẫn thiếu chữ ký"],
        further_return_reason="Bản bổ sung vẫn sai.",
    )
    assert fresh(d).state == S.RETURNED and open_steps(d) == [("resubmit", N)]


def test_the_decision_page_shows_number_signer_and_cash(people, client):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    client.force_login(w.chair)
    response = client.post(
        f"/dossiers/{d.pk}/decide/",
        {"decide-title": "Về việc tặng Giấy khen", "decide-capacity": "", TOKEN_FIELD: dossier_token(d)},
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == f"/decisions/{decision.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-testid="decision-symbol">01/QĐ-UBND<' in page
    assert "710.000" in page and w.chair.get_full_name() in page
    assert "Đã duyệt và cấp số Quyết định 01/QĐ-UBND: hãy lập bản PDF và ký số." in page
    assert Dossier.objects.get(pk=d.pk).state == S.DECIDED


def test_one_decision_may_cover_several_dossiers(people):
    w = people
    first, second = awaiting_decision(w, new_dossier(w)), awaiting_decision(w, new_dossier(w))

    decision = wf.decision_issue(actor=w.chair, dossiers=[second, first, second], title="Tặng Giấy khen")

    assert decision.symbol == "01/QĐ-UBND" and decision.awards.count() == 2
    assert {fresh(d).state for d in (first, second)} == {S.DECIDED}
    assert open_steps(first) == [] and open_steps(second) == []
