"""Submitting and withdrawing through the web UI: only the unit head, every refusal shown with
its reasons, the dossier unchanged after a refusal."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from workflows.confirm import TOKEN_FIELD, dossier_token

from .helpers import detail_url, last_event, text


def snapshot(dossier):
    d = Dossier.objects.get(pk=dossier.pk)
    return d.state, d.submitted_at, d.rules_date, d.submission_count, AuditEvent.objects.count()


def submit(client, dossier):
    # As from its confirmation page: with the token of the dossier as shown.
    return client.post(
        reverse("dossier-submit", args=[dossier.pk]),
        {TOKEN_FIELD: dossier_token(Dossier.objects.get(pk=dossier.pk))},
    )


def test_submit_refusal_lists_each_missing_document(client, world, draft):
    client.force_login(world.head_a)
    before = snapshot(draft)

    response = submit(client, draft)

    assert response.status_code == 400
    page = text(response)
    assert "Chưa thể trình hồ sơ:" in page
    for problem in [
        "Thiếu tài liệu: “Tờ trình đề nghị khen thưởng” của hồ sơ.",
        "Thiếu tài liệu: “Biên bản họp Hội đồng TĐKT / biên bản bình xét” của hồ sơ.",
        "Thiếu tài liệu: “Báo cáo thành tích” của Nguyễn Thị Lan.",
    ]:
        assert f"<li>{problem}</li>" in page
    assert snapshot(draft) == before


@pytest.mark.calendar
def test_unit_head_submits_a_complete_dossier(client, world, complete_draft):
    client.force_login(world.head_a)

    response = submit(client, complete_draft)

    assert response.status_code == 302
    assert response.url == detail_url(complete_draft)
    dossier = Dossier.objects.get(pk=complete_draft.pk)
    assert dossier.state == DossierState.SUBMITTED
    assert last_event().action == "dossier.submit"
    page = text(client.get(response.url))
    assert "Đã trình hồ sơ lên cơ quan thường trực." in page
    assert 'state-submitted">Đã trình</span>' in page
    assert world.today.strftime("%d/%m/%Y") in page  # the pinned rules date


def test_double_submit_shows_that_it_is_already_submitted(client, world, complete_draft):
    client.force_login(world.head_a)
    submit(client, complete_draft)
    before = snapshot(complete_draft)

    response = submit(client, complete_draft)

    assert response.status_code == 409
    assert "Hồ sơ này đã ở trạng thái “Đã trình”" in text(response)
    assert snapshot(complete_draft) == before


def test_staff_sees_no_submit_or_withdraw_button_but_the_head_does(client, world, complete_draft):
    submit_url = reverse("dossier-submit", args=[complete_draft.pk])
    withdraw_url = reverse("dossier-withdraw", args=[complete_draft.pk])

    client.force_login(world.staff_a)
    staff_page = text(client.get(detail_url(complete_draft)))
    client.force_login(world.head_a)
    head_page = text(client.get(detail_url(complete_draft)))

    assert submit_url not in staff_page and withdraw_url not in staff_page
    assert submit_url in head_page
    assert withdraw_url not in head_page  # a draft was never sent: nothing to withdraw

    submit(client, complete_draft)
    assert withdraw_url in text(client.get(detail_url(complete_draft)))


def test_forged_submit_by_staff_is_refused_with_403_and_the_dossier_unchanged(client, world, complete_draft):
    client.force_login(world.staff_a)
    before = snapshot(complete_draft)

    response = submit(client, complete_draft)

    assert response.status_code == 403
    assert "Chỉ thủ trưởng Trường THCS Ngọc Lâm mới được trình hồ sơ này." in text(response)
    assert snapshot(complete_draft) == before


def test_forged_withdraw_by_staff_is_refused_with_403(client, world, complete_draft):
    client.force_login(world.staff_a)
    before = snapshot(complete_draft)

    response = client.post(reverse("dossier-withdraw", args=[complete_draft.pk]), {"withdraw-reason": "Thử"})

    assert response.status_code == 403
    assert snapshot(complete_draft) == before


def test_unit_head_withdraws_a_submitted_dossier_with_a_reason(client, world, complete_draft):
    client.force_login(world.head_a)
    submit(client, complete_draft)

    response = client.post(
        reverse("dossier-withdraw", args=[complete_draft.pk]),
        {"withdraw-reason": "Bổ sung thêm thành tích năm học"},
    )

    assert response.status_code == 302
    assert Dossier.objects.get(pk=complete_draft.pk).state == DossierState.WITHDRAWN
    event = last_event()
    assert (event.action, event.data["reason"]) == (
        "dossier.withdraw",
        "Bổ sung thêm thành tích năm học",
    )
    page = text(client.get(response.url))
    assert "Đã rút hồ sơ." in page
    assert reverse("dossier-withdraw", args=[complete_draft.pk]) not in page


def test_withdraw_without_a_reason_is_refused(client, world, draft):
    client.force_login(world.head_a)
    before = snapshot(draft)

    response = client.post(reverse("dossier-withdraw", args=[draft.pk]), {"withdraw-reason": " "})

    assert response.status_code == 400
    assert "Trường này là bắt buộc." in text(response)
    assert snapshot(draft) == before
