"""The world of tests/conftest.py with everyone the workflow needs: the commune's council secretary
and vice-chair, and the province's standing body, council and chair (for forwarding). Helpers walk
a dossier along the real path, through workflows.services only."""

from types import SimpleNamespace

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals.models import PublicNotice
from dossiers import services as dossier_services
from dossiers.models import Dossier
from org.models import Role
from tests import factories as f
from tests import paper
from workflows import services as wf
from workflows.flows import DossierFlow
from workflows.models import DossierProcess


@pytest.fixture
def people(world):
    """Everyone, by name, for the role matrix and the walks."""
    w = world
    w.secretary = f.council_member(w.council, "secretary", username="secretary")
    w.vice_chair = f.council_member(w.council, "vice_chair", username="vice_chair")
    w.province_council = f.council_for(w.province)
    w.province_officer = f.user_with_role(Role.STANDING_OFFICER, w.province, username="province_officer")
    w.province_chair = f.user_with_role(Role.CHAIR, w.province, username="province_chair")
    w.province_secretary = f.council_member(w.province_council, "secretary", username="province_secretary")
    w.province_vice_chair = f.council_member(w.province_council, "vice_chair", username="province_vice_chair")
    return w


def fresh(dossier) -> Dossier:
    d = Dossier.objects.select_related("unit", "campaign", "reviewing_unit").get(pk=dossier.pk)
    d.nominee = getattr(dossier, "nominee", None)
    return d


def open_steps(dossier) -> list[tuple[str, str]]:
    """The dossier's open tasks as (step, status)."""
    return [
        (t.flow_task.name, t.status)
        for t in Task.objects.filter(
            process__dossierprocess__dossier=dossier, status__in=[STATUS.NEW, STATUS.ASSIGNED]
        ).order_by("pk")
    ]


def steps_done(dossier) -> list[str]:
    return [
        t.flow_task.name
        for t in Task.objects.filter(process__dossierprocess__dossier=dossier, status=STATUS.DONE).order_by(
            "pk"
        )
    ]


def attach_complete(w, dossier, nominee, award="giay-khen"):
    """Every document a Giấy khen (or the simplified Giấy khen) needs."""
    kinds = (
        ["to-trinh", "bao-cao-thanh-tich"]
        if award == "giay-khen-dot-xuat"
        else ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]
    )
    for code in kinds:
        dossier_services.attachment_add(
            actor=w.staff_a,
            dossier=dossier,
            kind=f.doc_kind(code),
            uploaded_file=f.pdf_upload(f"{code}.pdf"),
            nominee=nominee if code == "bao-cao-thanh-tich" else None,
        )


def new_dossier(w, award="giay-khen", kind="individual", unit=None, staff=None):
    """A complete draft of school A (or `unit`) with one nominee for `award`."""
    dossier = f.DossierFactory(unit=unit or w.school_a, campaign=w.campaign, created_by=staff or w.staff_a)
    nominee = f.NomineeFactory(dossier=dossier, award_type=f.award(award), kind=kind)
    attach_complete(w, dossier, nominee, award)
    dossier.nominee = nominee
    return dossier


def submitted(w, dossier):
    wf.dossier_submit(actor=w.head_a, dossier=dossier)
    return fresh(dossier)


def in_appraisal(w, dossier):
    submitted(w, dossier)
    wf.appraisal_receive(actor=w.officer, dossier=dossier)
    return fresh(dossier)


def in_council(w, dossier):
    in_appraisal(w, dossier)
    wf.appraisal_accept(actor=w.officer, dossier=dossier)
    return fresh(dossier)


def council_voted(w, dossier, votes_for=None):
    """Before the council, then voted on at a meeting the council held on paper (all its members
    present; every one of them for the nominee unless `votes_for` says how many)."""
    in_council(w, dossier)
    paper.handed_over(secretary=w.secretary, council=w.council, dossiers=[dossier], votes_for=votes_for)
    return fresh(dossier)


def awaiting_decision(w, dossier):
    council_voted(w, dossier)
    wf.opinion_give(actor=w.vice_chair, dossier=dossier, text="Đồng ý đề nghị của Hội đồng.")
    return fresh(dossier)


def returned(w, dossier):
    in_appraisal(w, dossier)
    wf.appraisal_return(actor=w.officer, dossier=dossier, items=["Bổ sung xác nhận sáng kiến"])
    return fresh(dossier)


def public_notice(w, dossier, days=5):
    """Accepted under a rule that asks for a public notice of `days` working days."""
    rule = dossier.nominee.award_type.rule_on(timezone.localdate())
    rule.public_notice_days = days
    rule.save(update_fields=["public_notice_days"])
    in_appraisal(w, dossier)
    wf.appraisal_accept(actor=w.officer, dossier=dossier)
    return fresh(dossier)


def notice_period_over(dossier):
    """The notice's period has run (as if its last day were yesterday)."""
    PublicNotice.objects.filter(dossier=dossier).update(
        ends_on=timezone.localdate() - timezone.timedelta(days=1)
    )


def parked(w, step, state, n, *, unit=None, owner=None, reviewing_unit=None):
    """`n` dossiers set straight at `step` of their process (an open task, as the flow leaves it),
    for tests that count queries over many rows; behaviour tests walk the real path instead."""
    now = timezone.now()
    made = []
    for _ in range(n):
        d = f.DossierFactory(
            unit=unit or w.school_a,
            campaign=w.campaign,
            created_by=w.staff_a,
            state=state,
            submitted_at=now,
            submission_count=1,
            rules_date=timezone.localdate(now),  # the date in Vietnam, not in UTC
            **({"reviewing_unit": reviewing_unit} if reviewing_unit else {}),
        )
        f.NomineeFactory.create_batch(2, dossier=d, outcome="voted_in")
        process = DossierProcess.objects.create(dossier=d, flow_class=DossierFlow)
        Task.objects.create(
            process=process,
            flow_task=step,
            flow_task_type="HUMAN",
            owner=owner,
            status=STATUS.ASSIGNED if owner else STATUS.NEW,
        )
        made.append(d)
    return made


WALKS = SimpleNamespace(
    submitted=submitted,
    in_appraisal=in_appraisal,
    in_council=in_council,
    council_voted=council_voted,
    awaiting_decision=awaiting_decision,
    returned=returned,
    public_notice=public_notice,
)
