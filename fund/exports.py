"""The fund's statement as xlsx (openpyxl; amounts as integer numbers formatted #,##0 so the sheet
sums them, dates as dates), in the words of the office. A payment hands over cash already charged
by the decision: it has its own column ("Chi trả") so that summing "Chi (−)" never counts it twice,
as the page shows it in brackets without moving the balance."""

import io

from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KIND_WORDS = {
    "budget": "Dự toán năm",
    "addition": "Bổ sung",
    "charge": "Chi theo quyết định",
    "return": "Thu hồi theo quyết định hủy bỏ",
    "payment": "Chi trả cho người được khen thưởng",
    "correction": "Điều chỉnh",
}


def statement_xlsx(view) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    fund = view["fund"]
    wb = Workbook()
    ws = wb.active
    ws.title = f"Quy {fund.year}"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    money = "#,##0"
    lines = [
        f"SỔ QUỸ THI ĐUA, KHEN THƯỞNG NĂM {fund.year}",
        fund.unit.name,
        f"Từ ngày {view['start']:%d/%m/%Y} đến ngày {view['end']:%d/%m/%Y}",
        "Đơn vị tính: đồng",
    ]
    for r, line in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1, value=line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(bold=r == 1)
    r = len(lines) + 2
    ws.cell(row=r, column=1, value="Số dư đầu kỳ").font = Font(bold=True)
    ws.cell(row=r, column=8, value=view["opening"]).number_format = money
    r += 1
    header = [
        "Ngày",
        "Nội dung",
        "Quyết định",
        "Ghi chú",
        "Thu (+)",
        "Chi (−)",
        "Chi trả (đã trích)",
        "Số dư",
    ]
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=r, column=c, value=text)
        cell.font, cell.border = Font(bold=True), box
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for line in view["lines"]:
        r += 1
        signed = line.signed_amount
        values = [
            timezone.localtime(line.created_at).date(),
            KIND_WORDS[line.kind],
            line.decision.symbol if line.decision_id else "",
            _line_note(line),
            signed if signed > 0 else None,
            -signed if signed < 0 else None,
            line.amount if line.kind == "payment" else None,
            line.running,
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = box
            if c == 1:
                cell.number_format = "DD/MM/YYYY"
            elif c >= 5:
                cell.number_format = money
    r += 1
    ws.cell(row=r, column=1, value="Số dư cuối kỳ").font = Font(bold=True)
    ws.cell(row=r, column=8, value=view["closing"]).number_format = money
    r += 2
    ws.cell(row=r, column=1, value="Tổng hợp theo loại").font = Font(bold=True)
    for kind, _label, amount in view["kinds"]:
        r += 1
        ws.cell(row=r, column=1, value=KIND_WORDS[kind])
        ws.cell(row=r, column=8, value=amount).number_format = money
    for col, width in zip("ABCDEFGH", (12, 30, 16, 40, 16, 16, 18, 18), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _line_note(line) -> str:
    if line.kind == "payment":
        return f"{line.paid_to} · chứng từ {line.voucher} · ngày {line.paid_on:%d/%m/%Y}"
    return line.note
