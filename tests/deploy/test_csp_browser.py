"""In a real browser, the pages that are not ours alone (the API's Swagger UI, the admin) and the
behaviour moved out of inline scripts work under the Content-Security-Policy, with no violation
reported."""

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_swagger_ui_and_the_admin_run_without_a_violation(live_server, world, client):
    from playwright.sync_api import expect, sync_playwright

    world.head_a.set_password("pw-test-123")
    world.head_a.is_staff = True
    world.head_a.is_superuser = True
    world.head_a.save()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="vi-VN")
        page.set_default_timeout(15_000)
        violations = watch_csp_violations(page)

        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("head_a")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")

        page.goto(f"{live_server.url}/api/docs/")
        # Swagger UI rendered the schema (its script came from /api/docs/?script=). The schema of
        # the whole API is generated at its first request, which takes seconds on a loaded machine.
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=60_000)

        page.goto(f"{live_server.url}/admin/")
        expect(page.locator("#site-name")).to_be_visible()
        browser.close()

    assert violations == []


def test_confirm_and_progress_widths_work_from_the_static_script(live_server, world):
    """data-confirm asks before sending (a refusal keeps the page), and data-width-percent sets
    a progress bar's width: what inline onclick= and style= did before."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="vi-VN")
        violations = watch_csp_violations(page)
        page.goto(f"{live_server.url}/login/")
        page.evaluate(
            """() => {
                document.body.insertAdjacentHTML("beforeend",
                  '<form id="f" action="/nowhere/" method="get"><button data-confirm="Sure?" id="b">Go</button></form>' +
                  '<div class="progress"><div class="progress-bar" id="bar" data-width-percent="40"></div></div>');
                document.dispatchEvent(new Event("DOMContentLoaded"));
            }"""
        )
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.click("#b")
        page.wait_for_timeout(200)
        width = page.evaluate("() => document.getElementById('bar').style.width")
        url = page.url
        browser.close()

    assert asked == ["Sure?"]
    assert url.endswith("/login/")  # dismissed: the form was not sent
    assert width == "40%"
    assert violations == []
