"""The chairperson resolves a tie from a phone in a real browser (Debian's headless Chromium,
Playwright): the tie page at 390 px shows the ranking, the quota line and the tied nominees without
running off the screen, and one tap opens the run-off round."""

import pytest
from django.apps import apps

from dossiers.reference_data import seed_reference_data
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.ranking.test_ties import _tie_at_the_line

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_chairperson_opens_a_runoff_from_a_phone(live_server, cw):
    from playwright.sync_api import expect, sync_playwright

    seed_reference_data(apps)
    meeting, _nominees = _tie_at_the_line(cw)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(
            viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True
        )
        page.set_default_timeout(15_000)
        csp_violations = watch_csp_violations(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("cchair")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        page.get_by_test_id("tie-link").tap()

        expect(page.get_by_test_id("ties")).to_contain_text("còn 1 suất")
        expect(page.get_by_test_id("ranking-row")).to_have_count(4)
        expect(page.get_by_test_id("tied-badge")).to_have_count(3)
        expect(page.get_by_test_id("quota-line")).to_contain_text("Ngưỡng chỉ tiêu")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_test_id("runoff-start").tap()

        expect(page.get_by_test_id("runoff-of")).to_contain_text("Bỏ phiếu lại vòng 2")
        expect(page.get_by_test_id("agenda-item")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert csp_violations == []
        browser.close()
    assert meeting.runoffs.count() == 1
