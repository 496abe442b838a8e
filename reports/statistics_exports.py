"""A statistical form as xlsx (openpyxl: merged header cells like the Ministry's form, figures as
numbers) and as PDF (WeasyPrint through documents.rendering, the same fonts and checks as every
document); the list behind a figure as xlsx (write-only, rows streamed)."""

import io

from django.utils import timezone

from . import statistics_layout as layout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def title_lines(table) -> list[str]:
    form = table.form
    lines = []
    if form.code:
        lines.append(f"Biểu số: {form.code}")
        lines.append("Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023")
    lines.append(f"Đơn vị báo cáo: {table.unit.name}")
    lines.append(f"Đơn vị nhận báo cáo: {layout.receiving_unit(table)}")
    lines.append(form.title)
    lines.append(f"Thời điểm báo cáo: {table.period.label}")
    if form.measure:
        lines.append(f"Đơn vị tính: {form.measure}")
    return lines


def form_xlsx(table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = f"Bieu {table.form.slug}"[:31]
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lead = layout.lead_columns(table)
    width = len(lead) + len(table.columns)

    r = 1
    for line in title_lines(table):
        cell = ws.cell(row=r, column=1, value=line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        cell.alignment = Alignment(horizontal="center")
        if line == table.form.title:
            cell.font = Font(bold=True)
        r += 1
    r += 1

    head = layout.header(table)
    top = r
    for cells in head:
        for cell in cells:
            target = ws.cell(row=top + cell.row, column=cell.col + 1, value=cell.text or None)
            target.alignment = centre
            target.font = Font(bold=True)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=top + cell.row,
                    start_column=cell.col + 1,
                    end_row=top + cell.row + cell.rowspan - 1,
                    end_column=cell.col + cell.colspan,
                )
    r = top + len(head)
    for i, text in enumerate(layout.numbers(table), start=1):
        ws.cell(row=r, column=i, value=text).alignment = centre
    r += 1
    for body_row in layout.body(table):
        row = body_row.row
        ws.cell(row=r, column=1, value=row.label)
        ws.cell(row=r, column=2, value=row.code or None)
        if len(lead) == 3:
            ws.cell(row=r, column=3, value=row.measure or None)
        if not body_row.cells:
            ws.cell(row=r, column=1).font = Font(bold=True)
        for j, (_col, value) in enumerate(body_row.cells):
            ws.cell(row=r, column=len(lead) + 1 + j, value=value)
        r += 1
    for cells in ws.iter_rows(min_row=top, max_row=r - 1, max_col=width):
        for cell in cells:
            cell.border = box
    ws.column_dimensions["A"].width = 60
    for i in range(2, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    r += 1
    for note in table.notes:
        ws.cell(row=r, column=1, value=f"Ghi chú: {note}")
        r += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def listings_xlsx(listings, title: str) -> bytes:
    """The lists behind a figure, one sheet per source, every row (write-only: streamed)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for i, listing in enumerate(listings, start=1):
        ws = wb.create_sheet(title=f"{i}. {listing.source}"[:31])
        ws.append([title])
        ws.append([listing.label])
        ws.append(["STT", *listing.headings])
        for n, values in enumerate(listing.queryset.iterator(chunk_size=2000), start=1):
            ws.append([n, *[read(values) for read in listing.readers]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def form_pdf(table) -> bytes:
    from documents.rendering import html_to_pdf, render_html

    html = render_html(
        "documents/statistics_form.html",
        {
            "table": table,
            "head": layout.header(table),
            "numbers": layout.numbers(table),
            "body": layout.body(table),
            "lead": layout.lead_columns(table),
            "receiving": layout.receiving_unit(table),
            "today": timezone.localdate(),
        },
    )
    return html_to_pdf(html)
