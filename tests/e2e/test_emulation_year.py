"""A province's emulation year, end to end, through the real services: the commune's plan and a
school's registration of a teacher for Chiến sĩ thi đua cơ sở; her initiative reviewed by the
school's initiative council and recognised (Luật TĐKT 2022, Điều 23: the initiative stands for the
sáng kiến document); the submission check that refuses an unregistered nominee and passes the
registered one; the city's cluster scored and ranked; the decision issued, sent out by the records
clerk and charged to the award fund; and a proposal of state honours with its recorded result.

Each step asserts its outcome and the audit event it leaves. Runs on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from approvals.models import Award
from audit.models import AuditEvent
from clusters import services as clusters
from clusters.models import ClusterResult
from documents import services as documents
from documents import signing
from documents.models import GeneratedKind as K
from dossiers import services as dossier_services
from dossiers.history import award_history
from dossiers.models import AwardRecord, Dossier, DossierState
from emulation import services as emulation
from fund import selectors as fund_selectors
from fund import services as fund
from fund.models import Fund
from honours import services as honours
from honours.models import ProposalState
from initiatives import services as initiatives
from initiatives.models import InitiativeState
from org.models import Role
from tests import factories as f
from tests.clusters.builders import cluster_world, to_review
from tests.documents.conftest import _signing_keys, signing_keys_dir  # noqa: F401  (signing keys)
from tests.emulation.conftest import deadline, requirements  # noqa: F401  (the seeded requirements)
from tests.honours.builders import candidate, proposal, setup
from tests.initiatives.builders import initiative_world, passed
from tests.workflows.conftest import attach_complete, awaiting_decision, people  # noqa: F401
from workflows import services as wf

pytestmark = pytest.mark.django_db

BUDGET = 150_000_000
DOB = dt.date(1985, 4, 2)


@pytest.fixture
def ballot_keys(tmp_path, settings):
    settings.BALLOT_KEYS_DIR = str(tmp_path / "keys")


def last(action, **filters) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, **filters).order_by("-seq").first()


def cstd_dossier(w, name, *, sex, person=None):
    """A complete draft of school A proposing `name` for Chiến sĩ thi đua cơ sở."""
    dossier = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
    nominee = dossier_services.nominee_add(
        actor=w.staff_a,
        dossier=dossier,
        kind="individual",
        name=name,
        position="Giáo viên",
        achievements="Hoàn thành xuất sắc nhiệm vụ năm học; sáng kiến được công nhận cấp cơ sở.",
        award_type=f.award("chien-si-thi-dua-co-so"),
        sex=sex,
        date_of_birth=DOB,
        person=person,
    )
    attach_complete(w, dossier, nominee)
    dossier.nominee = nominee
    return dossier


def test_a_provinces_emulation_year(people, requirements, ballot_keys, signing_keys_dir):  # noqa: F811
    w = people
    cstd = f.award("chien-si-thi-dua-co-so")

    # 1. The standing body opens the plan; school A registers its teacher before the deadline.
    plan = emulation.plan_open(
        actor=w.officer,
        unit=w.commune,
        year=2026,
        title="Kế hoạch tổ chức phong trào thi đua năm 2026",
        registration_deadline=deadline(),
    )
    assert last("emulation_plan.open").object_id == str(plan.pk)
    ini = initiative_world(w)  # school A's initiative council, and Lê Thị Hoa's initiative submitted
    registration = emulation.registration_add(
        actor=w.staff_a,
        plan=plan,
        unit=w.school_a,
        award_type=cstd,
        kind="individual",
        name="Lê Thị Hoa",
        date_of_birth=DOB,
        position="Giáo viên",
    )
    event = last("emulation_registration.add")
    assert (event.actor, event.object_id, event.scope) == ("staff_a", str(registration.pk), w.school_a.path)

    # 2. Her initiative is reviewed by the council and recognised by the head's decision.
    assert last("initiative.submit").object_id == str(ini.initiative.pk)
    passed(ini)  # scheduled, voted on by the members present, closed
    assert last("initiative_meeting.close") is not None
    initiatives.initiative_recognise(
        actor=w.head_a,
        initiative=ini.initiative,
        decision_number="12/QĐ-THCSNL",
        decision_date=dt.date(2026, 3, 11),
        effect_scope="commune",
    )
    ini.initiative.refresh_from_db()
    assert ini.initiative.state == InitiativeState.RECOGNISED
    assert last("initiative.recognise").actor == "head_a"

    # 3. An unregistered nominee is refused at submission; the registered one goes through.
    unregistered = cstd_dossier(w, "Trần Văn Khoa", sex="male")
    with pytest.raises(ValidationError) as refused:
        wf.dossier_submit(actor=w.head_a, dossier=unregistered)
    assert any(
        "Trần Văn Khoa is not registered for “Chiến sĩ thi đua cơ sở”" in m for m in refused.value.messages
    )
    assert Dossier.objects.get(pk=unregistered.pk).state == DossierState.DRAFT
    assert not AuditEvent.objects.filter(action="dossier.submit", object_id=str(unregistered.pk)).exists()

    dossier = cstd_dossier(w, "Lê Thị Hoa", sex="female", person=ini.teacher)
    history = [e for e in award_history(dossier.nominee) if e.source == "initiative"]
    assert [(e.decision_number, e.year) for e in history] == [("12/QĐ-THCSNL", 2026)]
    assert "Ứng dụng bản đồ tư duy" in history[0].award_name
    # No sáng kiến file was attached: the recognised initiative stands for it.
    assert not any(a.kind.code == "sang-kien" for a in dossier.attachments.all())
    # Submitted, received and accepted by the standing body, voted on by the council, given the
    # vice-chair's opinion: on the chair's desk.
    ready = awaiting_decision(w, dossier)
    assert ready.state == DossierState.AWAITING_DECISION
    assert last("dossier.submit", object_id=str(dossier.pk)).actor == "head_a"
    assert last("dossier.accept", object_id=str(dossier.pk)).actor == "officer"

    # 4. The city's cluster: self-scored, cross-scored, reviewed and ranked, the commune first.
    cw = cluster_world(w, members=3)
    to_review(cw, lambda scorer, scored, c: c.max_points - cw.units.index(scored))
    clusters.reviewed_scores_set(
        actor=cw.officer,
        term=cw.term,
        unit=cw.units[2],
        scores=[{"criterion": cw.criteria[0], "points": 49, "reason": "Bổ sung kết quả thu ngân sách"}],
    )
    assert last("cluster.review_score") is not None
    clusters.term_close(actor=cw.officer, term=cw.term)
    first = ClusterResult.objects.filter(term=cw.term).order_by("rank").first()
    assert (first.unit, first.rank) == (w.commune, 1)
    assert last("cluster.close").data["ranking"][0]["unit_id"] == w.commune.pk

    # 5. The decision: issued by the chair through the workflow, sent out by the records clerk,
    # charged to the commune's award fund.
    leader = f.user_with_role(Role.STANDING_LEADER, w.commune, username="leader")
    clerk = f.user_with_role(Role.RECORDS_CLERK, w.commune, username="clerk")
    fund.fund_open(actor=leader, unit=w.commune, year=2026, budget=BUDGET)
    signing.issue_agency_key(signing_keys_dir, unit=w.commune, secret=signing.DEMO_PASSPHRASE.encode())
    decision = wf.decision_issue(actor=w.chair, dossiers=[ready], title="Về việc công nhận danh hiệu")
    assert last("decision.issue").actor == "chair"
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.DECIDED
    cash = sum(Award.objects.filter(decision=decision).values_list("amount", flat=True))
    assert cash > 0
    document = documents.document_render(actor=w.officer, kind=K.DECISION, subject=decision)
    document = documents.document_sign(actor=w.chair, document=document)
    documents.document_issue(actor=clerk, document=document)
    assert last("document.issue").actor == "clerk"
    the_fund = Fund.objects.get(unit=w.commune, year=2026)
    assert fund.balance_of(the_fund) == BUDGET - cash
    assert fund_selectors.decision_fund(decision)["charge"].amount == cash
    charge = last("fund.charge")
    assert (charge.data["amount"], charge.data["balance"]) == (cash, BUDGET - cash)

    # 6. A state honour: the province's dossier proposed, submitted by its chair, its result recorded.
    setup(w)
    d = candidate(w)
    p = proposal(w)
    entry = honours.proposal_nominee_add(actor=w.province_officer, proposal=p, nominee=d.nominee)
    assert last("honours.nominee_add").data["nominee_id"] == d.nominee.pk
    honours.proposal_submit(actor=w.province_chair, proposal=p, dispatch_date=dt.date(2026, 3, 2))
    assert last("honours.proposal_submit").actor == "province_chair"
    honours.result_record(
        actor=w.province_officer,
        entry=entry,
        awarded=True,
        decision_number="1234/QĐ-TTg",
        decision_date=dt.date(2026, 3, 9),
        issuer="Thủ tướng Chính phủ",
    )
    p.refresh_from_db()
    assert p.state == ProposalState.RESULTS_RECORDED
    assert last("honours.result_record").actor == "province_officer"
    record = AwardRecord.objects.get(decision_number="1234/QĐ-TTg")
    assert (record.name, record.award_type.code, record.unit) == (
        "Nguyễn Thị Minh",
        "bang-khen-thu-tuong",
        w.department,
    )
