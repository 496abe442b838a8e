"""The proposal's documents in the Ministry's format: the chair's tờ trình to the central level
with the list of nominees (Mẫu danh sách đề nghị khen thưởng: STT, họ tên / tên tập thể, chức vụ,
đơn vị, hình thức đề nghị, tóm tắt thành tích), as a PDF in the layout of Nghị định 30/2020/NĐ-CP
(documents.rendering), and the same list as an xlsx workbook for the central body's software."""

import io

from django.utils import timezone

from documents.contexts import count_phrase, grouped_by_kind, header, symbol_line, unit_head
from documents.formatting import nfc, signing_lines
from documents.rendering import html_to_pdf, render_html

from . import selectors

SUMMARY_LENGTH = 600
COLUMNS = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Hình thức đề nghị", "Tóm tắt thành tích"]


def _unit_of(nominee) -> str:
    first = nominee
    while first.source_id is not None:
        first = first.source
    return nfc(nominee.workplace or first.dossier.unit_name_at_submission or first.dossier.unit.name)


def _summary(text) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def list_rows(entries) -> list[tuple]:
    """[(nominee, row)] in the list's order: individuals, then collectives, then households."""
    return [
        (
            e.nominee,
            {
                "name": nfc(e.nominee.name),
                "position": nfc(e.nominee.position),
                "unit": _unit_of(e.nominee),
                "award": nfc(e.nominee.award_type.name),
                "summary": _summary(e.nominee.achievements),
            },
        )
        for e in entries
    ]


def proposal_context(proposal) -> dict:
    unit = proposal.unit
    entries = selectors.entries_of(proposal)
    day = proposal.dispatch_date or timezone.localdate()
    number = int(proposal.dispatch_number.split("/")[0]) if proposal.dispatch_number else None
    nominees = [e.nominee for e in entries]
    awards = sorted({nfc(n.award_type.name) for n in nominees})
    signer = proposal.submitted_by or unit_head(unit, day)
    return {
        **header(
            unit,
            symbol=symbol_line(number, "TTr", unit),
            place_day=day,
            doc_type="TỜ TRÌNH",
            subject=f"Về việc đề nghị khen thưởng cấp Nhà nước năm {proposal.year}",
        ),
        # Before the chair signs, the tờ trình is a draft (its number, date and signer are not yet
        # final): marked DỰ THẢO like the award decision's preview.
        "draft": proposal.is_draft,
        "addressee": nfc(proposal.central_body),
        "intro": (
            f"Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022 và Nghị định số "
            f"152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng; "
            f"trên cơ sở kết quả xét duyệt của Hội đồng Thi đua - Khen thưởng {nfc(unit.name)} và kết quả "
            f"công khai danh sách đề nghị khen thưởng, {nfc(unit.name)} kính trình xem xét, trình cấp có "
            f"thẩm quyền khen thưởng ({', '.join(awards)}) cho {count_phrase(nominees) or 'các tập thể, cá nhân'}"
            f" có thành tích xuất sắc năm {proposal.year}, cụ thể như sau:"
        ),
        "summary": nfc(proposal.summary),
        "sections": grouped_by_kind(list_rows(entries)),
        "recipients": ["Như trên", "Ban Thi đua - Khen thưởng Trung ương", f"Lưu: VT, {nfc(unit.code)}"],
        "signers": [
            {
                "lines": signing_lines(unit, "", getattr(signer, "position", "")),
                "name": nfc(getattr(signer, "full_name", "") or ""),
            }
        ],
        "list_title": f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG CẤP NHÀ NƯỚC NĂM {proposal.year}",
        "list_reference": (f"(Kèm theo Tờ trình số {proposal.dispatch_number or '……'} của {nfc(unit.name)})"),
    }


def proposal_pdf(proposal) -> bytes:
    return html_to_pdf(render_html("documents/honours_proposal.html", proposal_context(proposal)))


def proposal_xlsx(proposal) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sach de nghi"
    context = proposal_context(proposal)
    sheet.append([context["list_title"]])
    sheet.append([context["list_reference"]])
    sheet.append(COLUMNS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for section in context["sections"]:
        sheet.append([section["number"], section["heading"]])
        sheet[sheet.max_row][1].font = Font(bold=True)
        for index, row in enumerate(section["rows"], start=1):
            sheet.append([index, row["name"], row["position"], row["unit"], row["award"], row["summary"]])
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (6, 30, 22, 30, 32, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
