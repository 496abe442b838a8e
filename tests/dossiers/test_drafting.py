"""Drafting a dossier: create, edit, nominees, attachments, withdraw — and every refusal leaves
the data as it was."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from dossiers import services
from dossiers.models import Attachment, Dossier, DossierState, Nominee
from org.errors import TransitionNotAllowed
from tests import factories as f


def state_of_everything():
    return (
        list(Dossier.objects.order_by("pk").values_list("pk", "title", "summary", "state")),
        list(Nominee.objects.order_by("pk").values_list("pk", "name", "removed_at", "award_type_id")),
        list(Attachment.objects.order_by("pk").values_list("pk", "version", "sha256", "detached")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def unchanged():
    """Use as `with unchanged(): ...` around a call that must be refused."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = state_of_everything()
        yield
        assert state_of_everything() == before

    return check


def last_event():
    return AuditEvent.objects.order_by("-seq").first()


# --- create / edit ---


def test_staff_creates_a_draft_for_their_unit(world):
    dossier = services.dossier_create(
        actor=world.staff_a, unit=world.school_a, campaign=world.campaign, title="Hồ sơ năm học"
    )
    assert dossier.state == DossierState.DRAFT
    assert dossier.procedure_kind == world.campaign.procedure_kind
    assert (last_event().action, last_event().data["title"]) == ("dossier.create", "Hồ sơ năm học")


def test_nobody_creates_for_another_unit(world, unchanged):
    for actor in (world.head_b, world.officer, world.inspector, world.chair):
        with unchanged(), pytest.raises(PermissionDenied):
            services.dossier_create(actor=actor, unit=world.school_a, campaign=world.campaign, title="x")


def test_title_is_required(world, unchanged):
    with unchanged(), pytest.raises(ValidationError) as info:
        services.dossier_create(actor=world.staff_a, unit=world.school_a, campaign=world.campaign, title="  ")
    assert info.value.message_dict == {"title": ["Give the dossier a title."]}


def test_edit_records_before_and_after(draft, world):
    old_title = draft.title
    services.dossier_update(actor=world.staff_a, dossier=draft, title="Tên mới", summary=draft.summary)
    assert Dossier.objects.get(pk=draft.pk).title == "Tên mới"
    assert last_event().action == "dossier.update"
    assert last_event().data["changes"] == {"title": [old_title, "Tên mới"]}


def test_edit_without_change_writes_no_event(draft, world, unchanged):
    with unchanged():
        services.dossier_update(actor=world.staff_a, dossier=draft, title=draft.title)


def test_submitted_dossier_cannot_be_edited(world, unchanged):
    dossier = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, state=DossierState.SUBMITTED
    )
    with unchanged(), pytest.raises(TransitionNotAllowed) as info:
        services.dossier_update(actor=world.staff_a, dossier=dossier, title="x")
    assert "“Submitted”" in str(info.value)


def test_other_unit_cannot_edit(draft, world, unchanged):
    with unchanged(), pytest.raises(PermissionDenied):
        services.dossier_update(actor=world.head_b, dossier=draft, title="x")


def test_unknown_fields_are_refused(draft, world, unchanged):
    with unchanged(), pytest.raises(ValidationError):
        services.dossier_update(actor=world.staff_a, dossier=draft, state="decided")


# --- nominees ---


def test_add_nominee(draft, world):
    nominee = services.nominee_add(
        actor=world.staff_a,
        dossier=draft,
        kind="collective",
        name="Tổ Toán – Tin",
        award_type=f.award("tap-the-lao-dong-tien-tien"),
        achievements="Dẫn đầu phong trào.",
    )
    assert nominee.dossier_id == draft.pk
    assert (last_event().action, last_event().data["name"]) == ("nominee.add", "Tổ Toán – Tin")


def test_award_must_fit_the_nominee_kind(draft, world, unchanged):
    with unchanged(), pytest.raises(ValidationError) as info:
        services.nominee_add(
            actor=world.staff_a,
            dossier=draft,
            kind="collective",
            name="Tổ Văn",
            award_type=f.award("chien-si-thi-dua-co-so"),
            achievements="…",
        )
    assert info.value.message_dict == {"kind": ["“Chiến sĩ thi đua cơ sở” cannot be given to a collective."]}


def test_award_must_be_offered_by_the_campaign(draft, world, unchanged):
    world.campaign.award_types.set([f.award("giay-khen")])
    with unchanged(), pytest.raises(ValidationError) as info:
        services.nominee_add(
            actor=world.staff_a,
            dossier=draft,
            kind="individual",
            name="A",
            award_type=f.award("lao-dong-tien-tien"),
            achievements="…",
        )
    assert "does not offer" in info.value.message_dict["award_type"][0]


def test_nominee_name_and_achievements_are_required(draft, world, unchanged):
    with unchanged(), pytest.raises(ValidationError) as info:
        services.nominee_add(
            actor=world.staff_a,
            dossier=draft,
            kind="individual",
            name="",
            award_type=f.award("giay-khen"),
            achievements="",
        )
    assert set(info.value.message_dict) == {"name", "achievements"}


def test_update_nominee_records_diff(draft, world):
    services.nominee_update(actor=world.staff_a, nominee=draft.nominee, position="Tổ trưởng")
    assert last_event().data["changes"] == {"position": ["Giáo viên", "Tổ trưởng"]}


def test_removed_nominee_is_kept_as_history_with_its_files(draft, world):
    a = services.attachment_add(
        actor=world.staff_a,
        dossier=draft,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=draft.nominee,
        uploaded_file=f.pdf_upload(),
    )
    services.nominee_remove(actor=world.staff_a, nominee=draft.nominee)
    nominee = Nominee.objects.get(pk=draft.nominee.pk)
    assert nominee.removed_at is not None
    assert Attachment.objects.get(pk=a.pk).detached
    assert not Nominee.objects.current().filter(dossier=draft).exists()
    assert last_event().action == "nominee.remove"


def test_removing_twice_is_refused(draft, world, unchanged):
    services.nominee_remove(actor=world.staff_a, nominee=draft.nominee)
    with unchanged(), pytest.raises(TransitionNotAllowed):
        services.nominee_remove(actor=world.staff_a, nominee=draft.nominee)


# --- attachments ---


def test_attach_pdf_stores_hash_size_and_type(draft, world):
    upload = f.pdf_upload("tờ trình.pdf")
    content = f.pdf_bytes()
    a = services.attachment_add(
        actor=world.staff_a, dossier=draft, kind=f.doc_kind("to-trinh"), uploaded_file=upload
    )
    assert (a.version, a.size, a.content_type) == (1, len(content), "application/pdf")
    assert a.sha256 == hashlib.sha256(content).hexdigest()
    with a.file.open("rb") as fh:
        assert fh.read() == content
    assert last_event().data["sha256"] == a.sha256


def test_replacing_a_file_adds_a_version_and_keeps_the_old(draft, world):
    kind = f.doc_kind("to-trinh")
    first = services.attachment_add(
        actor=world.staff_a, dossier=draft, kind=kind, uploaded_file=f.pdf_upload(text="v1")
    )
    second = services.attachment_add(
        actor=world.staff_a, dossier=draft, kind=kind, uploaded_file=f.pdf_upload(text="v2")
    )
    assert (first.version, second.version) == (1, 2)
    assert first.file.name != second.file.name
    with Attachment.objects.get(pk=first.pk).file.open("rb") as fh:
        assert b"v1" in fh.read()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"This is plain text pretending to be a PDF.", "not an accepted type"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "not an accepted type"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "damaged or not a PDF"),
        ("report.docx", f.pdf_bytes(), "named “report.docx” but its content is application/pdf"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_fake_or_broken_files_are_refused(draft, world, unchanged, name, content, message):
    with unchanged(), pytest.raises(ValidationError) as info:
        services.attachment_add(
            actor=world.staff_a,
            dossier=draft,
            kind=f.doc_kind("to-trinh"),
            uploaded_file=SimpleUploadedFile(name, content),
        )
    assert message in info.value.message_dict["file"][0]


def test_oversized_file_is_refused(draft, world, unchanged, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = f.pdf_bytes() + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    with unchanged(), pytest.raises(ValidationError) as info:
        services.attachment_add(
            actor=world.staff_a,
            dossier=draft,
            kind=f.doc_kind("to-trinh"),
            uploaded_file=SimpleUploadedFile("big.pdf", big),
        )
    assert info.value.message_dict["file"] == ["The file is 2.0 MB; the largest allowed is 1 MB."]


def test_per_nominee_document_needs_its_nominee(draft, world, unchanged):
    with unchanged(), pytest.raises(ValidationError) as info:
        services.attachment_add(
            actor=world.staff_a,
            dossier=draft,
            kind=f.doc_kind("bao-cao-thanh-tich"),
            uploaded_file=f.pdf_upload(),
        )
    assert "nominee" in info.value.message_dict


def test_nominee_of_another_dossier_is_refused(draft, world, unchanged):
    other = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    stranger = f.NomineeFactory(dossier=other)
    with unchanged(), pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.staff_a,
            dossier=draft,
            kind=f.doc_kind("bao-cao-thanh-tich"),
            nominee=stranger,
            uploaded_file=f.pdf_upload(),
        )


def test_cannot_attach_to_a_submitted_dossier(complete_draft, world, unchanged):
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    with unchanged(), pytest.raises(TransitionNotAllowed):
        services.attachment_add(
            actor=world.staff_a,
            dossier=complete_draft,
            kind=f.doc_kind("to-trinh"),
            uploaded_file=f.pdf_upload(),
        )


def test_images_and_office_files_are_accepted(draft, world):
    import io
    import zipfile

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(picture, "PNG")
    png = picture.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    kind = f.doc_kind("bien-ban")
    services.attachment_add(
        actor=world.staff_a, dossier=draft, kind=kind, uploaded_file=SimpleUploadedFile("anh.png", png)
    )
    a = services.attachment_add(
        actor=world.staff_a,
        dossier=draft,
        kind=kind,
        uploaded_file=SimpleUploadedFile("bb.docx", buf.getvalue()),
    )
    assert a.content_type.endswith("wordprocessingml.document")


# --- withdraw ---


@pytest.mark.parametrize("state", [DossierState.DRAFT, DossierState.SUBMITTED, DossierState.RETURNED])
def test_head_withdraws_with_a_reason(world, state):
    dossier = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, state=state
    )
    services.dossier_withdraw(actor=world.head_a, dossier=dossier, reason="Nộp nhầm đợt")
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.WITHDRAWN
    assert last_event().data == {"from": state, "reason": "Nộp nhầm đợt"}


def test_withdraw_needs_a_reason(draft, world, unchanged):
    with unchanged(), pytest.raises(ValidationError):
        services.dossier_withdraw(actor=world.head_a, dossier=draft, reason=" ")


def test_staff_cannot_withdraw(draft, world, unchanged):
    with unchanged(), pytest.raises(PermissionDenied):
        services.dossier_withdraw(actor=world.staff_a, dossier=draft, reason="x")


@pytest.mark.parametrize("state", [DossierState.IN_APPRAISAL, DossierState.DECIDED, DossierState.WITHDRAWN])
def test_too_late_to_withdraw(world, unchanged, state):
    dossier = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, state=state
    )
    with unchanged(), pytest.raises(TransitionNotAllowed):
        services.dossier_withdraw(actor=world.head_a, dossier=dossier, reason="x")


def test_state_field_cannot_be_set_directly(draft):
    with pytest.raises(AttributeError):
        draft.state = DossierState.DECIDED
