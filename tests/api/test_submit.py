"""/api/dossiers/{id}/submit/ and /withdraw/: the unit head's transitions, refused as the services
refuse them."""

import pytest

from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState, Nominee
from tests import factories as f

from .helpers import no_audit_event, one_audit_event


def submit_url(dossier):
    return f"/api/dossiers/{dossier.pk}/submit/"


def withdraw_url(dossier):
    return f"/api/dossiers/{dossier.pk}/withdraw/"


def snapshot(dossier):
    """Everything a refusal must leave as it was."""
    d = Dossier.objects.get(pk=dossier.pk)
    return (
        d.state,
        d.submitted_at,
        d.rules_date,
        d.submission_count,
        d.updated_at,
        list(Nominee.objects.filter(dossier=d).values_list("pk", "rule_id", "removed_at")),
        AuditEvent.objects.count(),
    )


@pytest.mark.calendar
def test_unit_head_submits_a_complete_dossier(api, world, complete_draft):
    with one_audit_event("dossier.submit") as event:
        response = api.as_(world.head_a).post(submit_url(complete_draft))

    assert response.status_code == 200
    assert response.data["state"] == "submitted"
    assert response.data["submission_count"] == 1
    assert response.data["rules_date"] == world.today.isoformat()
    assert Dossier.objects.get(pk=complete_draft.pk).state == DossierState.SUBMITTED
    assert (event[0].actor, event[0].object_id) == ("head_a", str(complete_draft.pk))


def test_submit_refusal_lists_every_missing_document_and_changes_nothing(api, world, draft):
    before = snapshot(draft)

    response = api.as_(world.head_a).post(submit_url(draft))

    assert response.status_code == 400
    assert response.data == {
        "detail": "The request was refused for 3 reasons.",
        "errors": [
            "Missing document: “Tờ trình đề nghị khen thưởng” for the dossier.",
            "Missing document: “Biên bản họp Hội đồng TĐKT / biên bản bình xét” for the dossier.",
            "Missing document: “Báo cáo thành tích” for Nguyễn Thị Lan.",
        ],
    }
    assert snapshot(draft) == before


def test_submitting_twice_is_a_conflict(api, world, complete_draft):
    client = api.as_(world.head_a)
    assert client.post(submit_url(complete_draft)).status_code == 200
    before = snapshot(complete_draft)

    response = client.post(submit_url(complete_draft))

    assert response.status_code == 409
    assert response.data == {
        "detail": "This dossier is already “Submitted”: only a draft or a returned dossier can be submitted.",
        "code": "transition_not_allowed",
    }
    assert snapshot(complete_draft) == before


def test_staff_cannot_submit(api, world, complete_draft):
    before = snapshot(complete_draft)

    response = api.as_(world.staff_a).post(submit_url(complete_draft))

    assert response.status_code == 403
    assert response.data == {"detail": "Only the head of Trường THCS Ngọc Lâm may submit this dossier."}
    assert snapshot(complete_draft) == before


def test_reviewer_cannot_submit_a_returned_dossier(api, world, complete_draft):
    Dossier.objects.filter(pk=complete_draft.pk).update(state=DossierState.RETURNED)

    response = api.as_(world.officer).post(submit_url(complete_draft))

    assert response.status_code == 403


def test_unit_head_withdraws_a_submitted_dossier_saying_why(api, world):
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.SUBMITTED,
    )
    with one_audit_event("dossier.withdraw") as event:
        response = api.as_(world.head_a).post(
            withdraw_url(dossier), {"reason": "Cá nhân chuyển công tác."}, format="json"
        )

    assert response.status_code == 200
    assert response.data["state"] == "withdrawn"
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.WITHDRAWN
    assert event[0].data["reason"] == "Cá nhân chuyển công tác."
    assert event[0].data["from"] == "submitted"


def test_withdrawal_needs_a_reason(api, world, draft):
    with no_audit_event():
        response = api.as_(world.head_a).post(withdraw_url(draft), {}, format="json")

    assert response.status_code == 400
    assert response.data == {"reason": ["Say why the dossier is withdrawn."]}
    assert Dossier.objects.get(pk=draft.pk).state == DossierState.DRAFT


def test_staff_cannot_withdraw(api, world, draft):
    response = api.as_(world.staff_a).post(
        withdraw_url(draft), {"reason": "Không đủ điều kiện."}, format="json"
    )

    assert response.status_code == 403
    assert Dossier.objects.get(pk=draft.pk).state == DossierState.DRAFT


def test_a_withdrawn_dossier_cannot_be_withdrawn_again(api, world):
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.WITHDRAWN,
    )
    response = api.as_(world.head_a).post(withdraw_url(dossier), {"reason": "Lần nữa."}, format="json")

    assert response.status_code == 409
    assert response.data["code"] == "transition_not_allowed"
