"""The dashboard and the award register in a real browser (Debian's Chromium) on a phone's 390 px
and on a desktop: bars drawn without script or inline style, nothing runs past the screen, no
serious accessibility problem, no English word; a bar opens the register filtered to what it
counts, and an awardee's page lists their awards."""

import pytest
from django.apps import apps as django_apps

from dossiers.reference_data import seed_reference_data
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import page_problems, serve_axe

from .register_world import decided_award, recorded_award

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    seed_reference_data(django_apps)


def _log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("pw-test-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_the_dashboard_and_the_register_on_a_phone_and_a_desktop(live_server, world):
    from playwright.sync_api import expect, sync_playwright

    w = world
    decided_award(w, name="Nguyễn Thị Lan", year=2025, id_number="001186004127")
    recorded_award(w, name="Nguyễn Thị Lan", year=2024, id_number="001186004127")
    recorded_award(
        w,
        name="Trần Văn Bình",
        year=2023,
        code=None,
        award_title="Huân chương Lao động hạng Ba của Chủ tịch nước",
    )
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for viewport in (PHONE, DESKTOP):
            page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=viewport is PHONE)
            page.set_default_timeout(15_000)
            csp = watch_csp_violations(page)
            serve_axe(page)
            _log_in(page, live_server.url, "officer")
            page.goto(f"{live_server.url}/dashboard/")
            assert page.get_by_test_id("chart-year").locator("svg rect.bar").count() == 3
            # The bars' labels are text at the page's size, on a phone too (not a drawing scaled down).
            sizes = (
                page.get_by_test_id("chart-year")
                .locator(".bar-label")
                .evaluate_all("els => els.map((e) => parseFloat(getComputedStyle(e).fontSize))")
            )
            assert len(sizes) == 3 and min(sizes) >= 13, sizes
            problems += page_problems(page, width=viewport["width"])
            # The bar of 2024 opens the register of that year.
            page.get_by_test_id("chart-year").locator('a[aria-label="2024: 1"]').click()
            page.wait_for_url(f"{live_server.url}/award-register/?year=2024")
            rows = page.get_by_test_id("register-table").locator("tbody tr")
            assert rows.count() == 1 and "Nguyễn Thị Lan" in rows.first.inner_text()
            # The search form's fields are of one height, in at most two even rows on a desktop.
            boxes = page.get_by_test_id("register-filters").locator("input:not([type=hidden]), select")
            boxes = boxes.evaluate_all(
                "els => els.map((e) => [Math.round(e.getBoundingClientRect().top),"
                " Math.round(e.getBoundingClientRect().height)])"
            )
            assert len(boxes) == 6 and len({h for _top, h in boxes}) == 1, boxes
            if viewport is DESKTOP:
                assert len({top for top, _h in boxes}) == 2, boxes
            problems += page_problems(page, width=viewport["width"])
            # Searched without accents, the awardee's page lists both years, oldest first.
            page.get_by_label("Họ tên / tên").fill("nguyen thi lan")
            page.locator("#id_year").fill("")
            page.get_by_role("button", name="Tìm kiếm").click()
            # The click returns once the new page is committed, before its table is parsed: wait for it.
            page.wait_for_url("**/award-register/?q=nguyen+thi+lan*")
            expect(page.get_by_test_id("register-table").locator("tbody tr")).to_have_count(2)
            page.get_by_test_id("register-table").get_by_role("link", name="Nguyễn Thị Lan").first.click()
            awards = page.get_by_test_id("awardee-awards").locator("tbody tr")
            assert [awards.nth(i).locator("td").first.inner_text() for i in range(2)] == ["2024", "2025"]
            assert page.get_by_test_id("awardee-id-number").inner_text() == "001186004127"
            problems += page_problems(page, width=viewport["width"])
            assert not csp, csp
            page.close()
        browser.close()
    assert not problems, "\n".join(problems)
