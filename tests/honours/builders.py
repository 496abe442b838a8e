"""The province of tests/conftest.py with everyone a proposal of state honours needs, and helpers
that walk a department's dossier for a state honour along the real path to the provincial chair's
desk (appraisal, 10 working days of public notice, the council's vote, the vice-chair's opinion).
AUDIT_EXERCISES: the honours services' entries for tests/test_audit_coverage.py."""

import datetime as dt

from django.apps import apps as django_apps
from django.utils import timezone

from approvals.models import PublicNotice
from dossiers import services as dossier_services
from dossiers.models import AwardType, Dossier
from honours import services
from honours.reference_data import seed_honours_reference_data
from org.calendar import WorkingCalendar
from org.models import Role, UnitLevel
from tests import factories as f
from tests import paper
from workflows import services as wf


def setup(w):
    """The province's standing body, council, vice-chair, chair and inspector; a department it
    handles (Sở Giáo dục và Đào tạo) with its staff and head; a campaign of the province; and
    another province (Tỉnh Bắc Ninh) with its standing officer. Idempotent on `w`."""
    if hasattr(w, "department"):
        return w
    if not AwardType.objects.filter(code="bang-khen-thu-tuong").exists():
        seed_honours_reference_data(django_apps)  # flushed by a transactional test before this one
    if not hasattr(w, "province_council"):
        w.province_council = f.council_for(w.province)
    if not hasattr(w, "province_officer"):
        w.province_officer = f.user_with_role(Role.STANDING_OFFICER, w.province, username="province_officer")
    if not hasattr(w, "province_chair"):
        w.province_chair = f.user_with_role(Role.CHAIR, w.province, username="province_chair")
    if not hasattr(w, "province_secretary"):
        w.province_secretary = f.council_member(
            w.province_council, "secretary", username="province_secretary"
        )
    if not hasattr(w, "province_vice_chair"):
        w.province_vice_chair = f.council_member(
            w.province_council, "vice_chair", username="province_vice_chair"
        )
    w.department = f.UnitFactory(
        name="Sở Giáo dục và Đào tạo", code="SGDĐT", level=UnitLevel.DEPARTMENT, parent=w.province
    )
    w.dept_staff = f.user_with_role(Role.UNIT_STAFF, w.department, username="dept_staff")
    w.dept_head = f.user_with_role(Role.UNIT_HEAD, w.department, username="dept_head")
    w.province_inspector = f.user_with_role(Role.INSPECTOR, w.province, username="province_inspector")
    w.province_campaign = f.CampaignFactory(
        name="Phong trào thi đua yêu nước năm 2025", organizer=w.province, procedure_kind="achievement"
    )
    w.other_province = f.UnitFactory(
        name="Tỉnh Bắc Ninh", code="UBND", level=UnitLevel.PROVINCE, grants_awards=True
    )
    w.other_officer = f.user_with_role(Role.STANDING_OFFICER, w.other_province, username="bn_officer")
    return w


DOCS = {
    "huan-chuong-lao-dong-cong-hien": ["to-trinh", "bien-ban", "tom-tat-qua-trinh-cong-tac"],
    "huy-chuong-khang-chien": ["to-trinh", "bien-ban", "ban-khai-khang-chien", "xac-nhan-khang-chien"],
    "huan-chuong-khang-chien": ["to-trinh", "bien-ban", "ban-khai-khang-chien", "xac-nhan-khang-chien"],
}


def draft_for(
    w, *, award="bang-khen-thu-tuong", name="Nguyễn Thị Minh", kind="individual", procedure=None, docs=None
):
    """A department's complete draft with one nominee for `award` (the documents its rule needs)."""
    dossier = f.DossierFactory(
        unit=w.department,
        campaign=w.province_campaign,
        created_by=w.dept_staff,
        title=f"Hồ sơ đề nghị {name}",
        procedure_kind=procedure or "achievement",
    )
    nominee = f.NomineeFactory(
        dossier=dossier,
        award_type=f.award(award),
        name=name,
        kind=kind,
        position="Giám đốc Sở" if kind == "individual" else "",
        achievements="Hoàn thành xuất sắc nhiệm vụ 05 năm liên tục; 02 sáng kiến cấp tỉnh.",
    )
    for code in DOCS.get(award, ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]) if docs is None else docs:
        scope_nominee = code not in ("to-trinh", "bien-ban")
        dossier_services.attachment_add(
            actor=w.dept_staff,
            dossier=dossier,
            kind=f.doc_kind(code),
            uploaded_file=f.pdf_upload(f"{code}.pdf", text=f"{code} {name}"),
            nominee=nominee if scope_nominee else None,
        )
    dossier.nominee = nominee
    return dossier


def at_chair(w, dossier, *, notice_days=10) -> Dossier:
    """Walk the draft along the real path to the provincial chair's desk; the public notice ran
    `notice_days` working days, ending yesterday."""
    wf.dossier_submit(actor=w.dept_head, dossier=dossier)
    wf.appraisal_receive(actor=w.province_officer, dossier=dossier)
    wf.appraisal_accept(actor=w.province_officer, dossier=Dossier.objects.get(pk=dossier.pk))
    if Dossier.objects.get(pk=dossier.pk).state == "public_notice":
        calendar = WorkingCalendar()
        ends = timezone.localdate() - dt.timedelta(days=1)
        starts = ends
        # `starts` is `notice_days` working days before `ends` (the start itself is not counted).
        while calendar.working_days_between(starts, ends) < notice_days:
            starts -= dt.timedelta(days=1)
        PublicNotice.objects.filter(dossier=dossier).update(starts_on=starts, ends_on=ends)
        wf.notice_close(actor=w.province_officer, dossier=Dossier.objects.get(pk=dossier.pk))
    paper.handed_over(
        secretary=w.province_secretary,
        council=w.province_council,
        dossiers=[Dossier.objects.get(pk=dossier.pk)],
    )
    wf.opinion_give(
        actor=w.province_vice_chair, dossier=Dossier.objects.get(pk=dossier.pk), text="Đồng ý đề nghị."
    )
    fresh = Dossier.objects.get(pk=dossier.pk)
    fresh.nominee = fresh.nominees.get()
    return fresh


def candidate(w, **kwargs) -> Dossier:
    return at_chair(w, draft_for(w, **kwargs))


def proposal(w, **kwargs):
    return services.proposal_create(
        actor=w.province_officer,
        unit=w.province,
        year=2025,
        title=kwargs.pop("title", "Tờ trình đề nghị khen thưởng cấp Nhà nước năm 2025"),
        **kwargs,
    )


def _submitted(w):
    setup(w)
    d = candidate(w)
    p = proposal(w)
    services.proposal_nominee_add(actor=w.province_officer, proposal=p, nominee=d.nominee)
    services.proposal_submit(actor=w.province_chair, proposal=p, dispatch_date=dt.date(2026, 2, 2))
    return p


def _with_results(w):
    p = _submitted(w)
    services.result_record(
        actor=w.province_officer, entry=p.entries.get(), awarded=False, reason="Chưa đủ tiêu chuẩn."
    )
    return p


def _added(w):
    setup(w)
    d = candidate(w)
    p = proposal(w)
    return services.proposal_nominee_add(actor=w.province_officer, proposal=p, nominee=d.nominee)


AUDIT_EXERCISES = {
    "honours.services.proposal_create": lambda w, service: service(
        actor=setup(w).province_officer, unit=w.province, year=2025, title="Tờ trình khen cao năm 2025"
    ),
    "honours.services.proposal_nominee_add": lambda w, service: service(
        actor=setup(w).province_officer, proposal=proposal(w), nominee=candidate(w).nominee
    ),
    "honours.services.proposal_nominee_remove": lambda w, service: service(
        actor=setup(w).province_officer, entry=_added(w)
    ),
    "honours.services.proposal_submit": lambda w, service: service(
        actor=setup(w).province_chair, proposal=_added(w).proposal
    ),
    "honours.services.result_record": lambda w, service: service(
        actor=setup(w).province_officer,
        entry=_submitted(w).entries.get(),
        awarded=True,
        decision_number="1234/QĐ-TTg",
        decision_date=dt.date(2026, 3, 2),
        issuer="Thủ tướng Chính phủ",
    ),
    "honours.services.proposal_close": lambda w, service: service(
        actor=setup(w).province_officer, proposal=_with_results(w)
    ),
    "honours.services.proposal_document_render": lambda w, service: service(
        actor=setup(w).province_officer, proposal=_added(w).proposal, fmt="xlsx"
    ),
}
