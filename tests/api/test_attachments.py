"""/api/dossiers/{id}/attachments/ and /api/attachments/{id}/download/: files, judged by content."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Attachment, DossierState
from dossiers.services import attachment_add
from tests import factories as f

from .helpers import no_audit_event, one_audit_event


def list_url(dossier):
    return f"/api/dossiers/{dossier.pk}/attachments/"


def download_url(attachment):
    return f"/api/attachments/{attachment.pk}/download/"


def test_staff_attaches_a_pdf_to_the_dossier(api, world, draft):
    with one_audit_event("attachment.add") as event:
        response = api.as_(world.staff_a).post(
            list_url(draft), {"kind": "to-trinh", "file": f.pdf_upload()}, format="multipart"
        )

    assert response.status_code == 201
    attachment = Attachment.objects.get(pk=response.data["id"])
    assert (attachment.dossier, attachment.kind.code, attachment.nominee) == (
        draft,
        "to-trinh",
        None,
    )
    assert (attachment.version, attachment.content_type) == (1, "application/pdf")
    assert attachment.file.read() == f.pdf_bytes()
    assert response.data["kind"]["code"] == "to-trinh"
    assert response.data["sha256"] == attachment.sha256
    assert event[0].data["sha256"] == attachment.sha256


def test_a_nominee_document_is_attached_to_the_chosen_nominee(api, world, draft):
    response = api.as_(world.staff_a).post(
        list_url(draft),
        {
            "kind": "bao-cao-thanh-tich",
            "nominee": draft.nominee.pk,
            "file": f.pdf_upload("bao-cao.pdf"),
        },
        format="multipart",
    )

    assert response.status_code == 201
    assert response.data["nominee"] == draft.nominee.pk
    assert Attachment.objects.get(pk=response.data["id"]).nominee == draft.nominee


def test_a_nominee_document_needs_its_nominee(api, world, draft):
    with no_audit_event():
        response = api.as_(world.staff_a).post(
            list_url(draft),
            {"kind": "bao-cao-thanh-tich", "file": f.pdf_upload()},
            format="multipart",
        )

    assert response.status_code == 400
    assert response.data == {"nominee": ["“Báo cáo thành tích” belongs to a nominee: choose which."]}
    assert not Attachment.objects.exists()


def test_a_nominee_of_another_dossier_is_unknown(api, world, draft):
    other = f.DossierFactory(unit=world.school_b, campaign=world.campaign, created_by=world.head_b)
    stranger = f.NomineeFactory(dossier=other)

    response = api.as_(world.staff_a).post(
        list_url(draft),
        {"kind": "bao-cao-thanh-tich", "nominee": stranger.pk, "file": f.pdf_upload()},
        format="multipart",
    )

    assert response.status_code == 400
    assert set(response.data) == {"nominee"}
    assert not Attachment.objects.exists()


def test_a_text_file_named_pdf_is_refused(api, world, draft):
    fake = SimpleUploadedFile(
        "to-trinh.pdf", b"Day la van ban, khong phai PDF.\n", content_type="application/pdf"
    )
    with no_audit_event():
        response = api.as_(world.staff_a).post(
            list_url(draft), {"kind": "to-trinh", "file": fake}, format="multipart"
        )

    assert response.status_code == 400
    assert response.data == {
        "file": [
            "This file's content is not an accepted type (PDF, DOCX, XLSX, JPEG, PNG), "
            "whatever its name says."
        ]
    }
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(api, world, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    padding = b"%" + b"0" * (1024 * 1024 + 512 * 1024) + b"\n"
    big = SimpleUploadedFile("to-trinh.pdf", f.pdf_bytes().replace(b"trailer", padding + b"trailer"))
    with no_audit_event():
        response = api.as_(world.staff_a).post(
            list_url(draft), {"kind": "to-trinh", "file": big}, format="multipart"
        )

    assert response.status_code == 400
    assert response.data == {"file": ["The file is 1.5 MB; the largest allowed is 1 MB."]}
    assert not Attachment.objects.exists()


def test_an_unknown_document_kind_is_a_field_error(api, world, draft):
    response = api.as_(world.staff_a).post(
        list_url(draft), {"kind": "giay-phep", "file": f.pdf_upload()}, format="multipart"
    )
    assert response.status_code == 400
    assert set(response.data) == {"kind"}


def test_files_of_a_submitted_dossier_are_fixed(api, world):
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.SUBMITTED,
    )
    response = api.as_(world.staff_a).post(
        list_url(dossier), {"kind": "to-trinh", "file": f.pdf_upload()}, format="multipart"
    )

    assert response.status_code == 409
    assert not Attachment.objects.exists()


def test_a_second_file_in_a_slot_is_the_next_version(api, world, complete_draft):
    client = api.as_(world.staff_a)
    response = client.post(
        list_url(complete_draft),
        {"kind": "to-trinh", "file": f.pdf_upload("v2.pdf", "v2")},
        format="multipart",
    )
    assert response.data["version"] == 2

    listed = client.get(list_url(complete_draft))

    assert listed.status_code == 200
    slot = next(a for a in listed.data if a["kind"]["code"] == "to-trinh")
    assert (slot["version"], slot["original_name"]) == (2, "v2.pdf")
    assert [v["version"] for v in slot["earlier_versions"]] == [1]
    assert len(listed.data) == 3


def test_download_returns_the_file_as_stored(api, world, complete_draft):
    attachment = Attachment.objects.get(dossier=complete_draft, kind__code="bao-cao-thanh-tich")

    response = api.as_(world.head_a).get(download_url(attachment), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao.pdf"'


def test_download_of_a_missing_attachment_is_404_even_asking_for_a_pdf(api, world):
    response = api.as_(world.head_a).get("/api/attachments/999999/download/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_reviewer_downloads_once_the_dossier_is_submitted(api, world, complete_draft):
    attachment = attachment_add(
        actor=world.staff_a,
        dossier=complete_draft,
        kind=f.doc_kind("sang-kien"),
        nominee=complete_draft.nominee,
        uploaded_file=f.pdf_upload("sang-kien.pdf"),
    )
    client = api.as_(world.officer)
    assert client.get(download_url(attachment)).status_code == 404

    type(complete_draft).objects.filter(pk=complete_draft.pk).update(state=DossierState.SUBMITTED)

    assert client.get(download_url(attachment)).status_code == 200
