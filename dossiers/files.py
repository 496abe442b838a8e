"""What an uploaded file really is, judged by its content, never by its name."""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext_lazy as _

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


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    size: int
    sha256: str


class FileRejected(ValueError):
    pass


def _office_type(fileobj) -> str | None:
    try:
        with zipfile.ZipFile(fileobj) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def sniff(uploaded, *, max_bytes: int) -> Sniffed:
    """Size, SHA-256 and real type of an upload; FileRejected with a message the user can act on."""
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
    head = uploaded.read(8192)
    uploaded.seek(0)

    if head.startswith(b"%PDF-"):
        content_type = PDF
        uploaded.seek(max(0, size - 2048))
        tail = uploaded.read()
        uploaded.seek(0)
        if b"%%EOF" not in tail:
            raise FileRejected(_("The PDF is incomplete or damaged (no end-of-file marker)."))
    elif head.startswith(b"PK\x03\x04"):
        content_type = _office_type(uploaded)
        uploaded.seek(0)
    else:
        kind = filetype.guess(head)
        content_type = kind.mime if kind else None

    if content_type not in ALLOWED:
        raise FileRejected(
            _("This file's content is not an accepted type (%(types)s), whatever its name says.")
            % {"types": ALLOWED_LABEL}
        )
    name = (uploaded.name or "").lower()
    if not name.endswith(ALLOWED[content_type]):
        raise FileRejected(
            _("The file is named “%(name)s” but its content is %(real)s: rename it or attach the right file.")
            % {"name": uploaded.name, "real": content_type}
        )
    return Sniffed(content_type=content_type, size=size, sha256=digest.hexdigest())
