"""dossier_submit: who may, from which state, and every business rule that refuses it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from dossiers import services
from dossiers.models import Dossier, DossierState, Nominee
from org.errors import TransitionNotAllowed
from tests import factories as f


def snapshot(dossier):
    """Everything a refusal must leave as it was."""
    d = Dossier.objects.get(pk=dossier.pk)
    return (
        d.state,
        d.submitted_at,
        d.rules_date,
        d.submission_count,
        list(Nominee.objects.filter(dossier=d).values_list("pk", "rule_id", "removed_at")),
        AuditEvent.objects.count(),
    )


def refused(exc_type, call, dossier):
    before = snapshot(dossier)
    with pytest.raises(exc_type) as info:
        call()
    assert snapshot(dossier) == before
    return info.value


@pytest.mark.calendar
def test_unit_head_submits_complete_dossier_and_rules_are_pinned(complete_draft, world):
    dossier = services.dossier_submit(actor=world.head_a, dossier=complete_draft)

    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    assert dossier.rules_date == world.today
    assert dossier.submission_count == 1
    assert dossier.unit_name_at_submission == "Trường THCS Ngọc Lâm"
    nominee = Nominee.objects.get(pk=complete_draft.nominee.pk)
    assert nominee.rule.award_type.code == "giay-khen"
    assert nominee.rule.valid_from == dt.date(2025, 7, 1)
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.object_id) == ("dossier.submit", "head_a", str(dossier.pk))
    assert event.data["rules_date"] == world.today.isoformat()
    assert len(event.data["attachments"]) == 3


def test_staff_cannot_submit(complete_draft, world):
    err = refused(
        PermissionDenied,
        lambda: services.dossier_submit(actor=world.staff_a, dossier=complete_draft),
        complete_draft,
    )
    assert "Trường THCS Ngọc Lâm" in str(err)


def test_head_of_another_unit_cannot_submit(complete_draft, world):
    refused(
        PermissionDenied,
        lambda: services.dossier_submit(actor=world.head_b, dossier=complete_draft),
        complete_draft,
    )


@pytest.mark.parametrize("role", ["officer", "chair", "inspector", "member"])
def test_reviewers_cannot_submit(complete_draft, world, role):
    refused(
        PermissionDenied,
        lambda: services.dossier_submit(actor=getattr(world, role), dossier=complete_draft),
        complete_draft,
    )


def test_missing_documents_are_listed_one_by_one(draft, world):
    err = refused(ValidationError, lambda: services.dossier_submit(actor=world.head_a, dossier=draft), draft)
    assert err.messages == [
        "Missing document: “Tờ trình đề nghị khen thưởng” for the dossier.",
        "Missing document: “Biên bản họp Hội đồng TĐKT / biên bản bình xét” for the dossier.",
        "Missing document: “Báo cáo thành tích” for Nguyễn Thị Lan.",
    ]


def test_enterprise_nominee_needs_tax_and_insurance_confirmations(complete_draft, world):
    Nominee.objects.filter(pk=complete_draft.nominee.pk).update(is_enterprise=True)
    err = refused(
        ValidationError,
        lambda: services.dossier_submit(actor=world.head_a, dossier=complete_draft),
        complete_draft,
    )
    assert err.messages == [
        "Missing document: “Xác nhận của cơ quan thuế” for Nguyễn Thị Lan.",
        "Missing document: “Xác nhận của cơ quan bảo hiểm xã hội” for Nguyễn Thị Lan.",
    ]


def test_empty_dossier_is_refused(world):
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    err = refused(
        ValidationError, lambda: services.dossier_submit(actor=world.head_a, dossier=dossier), dossier
    )
    assert "The dossier has no nominee." in err.messages


@pytest.mark.calendar
def test_deadline_passed_is_refused(complete_draft, world):
    type(world.campaign).objects.filter(pk=world.campaign.pk).update(
        submission_deadline=world.today - dt.timedelta(days=1)
    )
    err = refused(
        ValidationError,
        lambda: services.dossier_submit(actor=world.head_a, dossier=complete_draft),
        complete_draft,
    )
    assert any("submission deadline" in m and "has passed" in m for m in err.messages)


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("under_discipline", "Nguyễn Thị Lan is under discipline"),
        ("under_investigation", "Nguyễn Thị Lan is under investigation or inspection"),
        ("pending_complaint", "Nguyễn Thị Lan has an unresolved complaint"),
    ],
)
def test_barred_nominee_is_refused(complete_draft, world, flag, words):
    Nominee.objects.filter(pk=complete_draft.nominee.pk).update(**{flag: True})
    err = refused(
        ValidationError,
        lambda: services.dossier_submit(actor=world.head_a, dossier=complete_draft),
        complete_draft,
    )
    assert err.messages == [f"{words}: no award may be proposed."]


def test_quota_caps_awards_not_proposals(complete_draft, world):
    # A campaign's quota is applied by the council at its close: units may propose more.
    f.quota(world.campaign, 1, nominee_kind="individual")
    other = f.DossierFactory(
        unit=world.school_b, campaign=world.campaign, created_by=world.head_b, state=DossierState.SUBMITTED
    )
    f.NomineeFactory(dossier=other)
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert Dossier.objects.get(pk=complete_draft.pk).state == DossierState.SUBMITTED


def test_submitting_twice_is_refused_with_the_state(complete_draft, world):
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    err = refused(
        TransitionNotAllowed,
        lambda: services.dossier_submit(actor=world.head_a, dossier=complete_draft),
        complete_draft,
    )
    assert "already “Submitted”" in str(err)


def test_stale_copy_cannot_submit_twice(complete_draft, world):
    stale = Dossier.objects.get(pk=complete_draft.pk)
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    refused(
        TransitionNotAllowed,
        lambda: services.dossier_submit(actor=world.head_a, dossier=stale),
        complete_draft,
    )


@pytest.mark.calendar
def test_resubmission_keeps_the_rules_pinned_at_first_submission(complete_draft, world):
    old_day = dt.date(2025, 3, 1)
    Dossier.objects.filter(pk=complete_draft.pk).update(
        state=DossierState.RETURNED, rules_date=old_day, submission_count=1
    )
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    dossier = Dossier.objects.get(pk=complete_draft.pk)
    assert dossier.rules_date == old_day
    assert dossier.submission_count == 2
    assert Nominee.objects.get(pk=complete_draft.nominee.pk).rule.valid_to == dt.date(2025, 6, 30)


@pytest.mark.django_db(transaction=True)
def test_a_dossier_changed_behind_the_step_saves_nothing(complete_draft, world):
    """The step's writes go with the dossier's (in one statement on PostgreSQL): when the row no
    longer holds the state the step read, none of them stays, and the actor is told to reload."""
    from django.db import transaction

    dossier = Dossier.objects.get(pk=complete_draft.pk)
    nominee = Nominee.objects.get(pk=complete_draft.nominee.pk)
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.WITHDRAWN)  # behind its back
    dossier.submit()
    with pytest.raises(TransitionNotAllowed, match="at the same moment"), transaction.atomic():
        services.save_dossier(
            dossier,
            ["state"],
            updates=[(Nominee.objects.filter(pk=nominee.pk), {"position": "changed with it"})],
        )
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.WITHDRAWN
    assert Nominee.objects.get(pk=nominee.pk).position == nominee.position
