"""Workbooks for the Excel tests, written with openpyxl as an office would fill them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dossiers.imports import COLUMNS, SHEET

HEADERS = [c.header for c in COLUMNS]


def row(**values) -> dict:
    """One nominee's cells by column key, with a valid individual's defaults."""
    base = {
        "kind": "Cá nhân",
        "name": "Phạm Văn Minh",
        "sex": "Nam",
        "date_of_birth": "12/04/1980",
        "hometown": "Gia Lâm, Hà Nội",
        "id_number": "001080012345",
        "position": "Giáo viên",
        "workplace": "Trường THCS Ngọc Lâm",
        "qualifications": "Đại học Sư phạm",
        "women_percent": None,
        "award_type": "Giấy khen",
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học.",
    }
    base.update(values)
    return base


def workbook(rows, *, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headers)
    keys = [c.key for c in COLUMNS]
    for values in rows:
        sheet.append([values.get(k) for k in keys] if isinstance(values, dict) else values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name="de-nghi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def read(data: bytes, sheet=None):
    book = load_workbook(io.BytesIO(data))
    return book[sheet] if sheet else book.worksheets[0]
