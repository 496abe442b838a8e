"""Drafting through the web UI: create, edit, nominees, attachments. Every write goes through the
services; a refusal shows its message and leaves the data as it was."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from dossiers.models import Attachment, Dossier, DossierState, Nominee
from tests import factories as f

from .helpers import detail_url, last_event, text


def nominee_data(**overrides):
    data = {
        "nominee-kind": "individual",
        "nominee-sex": "male",
        "nominee-name": "Phạm Minh Đức",
        "nominee-position": "Giáo viên Toán",
        "nominee-workplace": "Trường THCS Ngọc Lâm",
        "nominee-award_type": f.award("giay-khen").pk,
        "nominee-achievements": "Hoàn thành xuất sắc nhiệm vụ; có sáng kiến cấp cơ sở.",
    }
    data.update(overrides)
    return data


def upload(client, dossier, kind, uploaded_file, nominee=None):
    data = {"attachment-kind": f.doc_kind(kind).pk, "attachment-file": uploaded_file}
    if nominee is not None:
        data["attachment-nominee"] = nominee.pk
    return client.post(reverse("attachment-add", args=[dossier.pk]), data)


# --- create and edit --------------------------------------------------------------------------


def test_unit_staff_creates_a_draft_for_their_unit(client, world):
    client.force_login(world.staff_a)

    response = client.post(
        reverse("dossier-create"),
        {
            "campaign": world.campaign.pk,
            "title": "Đề nghị khen thưởng năm học 2025–2026",
            "procedure_kind": "campaign",
            "summary": "Tổ Toán – Tin",
        },
    )

    dossier = Dossier.objects.get(title="Đề nghị khen thưởng năm học 2025–2026")
    assert response.status_code == 302
    assert response.url == detail_url(dossier)
    assert (dossier.unit, dossier.state, dossier.created_by) == (
        world.school_a,
        DossierState.DRAFT,
        world.staff_a,
    )
    assert last_event().action == "dossier.create"
    assert "Đã lập hồ sơ dự thảo" in text(client.get(response.url))


@pytest.mark.calendar
def test_create_page_offers_only_open_campaigns(client, world):
    closed = f.CampaignFactory(
        name="Phong trào đã kết thúc",
        organizer=world.commune,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        submission_deadline=dt.date(2024, 11, 1),
    )
    client.force_login(world.staff_a)

    page = text(client.get(reverse("dossier-create")))

    assert world.campaign.name in page
    assert closed.name not in page


def test_person_who_drafts_for_two_units_chooses_the_unit(client, world):
    from org.services import role_assign

    role_assign(
        actor="system",
        user=world.staff_a,
        role="unit_staff",
        unit=world.school_b,
        start=dt.date(2020, 1, 1),
    )
    client.force_login(world.staff_a)

    response = client.post(
        reverse("dossier-create"),
        {
            "campaign": world.campaign.pk,
            "unit": world.school_b.pk,
            "title": "Hồ sơ Gia Thụy",
            "procedure_kind": "campaign",
        },
    )

    assert response.status_code == 302
    assert Dossier.objects.get(title="Hồ sơ Gia Thụy").unit == world.school_b


def test_person_without_a_unit_role_cannot_create(client, world):
    client.force_login(world.officer)

    get = client.get(reverse("dossier-create"))
    post = client.post(
        reverse("dossier-create"),
        {"campaign": world.campaign.pk, "title": "X", "procedure_kind": "campaign"},
    )

    assert get.status_code == post.status_code == 403
    assert "Đồng chí chỉ được lập hồ sơ cho đơn vị của mình." in text(post)
    assert not Dossier.objects.exists()


def test_create_without_a_title_shows_the_error_and_creates_nothing(client, world):
    client.force_login(world.staff_a)

    response = client.post(
        reverse("dossier-create"),
        {"campaign": world.campaign.pk, "title": "  ", "procedure_kind": "campaign"},
    )

    assert response.status_code == 400
    assert "Trường này là bắt buộc." in text(response)
    assert not Dossier.objects.exists()


def test_staff_edits_the_draft_and_the_audit_keeps_the_change(client, world, draft):
    client.force_login(world.staff_a)

    response = client.post(
        reverse("dossier-edit", args=[draft.pk]),
        {"title": "Tiêu đề mới", "procedure_kind": "achievement", "summary": ""},
    )

    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=draft.pk)
    assert (dossier.title, dossier.procedure_kind) == ("Tiêu đề mới", "achievement")
    event = last_event()
    assert event.action == "dossier.update"
    assert event.data["changes"]["title"][1] == "Tiêu đề mới"
    timeline = text(client.get(detail_url(draft)))
    assert "Sửa hồ sơ" in timeline
    assert "hình thức tổ chức khen thưởng, tiêu đề" in timeline  # the changed fields, by label


def test_editing_a_submitted_dossier_is_refused_with_409(client, world):
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.SUBMITTED,
        title="Cũ",
    )
    client.force_login(world.staff_a)

    response = client.post(
        reverse("dossier-edit", args=[dossier.pk]), {"title": "Mới", "procedure_kind": "campaign"}
    )

    assert response.status_code == 409
    assert "chỉ được sửa khi còn là dự thảo" in text(response)
    assert Dossier.objects.get(pk=dossier.pk).title == "Cũ"


# --- nominees ---------------------------------------------------------------------------------


def test_staff_adds_a_nominee(client, world, draft):
    client.force_login(world.staff_a)

    response = client.post(reverse("nominee-add", args=[draft.pk]), nominee_data())

    assert response.status_code == 302
    nominee = Nominee.objects.get(name="Phạm Minh Đức")
    assert (nominee.dossier_id, nominee.award_type.code, nominee.kind) == (
        draft.pk,
        "giay-khen",
        "individual",
    )
    assert last_event().action == "nominee.add"
    page = text(client.get(detail_url(draft)))
    assert "Đã thêm Phạm Minh Đức vào hồ sơ." in page
    assert "Giáo viên Toán" in page


def test_nominee_refused_by_the_service_shows_the_message_under_its_field(client, world, draft):
    client.force_login(world.staff_a)

    response = client.post(
        reverse("nominee-add", args=[draft.pk]),
        nominee_data(
            **{"nominee-kind": "collective", "nominee-award_type": f.award("lao-dong-tien-tien").pk}
        ),
    )

    assert response.status_code == 400
    assert "Không thể đề nghị “Lao động tiên tiến” cho đối tượng là tập thể." in text(response)
    assert Nominee.objects.filter(dossier=draft).count() == 1


def test_barred_nominee_is_shown_with_its_flag(client, world, draft):
    Nominee.objects.filter(pk=draft.nominee.pk).update(under_discipline=True)
    client.force_login(world.staff_a)

    assert "Đang bị kỷ luật" in text(client.get(detail_url(draft)))


def test_staff_edits_a_nominee(client, world, draft):
    client.force_login(world.staff_a)
    form = client.get(reverse("nominee-edit", args=[draft.pk, draft.nominee.pk]))
    assert 'value="Nguyễn Thị Lan"' in text(form)

    response = client.post(
        reverse("nominee-edit", args=[draft.pk, draft.nominee.pk]),
        nominee_data(**{"nominee-name": "Nguyễn Thị Lan Anh"}),
    )

    assert response.status_code == 302
    assert Nominee.objects.get(pk=draft.nominee.pk).name == "Nguyễn Thị Lan Anh"
    assert last_event().action == "nominee.update"


def test_staff_removes_a_nominee_and_removing_twice_is_409(client, world, draft):
    client.force_login(world.staff_a)
    url = reverse("nominee-remove", args=[draft.pk, draft.nominee.pk])

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == 302
    assert Nominee.objects.get(pk=draft.nominee.pk).removed_at is not None
    assert second.status_code == 409
    assert "Đối tượng này đã được đưa ra khỏi hồ sơ." in text(second)


# --- attachments ------------------------------------------------------------------------------


def test_staff_uploads_a_pdf_and_can_download_it(client, world, draft):
    client.force_login(world.staff_a)

    response = upload(client, draft, "to-trinh", f.pdf_upload("to-trinh-2026.pdf"))

    assert response.status_code == 302
    attachment = Attachment.objects.get(dossier=draft)
    assert (attachment.kind.code, attachment.version, attachment.content_type) == (
        "to-trinh",
        1,
        "application/pdf",
    )
    page = text(client.get(detail_url(draft)))
    assert reverse("attachment-download", args=[attachment.pk]) in page
    assert "to-trinh-2026.pdf" in page


def test_a_second_upload_is_version_2_and_the_first_stays_listed(client, world, draft):
    client.force_login(world.staff_a)
    upload(client, draft, "bao-cao-thanh-tich", f.pdf_upload("bao-cao-v1.pdf"), nominee=draft.nominee)

    upload(
        client,
        draft,
        "bao-cao-thanh-tich",
        f.pdf_upload("bao-cao-v2.pdf", text="sửa"),
        nominee=draft.nominee,
    )

    response = client.get(detail_url(draft))
    (slot,) = response.context["slots"]
    assert slot["current"].original_name == "bao-cao-v2.pdf"
    assert [a.original_name for a in slot["older"]] == ["bao-cao-v1.pdf"]
    assert "bản 2 · hiện hành" in text(response)


def test_fake_pdf_is_refused_with_the_message_and_nothing_is_stored(client, world, draft, settings):
    client.force_login(world.staff_a)
    events = AuditEvent.objects.count()

    response = upload(
        client,
        draft,
        "to-trinh",
        SimpleUploadedFile("to-trinh.pdf", b"just some text, not a PDF", "application/pdf"),
    )

    assert response.status_code == 400
    assert "Nội dung tệp không thuộc định dạng được chấp nhận" in text(response)
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_per_nominee_document_needs_a_nominee(client, world, draft):
    client.force_login(world.staff_a)

    response = upload(client, draft, "bao-cao-thanh-tich", f.pdf_upload("bao-cao.pdf"))

    assert response.status_code == 400
    assert "“Báo cáo thành tích” là tài liệu của từng đối tượng: hãy chọn đối tượng." in text(response)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("staff_a", 409)])
def test_attaching_to_a_submitted_dossier_is_not_yours_before_not_now(client, world, who, status):
    """A reviewer is refused as not theirs (403); only the unit's drafters are told to wait (409)."""
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.SUBMITTED,
    )
    client.force_login(getattr(world, who))

    response = upload(client, dossier, "to-trinh", f.pdf_upload())

    assert response.status_code == status
    assert not Attachment.objects.exists()


def test_timeline_shows_the_dossiers_events_and_no_other(client, world, complete_draft):
    other = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    client.force_login(world.staff_a)
    upload(client, other, "to-trinh", f.pdf_upload("cua-ho-so-khac.pdf"))

    response = client.get(detail_url(complete_draft))

    actions = [item["event"].action for item in response.context["timeline"]]
    assert actions == ["attachment.add"] * 3
    assert {item["event"].data["dossier_id"] for item in response.context["timeline"]} == {complete_draft.pk}
    assert "Đính kèm tệp" in text(response)
