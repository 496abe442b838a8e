"""Every service writes its audit event (DESIGN.md, "Audit trail": every state change, vote
participation, permission change, file, document and signature is one event).

The services are found, not listed: every public function of every `services.py` or
`*_services.py` module of the project's apps whose parameters are all keyword-only and include
`actor` (STYLE.md: `<entity>_<action>(*, actor, …)`). Each needs an entry in EXERCISES, which
brings the world to where the service may run and calls it once through `service`; the walk
checks that this one call appended at least one event, in a unit's scope, with the actor's roles.

A new service with no entry fails `test_every_service_has_an_exercise`, naming it. To add one:
write `def exercise(w, service)` below (w: the `world` of tests/conftest.py, with the helpers of
`Walk`) and register it under "app.module.function".
"""

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from audit.models import AuditEvent
from dossiers.models import AwardRule
from org.models import Role, RoleAssignment, User
from tests import factories as f
from tests import paper
from tests.clusters.builders import AUDIT_EXERCISES as CLUSTER_EXERCISES
from tests.contests.results.exercises import AUDIT_EXERCISES as CONTEST_RESULTS_EXERCISES
from tests.contests.rounds.builders import AUDIT_EXERCISES as CONTEST_ROUND_EXERCISES
from tests.emulation.builders import AUDIT_EXERCISES as EMULATION_EXERCISES
from tests.honours.builders import AUDIT_EXERCISES as HONOURS_EXERCISES
from tests.initiatives.builders import AUDIT_EXERCISES as INITIATIVE_EXERCISES

pytestmark = pytest.mark.django_db

# Events that belong to no unit on purpose.
UNSCOPED = {"audit.services.checkpoint_create", "audit.services.record"}
# Rules, the base salary, the holidays and the admin's generic writes about a row of no unit (an
# award type, a group of permissions) are everyone's: no unit's scope.
UNSCOPED |= {
    "dossiers.services.base_salary_set",
    "dossiers.services.rule_publish",
    "org.services.holiday_add",
    "org.services.holiday_change",
    "org.services.holiday_remove",
    "org.services.row_delete",
    "org.services.row_relations_set",
    "org.services.row_save",
}


def discover_services() -> dict[str, object]:
    found = {}
    root = str(settings.BASE_DIR)
    for app in apps.get_app_configs():
        if not app.path.startswith(root) or "site-packages" in app.path:
            continue
        for info in pkgutil.iter_modules([app.path]):
            # approvals.paper_meetings is a module of services too (a meeting held on paper).
            if info.name not in ("services", "paper_meetings") and not info.name.endswith("_services"):
                continue
            module = importlib.import_module(f"{app.name}.{info.name}")
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ != module.__name__ or name.startswith("_"):
                    continue
                parameters = inspect.signature(function).parameters
                keyword_only = all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in parameters.values())
                if parameters and keyword_only and "actor" in parameters:
                    found[f"{module.__name__}.{name}"] = function
    return found


# --- the world each service needs -------------------------------------------------------------


def _nominees_xlsx():
    from tests.excel.helpers import row, upload, workbook

    return upload(workbook([row()]))


def _revoke_token(w, service):
    from org.services import api_token_issue

    api_token_issue(actor=w.head_a)
    return service(actor=w.head_a, user=w.head_a)


def _unlock(w, service):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="head_a",
        ip_address="203.0.113.5",
        user_agent="",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    return service(actor=people(w).admin, username="head_a")


def _contests():
    from tests.contests.setup import helpers

    return helpers


def people(w):
    """The world of tests/conftest.py, plus council officers here and a province above."""
    if not hasattr(w, "secretary"):
        w.secretary = f.council_member(w.council, "secretary", username="secretary")
        w.vice_chair = f.council_member(w.council, "vice_chair", username="vice_chair")
        w.province_council = f.council_for(w.province)
        w.province_officer = f.user_with_role(Role.STANDING_OFFICER, w.province, username="province_officer")
        w.province_chair = f.user_with_role(Role.CHAIR, w.province, username="province_chair")
        w.admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    return w


def complete_draft(w, award="giay-khen"):
    from tests.workflows.conftest import new_dossier

    return new_dossier(people(w), award=award)


def initiative(w):
    """An initiative (sáng kiến) proposed in a draft of the unit."""
    draft = complete_draft(w)
    draft.nominee.kind = "initiative"
    draft.nominee.save(update_fields=["kind"])
    return draft.nominee


def by_services(w):
    """A dossier submitted through dossiers.services (no workflow process), then received."""
    from approvals import services as approvals
    from dossiers import services as dossier_services

    dossier = complete_draft(w)
    dossier_services.dossier_submit(actor=w.head_a, dossier=dossier)
    approvals.appraisal_receive(actor=w.officer, dossier=dossier)
    return dossier


def accepted(w, notice_days=0):
    from approvals import services as approvals

    dossier = by_services(w)
    # The rule in force asks for a notice (data set as a fixture: a pinned rule is never saved).
    rule = dossier.nominee.award_type.rule_on(timezone.localdate())
    AwardRule.objects.filter(pk=rule.pk).update(public_notice_days=notice_days)
    approvals.appraisal_accept(actor=w.officer, dossier=dossier)
    return dossier


def voted(w):
    from approvals import services as approvals

    dossier = accepted(w)
    meeting = paper.record(secretary=w.secretary, council=w.council, dossiers=[dossier])
    approvals.council_result_record(actor=w.secretary, dossier=dossier, meeting=meeting)
    return dossier


def awaiting(w):
    from approvals import services as approvals

    dossier = voted(w)
    approvals.opinion_give(actor=w.vice_chair, dossier=dossier, text="Đồng ý.")
    return dossier


def decided(w):
    from approvals import services as approvals

    return approvals.decision_issue(actor=w.chair, dossiers=[awaiting(w)], title="Về việc tặng Giấy khen")


def council_world(w):
    """A nine-member council and a dossier before it (tests/council/conftest.py)."""
    from tests.council.conftest import in_council

    if not hasattr(w, "cchair"):
        council = w.council
        w.cchair = f.council_member(council, "chair", username="cchair")
        w.vice = f.council_member(council, "vice_chair", username="vice")
        if not hasattr(w, "secretary"):
            w.secretary = f.council_member(council, "secretary", username="secretary")
        w.others = [f.council_member(council, "member", username=f"m{i}") for i in range(1, 6)]
        w.members = [w.cchair, w.vice, w.secretary, w.member, *w.others]
    return w, in_council(w, nominees=1)


def meeting(w):
    from tests.council.conftest import schedule

    w, dossier = council_world(w)
    return w, dossier, schedule(w, [dossier])


def voting(w):
    from tests.council.conftest import open_with

    w, dossier, planned = meeting(w)
    return w, dossier, open_with(w, planned)


def signing_keys(w):
    from documents import signing

    directory = Path(settings.MEDIA_ROOT) / "signing-keys"
    for username, name in (("chair", "Chủ tịch"), ("head_a", "Hiệu trưởng")):
        signing.issue_user_key(
            directory,
            username=username,
            full_name=name,
            organisation="Phường Long Biên",
            secret=signing.DEMO_PASSPHRASE.encode(),
        )
    settings.SIGNING_KEYS_DIR = directory
    settings.SIGNING_KEY_PASSPHRASE = signing.DEMO_PASSPHRASE
    settings.SIGNING_TRUST_ROOTS = None
    settings.PUBLIC_BASE_URL = "https://tdkt.example.vn"


def flow(w, to):
    """A dossier walked along the real workflow (tests/workflows/conftest.py) up to `to`."""
    from tests.workflows import conftest as walk

    people(w)
    dossier = walk.new_dossier(w)
    return dossier if to is None else getattr(walk, to)(w, dossier)


# --- one exercise per service -----------------------------------------------------------------


def _org(w, service):
    people(w)
    return w


EXERCISES = {
    # audit
    "audit.services.record": lambda w, service: _atomic(
        lambda: service(actor="system", action="x.test", object_type="x", object_id=1)
    ),
    "audit.services.checkpoint_create": lambda w, service: _checkpoint(w, service),
    # org
    "org.services.role_assign": lambda w, service: service(
        actor=people(w).admin, user=f.UserFactory(), role=Role.UNIT_STAFF, unit=w.school_b
    ),
    "org.services.role_end": lambda w, service: service(
        actor=people(w).admin, assignment=RoleAssignment.objects.get(user=w.staff_a)
    ),
    "org.services.council_member_add": lambda w, service: service(
        actor=people(w).admin, council=w.council, user=f.UserFactory(), council_role="member"
    ),
    "org.services.user_create": lambda w, service: service(
        actor=people(w).admin, user=User(username="created", unit=w.school_b)
    ),
    "org.services.user_update": lambda w, service: service(
        actor=people(w).admin, user=_changed(User.objects.get(pk=w.staff_a.pk), is_staff=True)
    ),
    "org.services.unit_move": lambda w, service: service(
        actor=people(w).admin, unit=w.school_b, new_parent=w.province
    ),
    "org.services.unit_merge": lambda w, service: service(
        actor=people(w).admin, sources=[w.school_b], into=w.school_a, on_date=w.today, legal_basis="NQ 1656"
    ),
    "org.services.unit_split": lambda w, service: service(
        actor=people(w).admin,
        source=w.school_b,
        into=[w.school_a, w.office],
        on_date=w.today,
        legal_basis="NQ 1656",
    ),
    "org.services.api_token_issue": lambda w, service: service(actor=w.head_a),
    "org.services.api_token_revoke": lambda w, service: _revoke_token(w, service),
    "org.services.signin_unlock": lambda w, service: _unlock(w, service),
    # org: the admin's writes
    "org.services.row_save": lambda w, service: service(
        actor=people(w).admin, obj=_changed(f.award("giay-khen"), name="Giấy khen của Chủ tịch UBND")
    ),
    "org.services.row_delete": lambda w, service: service(actor=people(w).admin, obj=_award_type()),
    "org.services.row_relations_set": lambda w, service: service(
        actor=people(w).admin, obj=_group(), relations={"permissions": _permissions("view_dossier")}
    ),
    "org.register_services.register_record_outside": lambda w, service: service(
        actor=f.user_with_role(Role.RECORDS_CLERK, w.commune, username="vanthu"),
        unit=w.commune,
        year=2026,
        number=3,
        symbol="CV-UBND",
        issued_on=dt.date(2026, 3, 2),
        subject="Về việc tổng kết phong trào thi đua năm 2025",
    ),
    "org.services.holiday_add": lambda w, service: service(
        actor=people(w).admin, date=dt.date(2026, 6, 12), name="Nghỉ bù"
    ),
    "org.services.holiday_change": lambda w, service: service(
        actor=people(w).admin, holiday=_holiday(), date=dt.date(2026, 6, 19), name="Nghỉ bù"
    ),
    "org.services.holiday_remove": lambda w, service: service(actor=people(w).admin, holiday=_holiday()),
    # dossiers
    "dossiers.services.rule_publish": lambda w, service: service(
        actor=people(w).admin,
        award_type=f.award("giay-khen"),
        valid_from=timezone.localdate() + dt.timedelta(days=30),
        legal_basis="Nghị định mới",
    ),
    "dossiers.services.base_salary_set": lambda w, service: service(
        actor=people(w).admin,
        amount=2_530_000,
        valid_from=timezone.localdate() + dt.timedelta(days=30),
        legal_basis="Nghị định mới",
    ),
    "dossiers.services.dossier_create": lambda w, service: service(
        actor=w.staff_a, unit=w.school_a, campaign=w.campaign, title="Hồ sơ mới"
    ),
    "dossiers.services.dossier_update": lambda w, service: service(
        actor=w.staff_a, dossier=complete_draft(w), title="Tên mới"
    ),
    "dossiers.services.nominee_add": lambda w, service: service(
        actor=w.staff_a,
        dossier=complete_draft(w),
        kind="individual",
        sex="female",
        name="Phạm Thu Hà",
        award_type=f.award("giay-khen"),
        achievements="Hoàn thành xuất sắc nhiệm vụ.",
    ),
    "dossiers.services.nominee_update": lambda w, service: service(
        actor=w.staff_a, nominee=complete_draft(w).nominee, position="Tổ trưởng"
    ),
    "dossiers.services.nominee_remove": lambda w, service: service(
        actor=w.staff_a, nominee=complete_draft(w).nominee
    ),
    "dossiers.services.nominee_author_add": lambda w, service: service(
        actor=w.staff_a, nominee=initiative(w), name="Phạm Thu Hà", share_percent=60
    ),
    "dossiers.services.nominee_author_remove": lambda w, service: service(
        actor=w.staff_a, author=initiative(w).authors.create(name="Phạm Thu Hà")
    ),
    "dossiers.import_services.nominees_import": lambda w, service: service(
        actor=w.staff_a, dossier=complete_draft(w), uploaded_file=_nominees_xlsx()
    ),
    "dossiers.services.attachment_add": lambda w, service: service(
        actor=w.staff_a, dossier=complete_draft(w), kind=f.doc_kind("to-trinh"), uploaded_file=f.pdf_upload()
    ),
    "dossiers.services.dossier_submit": lambda w, service: service(actor=w.head_a, dossier=complete_draft(w)),
    "dossiers.services.dossier_withdraw": lambda w, service: service(
        actor=w.head_a, dossier=complete_draft(w), reason="Nộp nhầm đợt"
    ),
    # approvals: the steps, called directly (no workflow process)
    "approvals.services.appraisal_receive": lambda w, service: service(
        actor=w.officer, dossier=_submitted(w)
    ),
    "approvals.services.appraisal_return": lambda w, service: service(
        actor=w.officer, dossier=by_services(w), items=["Bổ sung biên bản"]
    ),
    "approvals.services.appraisal_reject": lambda w, service: service(
        actor=w.officer, dossier=by_services(w), reasons="Không thuộc đối tượng"
    ),
    "approvals.services.appraisal_accept": lambda w, service: service(
        actor=w.officer, dossier=by_services(w)
    ),
    "approvals.services.objection_lodge": lambda w, service: service(
        actor=w.staff_a, dossier=accepted(w, notice_days=5), text="Thành tích chưa đúng"
    ),
    "approvals.notice_services.objection_lodge_public": lambda w, service: service(
        notice=_open_notice(w), name="Lý Thị Mai", contact="0912 345 678", text="Thành tích chưa đúng"
    ),
    "approvals.services.objection_resolve": lambda w, service: service(
        actor=w.officer, objection=_objection(w), resolution="Đã xác minh"
    ),
    "approvals.services.notice_close": lambda w, service: service(actor=w.officer, dossier=_notice_over(w)),
    "approvals.services.council_result_record": lambda w, service: _with(
        accepted(w),
        lambda d: service(
            actor=w.secretary,
            dossier=d,
            meeting=paper.record(secretary=w.secretary, council=w.council, dossiers=[d]),
        ),
    ),
    "approvals.paper_meetings.paper_meeting_record": lambda w, service: _with(
        accepted(w),
        lambda d: paper.record(secretary=w.secretary, council=w.council, dossiers=[d], service=service),
    ),
    "approvals.services.opinion_give": lambda w, service: _with(
        voted(w), lambda d: service(actor=w.vice_chair, dossier=d, text="Đồng ý đề nghị của Hội đồng.")
    ),
    "approvals.services.decision_issue": lambda w, service: service(
        actor=w.chair, dossiers=[awaiting(w)], title="Về việc tặng Giấy khen"
    ),
    "approvals.services.decision_draft_prepare": lambda w, service: service(
        actor=people(w).officer, dossiers=[awaiting(w)], title="Về việc tặng Giấy khen"
    ),
    "approvals.services.dossier_forward": lambda w, service: service(
        actor=w.chair, dossiers=[awaiting(w)], title="Đề nghị UBND Thành phố tặng Bằng khen"
    ),
    "approvals.services.dossier_decline": lambda w, service: service(
        actor=w.chair, dossier=awaiting(w), reason="Chưa đủ tiêu chuẩn"
    ),
    "approvals.services.decision_revoke": lambda w, service: service(
        actor=w.chair, awards=list(decided(w).awards.all()), reason="Hồ sơ khai man"
    ),
    # approvals: the council's meeting
    "approvals.meeting_services.meeting_schedule": lambda w, service: _schedule(w, service),
    "approvals.meeting_services.meeting_cancel": lambda w, service: _with(
        meeting(w), lambda m: service(actor=m[0].secretary, meeting=m[2], reason="Hoãn họp")
    ),
    "approvals.meeting_services.meeting_attendance_record": lambda w, service: _with(
        meeting(w), lambda m: service(actor=m[0].secretary, meeting=m[2], present=m[0].members)
    ),
    "approvals.meeting_services.meeting_open_voting": lambda w, service: _open_voting(w, service),
    "approvals.meeting_services.ballot_cast": lambda w, service: _with(
        voting(w),
        lambda m: service(actor=m[0].member, meeting=m[2], nominee=m[1].agenda_nominees[0], choice="agree"),
    ),
    "approvals.meeting_services.written_vote_cast": lambda w, service: _with(
        meeting(w),
        lambda m: service(
            actor=m[0].others[0],
            meeting=m[2],
            votes={n.pk: {"choice": "agree", "comment": ""} for n in m[1].agenda_nominees},
        ),
    ),
    "approvals.meeting_services.recusal_declare": lambda w, service: _with(
        voting(w),
        lambda m: service(actor=m[0].vice, meeting=m[2], nominee=m[1].agenda_nominees[0], note="Người thân"),
    ),
    "approvals.meeting_services.meeting_close": lambda w, service: _close(w, service),
    "approvals.meeting_services.meeting_quota_apply": lambda w, service: _quota_apply(w, service),
    "approvals.meeting_services.meeting_runoff_start": lambda w, service: _with(
        _tied(w), lambda m: service(actor=m[0].cchair, meeting=m[2])
    ),
    "approvals.meeting_services.meeting_tie_decide": lambda w, service: _with(
        _tied(w, rule="chair"),
        lambda m: service(
            actor=m[0].cchair, meeting=m[2], chosen=[m[1].agenda_nominees[0]], reason="Thành tích nổi bật hơn"
        ),
    ),
    "approvals.meeting_services.attendance_leave": lambda w, service: _with(
        voting(w), lambda m: service(actor=m[0].secretary, meeting=m[2], member=m[0].others[0])
    ),
    # documents
    "documents.services.document_render": lambda w, service: _render(w, service),
    "documents.services.document_sign": lambda w, service: _sign(w, service),
    "documents.services.document_issue": lambda w, service: _issue(w, service),
    # fund: the award fund's ledger
    "fund.services.fund_open": lambda w, service: service(
        actor=w.chair, unit=w.commune, year=2026, budget=150_000_000
    ),
    "fund.services.fund_addition_record": lambda w, service: service(
        actor=w.chair, fund=_fund(w), amount=20_000_000, note="Bổ sung dự toán"
    ),
    "fund.services.fund_correction_record": lambda w, service: service(
        actor=_fund_leader(w), fund=_fund(w), amount=1_000_000, increases=False, reason="Ghi trùng"
    ),
    "fund.services.decision_charge": lambda w, service: service(
        actor=w.chair, decision=decided(people(w)), amount=6_000_000
    ),
    "fund.services.revocation_return": lambda w, service: _fund_return(w, service),
    "fund.services.fund_payment_record": lambda w, service: _fund_payment(w, service),
    "fund.services.decision_overdraw_acknowledge": lambda w, service: _fund_overdraw(w, service),
    "documents.services.signature_image_set": lambda w, service: _signature_image(w, service),
    "documents.services.certificate_batch_start": lambda w, service: _with(
        decided(people(w)), lambda d: service(actor=w.chair, decision=d)
    ),
    # workflows: the same steps through the process (viewflow tasks)
    "workflows.services.dossier_submit": lambda w, service: service(actor=w.head_a, dossier=flow(w, None)),
    "workflows.services.dossier_withdraw": lambda w, service: service(
        actor=w.head_a, dossier=flow(w, "submitted"), reason="Nộp nhầm đợt"
    ),
    "workflows.services.task_claim": lambda w, service: _claim(w, service),
    "workflows.services.appraisal_receive": lambda w, service: service(
        actor=w.officer, dossier=flow(w, "submitted")
    ),
    "workflows.services.appraisal_accept": lambda w, service: service(
        actor=w.officer, dossier=flow(w, "in_appraisal")
    ),
    "workflows.services.appraisal_return": lambda w, service: service(
        actor=w.officer, dossier=flow(w, "in_appraisal"), items=["Bổ sung biên bản"]
    ),
    "workflows.services.appraisal_reject": lambda w, service: service(
        actor=w.officer, dossier=flow(w, "in_appraisal"), reasons="Không thuộc đối tượng"
    ),
    "workflows.services.notice_close": lambda w, service: _flow_notice_over(w, service),
    "workflows.services.council_result_record": lambda w, service: _with(
        flow(w, "in_council"),
        lambda d: service(
            actor=w.secretary,
            dossier=d,
            meeting=paper.record(secretary=w.secretary, council=w.council, dossiers=[d]),
        ),
    ),
    "workflows.services.opinion_give": lambda w, service: _with(
        flow(w, "council_voted"), lambda d: service(actor=w.vice_chair, dossier=d, text="Đồng ý.")
    ),
    "workflows.services.decision_issue": lambda w, service: service(
        actor=w.chair, dossiers=[flow(w, "awaiting_decision")], title="Về việc tặng Giấy khen"
    ),
    "workflows.services.dossier_forward": lambda w, service: service(
        actor=w.chair, dossiers=[flow(w, "awaiting_decision")], title="Đề nghị cấp trên"
    ),
    "workflows.services.dossier_decline": lambda w, service: service(
        actor=w.chair, dossier=flow(w, "awaiting_decision"), reason="Chưa đủ tiêu chuẩn"
    ),
    "workflows.services.dossier_assign": lambda w, service: service(
        actor=_leader(w), dossier=flow(w, "in_appraisal"), assignee=w.officer
    ),
    "approvals.assignment_services.dossier_assign": lambda w, service: service(
        actor=_leader(w), dossier=flow(w, "submitted"), assignee=w.officer
    ),
    "dossiers.history_services.award_record_add": lambda w, service: _record_award(w, service),
    "dossiers.history_services.award_record_correct": lambda w, service: service(
        actor=w.officer, record=_record_award(w), reason="Sai số quyết định.", decision_number="13/QĐ-UBND"
    ),
    "dossiers.history_services.award_record_void": lambda w, service: service(
        actor=w.officer, record=_record_award(w), reason="Nhập nhầm."
    ),
    "dossiers.history_services.eligibility_override_record": lambda w, service: _override(w, service),
    # contests: the set-up and the entries (tests/contests/setup/helpers.py builds the contest)
    "contests.services.contest_create": lambda w, service: service(
        actor=w.officer, organizer=w.commune, **_contests().contest_values()
    ),
    "contests.services.contest_update": lambda w, service: service(
        actor=w.officer, contest=_contests().draft_contest(w), finalists=8
    ),
    "contests.services.contest_open": lambda w, service: service(
        actor=w.officer, contest=_contests().ready_contest(w)
    ),
    "contests.services.criterion_add": lambda w, service: service(
        actor=w.officer, contest=_contests().draft_contest(w), round="appraisal", name="Tính mới", weight=50
    ),
    "contests.services.criterion_update": lambda w, service: service(
        actor=w.officer, criterion=_contests().ready_contest(w).criteria.first(), weight=30
    ),
    "contests.services.criterion_remove": lambda w, service: service(
        actor=w.officer, criterion=_contests().ready_contest(w).criteria.first()
    ),
    "contests.services.prize_add": lambda w, service: service(
        actor=w.officer,
        contest=_contests().draft_contest(w),
        entrant_kind="collective",
        name="Giải nhất",
        count=1,
        amount=10_000_000,
    ),
    "contests.services.prize_update": lambda w, service: service(
        actor=w.officer, prize=_contests().ready_contest(w).prizes.last(), count=3
    ),
    "contests.services.prize_remove": lambda w, service: service(
        actor=w.officer, prize=_contests().ready_contest(w).prizes.last()
    ),
    "contests.services.juror_add": lambda w, service: service(
        actor=w.officer, contest=_contests().draft_contest(w), user=f.UserFactory(), role="chair"
    ),
    "contests.services.juror_remove": lambda w, service: service(
        actor=w.officer, juror=_contests().ready_contest(w).jurors.last()
    ),
    "contests.services.conflict_declare": lambda w, service: _with(
        _contests().open_contest(w),
        lambda c: service(
            actor=w.officer, juror=c.jurors.first(), entry=_contests().sent_entry(w, c), reason="Cùng đơn vị"
        ),
    ),
    "contests.services.entry_create": lambda w, service: service(
        actor=w.staff_a, contest=_contests().open_contest(w), unit=w.school_a, **_contests().entry_values()
    ),
    "contests.services.entry_update": lambda w, service: service(
        actor=w.staff_a, entry=_contests().drafted_entry(w, _contests().open_contest(w)), title="Tên mới"
    ),
    "contests.services.entry_file_add": lambda w, service: service(
        actor=w.staff_a,
        entry=_contests().drafted_entry(w, _contests().open_contest(w), with_file=False),
        uploaded_file=f.pdf_upload("thuyet-minh.pdf"),
    ),
    "contests.services.entry_file_remove": lambda w, service: service(
        actor=w.staff_a, entry_file=_contests().drafted_entry(w, _contests().open_contest(w)).files.get()
    ),
    "contests.services.entry_send": lambda w, service: service(
        actor=w.head_a, entry=_contests().drafted_entry(w, _contests().open_contest(w))
    ),
    "contests.services.entry_withdraw": lambda w, service: service(
        actor=w.head_a, entry=_contests().sent_entry(w, _contests().open_contest(w))
    ),
    "contests.services.entry_refuse": lambda w, service: service(
        actor=w.officer, entry=_contests().sent_entry(w, _contests().open_contest(w)), reason="Trùng sản phẩm"
    ),
    **CONTEST_RESULTS_EXERCISES,
    **CONTEST_ROUND_EXERCISES,
    **CLUSTER_EXERCISES,
    **INITIATIVE_EXERCISES,
    **EMULATION_EXERCISES,
    **HONOURS_EXERCISES,
}


def _record_award(w, service=None):
    """An award decided on paper, recorded by the standing body (dossiers.history_services)."""
    from dossiers import history_services

    return (service or history_services.award_record_add)(
        actor=w.officer,
        kind="individual",
        unit=w.school_a,
        name="Phạm Thị Mai",
        award_type=f.award("lao-dong-tien-tien"),
        year=2024,
        decision_number="12/QĐ-UBND",
        decision_date=dt.date(2024, 12, 1),
        issuer="Chủ tịch Ủy ban nhân dân phường Long Biên",
    )


def _override(w, service):
    """A draft proposing the provincial title with no history: the standing body overrides."""
    from dossiers.models import EligibilityCondition

    dossier = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
    nominee = f.NomineeFactory(dossier=dossier, award_type=f.award("chien-si-thi-dua-cap-tinh"))
    condition = EligibilityCondition.objects.get(rule=nominee.award_type.rule_on(w.today))
    return service(actor=w.officer, nominee=nominee, condition=condition, reason="Đã xác minh hồ sơ giấy.")


def _with(value, call):
    return call(value)


def _atomic(call):
    from django.db import transaction

    with transaction.atomic():
        return call()


def _award_type():
    from dossiers.models import AwardType

    return AwardType.objects.create(code="thu", name="Hình thức thử")


def _group():
    from django.contrib.auth.models import Group

    return Group.objects.create(name="Nhóm thử")


def _permissions(*codenames):
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(codename__in=codenames))


def _holiday():
    from org.models import Holiday

    return Holiday.objects.create(date=dt.date(2026, 6, 12), name="Nghỉ bù")


def _changed(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    return user


def _checkpoint(w, service):
    from audit import checkpoints

    key = checkpoints.generate_key(Path(settings.MEDIA_ROOT) / "checkpoint.pem")
    return service(actor="system", key=key, directory=Path(settings.MEDIA_ROOT) / "checkpoints")


def _leader(w):
    """The commune's standing body leader (who assigns its dossiers)."""
    return f.user_with_role(Role.STANDING_LEADER, w.commune, username="lanhdao")


def _submitted(w):
    from dossiers import services as dossier_services

    dossier = complete_draft(w)
    dossier_services.dossier_submit(actor=w.head_a, dossier=dossier)
    return dossier


def _objection(w):
    from approvals import services as approvals

    return approvals.objection_lodge(actor=w.staff_a, dossier=accepted(w, notice_days=5), text="Chưa đúng")


def _open_notice(w):
    from approvals.models import PublicNotice

    return PublicNotice.objects.get(dossier=accepted(w, notice_days=5))


def _notice_over(w):
    from approvals.models import PublicNotice

    dossier = accepted(w, notice_days=5)
    PublicNotice.objects.filter(dossier=dossier).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    return dossier


def _flow_notice_over(w, service):
    from tests.workflows import conftest as walk

    people(w)
    dossier = walk.public_notice(w, walk.new_dossier(w))
    walk.notice_period_over(dossier)
    return service(actor=w.officer, dossier=dossier)


def _claim(w, service):
    from workflows.flows import DossierFlow
    from workflows.services import open_task

    dossier = flow(w, "submitted")
    return service(actor=w.officer, task=open_task(dossier, DossierFlow.appraise))


def _schedule(w, service):
    from tests.council.conftest import in_council

    w, _ = council_world(w)
    return service(
        actor=w.secretary,
        council=w.council,
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
        place="Hội trường",
        chairperson=w.cchair,
        secretary=w.secretary,
        dossiers=[in_council(w)],
    )


def _open_voting(w, service):
    from approvals import meeting_services as ms

    w, _, planned = meeting(w)
    ms.meeting_attendance_record(actor=w.secretary, meeting=planned, present=w.members)
    return service(actor=w.secretary, meeting=planned)


def _close(w, service):
    from approvals import meeting_services as ms

    w, dossier, open_meeting = voting(w)
    for member in w.members:
        ms.ballot_cast(actor=member, meeting=open_meeting, nominee=dossier.agenda_nominees[0], choice="agree")
    return service(actor=w.cchair, meeting=open_meeting)


def _quota_apply(w, service):
    """A quota of no individual: the nominee passes the threshold but is over the quota."""
    from approvals import meeting_services as ms
    from approvals import services as approvals
    from tests.council.conftest import open_with, schedule

    w, dossier = council_world(w)
    f.quota(w.campaign, 0, nominee_kind="individual")
    open_meeting = open_with(w, schedule(w, [dossier]))
    for member in w.members:
        ms.ballot_cast(actor=member, meeting=open_meeting, nominee=dossier.agenda_nominees[0], choice="agree")
    ms.meeting_close(actor=w.cchair, meeting=open_meeting)
    approvals.council_result_record(actor=w.secretary, dossier=dossier, meeting=open_meeting)
    return service(actor=w.cchair, meeting=open_meeting)


def _tied(w, rule="runoff"):
    """Two nominees equal for the one place of a quota: the meeting waits for the tie's resolution."""
    from approvals import meeting_services as ms
    from dossiers.models import Campaign
    from tests.council.conftest import in_council, open_with, schedule

    w, _first = council_world(w)
    Campaign.objects.filter(pk=w.campaign.pk).update(tie_rule=rule)
    f.quota(w.campaign, 1, nominee_kind="individual")
    dossier = in_council(w, nominees=2)
    open_meeting = open_with(w, schedule(w, [dossier]))
    for nominee in dossier.agenda_nominees:
        for member in w.members:
            ms.ballot_cast(actor=member, meeting=open_meeting, nominee=nominee, choice="agree")
    ms.meeting_close(actor=w.cchair, meeting=open_meeting)
    return w, dossier, open_meeting


def _render(w, service):
    from documents.models import GeneratedKind

    signing_keys(w)
    return service(actor=w.chair, kind=GeneratedKind.DECISION, subject=decided(people(w)))


def _sign(w, service):
    from documents import services as documents
    from documents.models import GeneratedKind

    signing_keys(w)
    people(w)
    w.commune.place_name = w.school_a.place_name = "Long Biên"
    w.commune.save()
    document = documents.document_render(actor=w.chair, kind=GeneratedKind.DECISION, subject=decided(w))
    return service(actor=w.chair, document=document)


def _issue(w, service):
    from documents import services as documents
    from documents import signing

    document = _sign(w, documents.document_sign)
    signing.issue_agency_key(signing.keys_dir(), unit=w.commune, secret=signing.DEMO_PASSPHRASE.encode())
    clerk = f.user_with_role(Role.RECORDS_CLERK, w.commune, username="clerk")
    return service(actor=clerk, document=document)


def _signature_image(w, service):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.appearance import signature_image_png

    png = signature_image_png("Vũ Đức Thắng")
    return service(actor=w.chair, user=w.chair, uploaded_file=SimpleUploadedFile("c.png", png, "image/png"))


def _fund(w):
    from fund import services as fund_services

    return fund_services.fund_open(actor=w.chair, unit=w.commune, year=2026, budget=150_000_000)


def _fund_leader(w):
    return f.user_with_role(Role.STANDING_LEADER, w.commune, username="fund_leader")


def _fund_charged(w):
    from fund import services as fund_services

    _fund(w)
    decision = decided(people(w))
    fund_services.decision_charge(actor=w.chair, decision=decision, amount=decision.awards.get().amount)
    return decision


def _fund_return(w, service):
    from approvals import services as approvals

    decision = _fund_charged(w)
    revocation = approvals.decision_revoke(
        actor=w.chair, awards=list(decision.awards.all()), reason="Giấy tờ giả"
    )
    return service(actor=w.chair, revocation=revocation)


def _fund_payment(w, service):
    decision = _fund_charged(w)
    award = decision.awards.get()
    return service(actor=w.officer, award=award, amount=award.amount, paid_on=w.today, voucher="PC-01")


def _fund_overdraw(w, service):
    from fund import services as fund_services

    fund_services.fund_open(actor=w.chair, unit=w.commune, year=2026, budget=1)
    return service(actor=w.chair, decision=decided(people(w)), acknowledged=True)


# --- the walk ---------------------------------------------------------------------------------

SERVICES = discover_services()


def test_every_service_has_an_exercise():
    missing = sorted(set(SERVICES) - set(EXERCISES))
    assert not missing, (
        "These services have no exercise in tests/test_audit_coverage.py, so nothing checks that "
        f"they write an audit event: {', '.join(missing)}"
    )


def test_every_exercise_is_of_a_service_that_still_exists():
    assert sorted(set(EXERCISES) - set(SERVICES)) == []


@pytest.mark.parametrize("name", sorted(set(SERVICES) & set(EXERCISES)))
def test_the_service_appends_an_audit_event(name, world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    calls = []

    def service(**kwargs):
        before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        result = SERVICES[name](**kwargs)
        calls.append((kwargs, list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))))
        return result

    EXERCISES[name](world, service)

    assert calls, f"the exercise of {name} never called it"
    for kwargs, events in calls:
        assert events, f"{name} wrote no audit event"
        actor = kwargs.get("actor")
        for event in events:
            if name not in UNSCOPED:
                assert event.scope, f"{name}: {event.action} has no scope, so no inspector sees it"
            if isinstance(actor, User):
                assert event.roles or not _holds_roles(actor), (
                    f"{name}: {event.action} lacks the actor's roles"
                )


def _holds_roles(user) -> bool:
    from org.scopes import audit_roles_for

    return bool(audit_roles_for(User.objects.get(pk=user.pk)))


def test_discovery_finds_the_services_of_every_app():
    assert {name.split(".")[0] for name in SERVICES} >= {"audit", "org", "dossiers", "approvals"}
    assert "dossiers.services.dossier_submit" in SERVICES
    assert "dossiers.services.quota_label" not in SERVICES  # a helper, not a service
