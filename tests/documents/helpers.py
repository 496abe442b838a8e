"""Reading PDFs the way a reader's tools do: poppler's pdftotext (text and word boxes) and pypdf."""

import io
import re
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4  # points per millimetre


def pdf_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _run(args, data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def text(data: bytes) -> str:
    """`pdftotext -raw` (keeps the spaces between words; shared/notes/documents.md)."""
    return _run(["pdftotext", "-raw", "-enc", "UTF-8"], data)


def one_signed_byte_changed(data: bytes) -> bytes:
    """`data` with one byte changed that every signature covers and no reader needs: in the
    binary comment of the header's second line ("%" and 4 high bytes, PDF 32000-1, 7.5.2). A byte
    chosen by position instead could fall inside a compressed stream, and the file would then not
    be read at all rather than read as changed."""
    comment = data.index(b"\n%", 0, 32) + 2
    assert data[comment] >= 0x80, data[:16]
    changed = bytearray(data)
    changed[comment] ^= 0x01
    return bytes(changed)


def pdfsig(data: bytes) -> str:
    """poppler's `pdfsig` report of every signature field (its own validation; the demo CA is
    not in its trust store, which it says apart)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def lines(data: bytes) -> list[str]:
    return [line.strip() for line in text(data).splitlines() if line.strip()]


def words(data: bytes) -> list[dict]:
    """Every word with its page and box in points (origin top left), from `pdftotext -bbox`."""
    html = _run(["pdftotext", "-bbox", "-enc", "UTF-8"], data)
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', line)
        if m:
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            out.append({"page": page, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "text": m.group(5)})
    return out


def page_sizes(data: bytes) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(data))
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
