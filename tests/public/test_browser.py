"""The public pages in a real browser without an account, at a desktop's 1366 px and a phone's
390 px: the same checks as every role's pages (axe-core, nothing past a phone's screen, no
English word, no code, no CSP violation), and a citizen's objection sent from the notice page
comes back with its receipt code."""

import pytest
from django.urls import reverse

from approvals.models import Objection
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import AXE, page_problems, serve_axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_anyone_reads_the_public_pages_and_objects_from_a_phone(live_server, published, under_notice):
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "axe-core is missing: run `make setup` (npm ci)"
    paths = [
        reverse("login"),
        reverse("public-home"),
        reverse("public-decisions"),
        reverse("public-decision", args=[published.pk]),
        reverse("public-notices"),
        reverse("public-notice", args=[under_notice.pk]),
        reverse("public-receipt-lookup"),
    ]
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for viewport in (DESKTOP, PHONE):
            page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=viewport is PHONE)
            page.set_default_timeout(15_000)
            csp_violations = watch_csp_violations(page)
            serve_axe(page)
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, (path, response.status)
                problems += page_problems(page, width=viewport["width"])
            problems += [f"CSP at {viewport['width']}px: {v}" for v in csp_violations]
            if viewport is PHONE:
                # From the login page to the list under notice, then the objection and its receipt.
                page.goto(f"{live_server.url}{reverse('login')}")
                page.get_by_role("link", name="Thông tin công khai, không cần tài khoản").click()
                page.get_by_role("link", name="Danh sách đang công khai").click()
                page.get_by_role("link", name="Xem danh sách và phản ánh").click()
                page.get_by_label("Họ và tên").fill("Lý Thị Mai")
                page.get_by_label("Điện thoại hoặc thư điện tử").fill("0912 345 678")
                page.get_by_label("Về").select_option(label="Đặng Quốc Bảo")
                page.get_by_label("Ý kiến phản ánh").fill("Thành tích nêu chưa đúng thực tế.")
                page.get_by_role("button", name="Gửi phản ánh").click()
                page.get_by_test_id("objection-receipt").wait_for()
                code = page.get_by_test_id("receipt-code").inner_text().strip()
                problems += page_problems(page, width=viewport["width"])
                problems += [f"CSP after the objection: {v}" for v in csp_violations]
            page.close()
        browser.close()
    assert not problems, "\n".join(problems)
    objection = Objection.objects.get(receipt_code=code)
    assert objection.lodged_by is None and objection.nominee.name == "Đặng Quốc Bảo"
