"""A juror scores an entry from a phone in a real browser (Debian's headless Chromium, Playwright):
the round and the scoring form at 390 px, in Vietnamese, nothing past the screen, no CSP violation;
the organiser's panel at 390 px and 1366 px."""

import pytest
from django.urls import reverse

from contests.models import RoundKind, Score
from contests.round_services import round_start
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import page_problems, serve_axe

from .builders import make_contest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("pw-test-123")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def test_a_juror_scores_from_a_phone(live_server, world):
    from playwright.sync_api import expect, sync_playwright

    cw = make_contest(world)
    round_start(actor=cw.organiser, contest=cw.contest, kind=RoundKind.APPRAISAL)
    c1, c2 = cw.appraisal
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
        page.set_default_timeout(15_000)
        csp_violations = watch_csp_violations(page)
        serve_axe(page)
        _log_in(page, live_server.url, cw.users[0].username)
        page.goto(f"{live_server.url}{reverse('contest-scoring')}")
        problems += page_problems(page, width=390)
        page.get_by_test_id("rounds-to-score").get_by_role("link").first.tap()
        expect(page.get_by_test_id("my-entries")).to_be_visible()
        problems += page_problems(page, width=390)
        page.get_by_test_id("my-entries").get_by_role("link").first.tap()
        expect(page.get_by_test_id("score-form")).to_be_visible()
        problems += page_problems(page, width=390)
        first = page.get_by_test_id("entry-title").inner_text()
        page.get_by_label(c1.name).fill("8.25")
        page.get_by_label(c2.name).fill("15")
        page.get_by_role("button", name="Lưu điểm").tap()
        # On to the next entry not scored yet.
        expect(page.get_by_test_id("entry-title")).not_to_have_text(first)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        problems += [f"CSP: {v}" for v in csp_violations]
        page.close()

        for viewport in (PHONE, DESKTOP):
            page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=viewport is PHONE)
            page.set_default_timeout(15_000)
            serve_axe(page)
            _log_in(page, live_server.url, cw.organiser.username)
            page.goto(f"{live_server.url}{reverse('contest-rounds', args=[cw.contest.pk])}")
            expect(page.get_by_test_id("progress")).to_contain_text("1/4")
            problems += page_problems(page, width=viewport["width"])
            page.close()
        browser.close()
    assert not problems, "\n".join(problems)
    saved = Score.objects.get(juror=cw.jurors[0], criterion=c1)
    assert str(saved.value) == "8.25" and saved.entry.title == first
