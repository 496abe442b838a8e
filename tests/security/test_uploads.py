"""Hostile files, each built here, through the real upload service and through the web and API
upload endpoints: a PDF that runs a script when opened, a PDF that is also a web page, a zip bomb
named .docx, a name that hides its real extension behind a right-to-left override. Each is refused
with a message the user can act on, and nothing is kept: no row, no audit event, no stored file.
Real documents (WeasyPrint's, pypdf's, a minimal Word file, pictures) are accepted."""

import io
import struct
import unicodedata
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from audit.models import AuditEvent
from dossiers import services
from dossiers.files import DOCX, NAME_MAX_CHARS, PDF, XLSX, clean_name
from dossiers.models import Attachment
from tests import factories as f
from tests.api.helpers import english_client

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# --- the files --------------------------------------------------------------------------------


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    return writer


def pdf_with_open_action(action: dict) -> bytes:
    """A PDF whose catalog's /OpenAction runs `action` when the file is opened."""
    writer = blank_pdf()
    ref = writer._add_object(DictionaryObject({NameObject(k): v for k, v in action.items()}))
    writer._root_object[NameObject("/OpenAction")] = ref
    return written(writer)


def open_action_javascript() -> bytes:
    return pdf_with_open_action(
        {
            "/Type": NameObject("/Action"),
            "/S": NameObject("/JavaScript"),
            "/JS": TextStringObject("app.alert(1)"),
        }
    )


def document_javascript() -> bytes:
    """pypdf's writer: a script in the document's JavaScript name tree (run when it opens)."""
    writer = blank_pdf()
    writer.add_open_action(JavaScript("this.print({bUI:false,bSilent:true});"))
    return written(writer)


def open_action_launch() -> bytes:
    return pdf_with_open_action(
        {"/Type": NameObject("/Action"), "/S": NameObject("/Launch"), "/F": TextStringObject("cmd.exe")}
    )


def page_additional_actions() -> bytes:
    writer = blank_pdf()
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("https://example.org/")}
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    return written(writer)


def embedded_file() -> bytes:
    writer = blank_pdf()
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    return written(writer)


def xfa_form() -> bytes:
    writer = blank_pdf()
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")}
    )
    return written(writer)


def encrypted_pdf() -> bytes:
    writer = blank_pdf()
    writer.encrypt("mat-khau")
    return written(writer)


def open_at_first_page() -> bytes:
    """An /OpenAction that only opens at page 1, fit to the window: harmless, common."""
    writer = blank_pdf()
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    return written(writer)


HTML = b"<html><body><script>fetch('/api/me/').then(r => r.text()).then(alert)</script></body></html>"


def pdf_html_polyglot() -> bytes:
    """A valid PDF (a strict reader parses it) whose first lines a sniffing browser renders."""
    return f.pdf_bytes(HTML.decode())


def html_then_pdf() -> bytes:
    """A web page with a PDF after it, within the 1024 bytes where a PDF's header may start."""
    return b"<!DOCTYPE html>" + HTML + b"\n" + f.pdf_bytes()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Biên bản họp Hội đồng Thi đua - Khen thưởng</w:t></w:r></w:p></w:body>"
    "</w:document>"
).encode()


def docx(**extra) -> bytes:
    """A minimal real OOXML word-processing package; `extra` parts as name → bytes (or a size
    of zeros, written in chunks)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", DOCUMENT)
        for name, content in extra.items():
            name = name.replace("__", "/")
            if isinstance(content, int):
                with archive.open(name, "w", force_zip64=True) as part:
                    for _ in range(content // MB):
                        part.write(bytes(MB))
            else:
                archive.writestr(name, content)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """200 MB of zeros, packed into a .docx of a few hundred KB."""
    return docx(word__media__image1__png=200 * MB)


def dense_docx() -> bytes:
    """30 MB of zeros in one part: under the total cap, but packed 1:1000 as no document is."""
    return docx(word__media__image1__png=30 * MB)


def nested_archive_docx() -> bytes:
    inner = docx()
    return docx(word__embeddings__Microsoft_Excel_Worksheet__xlsx=inner)


def xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", CONTENT_TYPES.replace(b"wordprocessingml.document", b"spreadsheetml.sheet")
        )
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    return out.getvalue()


def picture(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, fmt)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb() -> bytes:
    """A PNG of a few hundred bytes whose header says 30,000 × 30,000 pixels (2.7 GB to decode)."""
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes(30_000 * 3 + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def weasyprint_pdf() -> bytes:
    import datetime as dt

    from demo.pdf import DemoPdfRenderer

    return DemoPdfRenderer().render(
        issuer="UBND Phường Long Biên",
        unit="Trường THCS Ngọc Lâm",
        place="Long Biên",
        day=dt.date(2026, 3, 11),
        title="TỜ TRÌNH",
        paragraphs=["Đề nghị tặng Giấy khen cho bà Nguyễn Thị Lan, giáo viên."],
    )


# name, content, the message the user reads (English source)
HOSTILE = {
    "open-action-javascript": ("to-trinh.pdf", open_action_javascript, "active content (JavaScript)"),
    "document-javascript": ("to-trinh.pdf", document_javascript, "active content (JavaScript)"),
    "open-action-launch": ("to-trinh.pdf", open_action_launch, "a command to launch a program"),
    "additional-actions": ("to-trinh.pdf", page_additional_actions, "active content (automatic actions)"),
    "embedded-file": ("to-trinh.pdf", embedded_file, "active content (embedded files)"),
    "xfa-form": ("to-trinh.pdf", xfa_form, "active content (an XFA form)"),
    "encrypted": ("to-trinh.pdf", encrypted_pdf, "encrypted or password-protected"),
    "damaged": (
        "to-trinh.pdf",
        lambda: b"%PDF-1.7\n1 0 obj<</Type/Catalog>>\n%%EOF\n",
        "damaged or not a PDF",
    ),
    "pdf-html-polyglot": ("to-trinh.pdf", pdf_html_polyglot, "contains a web page (HTML)"),
    "html-then-pdf": ("to-trinh.pdf", html_then_pdf, "contains a web page (HTML)"),
    "zip-bomb": ("bien-ban.docx", zip_bomb_docx, "unpacks into more than 100 MB"),
    "packed-too-tight": ("bien-ban.docx", dense_docx, "unpacks into more than 100 MB"),
    "nested-archive": ("bien-ban.docx", nested_archive_docx, "contains another archive"),
    "png-bomb": ("anh.png", png_bomb, "larger than 50 megapixels"),
    # "hoa-don‮fdp.exe" reads as "hoa-donexe.pdf"
    "rtl-override-hides-exe": ("hoa-don\u202efdp.exe", f.pdf_bytes, "named “hoa-donfdp.exe”"),
}


@pytest.fixture
def nothing_kept(settings):
    """Around an upload that must be refused: no attachment row, no audit event, no file."""

    @contextmanager
    def check():
        events = AuditEvent.objects.count()
        yield
        assert not Attachment.objects.exists()
        assert AuditEvent.objects.count() == events
        media = Path(settings.MEDIA_ROOT)
        assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]

    return check


def attach(world, draft, name, content):
    return services.attachment_add(
        actor=world.staff_a,
        dossier=draft,
        kind=f.doc_kind("bien-ban"),
        uploaded_file=SimpleUploadedFile(name, content),
    )


# --- the service ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", HOSTILE)
def test_the_upload_service_refuses_a_hostile_file_and_keeps_nothing(case, world, draft, nothing_kept):
    name, content, message = HOSTILE[case]

    with nothing_kept(), pytest.raises(ValidationError) as info:
        attach(world, draft, name, content())

    assert message in info.value.message_dict["file"][0]


# --- the web page and the API -----------------------------------------------------------------


@pytest.mark.parametrize("case", ["open-action-javascript", "pdf-html-polyglot", "zip-bomb", "encrypted"])
def test_the_upload_page_refuses_a_hostile_file_in_vietnamese_and_keeps_nothing(
    case, client, world, draft, nothing_kept
):
    name, content, _message = HOSTILE[case]
    client.force_login(world.staff_a)

    with nothing_kept():
        response = client.post(
            reverse("attachment-add", args=[draft.pk]),
            {
                "attachment-kind": f.doc_kind("bien-ban").pk,
                "attachment-file": SimpleUploadedFile(name, content()),
            },
        )

    assert response.status_code == 400
    page = response.content.decode()
    assert any(
        words in page
        for words in ("nội dung chủ động", "trang web (HTML)", "khi giải nén", "mã hóa hoặc đặt mật khẩu")
    ), page


@pytest.mark.parametrize("case", ["open-action-javascript", "html-then-pdf", "zip-bomb", "png-bomb"])
def test_the_upload_endpoint_refuses_a_hostile_file_with_400_and_keeps_nothing(
    case, world, draft, nothing_kept
):
    name, content, message = HOSTILE[case]
    api = english_client()
    api.force_authenticate(world.staff_a)

    with nothing_kept():
        response = api.post(
            f"/api/dossiers/{draft.pk}/attachments/",
            {"kind": "bien-ban", "file": SimpleUploadedFile(name, content())},
            format="multipart",
        )

    assert response.status_code == 400
    assert message in str(response.data["file"][0])


# --- what is accepted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("to-trinh.pdf", weasyprint_pdf, PDF),
        ("to-trinh.pdf", lambda: written(blank_pdf()), PDF),
        ("to-trinh.pdf", open_at_first_page, PDF),
        ("to-trinh.pdf", f.pdf_bytes, PDF),
        ("bien-ban.docx", docx, DOCX),
        ("danh-sach.xlsx", xlsx, XLSX),
        ("anh.png", lambda: picture("PNG"), "image/png"),
        ("anh.jpg", lambda: picture("JPEG"), "image/jpeg"),
    ],
)
def test_real_documents_are_accepted(world, draft, name, content, content_type):
    data = content()

    attachment = attach(world, draft, name, data)

    assert (attachment.content_type, attachment.original_name) == (content_type, name)
    assert attachment.file.read() == data


def test_a_right_to_left_override_is_taken_out_of_the_name_shown_and_recorded(world, draft):
    attachment = attach(world, draft, "bao-cao\u202efdp.pdf", f.pdf_bytes())

    assert attachment.original_name == "bao-caofdp.pdf"
    event = AuditEvent.objects.get(action="attachment.add")
    assert event.data["name"] == "bao-caofdp.pdf"
    # The stored name is ours, whatever the user's.
    assert "bao" not in attachment.file.name


def test_a_right_to_left_override_hiding_another_extension_is_refused_under_its_real_name(world, draft):
    with pytest.raises(ValidationError) as info:
        attach(world, draft, "hoa-don\u202efdp.exe", f.pdf_bytes())

    assert "“hoa-donfdp.exe”" in info.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("Bie\u0302n ba\u0309n ho\u0323p.pdf", "Biên bản họp.pdf"),  # decomposed (macOS) → NFC
        ("a\u2066b\u2069c\u200ed\u200f.pdf", "abcd.pdf"),  # isolates and marks
        ("..\\..\\windows\\system32\\to-trinh.pdf", "to-trinh.pdf"),
        ("../../etc/to-trinh.pdf", "to-trinh.pdf"),
        ("to\x00trinh\r\n.pdf", "totrinh.pdf"),
        ("...pdf", "pdf"),
        (".pdf", "pdf"),
        ("\u202e", "tai-lieu"),
    ],
)
def test_names_are_normalised(given, shown):
    assert clean_name(given) == shown
    assert unicodedata.is_normalized("NFC", clean_name(given))


def test_a_long_name_is_cut_keeping_its_extension():
    shown = clean_name("Báo cáo thành tích " * 30 + ".pdf")

    assert len(shown) <= NAME_MAX_CHARS
    assert shown.endswith("thành tích.pdf") or shown.endswith(".pdf")
    assert not shown[:-4].endswith((" ", "."))


# --- downloads --------------------------------------------------------------------------------


def test_a_stored_file_is_served_as_a_download_never_sniffed(client, world, draft):
    attachment = attach(world, draft, "to-trinh.pdf", f.pdf_bytes())
    # A name recorded before names were cleaned.
    Attachment.objects.filter(pk=attachment.pk).update(original_name="hoa-don\u202efdp.pdf")
    client.force_login(world.staff_a)
    api = english_client()
    api.force_authenticate(world.staff_a)

    for response in (
        client.get(reverse("attachment-download", args=[attachment.pk])),
        api.get(f"/api/attachments/{attachment.pk}/download/"),
    ):
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == 'attachment; filename="hoa-donfdp.pdf"'
