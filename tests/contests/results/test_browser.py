"""The results in a real browser (Debian's headless Chromium, Playwright) at a phone's 390 px and
a desktop's 1366 px: the organiser's results table and decision page, and the public results
without an account, in Vietnamese, nothing past the screen, axe-core clean, no CSP violation."""

import pytest
from django.urls import reverse

from contests import results_services as results
from org.models import Role
from tests import factories as f
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import page_problems, serve_axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("pw-test-123")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def test_results_read_on_a_phone_and_a_desktop(live_server, world, contest, keys):
    from playwright.sync_api import sync_playwright

    clerk = f.user_with_role(Role.RECORDS_CLERK, world.commune, username="clerk")
    results.contest_rank(actor=world.officer, contest=contest)
    results.contest_decision_prepare(actor=world.officer, contest=contest, signer=world.chair)
    results.contest_decision_sign(actor=world.chair, contest=contest)
    results.contest_decision_issue(actor=clerk, contest=contest)
    private = [
        reverse("contest-results", args=[contest.pk]),
        reverse("contest-results-decision", args=[contest.pk]),
    ]
    public = [reverse("public-contests"), reverse("public-contest-results", args=[contest.pk])]
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for viewport in (PHONE, DESKTOP):
            page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=viewport is PHONE)
            page.set_default_timeout(15_000)
            csp_violations = watch_csp_violations(page)
            serve_axe(page)
            for path in public:
                assert page.goto(f"{live_server.url}{path}").status == 200
                problems += page_problems(page, width=viewport["width"])
            _log_in(page, live_server.url, world.officer.username)
            for path in private:
                assert page.goto(f"{live_server.url}{path}").status == 200
                problems += page_problems(page, width=viewport["width"])
            problems += [f"CSP at {viewport['width']}px: {v}" for v in csp_violations]
            page.close()
        browser.close()
    assert not problems, "\n".join(problems)
