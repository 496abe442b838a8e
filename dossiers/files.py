"""What an uploaded file really is, judged by its content, never by its name; and whether it is safe
to keep as evidence: no active content in a PDF, no HTML a browser could render, no archive that
unpacks into more than the office could ever need, no name that lies about itself.

Every upload (a dossier's attachments, the council's minutes and written votes, the evidence of a
step) goes through `sniff`. A file is refused rather than cleaned: the user is told what to remove
and exports the document again, and what we keep is byte for byte what they sent.
"""

import hashlib
import re
import struct
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"

# What a dossier may carry, with the names the user's file may end in.
ALLOWED = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, JPEG, PNG"

# The PDF header may follow some bytes of junk (ISO 32000-1, annex H: within the first 1024).
PDF_HEADER_WITHIN = 1024
# What a browser that sniffs content would take for a web page (and run its scripts).
HTML_SNIFF_BYTES = 8192
HTML_MARKERS = re.compile(rb"<(?:!doctype|html|head|body|script|iframe|svg)[\s>/]", re.IGNORECASE)

# PDF dictionary keys that carry actions a viewer runs, or files it can open. /OpenAction is judged
# by the action it names (opening at a page is harmless; a script or a launch is not).
PDF_ACTIVE_KEYS = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/AA": _("automatic actions"),
    "/EmbeddedFile": _("embedded files"),
    "/EmbeddedFiles": _("embedded files"),
    "/EF": _("embedded files"),
    "/RichMedia": _("multimedia (RichMedia)"),
    "/XFA": _("an XFA form"),
}
# Action types (/S) that run code, open programs or files, or send data away.
PDF_ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": _("a command to launch a program"),
    "/RichMediaExecute": _("multimedia (RichMedia)"),
    "/GoToE": _("embedded files"),
    "/ImportData": _("a form that imports data"),
    "/SubmitForm": _("a form that sends data"),
}
PDF_MAX_OBJECTS = 500_000

# An office document is a ZIP of XML parts: these bound what unpacking it may cost.
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_RATIO = 200  # XML rarely packs tighter than 1:50; a part of zeros packs 1:1000
ZIP_RATIO_FROM_BYTES = 1024 * 1024  # small parts compress as they like; large ones are checked
NESTED_ARCHIVE_SUFFIXES = (".zip", ".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".jar", ".rar", ".7z", ".gz")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
OFFICE_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
NESTED_ARCHIVE = _(
    "The document contains another archive (%(name)s), e.g. an embedded spreadsheet: replace it "
    "with a picture, or export the document to PDF, and attach that."
)
MACROS = _("The document contains macros: save it as a plain DOCX or XLSX.")

# A scan of an A4 page at 600 dpi is 35 megapixels; Pillow's own alarm rings at 89.
IMAGE_MAX_PIXELS = 50_000_000

# File names shown to people: bidi overrides and other invisible characters make
# "hoadon\u202efdp.exe" read as "hoadonexe.pdf".
NAME_MAX_CHARS = 150
DEFAULT_STEM = "tai-lieu"


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    size: int
    sha256: str
    name: str  # the name to show (clean_name of the user's); the stored name is ours


class FileRejected(ValueError):
    pass


# --- names ------------------------------------------------------------------------------------


def clean_name(name: str | None) -> str:
    """The user's file name as we show it: NFC, without control, format (bidi) or private-use
    characters, without any folder, no leading dots, at most NAME_MAX_CHARS with its extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if c.isspace() else c for c in name)
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = " ".join(name.split()).lstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if dot and stem and 0 < len(ext) <= 10:
        ext = f".{ext}"
    else:
        stem, ext = name, ""
    stem = stem[: NAME_MAX_CHARS - len(ext)].rstrip(" .") or DEFAULT_STEM
    return unicodedata.normalize("NFC", stem + ext)


# --- content ----------------------------------------------------------------------------------


def _pdf_problem(fileobj) -> str | None:
    """Why this PDF may not be kept (a message), or None. Walks every object reachable from the
    trailer; a stream's dictionary is read, its data never decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(fileobj, strict=False)
            if reader.is_encrypted:
                return _(
                    "The PDF is encrypted or password-protected: save it without a password and attach it again."
                )
            found = _pdf_active_content(reader.trailer)
    except Exception:  # pypdf on hostile input may fail in any way: the file is not a PDF we keep
        return _("This file cannot be read as a PDF: the file is damaged or not a PDF.")
    if found:
        return _(
            "The PDF contains active content (%(what)s), which a dossier may not carry: remove it "
            "(for example, print or export the document to PDF again without it) and attach it again."
        ) % {"what": found}
    return None


def _pdf_active_content(trailer) -> str | None:
    seen, stack, count = set(), [trailer], 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            count += 1
            if count > PDF_MAX_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            for name, value in item.items():
                if name in PDF_ACTIVE_KEYS:
                    return str(PDF_ACTIVE_KEYS[name])
                stack.append(value)
            action = item.get("/S")
            if isinstance(action, NameObject) and action in PDF_ACTIVE_ACTIONS:
                return str(PDF_ACTIVE_ACTIONS[action])
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _office_problem(fileobj) -> tuple[str | None, str | None]:
    """(content type, None) for a real DOCX or XLSX whose unpacking is bounded, or (None or the
    type, the reason it is refused)."""
    not_office = _("This file's content is not an accepted type (%(types)s), whatever its name says.") % {
        "types": ALLOWED_LABEL
    }
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None, not_office
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names:
            return None, not_office
        if OFFICE_MAIN_PART[DOCX] in names:
            content_type = DOCX
        elif OFFICE_MAIN_PART[XLSX] in names:
            content_type = XLSX
        else:
            return None, not_office
        limit = settings.ATTACHMENT_MAX_UNPACKED_BYTES
        too_big = _(
            "The document unpacks into more than %(limit)s MB (or is built to look small and grow "
            "when opened): save it again, or export it to PDF, and attach that."
        ) % {"limit": f"{limit / 1048576:.0f}"}
        if len(members) > ZIP_MAX_MEMBERS:
            return content_type, too_big
        if sum(m.file_size for m in members) > limit:
            return content_type, too_big
        for member in members:
            name = member.filename
            if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name) or member.flag_bits & 0x1:
                return content_type, not_office
            if member.file_size >= ZIP_RATIO_FROM_BYTES and member.file_size > ZIP_MAX_RATIO * max(
                member.compress_size, 1
            ):
                return content_type, too_big
            lowered = name.lower()
            if lowered.endswith("vbaproject.bin"):
                return content_type, MACROS
            if lowered.endswith(NESTED_ARCHIVE_SUFFIXES):
                return content_type, NESTED_ARCHIVE % {"name": name}
        # Unpack for real, bounded by the declared sizes (zipfile reads no further than them) and
        # checked against each part's CRC: a header that lies about a size is a damaged file.
        unpacked = 0
        try:
            for member in members:
                with archive.open(member) as part:
                    head = part.read(8)
                    if head.startswith(ARCHIVE_MAGIC):
                        return content_type, NESTED_ARCHIVE % {"name": member.filename}
                    if member.filename == "[Content_Types].xml":
                        rest = part.read(256 * 1024)
                        if b"macroenabled" in (head + rest).lower():
                            return content_type, MACROS
                    unpacked += len(head)
                    while chunk := part.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            return content_type, too_big
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
            return content_type, _("The document is damaged: save it again and attach it again.")
    return content_type, None


def _image_problem(fileobj, content_type) -> str | None:
    """Images are read by their header only (width × height), then checked whole by Pillow."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as image:
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise Image.DecompressionBombError
                if Image.MIME.get(image.format) != content_type:
                    raise UnidentifiedImageError
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _("The picture is larger than %(limit)s megapixels: reduce it and attach it again.") % {
            "limit": f"{IMAGE_MAX_PIXELS / 1_000_000:.0f}"
        }
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        return _("The picture is damaged or not what its format says: save it again and attach it again.")
    return None


def sniff(uploaded, *, max_bytes: int) -> Sniffed:
    """Size, SHA-256, real type and clean name of an upload; FileRejected with a message the user
    can act on when it is not a file we keep."""
    size = uploaded.size
    if size == 0:
        raise FileRejected(_("The file is empty."))
    if size > max_bytes:
        raise FileRejected(
            _("The file is %(size)s MB; the largest allowed is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{max_bytes / 1048576:.0f}"}
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    head = uploaded.read(HTML_SNIFF_BYTES)
    uploaded.seek(0)

    if HTML_MARKERS.search(head):
        raise FileRejected(
            _(
                "The file contains a web page (HTML) near its start, which a browser could run: "
                "attach the document itself, exported again from the program that made it."
            )
        )
    problem = None
    if b"%PDF-" in head[:PDF_HEADER_WITHIN]:
        content_type = PDF
        problem = _pdf_problem(uploaded)
    elif head.startswith(b"PK\x03\x04"):
        content_type, problem = _office_problem(uploaded)
    else:
        kind = filetype.guess(head)
        content_type = kind.mime if kind else None
        if content_type in (JPEG, PNG):
            problem = _image_problem(uploaded, content_type)
    uploaded.seek(0)

    if content_type not in ALLOWED:
        raise FileRejected(
            _("This file's content is not an accepted type (%(types)s), whatever its name says.")
            % {"types": ALLOWED_LABEL}
        )
    name = clean_name(uploaded.name)
    if not name.lower().endswith(ALLOWED[content_type]):
        raise FileRejected(
            _("The file is named “%(name)s” but its content is %(real)s: rename it or attach the right file.")
            % {"name": name, "real": content_type}
        )
    if problem:
        raise FileRejected(problem)
    return Sniffed(content_type=content_type, size=size, sha256=digest.hexdigest(), name=name)


# --- serving ----------------------------------------------------------------------------------


def file_response(fileobj, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """A stored file as a download: never rendered by the browser as something else
    (nosniff), and opened in the browser only when asked for one of our own PDFs (`inline`)."""
    response = FileResponse(
        fileobj, as_attachment=not inline, filename=clean_name(filename), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
