#!/usr/bin/env python3
"""Write the README's screenshots (docs/screenshots/) from a running demo site, desktop and phone.

    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python tools/screenshots.py http://127.0.0.1:8000

Drives Debian's headless Chromium with Playwright (as the browser tests do) and logs in with the
demo logins. Two more come from the browser tests run with WRITE_SCREENSHOTS=1: the refused
submission (submit-refused.png, tests/e2e/test_browser.py, which also rewrites dossier-list.png and
dossier-detail.png from its own dossier) and a member voting (council-vote-phone.png,
tests/council/test_browser.py).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "demo-tdkt-2026"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def log_in(context, base, username):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
    return page


def shot(page, name, *, full_page=True):
    page.screenshot(path=str(OUT / name), full_page=full_page)
    print(f"  docs/screenshots/{name}")


def main(base: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def session(username, device):
            context = browser.new_context(locale="vi-VN", **device)
            return context, log_in(context, base, username)

        # The open meeting, as the member's home page leads to it.
        context, page = session("member", PHONE)
        shot(page, "home-member-phone.png", full_page=False)
        page.goto(f"{base}/meetings/")
        page.locator("#invitations a").first.click()
        meeting = re.search(r"/meetings/(\d+)/", page.url).group(1)
        shot(page, "meeting-member-phone.png")
        context.close()

        # The standing body's officer: the dossier list, and a dossier decided after a return.
        context, page = session("officer", DESKTOP)
        page.goto(f"{base}/dossiers/")
        shot(page, "dossier-list.png", full_page=False)
        page.goto(f"{base}/dossiers/?state=decided")
        page.locator("table a[href^='/dossiers/']").first.click()
        shot(page, "dossier-detail.png")
        context.close()

        context, page = session("unit_head", PHONE)
        page.goto(f"{base}/dossiers/")
        shot(page, "dossier-list-phone.png")
        context.close()

        context, page = session("chair", DESKTOP)
        shot(page, "home-chair.png", full_page=False)
        page.goto(f"{base}/to-sign/")
        shot(page, "to-sign.png", full_page=False)
        context.close()

        context, page = session("secretary", DESKTOP)
        page.goto(f"{base}/meetings/{meeting}/live/")
        shot(page, "meeting-live.png", full_page=False)
        context.close()

        context, page = session("secretary", PHONE)
        page.goto(f"{base}/meetings/")
        closed = page.locator("table a[href^='/meetings/']").last.get_attribute("href")
        page.goto(f"{base}{closed}minutes/")
        # The results of the minutes, one card per nominee.
        page.get_by_test_id("results").screenshot(path=str(OUT / "minutes-phone.png"))
        print("  docs/screenshots/minutes-phone.png")
        context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
