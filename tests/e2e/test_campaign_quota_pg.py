"""A ward's real campaign, end to end (seed 003): 25 collectives proposed by three units in five
dossiers against a quota of 20 collective awards; an eleven-member council, two of whom vote in
writing and one of whom declares a conflict of interest; a tie at the quota line resolved by a
run-off round; 20 collectives voted in and 5 over quota, each dossier handed on by the workflow;
then the vice-chair's opinions, ONE decision for all five dossiers with its annex and total cash,
and a certificate for every awardee.

Runs on SQLite and PostgreSQL (`.ci/run`); it must pass on PostgreSQL, where the close and the
run-off take their row locks."""

import pytest

from approvals import meeting_services as ms
from approvals.meeting_selectors import meeting_minutes
from approvals.models import AgendaResult, Award, CouncilResult, MeetingState
from documents import services as document_services
from documents.contexts import decision_annex
from documents.models import BatchState, CertificateBatch
from dossiers import services as dossier_services
from dossiers.models import Campaign, Dossier, DossierState, Nominee, NomineeOutcome
from org.models import Role
from tests import factories as f
from tests.council.conftest import cw, open_with, schedule  # noqa: F401  (the council fixture)
from workflows import council
from workflows import services as workflow_services

pytestmark = pytest.mark.django_db(transaction=False)


def proposed(w, *, unit, author, head, names):
    """A dossier of collectives taken through the real flow up to the council."""
    dossier = dossier_services.dossier_create(
        actor=author, unit=unit, campaign=w.campaign, title=f"Đề nghị khen thưởng tập thể — {unit.name}"
    )
    for name in names:
        nominee = dossier_services.nominee_add(
            actor=author,
            dossier=dossier,
            kind="collective",
            name=name,
            award_type=f.award("giay-khen"),
            achievements="Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026.",
        )
        dossier_services.attachment_add(
            actor=author,
            dossier=dossier,
            kind=f.doc_kind("bao-cao-thanh-tich"),
            nominee=nominee,
            uploaded_file=f.pdf_upload(),
        )
    for kind in ("to-trinh", "bien-ban"):
        dossier_services.attachment_add(
            actor=author, dossier=dossier, kind=f.doc_kind(kind), uploaded_file=f.pdf_upload()
        )
    workflow_services.dossier_submit(actor=head, dossier=dossier)
    workflow_services.appraisal_receive(actor=w.officer, dossier=dossier)
    workflow_services.appraisal_accept(actor=w.officer, dossier=dossier)
    return Dossier.objects.get(pk=dossier.pk)


def test_twenty_five_collectives_for_twenty_places_a_tie_and_a_runoff(
    cw,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    w = cw
    w.members += [
        f.council_member(w.council, "member", username=f"m{i}", full_name=f"Ủy viên {i}") for i in (6, 7)
    ]
    assert len(w.members) == 11
    school_c = f.UnitFactory(name="Trường Mầm non Ngọc Thụy", code="MNNT", parent=w.commune)
    head_c = f.user_with_role(Role.UNIT_HEAD, school_c, username="head_c")
    f.quota(w.campaign, 20, nominee_kind="collective")
    Campaign.objects.filter(pk=w.campaign.pk).update(max_nominees_per_unit=10)
    w.campaign.refresh_from_db()

    # 25 collectives from three units in five dossiers: past the quota, within each unit's cap.
    plan = [
        (w.school_a, w.staff_a, w.head_a, 6),
        (w.school_a, w.staff_a, w.head_a, 4),
        (w.school_b, w.head_b, w.head_b, 5),
        (w.school_b, w.head_b, w.head_b, 3),
        (school_c, head_c, head_c, 7),
    ]
    dossiers, number = [], 0
    for unit, author, head, count in plan:
        names = [f"Tổ chuyên môn số {number + i + 1:02d} — {unit.code}" for i in range(count)]
        number += count
        dossiers.append(proposed(w, unit=unit, author=author, head=head, names=names))
    assert {d.state for d in dossiers} == {DossierState.IN_COUNCIL}
    nominees = list(Nominee.objects.filter(dossier__in=dossiers).order_by("dossier_id", "pk"))
    assert len(nominees) == 25

    meeting = schedule(w, dossiers)
    present, writers = w.members[:9], w.members[9:]
    conflicted = present[-1]
    # A member whose spouse leads the first collective does not vote on it.
    ms.recusal_declare(actor=conflicted, meeting=meeting, nominee=nominees[0], note="Vợ là tổ trưởng")
    # Two members who will be absent vote in writing before the meeting: agree on every nominee.
    for writer in writers:
        ms.written_vote_cast(
            actor=writer,
            meeting=meeting,
            votes={n.pk: {"choice": "agree", "comment": ""} for n in nominees},
        )
    open_with(w, meeting, present=present)

    top, tied, below = nominees[:18], nominees[18:21], nominees[21:]

    def cast(nominee, agree):
        voters = [m for m in present if not (nominee == nominees[0] and m == conflicted)]
        for i, member in enumerate(voters):
            choice = "agree" if i < agree else "disagree"
            ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice=choice)

    for n in top:
        cast(n, 9)  # 11 of 11, or 10 of the 10 who could vote on the first collective
    for n in tied:
        cast(n, 7)  # 9 of 11: three collectives equal for the last two places
    for n in below:
        cast(n, 5)  # 7 of 11: pass the majority, rank below the line

    assert council.meeting_close(actor=w.cchair, meeting=meeting, conclusion="Hội đồng bỏ phiếu lại.") == {}

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.TIED
    assert meeting.ties == [{"nominees": [n.pk for n in tied], "places": 2, "rule": "runoff"}]
    assert {Dossier.objects.get(pk=d.pk).state for d in dossiers} == {DossierState.IN_COUNCIL}
    assert not CouncilResult.objects.exists()
    items = {i.nominee_id: i for i in meeting.agenda.all()}
    assert (items[nominees[0].pk].votes_for, items[nominees[0].pk].recused) == (10, 1)
    assert {items[n.pk].rank for n in top} == {1}

    runoff = ms.meeting_runoff_start(actor=w.cchair, meeting=meeting)
    assert sorted(runoff.agenda.values_list("nominee_id", flat=True)) == [n.pk for n in tied]
    for n, agree in zip(tied, (3, 8, 7), strict=True):
        for i, member in enumerate(present):
            ms.ballot_cast(
                actor=member, meeting=runoff, nominee=n, choice="agree" if i < agree else "disagree"
            )
    results = council.meeting_close(actor=w.cchair, meeting=runoff, conclusion="Kết quả bỏ phiếu lại.")

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED and meeting.ties == []
    assert set(results) == {d.pk for d in dossiers}
    outcome = dict(meeting.agenda.values_list("nominee_id", "result"))
    passed = [n for n in nominees if outcome[n.pk] == AgendaResult.PASSED]
    over = [n for n in nominees if outcome[n.pk] == AgendaResult.OVER_QUOTA]
    assert (len(passed), len(over)) == (20, 5)
    assert over == [tied[0], *below]
    assert {Dossier.objects.get(pk=d.pk).state for d in dossiers} == {DossierState.COUNCIL_VOTED}
    final = dict(Nominee.objects.filter(dossier__in=dossiers).values_list("pk", "outcome"))
    assert [n for n in nominees if final[n.pk] == NomineeOutcome.VOTED_IN] == passed
    assert [n for n in nominees if final[n.pk] == NomineeOutcome.VOTED_OUT] == over
    assert CouncilResult.objects.filter(passed=True).count() == 20
    # The council's numbers that go on are the first round's, over all eleven members.
    first = CouncilResult.objects.get(nominee=tied[1])
    assert (first.votes_for, first.members_total, first.passed) == (9, 11, True)

    minutes = meeting_minutes(meeting)
    assert [r.round for r in minutes.runoffs] == [2]
    assert sorted(minutes.over_quota) == sorted(n.name for n in over)
    assert len(minutes.passed) == 20

    # The vice-chair's opinion on each dossier, then ONE decision for the whole campaign.
    for d in dossiers:
        workflow_services.opinion_give(actor=w.vice, dossier=d, text="Đồng ý với kết quả của Hội đồng.")
    decision = workflow_services.decision_issue(
        actor=w.chair,
        dossiers=dossiers,
        title="Về việc tặng Giấy khen cho các tập thể có thành tích trong phong trào thi đua",
    )
    assert {Dossier.objects.get(pk=d.pk).state for d in dossiers} == {DossierState.DECIDED}
    assert set(decision.dossiers.values_list("pk", flat=True)) == {d.pk for d in dossiers}
    awards = list(Award.objects.filter(decision=decision).select_related("nominee__award_type"))
    assert sorted(a.nominee_id for a in awards) == sorted(n.pk for n in passed)
    # Giấy khen for a collective: 0.6 × 2,340,000 = 1,404,000 → 1,410,000 đ (rounded up).
    assert {a.amount for a in awards} == {1_410_000}
    annex = decision_annex(awards)
    assert (annex["count"], annex["total"]) == (20, "28.200.000")
    assert [(s["number"], s["count"]) for s in annex["sections"]] == [("I", 20)]  # collectives only

    with django_capture_on_commit_callbacks(execute=True):
        document_services.certificate_batch_start(actor=w.chair, decision=decision)
    batch = CertificateBatch.objects.get(decision=decision)
    assert (batch.state, batch.done, batch.total) == (BatchState.DONE, 20, 20)
