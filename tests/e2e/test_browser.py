"""The unit head's path in a real browser (Debian's headless Chromium, driven by Playwright) against
the demo world of `manage.py seed_demo`: draft, nominate, be refused with the missing documents
listed in Vietnamese, attach them, submit.

With WRITE_SCREENSHOTS=1 the run also writes the README's screenshots to docs/screenshots/.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfWriter

from dossiers.models import Dossier, DossierState
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
TITLE = "Đề nghị khen thưởng giáo viên có sáng kiến — đợt 2"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def write_pdf(path: Path) -> Path:
    """A small but real PDF (one A4 page), written by pypdf."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": path.stem})
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def screenshot(page, name):
    if os.environ.get("WRITE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def attach(page, kind, path, nominee=None):
    form = page.locator("#attachment-form")
    form.locator("select[name='attachment-kind']").select_option(label=kind)
    if nominee:
        form.locator("select[name='attachment-nominee']").select_option(label=nominee)
    form.locator("input[name='attachment-file']").set_input_files(str(path))
    form.get_by_role("button", name="Đính kèm").click()
    page.get_by_text(f"làm “{kind}”").wait_for()


def test_unit_head_drafts_is_refused_attaches_and_submits(live_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    call_command("seed_demo", stdout=io.StringIO())
    pdfs = {
        name: write_pdf(tmp_path / f"{name}.pdf") for name in ("to-trinh", "bien-ban", "bao-cao-thanh-tich")
    }

    # No database access inside: Playwright's sync API runs an event loop in this thread.
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        csp_violations = watch_csp_violations(page)
        page.set_default_timeout(15_000)

        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("unit_head")
        page.get_by_label("Mật khẩu").fill("demo-tdkt-2026")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_test_id("current-user")).to_contain_text("Thủ trưởng đơn vị")

        page.get_by_role("link", name="+ Lập hồ sơ mới").click()
        page.get_by_label("Phong trào thi đua").select_option(label="Sáng kiến, sáng tạo")
        page.get_by_label("Tiêu đề").fill(TITLE)
        page.get_by_label("Tóm tắt").fill("Trường THCS Ngọc Lâm đề nghị khen thưởng giáo viên có sáng kiến.")
        page.get_by_role("button", name="Lập hồ sơ dự thảo").click()
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(page.get_by_test_id("dossier-state")).to_have_text("Dự thảo")

        page.get_by_role("button", name="+ Thêm đối tượng").click()
        page.get_by_label("Loại đối tượng").select_option(label="Cá nhân")
        page.get_by_role("textbox", name="Tên", exact=True).fill("Trần Thu Hương")
        page.get_by_label("Giới tính").select_option(label="Nữ")
        page.get_by_label("Chức vụ / chức danh").fill("Giáo viên Ngữ văn")
        page.get_by_label("Hình thức đề nghị").select_option(label="Giấy khen")
        page.get_by_label("Thành tích").fill("Sáng kiến “Sổ tay đọc sách điện tử” được công nhận cấp phường.")
        page.get_by_role("button", name="Thêm đối tượng đề nghị").click()
        expect(page.locator("#nominees")).to_contain_text("Trần Thu Hương")

        page.get_by_test_id("submit-button").click()
        # The confirmation shows what will be sent before anything is.
        expect(page.get_by_test_id("confirm-nominees")).to_contain_text("Trần Thu Hương")
        page.get_by_test_id("confirm-button").click()
        refusal = page.get_by_test_id("submit-errors")
        expect(refusal).to_contain_text("Chưa thể trình hồ sơ:")
        expect(refusal.locator("li")).to_have_text(
            [
                "Thiếu tài liệu: “Tờ trình đề nghị khen thưởng” của hồ sơ.",
                "Thiếu tài liệu: “Biên bản họp Hội đồng TĐKT / biên bản bình xét” của hồ sơ.",
                "Thiếu tài liệu: “Báo cáo thành tích” của Trần Thu Hương.",
            ]
        )
        expect(page.get_by_test_id("dossier-state")).to_have_text("Dự thảo")
        screenshot(page, "submit-refused.png")

        attach(page, "Tờ trình đề nghị khen thưởng", pdfs["to-trinh"])
        attach(page, "Biên bản họp Hội đồng TĐKT / biên bản bình xét", pdfs["bien-ban"])
        attach(page, "Báo cáo thành tích", pdfs["bao-cao-thanh-tich"], nominee="Trần Thu Hương")
        expect(page.locator("#documents .attachment-current")).to_have_count(3)

        page.get_by_test_id("submit-button").click()
        expect(page.get_by_test_id("confirm-attachments").locator("li")).to_have_count(3)
        page.get_by_test_id("confirm-button").click()
        expect(page.get_by_text("Đã trình hồ sơ lên cơ quan thường trực.")).to_be_visible()
        expect(page.get_by_test_id("dossier-state")).to_have_text("Đã trình")
        expect(page.get_by_test_id("submit-button")).to_have_count(0)
        screenshot(page, "dossier-detail.png")

        # The standing body now finds it among the dossiers submitted in the commune.
        page.get_by_role("button", name="Đăng xuất").click()
        page.get_by_label("Tên đăng nhập").fill("officer")
        page.get_by_label("Mật khẩu").fill("demo-tdkt-2026")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.locator("#section-to_receive")).to_contain_text(TITLE)
        page.get_by_role("link", name="Hồ sơ", exact=True).first.click()
        expect(page.get_by_role("link", name=TITLE)).to_be_visible()
        screenshot(page, "dossier-list.png")
        assert csp_violations == []
        browser.close()

    dossier = Dossier.objects.get(title=TITLE)
    assert dossier.state == DossierState.SUBMITTED
    assert dossier.attachments.count() == 3
