"""Small real PDFs for the demo dossiers' attachments, rendered by WeasyPrint in the layout of
Decree 30/2020 (Liberation Serif, A4, the two-column header)."""

from django.utils.html import escape

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
body {{ font-family: "Liberation Serif", "Times New Roman", serif; font-size: 13pt; }}
table.head {{ width: 100%; table-layout: fixed; text-align: center; }}
.motto {{ font-weight: bold; border-bottom: 1px solid black; display: inline-block; }}
h1 {{ text-align: center; font-size: 14pt; margin-top: 18pt; }}
.place {{ font-style: italic; text-align: right; }}
</style></head><body>
<table class="head"><tr><td><b>{issuer}</b><br>{unit}</td>
<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><span class="motto">Độc lập - Tự do - Hạnh phúc</span></td></tr></table>
<p class="place">{place}, ngày {day} tháng {month} năm {year}</p>
<h1>{title}</h1>
{body}
</body></html>"""


class DemoPdfRenderer:
    """One WeasyPrint font configuration for the whole run (the fonts are loaded once)."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()

    def render(self, *, issuer, unit, place, day, title, paragraphs) -> bytes:
        from weasyprint import HTML

        html = PAGE.format(
            issuer=escape(issuer.upper()),
            unit=escape(unit.upper()),
            place=escape(place),
            day=f"{day.day:02d}",
            month=f"{day.month:02d}",
            year=day.year,
            title=escape(title),
            body="".join(f"<p>{escape(p)}</p>" for p in paragraphs),
        )
        return HTML(string=html).write_pdf(font_config=self.fonts)
