"""A citizen objects to a list under public notice without an account: a receipt code to note,
one audit event by "anonymous" with the client's address, the objection among the dossier's
others for the standing body; refused outside the notice period; limited per client address
(429 with a Vietnamese message)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from approvals.models import Objection, PublicNotice
from approvals.notice_services import objection_lodge_public
from audit.models import AuditEvent
from org.errors import TransitionNotAllowed


def lodge(client, notice, **extra):
    data = {"name": "Lý Thị Mai", "contact": "0912 345 678", "text": "Thành tích chưa đúng thực tế.", **extra}
    return client.post(reverse("public-notice", args=[notice.pk]), data, REMOTE_ADDR="203.0.113.7")


def test_an_objection_without_an_account_gives_a_receipt_and_an_event(client, under_notice):
    nominee = under_notice.listed[0]
    response = lodge(client, under_notice, nominee=nominee.pk)
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public-receipt", args=[objection.receipt_code])
    assert objection.lodged_by is None and objection.nominee == nominee
    assert (objection.lodger_name, objection.lodger_contact) == ("Lý Thị Mai", "0912 345 678")
    receipt = client.get(response["Location"]).content.decode()
    assert objection.receipt_code in receipt and "Phạm Thị Hoa" in receipt
    event = AuditEvent.objects.get(action="objection.lodge_public")
    assert event.actor == "anonymous" and event.object_id == str(objection.pk)
    assert event.data["receipt"] == objection.receipt_code
    assert event.data["client"]["ip"] == "203.0.113.7"


def test_the_receipt_code_tells_the_status(client, under_notice, world):
    from approvals import services as approvals

    objection = objection_lodge_public(
        notice=under_notice, name="Lý Thị Mai", contact="mai@example.vn", text="Xem lại."
    )
    lookup = client.get(reverse("public-receipt-lookup"), {"code": objection.receipt_code.lower()})
    assert lookup.status_code == 200 and 'data-testid="objection-status"' in lookup.content.decode()
    approvals.objection_resolve(actor=world.officer, objection=objection, resolution="Đã xác minh.")
    answered = client.get(reverse("public-receipt-lookup"), {"code": objection.receipt_code}).content.decode()
    assert "Đã xác minh." in answered
    assert world.officer.get_full_name() not in answered
    assert client.get(reverse("public-receipt-lookup"), {"code": "ZZZZZZZZZZ"}).status_code == 404


def test_the_standing_body_sees_the_public_objection_on_the_dossier(client, under_notice, world):
    objection_lodge_public(
        notice=under_notice, name="Lý Thị Mai", contact="0912 345 678", text="Xem lại thành tích."
    )
    client.force_login(world.officer)
    page = client.get(reverse("dossier-detail", args=[under_notice.dossier_id])).content.decode()
    assert "Xem lại thành tích." in page and "Lý Thị Mai (0912 345 678)" in page
    api = client.get(reverse("api:objection-list", args=[under_notice.dossier_id])).json()
    assert api[0]["lodged_by"] is None and api[0]["lodger_name"] == "Lý Thị Mai"


@pytest.mark.parametrize("when", ["ended", "not yet", "closed"])
def test_an_objection_outside_the_notice_period_is_refused_plainly(client, under_notice, when):
    today = timezone.localdate()
    notice = PublicNotice.objects.filter(pk=under_notice.pk)
    if when == "ended":
        notice.update(starts_on=today - dt.timedelta(days=20), ends_on=today - dt.timedelta(days=1))
    elif when == "not yet":
        notice.update(starts_on=today + dt.timedelta(days=1), ends_on=today + dt.timedelta(days=15))
    else:
        notice.update(closed_at=timezone.now())
    client.cookies["django_language"] = "vi"
    response = lodge(client, under_notice)
    assert response.status_code == 409
    assert "Phản ánh của ông/bà chưa được ghi nhận" in response.content.decode()
    assert not Objection.objects.exists()
    with pytest.raises(TransitionNotAllowed):
        objection_lodge_public(notice=under_notice, name="A", contact="0912345678", text="B")


def test_an_objection_needs_a_name_a_reachable_contact_and_a_text(client, under_notice):
    response = lodge(client, under_notice, contact="gọi tôi")
    assert response.status_code == 400 and not Objection.objects.exists()
    with pytest.raises(ValidationError) as refused:
        objection_lodge_public(notice=under_notice, name="", contact="", text="")
    assert set(refused.value.error_dict) == {"name", "contact", "text"}


def test_a_nominee_not_on_the_list_is_refused(under_notice, world):
    from dossiers.models import Nominee

    other = Nominee.objects.get(name="Trịnh Văn Khải")
    with pytest.raises(ValidationError):
        objection_lodge_public(notice=under_notice, name="A", contact="0912345678", text="B", nominee=other)


def test_objections_are_limited_per_client_address(client, under_notice, settings):
    settings.PUBLIC_OBJECTION_THROTTLE_RATE = "3/hour"
    client.cookies["django_language"] = "vi"
    for _i in range(3):
        assert lodge(client, under_notice).status_code == 302
    refused = lodge(client, under_notice)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Vui lòng thử lại sau" in refused.content.decode()
    assert Objection.objects.count() == 3
    # Another address is not held back; reading the list is never counted.
    assert (
        client.get(reverse("public-notice", args=[under_notice.pk]), REMOTE_ADDR="203.0.113.7").status_code
        == 200
    )
    other = client.post(
        reverse("public-notice", args=[under_notice.pk]),
        {"name": "Hà", "contact": "ha@example.vn", "text": "Xem lại."},
        REMOTE_ADDR="198.51.100.9",
    )
    assert other.status_code == 302


def test_the_audit_chain_keeps_only_a_masked_contact(under_notice):
    objection_lodge_public(
        notice=under_notice, name="Lý Thị Mai", contact="mai.lt@example.vn", text="Xem lại."
    )
    objection_lodge_public(notice=under_notice, name="Hà", contact="0912 345 678", text="Xem lại.")
    contacts = [
        e.data["contact"] for e in AuditEvent.objects.filter(action="objection.lodge_public").order_by("seq")
    ]
    assert contacts == ["m*****@example.vn", "*******678"]
    assert Objection.objects.filter(lodger_contact="mai.lt@example.vn").exists()


def test_tools_lodge_and_follow_an_objection_through_the_api(client, under_notice, settings):
    url = reverse("public_api:objection-lodge", args=[under_notice.pk])
    nominee = under_notice.listed[1]
    created = client.post(
        url,
        {"name": "Lý Thị Mai", "contact": "0912 345 678", "nominee": nominee.pk, "text": "Xem lại."},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    code = created.json()["receipt_code"]
    status = client.get(reverse("public_api:objection-status", args=[code])).json()
    assert status["nominee"] == "Đặng Quốc Bảo" and status["answered"] is False
    refused = client.post(url, {"name": "", "contact": "", "text": ""}, content_type="application/json")
    assert refused.status_code == 400
    assert (
        client.post(
            reverse("public_api:objection-lodge", args=[under_notice.pk + 999]),
            {"name": "A", "contact": "0912345678", "text": "B"},
            content_type="application/json",
        ).status_code
        == 404
    )
    settings.PUBLIC_OBJECTION_THROTTLE_RATE = "3/hour"
    throttled = client.post(
        url, {"name": "A", "contact": "0912345678", "text": "B"}, content_type="application/json"
    )
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert Objection.objects.count() == 1
