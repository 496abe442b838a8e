"""The documents as a reader gets them: real Vietnamese text, A4 in the margins of Decree 30,
Liberation Serif embedded, the same data giving the same bytes, new versions on change."""

import io
import logging
import subprocess

import pytest
from django.core import checks
from pypdf import PdfReader

from approvals.models import Award
from audit.models import AuditEvent
from documents import fonts, formatting, rendering, services
from documents.models import GeneratedDocument
from documents.models import GeneratedKind as K
from dossiers.models import Nominee

from .helpers import MM, lines, page_sizes, pdf_bytes, text, words

A4 = (595, 842)


@pytest.fixture
def decision_pdf(decided, world):
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    return document, pdf_bytes(document)


def test_decision_text_is_the_exact_vietnamese_of_the_decree_layout(decision_pdf):
    document, data = decision_pdf
    content = text(data)
    found = lines(data)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "QUYẾT ĐỊNH",
        "Về việc tặng Giấy khen",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG LONG BIÊN",
        "QUYẾT ĐỊNH:",
        "DANH SÁCH KHEN THƯỞNG",
    ]:
        assert expected in found, expected
    for expected in [
        "Số: 01/QĐ-UBND",
        "Long Biên, ngày 05 tháng 02 năm 2026",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Điều 1. Tặng Giấy khen cho 02 cá nhân và 01 tập thể",
        "Nguyễn Thị Lan",
        "Lê Văn Thành",
        "Tổ Ngữ văn",
        "I Cá nhân",
        "II Tập thể",
        "710.000",
        "1.410.000",
        "Tổng cộng: 3 trường hợp 2.830.000",
        "Hai triệu tám trăm ba mươi nghìn đồng",
        "Nơi nhận:",
        "- Như Điều 4;",
        "- Lưu: VT, NV.",  # the drafting office (settings.DECISION_OFFICES)
        "(Kèm theo Quyết định số 01/QĐ-UBND ngày 05 tháng 02 năm 2026",
    ]:
        assert expected in content, expected
    assert document.version == 1 and document.sha256 == rendering.sha256(data)


def test_pages_are_a4_in_the_decree_margins(decision_pdf):
    _document, data = decision_pdf
    assert page_sizes(data) == [A4, A4]  # the annex starts on its own page
    body = [w for w in words(data) if w["y0"] > 20 * MM - 1]  # the page number sits in the top margin
    page_numbers = [w for w in words(data) if w["y0"] < 20 * MM - 1]
    assert [(w["page"], w["text"]) for w in page_numbers] == [(2, "2")]  # none on page 1
    left = min(w["x0"] for w in body)
    right = max(w["x1"] for w in body)
    top = min(w["y0"] for w in body if w["page"] == 1)
    bottom = max(w["y1"] for w in body)
    assert 30 * MM - 0.5 <= left <= 30 * MM + 2  # left margin 30 mm: text starts right at it
    # Right margin ≥ 15 mm (a justified line's last accented glyph may reach 1 pt past it).
    assert right <= 595.28 - 15 * MM + 1
    assert 20 * MM <= top <= 20 * MM + 5 * MM  # top margin 20 mm
    assert bottom <= A4[1] - 20 * MM  # bottom margin ≥ 20 mm


def test_liberation_serif_with_every_vietnamese_letter_is_embedded(decision_pdf, caplog):
    _document, data = decision_pdf
    assert rendering.embedded_fonts(data) == {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic",
    }
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        probe = rendering.html_to_pdf(rendering.PROBE_HTML)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]
    assert rendering.PROBE_TEXT in " ".join(text(probe).split())


def test_a_missing_font_is_said_plainly(monkeypatch):
    monkeypatch.setattr(fonts, "vietnamese_serif_styles", lambda: {"Regular"})
    with pytest.raises(rendering.FontsMissing, match="fonts-liberation2"):
        rendering.check_fonts()
    from documents.apps import check_vietnamese_font

    [warning] = check_vietnamese_font()
    assert warning.id == "documents.W001" and warning.level == checks.WARNING
    assert "fonts-liberation2" in warning.hint


def test_same_data_same_bytes_and_no_new_version(decided, world):
    first = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    events = AuditEvent.objects.count()
    again = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    assert again.pk == first.pk and again.version == 1
    assert AuditEvent.objects.count() == events
    html = services.document_html(K.DECISION, decided)
    assert rendering.html_to_pdf(html) == pdf_bytes(first)  # deterministic: no dates, no ids


def test_rendering_is_audited_with_the_hash(decided, world):
    document = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.object_id) == ("document.generate", "head_a", str(document.pk))
    assert event.data["sha256"] == document.sha256 and event.data["kind"] == "submission"
    assert event.data["dossier_id"] == decided.dossier.pk


def test_changed_data_makes_a_new_version_and_keeps_the_old_one(decided, world):
    first = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    old_bytes = pdf_bytes(first)
    Nominee.objects.filter(pk=decided.nominees[0].pk).update(name="Nguyễn Thị Lan Anh")
    second = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    first.refresh_from_db()
    assert (second.version, first.superseded_by_id) == (2, second.pk)
    assert pdf_bytes(first) == old_bytes and rendering.sha256(old_bytes) == first.sha256
    assert "Nguyễn Thị Lan Anh" in text(pdf_bytes(second)) and "Lan Anh" not in text(old_bytes)
    assert GeneratedDocument.objects.filter(kind=K.SUBMISSION).count() == 2


def test_unit_documents_carry_their_vietnamese_text(decided, world):
    submission = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=decided.dossier)
    report = services.document_render(actor=world.head_a, kind=K.ACHIEVEMENT, subject=decided.nominees[0])
    minutes = services.document_render(actor=world.secretary, kind=K.MINUTES, subject=decided.dossier)
    submission_text, report_text, minutes_text = (
        " ".join(text(pdf_bytes(d)).split()) for d in (submission, report, minutes)
    )
    assert "TỜ TRÌNH" in submission_text and "Số: 01/TTr-THCSNL" in submission_text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường Long Biên." in submission_text
    assert "TRÍCH NGANG THÀNH TÍCH" in report_text and "Nguyễn Thị Lan" in report_text
    assert "Ứng dụng bảng tính điện tử theo dõi tiến độ học tập" in report_text
    assert "BIÊN BẢN" in minutes_text and "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in minutes_text
    assert "Lê Văn Thành Giấy khen 7/9 2 0 0 77,78% Đạt" in minutes_text  # 7 of ALL 9 members
    for document in (submission, report, minutes):
        assert set(page_sizes(pdf_bytes(document))) == {A4}


def test_certificate_is_a4_landscape_with_its_code_and_qr(decided, world):
    award = Award.objects.get(nominee=decided.nominees[0])
    document = services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=award)
    data = pdf_bytes(document)
    assert page_sizes(data) == [(842, 595)]
    content = " ".join(text(data).split())
    code = award.verification_code.code
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "GIẤY KHEN",
        "Nguyễn Thị Lan",
        "Giáo viên Toán, Trường THCS Ngọc Lâm",
        "Quyết định số 01/QĐ-UBND ngày 05 tháng 02 năm 2026",
        f"Mã xác thực: {code[:4]}-{code[4:]}",
        f"https://tdkt.example.vn/verify/{code}/",
    ]:
        assert expected in content, expected
    html = services.document_html(K.CERTIFICATE, award)
    assert _qr_modules(html) == _expected_modules(f"https://tdkt.example.vn/verify/{code}/")
    assert "/Image" not in str(PdfReader(io.BytesIO(data)).pages[0]["/Resources"])  # vector, not a picture


def test_the_qr_code_on_a_certificate_scans_to_its_page(decided, world, tmp_path):
    import zxingcpp
    from PIL import Image

    award = Award.objects.get(nominee=decided.nominees[2])
    document = services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=award)
    (tmp_path / "cert.pdf").write_bytes(pdf_bytes(document))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "cert.pdf", "cert"], cwd=tmp_path, check=True
    )
    [barcode] = zxingcpp.read_barcodes(Image.open(tmp_path / "cert.png"))
    assert barcode.text == f"https://tdkt.example.vn/verify/{award.verification_code.code}/"


def _qr_modules(html) -> set[tuple[int, int]]:
    """The dark modules the inline SVG draws: one "Mx yhWv1h-Wz" rectangle a run of a row."""
    import re

    path = re.search(r'<path fill="#000" d="([^"]+)"', html).group(1)
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path)
    return {(int(x) + i, int(y)) for x, y, w in runs for i in range(int(w))}


def _expected_modules(url) -> set[tuple[int, int]]:
    """What qrcode itself encodes for the URL (any of the eight masks decodes the same)."""
    import qrcode

    qr = qrcode.QRCode(border=2, mask_pattern=0)
    qr.add_data(url)
    qr.make(fit=True)
    return {(x, y) for y, row in enumerate(qr.get_matrix()) for x, dark in enumerate(row) if dark}


@pytest.mark.parametrize(
    ("amount", "words_"),
    [
        (710_000, "Bảy trăm mười nghìn đồng"),
        (2_830_000, "Hai triệu tám trăm ba mươi nghìn đồng"),
        (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
        (21_000_000, "Hai mươi mốt triệu đồng"),
        (15_000_000_000, "Mười lăm tỷ đồng"),
    ],
)
def test_money_in_words(amount, words_):
    assert formatting.money_words(amount) == words_


def test_dates_take_the_decree_leading_zeros():
    import datetime as dt

    assert formatting.date_line(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert formatting.date_line(dt.date(2021, 4, 28)) == "ngày 28 tháng 4 năm 2021"
