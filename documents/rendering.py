"""HTML → PDF with WeasyPrint, the way shared/notes/documents.md measured it: one
FontConfiguration per process, `HTML(string=…).write_pdf(font_config=…)`, no creation date, so the
same HTML gives byte-identical PDFs; and a check, once per process, that the serif font with every
Vietnamese letter is really what gets embedded (a missing font does not fail, it draws boxes or
borrows letters from another font mid-word).
"""

import hashlib
import io
import logging
import os
import threading

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import translation

from .fonts import REQUIRED_FAMILY, missing_styles

# Every Vietnamese letter with a tone or a modified vowel, in the four styles the documents use.
PROBE_TEXT = (
    "ÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ ĐÈÉẺẼẸ ÊỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ ÙÚỦŨỤ ƯỪỨỬỮỰ ỲÝỶỸỴ "
    "àáảãạ ăằắẳẵặ âầấẩẫậ đèéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ"
)
PROBE_HTML = (
    "<html lang=\"vi\"><body style=\"font-family: 'Liberation Serif', 'Times New Roman', serif\">"
    f"<p>{PROBE_TEXT}</p><p><b>{PROBE_TEXT}</b></p><p><i>{PROBE_TEXT}</i></p><p><b><i>{PROBE_TEXT}</i></b></p>"
    "</body></html>"
)


class FontsMissing(ImproperlyConfigured):
    """No serif font with every Vietnamese letter: the documents would be wrong, so none is made."""


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings about glyphs it could not draw."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        message = record.getMessage()
        if ".notdef" in message or "glyph" in message.lower():
            self.messages.append(message)


_lock = threading.Lock()
_process = {"pid": None, "fonts": None, "checked": False}


def font_config():
    """The process's FontConfiguration (fonts loaded once; a forked worker makes its own)."""
    if _process["pid"] != os.getpid():
        with _lock:
            if _process["pid"] != os.getpid():
                from weasyprint.text.fonts import FontConfiguration

                _process.update(pid=os.getpid(), fonts=FontConfiguration(), checked=False)
    return _process["fonts"]


def embedded_fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts on a PDF's pages, without the subset prefix:
    {"Liberation-Serif", "Liberation-Serif-Bold", …}."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    names = set()
    for page in reader.root["/Pages"]["/Kids"]:
        fonts = page.get_object()["/Resources"].get("/Font")
        for font in (fonts.get_object() if fonts is not None else {}).values():
            base = str(font.get_object()["/BaseFont"]).lstrip("/")
            names.add(base.split("+", 1)[-1])
    return names


def check_fonts() -> None:
    """Raise FontsMissing with what to install, unless Liberation Serif with Vietnamese letters
    is present in its four styles and is the font WeasyPrint embeds for Vietnamese text."""
    missing = missing_styles()
    if missing:
        raise FontsMissing(
            f"{REQUIRED_FAMILY} with Vietnamese letters is missing ({', '.join(sorted(missing))}): "
            "install Debian's fonts-liberation2 (fonts-liberation 1.x lacks Ơ, Ư and the tone marks). "
            "No document is rendered without it."
        )
    pdf, problems = _write(PROBE_HTML)
    names = embedded_fonts(pdf)
    wrong = {n for n in names if not n.replace("-", "").startswith("LiberationSerif")}
    if problems or wrong or len(names) < 4:
        raise FontsMissing(
            f"Vietnamese text is not drawn with {REQUIRED_FAMILY} (embedded: {sorted(names)}; "
            f"problems: {problems[:3]}). Install fonts-liberation2."
        )


def ensure_fonts() -> None:
    """check_fonts once per process (about 20 ms), before the first document."""
    font_config()
    if not _process["checked"]:
        check_fonts()
        _process["checked"] = True


def _write(html: str) -> tuple[bytes, list[str]]:
    from weasyprint import HTML

    handler = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        buffer = io.BytesIO()
        HTML(string=html).write_pdf(buffer, font_config=font_config())
    finally:
        logger.removeHandler(handler)
    return buffer.getvalue(), handler.messages


def render_html(template: str, context: dict) -> str:
    """The document's HTML. Rendered in Vietnamese whatever the request's language: the
    templates hold no translatable strings, but number and date filters would follow it."""
    with translation.override("vi"):
        return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    ensure_fonts()
    pdf, problems = _write(html)
    if problems:
        raise FontsMissing(f"Some letters could not be drawn: {problems[:3]}")
    return pdf


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
