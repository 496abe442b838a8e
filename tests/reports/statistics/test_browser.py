"""The standing officer opens a form of the statistics in a real browser (Debian's headless Chromium,
Playwright), reads the figures in Vietnamese and opens the list behind one, with no CSP violation."""

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_officer_opens_a_figure_of_form_0603(transactional_db, live_server, stats):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        csp_violations = watch_csp_violations(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("officer")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_test_id("nav-reports")).to_have_attribute("href", "/reports/")
        page.goto(f"{live_server.url}/reports/")
        expect(page.locator("h1")).to_contain_text("Báo cáo thống kê")
        page.get_by_test_id("report-0603").click()
        page.get_by_label("Kỳ báo cáo").fill("2025")
        page.get_by_role("button", name="Xem báo cáo").click()
        expect(page.get_by_test_id("report-table")).to_contain_text("Chiến sĩ thi đua cấp bộ, cấp tỉnh")
        expect(page.get_by_test_id("figure-01-total")).to_have_text("3")
        # Each figure is a cell of the table under its own column head, not squeezed into the first.
        displays = page.eval_on_selector_all(
            "[data-testid=report-table] tbody td[data-col]",
            "cells => cells.map(c => getComputedStyle(c).display)",
        )
        assert displays and set(displays) == {"table-cell"}
        total = page.get_by_test_id("figure-01-total").bounding_box()
        heads = page.eval_on_selector_all(
            "[data-testid=report-table] thead th",
            "ths => ths.map(th => { const r = th.getBoundingClientRect(); return [r.x, r.width]; })",
        )
        assert any(x <= total["x"] and total["x"] + total["width"] <= x + w + 1 for x, w in heads)
        page.get_by_test_id("figure-01-total").click()
        expect(page.get_by_test_id("listing-awards")).to_contain_text("Vũ Minh Tuấn")
        expect(page.get_by_test_id("listing-awards")).to_contain_text("Đỗ Thị Hoa")
        expect(page.get_by_test_id("listing-records")).to_contain_text("Trường Mầm non Hoa Sữa")
        assert csp_violations == []
        browser.close()
