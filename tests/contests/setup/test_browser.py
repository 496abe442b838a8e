"""A unit head sends the unit's entry from a phone (390 px): the contest page, the entry page and
the sent entry pass the page checks (axe-core, nothing past the screen, no English word, no CSP
violation)."""

import pytest
from django.urls import reverse

from contests.models import EntryState
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import AXE, page_problems, serve_axe

from . import helpers as h

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}


def test_a_unit_head_sends_an_entry_from_a_phone(live_server, transactional_db, world):
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "axe-core is missing: run `make setup` (npm ci)"
    contest = h.open_contest(world)
    entry = h.drafted_entry(world, contest, title="Một cửa điện tử xác nhận học sinh trong ngày")
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, locale="vi-VN", is_mobile=True)
        page.set_default_timeout(15_000)
        csp_violations = watch_csp_violations(page)
        serve_axe(page)
        page.goto(f"{live_server.url}{reverse('login')}")
        page.get_by_label("Tên đăng nhập").fill("head_a")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live_server.url}{reverse('contest-list')}")
        problems += page_problems(page, width=PHONE["width"])
        page.get_by_role("link", name=contest.name).click()
        problems += page_problems(page, width=PHONE["width"])
        page.get_by_role("link", name=entry.title).click()
        problems += page_problems(page, width=PHONE["width"])
        page.get_by_test_id("entry-send").click()
        page.get_by_test_id("entry-state").wait_for()
        assert "Gửi sản phẩm dự thi" not in page.content()  # the send panel is gone once sent
        problems += page_problems(page, width=PHONE["width"])
        problems += [f"CSP: {v}" for v in csp_violations]
        page.screenshot(path="/tmp/media-contests_setup/entry-sent-390.png", full_page=True)
        browser.close()
    assert not problems, "\n".join(problems)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED and entry.submitted_by == world.head_a
