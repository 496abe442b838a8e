"""Every model in the admin: each add, change and delete a superuser makes there (real pages, real
POSTs) goes through a service and appends its audit event in the same transaction; or the admin
offers no write at all. The models are found in the admin's registry, not listed: a model
registered later fails `test_every_admin_is_audited` until its ModelAdmin is an AuditedAdmin
(org.audited_admin), and `test_every_writable_admin_has_a_case` until it has a case below."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.utils import timezone

from dossiers.models import (
    AwardRule,
    AwardType,
    BaseSalary,
    DocumentKind,
    EligibilityCondition,
    LegalGround,
    RankingPriority,
    RuleDocument,
)
from org.audited_admin import is_audited
from org.models import Council, Holiday, Role, RoleAssignment, Unit, User
from tests import factories as f

from .conftest import admin_url, head, new_events, page_data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)


def later(days):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@dataclass
class Case:
    """How to make a row to change or delete, what to post on top of the page's own data, and
    the event each write must append."""

    make: Callable
    add: Callable | None = None
    change: Callable | None = None
    actions: dict = field(default_factory=dict)


def _fresh_award(w):
    award = AwardType.objects.create(code=f"award-{AwardType.objects.count()}", name="Bằng khen thử")
    rule = AwardRule.objects.create(
        award_type=award,
        valid_from=timezone.localdate() + dt.timedelta(days=40),
        legal_basis="Nghị định 152/2025/NĐ-CP",
        nominee_kinds=["individual"],
        deciding_level="commune",
        threshold_kind="majority",
    )
    RuleDocument.objects.create(rule=rule, kind=f.doc_kind("to-trinh"))
    return rule


def _condition(w):
    condition = EligibilityCondition.objects.create(
        rule=f.award("tap-the-lao-dong-xuat-sac").rule_on(TODAY),
        years=2,
        times=2,
        description="02 năm liền Tập thể lao động tiên tiến",
        valid_from=dt.date(2025, 7, 1),
        legal_basis="Thử",
    )
    condition.required_award_types.set([f.award("tap-the-lao-dong-tien-tien")])
    return condition


def _user(w):
    return f.UserFactory(unit=w.school_b)


def _token(w):
    from rest_framework.authtoken.models import TokenProxy

    return TokenProxy.objects.create(user=f.UserFactory())


CASES = {
    "org.Unit": Case(
        make=lambda w: f.UnitFactory(parent=w.commune),
        add=lambda w: {
            "name": "Trường Mầm non Hoa Sữa",
            "code": "MNHS",
            "level": "school",
            "parent": w.commune.pk,
        },
        change=lambda w, obj: {"name": "Trường đổi tên"},
        actions={
            "add": "admin.org.unit.add",
            "change": "admin.org.unit.change",
            "delete": "admin.org.unit.delete",
        },
    ),
    "org.User": Case(
        make=_user,
        add=lambda w: {
            "username": "newcomer",
            "password1": "Mật-khẩu-mới-2026",
            "password2": "Mật-khẩu-mới-2026",
            "usable_password": "true",
        },
        change=lambda w, obj: {"is_staff": "on", "full_name": "Trần Văn Mới"},
        actions={"add": "user.create", "change": "user.update", "delete": "admin.org.user.delete"},
    ),
    "org.RoleAssignment": Case(
        make=lambda w: RoleAssignment.objects.get(user=w.staff_a),
        add=lambda w: {
            "user": _user(w).pk,
            "role": Role.UNIT_STAFF,
            "unit": w.school_b.pk,
            "start": TODAY.isoformat(),
        },
        change=lambda w, obj: {"end": later(10)},
        actions={"add": "role.assign", "change": "role.end"},
    ),
    "org.Council": Case(
        make=lambda w: f.council_for(f.UnitFactory(parent=w.province, grants_awards=True)),
        add=lambda w: {
            "name": "Hội đồng Thi đua - Khen thưởng xã",
            "unit": f.UnitFactory(parent=w.province).pk,
        },
        change=lambda w, obj: {"name": "Hội đồng (đổi tên)"},
        actions={
            "add": "admin.org.council.add",
            "change": "admin.org.council.change",
            "delete": "admin.org.council.delete",
        },
    ),
    "org.CouncilMembership": Case(
        make=lambda w: w.council.memberships.first(),
        add=lambda w: {
            "council": w.council.pk,
            "user": _user(w).pk,
            "council_role": "member",
            "start": TODAY.isoformat(),
        },
        actions={"add": "council.member_add"},
    ),
    "org.Holiday": Case(
        make=lambda w: Holiday.objects.create(date=dt.date(2026, 8, 20), name="Nghỉ bù"),
        add=lambda w: {"date": "2026-06-15", "name": "Nghỉ bù ngày lễ"},
        change=lambda w, obj: {"name": "Nghỉ bù (sửa)"},
        actions={"add": "holiday.add", "change": "holiday.change", "delete": "holiday.remove"},
    ),
    "auth.Group": Case(
        make=lambda w: Group.objects.create(name="Nhóm thử"),
        add=lambda w: {"name": "Văn thư"},
        change=lambda w, obj: {"permissions": [str(Permission.objects.get(codename="view_dossier").pk)]},
        actions={
            "add": "admin.auth.group.add",
            "change": "admin.auth.group.relations",
            "delete": "admin.auth.group.delete",
        },
    ),
    "dossiers.DocumentKind": Case(
        make=lambda w: DocumentKind.objects.create(code="xac-nhan", name="Giấy xác nhận", scope="dossier"),
        add=lambda w: {"code": "ban-sao", "name": "Bản sao", "scope": "dossier"},
        change=lambda w, obj: {"name": "Giấy xác nhận (sửa)"},
        actions={
            "add": "admin.dossiers.documentkind.add",
            "change": "admin.dossiers.documentkind.change",
            "delete": "admin.dossiers.documentkind.delete",
        },
    ),
    "dossiers.AwardRule": Case(
        make=_fresh_award,
        add=lambda w: {
            "award_type": f.award("giay-khen").pk,
            "valid_from": later(30),
            "legal_basis": "Nghị định mới",
            "nominee_kinds": '["individual"]',
            "deciding_level": "commune",
            "threshold_kind": "unit_review",
            "quorum_numerator": "2",
            "quorum_denominator": "3",
            "public_notice_days": "0",
            "cash_individual": "0.30",
            "cash_collective": "0.60",
            "ruledocument_set-0-kind": str(f.doc_kind("to-trinh").pk),
        },
        change=lambda w, obj: {"public_notice_days": "5"},
        actions={
            "add": "rule.publish",
            "change": "admin.dossiers.awardrule.change",
            "delete": "admin.dossiers.awardrule.delete",
        },
    ),
    "dossiers.AwardType": Case(
        make=lambda w: AwardType.objects.create(code="ky-niem-chuong", name="Kỷ niệm chương"),
        add=lambda w: {"code": "co-thi-dua", "name": "Cờ thi đua"},
        change=lambda w, obj: {"name": "Kỷ niệm chương (sửa)"},
        actions={
            "add": "admin.dossiers.awardtype.add",
            "change": "admin.dossiers.awardtype.change",
            "delete": "admin.dossiers.awardtype.delete",
        },
    ),
    "dossiers.BaseSalary": Case(
        make=lambda w: BaseSalary.objects.create(
            amount=2_500_000, valid_from=timezone.localdate() + dt.timedelta(days=100), legal_basis="Dự kiến"
        ),
        add=lambda w: {"amount": "2530000", "valid_from": later(200), "legal_basis": "Nghị định mới"},
        change=lambda w, obj: {"amount": "2550000"},
        actions={
            "add": "base_salary.set",
            "change": "admin.dossiers.basesalary.change",
            "delete": "admin.dossiers.basesalary.delete",
        },
    ),
    "dossiers.Campaign": Case(
        make=lambda w: f.CampaignFactory(organizer=w.commune),
        add=lambda w: {
            "name": "Phong trào thi đua mới",
            "organizer": w.commune.pk,
            "procedure_kind": "campaign",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "submission_deadline": "2026-11-30",
        },
        change=lambda w, obj: {"quotas-0-nominee_kind": "individual", "quotas-0-limit": "3"},
        actions={
            "add": "admin.dossiers.campaign.add",
            "change": "admin.dossiers.campaignquota.add",
            "delete": "admin.dossiers.campaign.delete",
        },
    ),
    "dossiers.LegalGround": Case(
        make=lambda w: LegalGround.objects.create(
            kind="decision", number="12/2026/QĐ-UBND", issued_on=dt.date(2026, 1, 5), subject="về khen thưởng"
        ),
        add=lambda w: {
            "kind": "circular",
            "number": "15/2025/TT-BNV",
            "issued_on": "2025-06-30",
            "issuer": "Bộ Nội vụ",
            "subject": "hướng dẫn thi hành",
        },
        change=lambda w, obj: {"issuer": "Ủy ban nhân dân phường Long Biên"},
        actions={
            "add": "admin.dossiers.legalground.add",
            "change": "admin.dossiers.legalground.change",
            "delete": "admin.dossiers.legalground.delete",
        },
    ),
    "dossiers.RankingPriority": Case(
        make=lambda w: RankingPriority.objects.create(
            criterion="women_share",
            min_women_percent=60,
            order=5,
            valid_from=TODAY,
            legal_basis="Quy định của tỉnh",
        ),
        add=lambda w: {
            "criterion": "woman",
            "order": "7",
            "valid_from": "2026-07-01",
            "legal_basis": "Luật Thi đua, khen thưởng 2022",
        },
        change=lambda w, obj: {"order": "9"},
        actions={
            "add": "admin.dossiers.rankingpriority.add",
            "change": "admin.dossiers.rankingpriority.change",
            "delete": "admin.dossiers.rankingpriority.delete",
        },
    ),
    "dossiers.EligibilityCondition": Case(
        make=_condition,
        add=lambda w: {
            "rule": f.award("co-thi-dua-cap-tinh").rule_on(TODAY).pk,
            "required_award_types": [f.award("tap-the-lao-dong-xuat-sac").pk],
            "years": "2",
            "times": "2",
            "description": "02 năm liền Tập thể lao động xuất sắc",
            "valid_from": "2025-07-01",
            "legal_basis": "Quy định của tỉnh",
        },
        change=lambda w, obj: {"times": "1"},
        actions={
            "add": "admin.dossiers.eligibilitycondition.add",
            "change": "admin.dossiers.eligibilitycondition.change",
            "delete": "admin.dossiers.eligibilitycondition.delete",
        },
    ),
    "dossiers.AwardRecord": Case(
        make=lambda w: None,
        add=lambda w: {
            "kind": "individual",
            "unit": w.school_a.pk,
            "name": "Phạm Thị Mai",
            "award_type": f.award("lao-dong-tien-tien").pk,
            "year": "2024",
            "decision_number": "12/QĐ-UBND",
            "decision_date": "2024-12-01",
            "issuer": "Chủ tịch Ủy ban nhân dân phường Long Biên",
        },
        actions={"add": "award_record.add"},
    ),
    "authtoken.TokenProxy": Case(
        make=_token,
        add=lambda w: {"user": _user(w).pk},
        actions={"add": "admin.authtoken.tokenproxy.add", "delete": "admin.authtoken.tokenproxy.delete"},
    ),
}

REGISTERED = {model._meta.label: (model, model_admin) for model, model_admin in admin.site._registry.items()}


def superuser_request(root):
    request = RequestFactory().get("/admin/")
    request.user = root
    return request


def writable(model_admin, request) -> bool:
    return any(
        (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
    )


@pytest.mark.parametrize("label", sorted(REGISTERED))
def test_every_admin_is_audited(label, root):
    _model, model_admin = REGISTERED[label]
    assert is_audited(model_admin, superuser_request(root)), (
        f"{label}: its ModelAdmin writes without a service; make it an org.audited_admin.AuditedAdmin"
    )


@pytest.mark.parametrize("label", sorted(REGISTERED))
def test_every_writable_admin_has_a_case(label, root):
    _model, model_admin = REGISTERED[label]
    if writable(model_admin, superuser_request(root)):
        assert label in CASES, f"{label} is written through the admin: add its case to CASES"


def test_the_walk_sees_the_whole_admin():
    assert {
        "org.Unit",
        "org.User",
        "org.Holiday",
        "auth.Group",
        "dossiers.BaseSalary",
        "dossiers.AwardRule",
    } <= set(REGISTERED)
    assert set(CASES) - set(REGISTERED) <= {"authtoken.TokenProxy"} or apps.is_installed(
        "rest_framework.authtoken"
    )


def _expect_event(since, action, root):
    events = new_events(since)
    assert action in [e.action for e in events], f"expected {action}, got {[e.action for e in events]}"
    assert all(e.actor == root.username for e in events)
    for event in events:
        assert "password" not in str(event.data).lower() or event.action == "user.update"


@pytest.mark.parametrize("label", sorted(REGISTERED))
def test_each_admin_write_appends_its_event(label, site, root, world):
    model, model_admin = REGISTERED[label]
    request = superuser_request(root)
    if not writable(model_admin, request):
        _read_only(model, site, world)
        return
    case = CASES[label]
    if model_admin.has_add_permission(request):
        url = admin_url(model, "add")
        data = {**page_data(site, url), **case.add(world)}
        count, since = model._default_manager.count(), head()
        response = site.post(url, data)
        assert response.status_code == 302, _errors(response)
        assert model._default_manager.count() == count + 1
        _expect_event(since, case.actions["add"], root)
    obj = case.make(world)
    if model_admin.has_change_permission(request, obj) and case.change:
        url = admin_url(model, "change", obj.pk)
        data = {**page_data(site, url), **case.change(world, obj)}
        since = head()
        response = site.post(url, data)
        assert response.status_code == 302, _errors(response)
        _expect_event(since, case.actions["change"], root)
    if model_admin.has_delete_permission(request, obj):
        obj = case.make(world) if not model._default_manager.filter(pk=obj.pk).exists() else obj
        since = head()
        response = site.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 302, _errors(response)
        assert not model._default_manager.filter(pk=obj.pk).exists()
        _expect_event(since, case.actions["delete"], root)


def _errors(response):
    context = response.context or {}
    form = context.get("adminform")
    inlines = context.get("inline_admin_formsets") or []
    return {
        "form": form.form.errors if form else None,
        "inlines": [i.formset.errors for i in inlines],
        "messages": [str(m) for m in context.get("messages", [])],
    }


def _read_only(model, site, world):
    """No add, no change, no delete: the pages refuse (403) and nothing is written."""
    since = head()
    assert site.post(admin_url(model, "add"), {}).status_code == 403
    obj = model._default_manager.first()
    if obj is not None:
        assert site.post(admin_url(model, "change", obj.pk), {}).status_code == 403
        assert site.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=obj.pk).exists()
    assert new_events(since) == []


def test_a_bulk_delete_is_one_event_per_row(site, root, world):
    holidays = [Holiday.objects.create(date=dt.date(2026, 10, d), name=f"Nghỉ {d}") for d in (5, 6)]
    since = head()

    response = site.post(
        admin_url(Holiday, "changelist"),
        {"action": "delete_selected", "_selected_action": [h.pk for h in holidays], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Holiday.objects.filter(pk__in=[h.pk for h in holidays]).exists()
    assert sorted(e.data["date"] for e in new_events(since) if e.action == "holiday.remove") == [
        "2026-10-05",
        "2026-10-06",
    ]


def test_unit_and_user_models_are_real():
    # Guards the case table against a silent rename of the models it names.
    assert {Unit, User, Council} <= {m for m, _ in REGISTERED.values()}
