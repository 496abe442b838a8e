"""What a signature looks like on the page (Decree 30/2020, Appendix I): the signer's signature
image, the agency's red seal, and where the template reserved room for them.

The images are drawn here with Pillow from a name (no outside artwork): a demo signer's
handwriting-like signature (the name in an italic face with a flourish) and an agency's round
seal with its name around the rim. A real signer uploads a scan of their own signature instead.

Where: the document templates give the signing block's reserved box an id (and an empty marker
at its bottom right corner, id + "-end"); WeasyPrint writes every id as a named destination
(page and the point at its top left), so the box is read back from the PDF that was rendered, on
every page size and after any change of layout.
"""

import io
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from django.utils.text import slugify

INK = (20, 40, 130, 255)  # a ballpoint's blue-black
SEAL_RED = (210, 20, 30, 255)
SIGNATURE_SIZE = (900, 300)  # pixels, 3:1 like the reserved box
SEAL_SIZE = 800
FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-{style}.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-{style}.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-{style}.ttf",
)


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in PDF points with the origin at the bottom left."""

    page: int  # 0-based
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x0), round(self.y0), round(self.x1), round(self.y1))


AGENCY_INFO_ANCHOR = "agency-info"


def signature_anchor(name: str) -> str:
    """The id of a signer's reserved box in the templates (`signature-{{ name|slugify }}`)."""
    return "signature-" + slugify(str(name))


@cache
def font_file(style: str = "Italic") -> str:
    """The TrueType file of Liberation Serif in `style` (fontconfig first)."""
    if shutil.which("fc-match"):
        found = subprocess.run(  # noqa: S603 -- fixed argv, no shell
            ["fc-match", "-f", "%{file}", f"Liberation Serif:style={style}"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found.endswith((".ttf", ".otf")):
            return found
    for pattern in FALLBACK_FONTS:
        path = pattern.format(style=style.replace(" ", ""))
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"no Liberation Serif {style} on this machine")


@cache
def stamp_font_file() -> str:
    """Liberation Serif rescaled to 1000 units per em, for text drawn by pyHanko: its glyph
    widths are written as if every font had 1000 (Liberation has 2048: the letters would stand
    twice as far apart). Made once per process in the temporary directory."""
    import tempfile

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(font_file("Regular"))
    if "FFTM" in font:
        del font["FFTM"]  # FontForge's timestamps: nothing to draw, and the subsetter warns on it
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    handle = tempfile.NamedTemporaryFile(prefix="stamp-font-", suffix=".ttf", delete=False)  # noqa: SIM115
    with handle:
        font.save(handle)
    return handle.name


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def signature_image_png(full_name: str) -> bytes:
    """A handwriting-like signature for a demo signer: the name in italic, slanted a little
    more, with a flourish underneath, in blue-black ink on a transparent background."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = SIGNATURE_SIZE
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    words = str(full_name).split()
    # Vietnamese signatures often write the given name, or the last two words, in full.
    text = " ".join(words[-2:]) if len(words) > 2 else str(full_name)
    size = 150
    font = ImageFont.truetype(font_file("Italic"), size)
    while draw.textlength(text, font=font) > width * 0.85 and size > 40:
        size -= 8
        font = ImageFont.truetype(font_file("Italic"), size)
    text_width = draw.textlength(text, font=font)
    x, y = (width - text_width) / 2, height * 0.18
    draw.text((x, y), text, font=font, fill=INK)
    # A flourish: one sweeping stroke under the name, thicker in the middle.
    points = []
    for step in range(61):
        t = step / 60
        px = x - 20 + t * (text_width + 60)
        py = height * 0.80 - math.sin(t * math.pi) * 18 + t * 10
        points.append((px, py))
    for index in range(len(points) - 1):
        thickness = 2 + int(5 * math.sin(index / len(points) * math.pi))
        draw.line([points[index], points[index + 1]], fill=INK, width=thickness)
    # Sheared to the right like a quick hand.
    image = image.transform(
        image.size, Image.Transform.AFFINE, (1, 0.18, -height * 0.09, 0, 1, 0), resample=Image.BICUBIC
    )
    return _png(image)


def seal_image_png(unit_name: str) -> bytes:
    """An agency's round red seal: two rims, the unit's name around the upper rim, a star in the
    middle, on a transparent background (drawn, not a copy of any real seal)."""
    from PIL import Image, ImageDraw, ImageFont

    size = SEAL_SIZE
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    outer = size / 2 - 12
    draw.ellipse([centre - outer, centre - outer, centre + outer, centre + outer], outline=SEAL_RED, width=16)
    inner = outer * 0.66
    draw.ellipse([centre - inner, centre - inner, centre + inner, centre + inner], outline=SEAL_RED, width=6)
    # The name around the ring between the two rims, letter by letter, reading left to right.
    text = " ".join(str(unit_name).upper().split())
    font_size = 62
    ring = (outer + inner) / 2
    font = ImageFont.truetype(font_file("Bold"), font_size)
    spacing = 4

    def advance(character):
        return draw.textlength(character, font=font) + spacing

    total = sum(advance(c) for c in text)
    while total > 2 * math.pi * ring * 0.9 and font_size > 20:
        font_size -= 4
        font = ImageFont.truetype(font_file("Bold"), font_size)
        total = sum(advance(c) for c in text)
    angle = -math.pi / 2 - (total / ring) / 2  # centred on the top of the ring
    for character in text:
        step = advance(character) / ring
        middle = angle + step / 2
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((font_size, font_size), character, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(middle) - 90, resample=Image.BICUBIC)
        gx = centre + ring * math.cos(middle) - glyph.width / 2
        gy = centre + ring * math.sin(middle) - glyph.height / 2
        image.alpha_composite(glyph, (round(gx), round(gy)))
        angle += step
    # A five-pointed star in the middle.
    star = []
    for point in range(10):
        radius = inner * (0.55 if point % 2 == 0 else 0.22)
        theta = -math.pi / 2 + point * math.pi / 5
        star.append((centre + radius * math.cos(theta), centre + radius * math.sin(theta)))
    draw.polygon(star, fill=SEAL_RED)
    return _png(image)


# --- where the template reserved room ----------------------------------------------------------


def anchors(pdf: bytes) -> dict[str, tuple[int, float, float]]:
    """Every named destination of the file: id → (page index, x, y), y from the bottom."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    pages = {}
    for index in range(int(reader.root["/Pages"]["/Count"])):
        ref, _resources = reader.find_page_for_modification(index)
        pages[ref.idnum] = index
    found = {}

    def walk(node):
        if "/Names" in node:
            names = node["/Names"]
            for i in range(0, len(names), 2):
                target = names[i + 1]
                if isinstance(target, generic.DictionaryObject):
                    target = target["/D"]
                page_ref = target.raw_get(0)
                if isinstance(page_ref, generic.IndirectObject) and page_ref.idnum in pages:
                    found[str(names[i])] = (pages[page_ref.idnum], float(target[2]), float(target[3]))
        for kid in node.get("/Kids", []):
            walk(kid)

    names = reader.root.get("/Names")
    if names is not None and "/Dests" in names:
        walk(names["/Dests"])
    return found


def anchor_box(pdf: bytes, anchor: str, found=None) -> Box | None:
    """The box between `anchor` (top left) and `anchor`-end (bottom right), or None."""
    found = anchors(pdf) if found is None else found
    start, end = found.get(anchor), found.get(anchor + "-end")
    if not start or not end or start[0] != end[0]:
        return None
    page, x0, top = start
    _page, x1, bottom = end
    if x1 <= x0 or top <= bottom:
        return None
    return Box(page, x0, bottom, x1, top)


def signer_box(pdf: bytes, name: str) -> Box | None:
    """The reserved box for the signer named `name`; else the only one the document has."""
    found = anchors(pdf)
    box = anchor_box(pdf, signature_anchor(name), found)
    if box is not None:
        return box
    boxes = [n for n in found if n.startswith("signature-") and not n.endswith("-end")]
    return anchor_box(pdf, boxes[0], found) if len(boxes) == 1 else None


def seal_box(signer: Box) -> Box:
    """The seal over the left third of the signer's signature (Decree 30, Appendix I): centred on
    that third, a little larger than the box is high, as a stamped seal overlaps the lines."""
    side = signer.height * 1.45
    cx = signer.x0 + signer.width / 6
    cy = (signer.y0 + signer.y1) / 2
    return Box(signer.page, cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
