"""Rules are data with dates: a rule row a nominee pinned, and a base salary that has been in force,
are never edited nor deleted (the model refuses, the admin shows them read-only with a note); a
change is a new dated row, published with its legal basis through a service and audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approvals.services import base_salary_on
from audit.models import AuditEvent
from dossiers.models import AwardRule, BaseSalary, RuleDocument
from dossiers.services import base_salary_set, dossier_submit, rule_publish
from tests import factories as f

from .conftest import admin_url, head, new_events, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def pinned(world, complete_draft):
    """The Giấy khen rule in force, pinned by the nominee of a submitted dossier."""
    dossier_submit(actor=world.head_a, dossier=complete_draft)
    complete_draft.nominee.refresh_from_db()
    return complete_draft.nominee.rule


def test_a_pinned_rule_cannot_be_changed_nor_deleted(pinned):
    before = AwardRule.objects.values().get(pk=pinned.pk)

    pinned.cash_individual = pinned.cash_individual * 2
    with pytest.raises(ValidationError, match="has been applied to dossiers"):
        pinned.save()
    with pytest.raises(ValidationError, match="has been applied to dossiers"):
        AwardRule.objects.get(pk=pinned.pk).delete()
    link = RuleDocument.objects.filter(rule=pinned).first()
    with pytest.raises(ValidationError, match="has been applied to dossiers"):
        link.delete()
    with pytest.raises(ValidationError, match="has been applied to dossiers"):
        RuleDocument.objects.create(rule=pinned, kind=f.doc_kind("xac-nhan-thue"))

    assert AwardRule.objects.values().get(pk=pinned.pk) == before
    assert RuleDocument.objects.filter(pk=link.pk).exists()


def test_a_pinned_rule_is_not_closed_before_the_day_a_dossier_pinned_it(pinned):
    rule = AwardRule.objects.get(pk=pinned.pk)
    rule.valid_to = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot end before that day"):
        rule.save(update_fields=["valid_to"])


def test_a_rule_nobody_pinned_may_still_be_corrected(world):
    rule = f.award("giay-khen").rule_on(timezone.localdate())
    rule.public_notice_days = 3
    rule.save(update_fields=["public_notice_days"])
    assert AwardRule.objects.get(pk=rule.pk).public_notice_days == 3


def test_the_admin_shows_a_pinned_rule_read_only_with_a_note(site, pinned):
    url = admin_url(AwardRule, "change", pinned.pk)
    page = site.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Hồ sơ đã được tiếp nhận theo quy tắc này" in text
    assert page.context["adminform"].form.fields == {}  # every field read-only
    assert not page.context["has_delete_permission"]

    # A post of changed terms writes nothing.
    before, since = AwardRule.objects.values().get(pk=pinned.pk), head()
    response = site.post(url, {**page_data(site, url), "cash_individual": "9.99", "legal_basis": "Sửa"})
    assert response.status_code == 302
    assert AwardRule.objects.values().get(pk=pinned.pk) == before
    assert new_events(since) == []
    assert site.post(admin_url(AwardRule, "delete", pinned.pk), {"post": "yes"}).status_code == 403
    assert AwardRule.objects.filter(pk=pinned.pk).exists()


def test_publishing_a_rule_is_a_new_dated_row_that_closes_the_one_before(world, root, pinned):
    award = pinned.award_type
    starts = timezone.localdate() + dt.timedelta(days=20)

    rule = rule_publish(
        actor=root,
        award_type=award,
        valid_from=starts,
        legal_basis="Nghị định 01/2026/NĐ-CP",
        cash_individual="0.50",
    )

    pinned.refresh_from_db()
    assert pinned.valid_to == starts - dt.timedelta(days=1)
    assert (rule.valid_from, rule.valid_to, str(rule.cash_individual)) == (starts, None, "0.50")
    # What was not restated follows the rule before, its documents too.
    assert rule.threshold_kind == pinned.threshold_kind
    assert set(rule.ruledocument_set.values_list("kind__code", flat=True)) == set(
        pinned.ruledocument_set.values_list("kind__code", flat=True)
    )
    event = AuditEvent.objects.get(action="rule.publish")
    assert (event.actor, event.object_id) == ("root", str(rule.pk))
    assert event.data["legal_basis"] == "Nghị định 01/2026/NĐ-CP"
    assert event.data["terms"]["cash_individual"] == "0.50"
    assert event.data["follows"] == {"id": pinned.pk, "valid_to": (starts - dt.timedelta(days=1)).isoformat()}
    # The dossier keeps its rule; a dossier received from the new date pins the new one.
    assert award.rule_on(timezone.localdate()) == pinned
    assert award.rule_on(starts) == rule


def test_new_nominees_pin_the_newest_rule_in_force(world, root, draft, complete_draft):
    award = f.award("giay-khen")
    old = award.rule_on(timezone.localdate())

    new = rule_publish(
        actor=root, award_type=award, valid_from=timezone.localdate(), legal_basis="Quyết định mới"
    )
    dossier_submit(actor=world.head_a, dossier=complete_draft)

    complete_draft.nominee.refresh_from_db()
    assert complete_draft.nominee.rule == new != old


def test_a_rule_cannot_start_on_a_day_a_dossier_was_received_under_the_old_one(root, pinned):
    with pytest.raises(ValidationError) as refused:
        rule_publish(
            actor=root, award_type=pinned.award_type, valid_from=timezone.localdate(), legal_basis="Hồi tố"
        )
    assert "can start on" in str(refused.value)
    assert (
        AwardRule.objects.filter(award_type=pinned.award_type).count()
        == AwardRule.objects.filter(
            award_type=pinned.award_type, valid_from__lte=timezone.localdate()
        ).count()
    )
    assert not AuditEvent.objects.filter(action="rule.publish").exists()


def test_only_an_administrator_publishes_rules(world, pinned):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        rule_publish(
            actor=world.officer,
            award_type=pinned.award_type,
            valid_from=timezone.localdate() + dt.timedelta(days=30),
            legal_basis="x",
        )


def test_the_admin_publishes_a_new_rule_and_shows_a_refusal_in_vietnamese(site, pinned):
    url = admin_url(AwardRule, "add")
    data = {
        **page_data(site, url),
        "award_type": pinned.award_type.pk,
        "valid_from": timezone.localdate().isoformat(),  # a dossier was received today: too early
        "legal_basis": "Nghị định mới",
        "nominee_kinds": '["individual"]',
        "deciding_level": "commune",
        "threshold_kind": "unit_review",
        "ruledocument_set-0-kind": str(f.doc_kind("to-trinh").pk),
    }
    count = AwardRule.objects.count()

    response = site.post(url, data, follow=True)

    assert AwardRule.objects.count() == count
    assert any("có thể bắt đầu từ ngày" in str(m) for m in response.context["messages"])

    data["valid_from"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert site.post(url, data).status_code == 302
    rule = AwardRule.objects.get(award_type=pinned.award_type, valid_from=data["valid_from"])
    assert list(rule.ruledocument_set.values_list("kind__code", flat=True)) == ["to-trinh"]
    assert AuditEvent.objects.get(action="rule.publish").data["required_documents"] == ["to-trinh"]


# --- the base salary --------------------------------------------------------------------------


def in_force():
    return BaseSalary.objects.in_force_on(timezone.localdate()).order_by("-valid_from").first()


def test_a_base_salary_in_force_cannot_be_changed_nor_deleted(db):
    salary = in_force()
    salary.amount += 1
    with pytest.raises(ValidationError, match="has been in force"):
        salary.save()
    with pytest.raises(ValidationError, match="has been in force"):
        BaseSalary.objects.get(pk=salary.pk).delete()
    assert BaseSalary.objects.get(pk=salary.pk).amount == salary.amount - 1


def test_the_admin_shows_the_base_salary_in_force_read_only(site):
    salary = in_force()
    url = admin_url(BaseSalary, "change", salary.pk)
    page = site.get(url)

    assert "Mức lương cơ sở này đã có hiệu lực" in page.content.decode()
    since = head()
    assert site.post(url, {"amount": "9999999", "legal_basis": "Sửa"}).status_code == 302
    assert BaseSalary.objects.get(pk=salary.pk).amount == salary.amount
    assert new_events(since) == []


def test_a_new_base_salary_is_a_dated_row_that_closes_the_one_before(root):
    current = in_force()
    starts = timezone.localdate() + dt.timedelta(days=30)

    new = base_salary_set(
        actor=root, amount=2_530_000, valid_from=starts, legal_basis="Nghị định 07/2026/NĐ-CP"
    )

    current.refresh_from_db()
    assert current.valid_to == starts - dt.timedelta(days=1)
    assert current.amount == 2_340_000
    # Cash is priced with the salary in force on the day a decision is signed.
    assert base_salary_on(timezone.localdate()) == 2_340_000
    assert base_salary_on(starts) == 2_530_000
    event = AuditEvent.objects.get(action="base_salary.set")
    assert (event.actor, event.object_id, event.scope) == ("root", str(new.pk), "")
    assert event.data == {
        "amount": 2_530_000,
        "valid_from": starts.isoformat(),
        "legal_basis": "Nghị định 07/2026/NĐ-CP",
        "follows": {"id": current.pk, "amount": 2_340_000, "valid_to": current.valid_to.isoformat()},
    }


def test_a_new_base_salary_starts_tomorrow_at_the_earliest(root, site):
    with pytest.raises(ValidationError, match="at the earliest"):
        base_salary_set(actor=root, amount=2_530_000, valid_from=timezone.localdate(), legal_basis="Hồi tố")

    count = BaseSalary.objects.count()
    response = site.post(
        admin_url(BaseSalary, "add"),
        {"amount": "2530000", "valid_from": timezone.localdate().isoformat(), "legal_basis": "Hồi tố"},
        follow=True,
    )
    assert BaseSalary.objects.count() == count
    assert in_force().valid_to is None
    assert any("sớm nhất" in str(m) for m in response.context["messages"])
    assert not AuditEvent.objects.filter(action="base_salary.set").exists()
