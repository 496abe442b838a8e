"""Each role's day in a real browser (Debian's Chromium, Playwright) on the demo world, at a
desktop's 1366 px and a phone's 390 px: the pages the unit head, a council member, the chair and
the council's secretary use pass axe-core with no serious or critical violation, keep their tables
inside the screen on a phone, keep the top bar on one line on a desktop, and show no English word
of our interface and no action or role code (tests/journeys/checks.py)."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from approvals.models import CouncilMeeting
from demo.data import PASSWORD
from demo.meetings import TITLE as DEMO_MEETING
from dossiers.models import Dossier
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations

from .checks import AXE, page_problems, serve_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def walk(live_server, username: str, paths: list[str]) -> list[str]:
    """Log in as the user at each width, open each page, and return every problem found."""
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "axe-core is missing: run `make setup` (npm ci)"
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for viewport in (DESKTOP, PHONE):
            page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=viewport is PHONE)
            page.set_default_timeout(15_000)
            csp_violations = watch_csp_violations(page)
            serve_axe(page)
            page.goto(f"{live_server.url}/login/")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server.url}/")
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, (path, response.status)
                problems += page_problems(page, width=viewport["width"])
            problems += [f"CSP at {viewport['width']}px: {v}" for v in csp_violations]
            page.close()
        browser.close()
    return problems


@pytest.fixture
def demo(transactional_db):
    # As `make run` seeds it: in the site's language (the suite runs in English otherwise).
    with translation.override("vi"):
        call_command("seed_demo", stdout=io.StringIO())
    return {
        "meeting": CouncilMeeting.objects.get(title=DEMO_MEETING).pk,
        "dossier": Dossier.objects.filter(unit__name="Trường THCS Ngọc Lâm", state="decided").first().pk,
        "draft": Dossier.objects.filter(unit__name="Trường THCS Ngọc Lâm", state="draft").first().pk,
    }


def test_the_unit_heads_pages(live_server, demo):
    problems = walk(
        live_server,
        "unit_head",
        ["/", "/dossiers/", f"/dossiers/{demo['dossier']}/", f"/dossiers/{demo['draft']}/", "/my-unit/"],
    )
    assert not problems, "\n".join(problems)


def test_a_council_members_pages(live_server, demo):
    problems = walk(live_server, "member", ["/", "/meetings/", f"/meetings/{demo['meeting']}/"])
    assert not problems, "\n".join(problems)


def test_the_chairs_pages(live_server, demo):
    problems = walk(
        live_server,
        "chair",
        ["/", "/to-sign/", "/decisions/", f"/meetings/{demo['meeting']}/", "/dashboard/", "/award-register/"],
    )
    assert not problems, "\n".join(problems)


def test_the_secretarys_pages(live_server, demo):
    meeting = demo["meeting"]
    problems = walk(live_server, "secretary", [f"/meetings/{meeting}/live/", "/tasks/", "/queue/"])
    assert not problems, "\n".join(problems)


def test_the_inspectors_pages(live_server, demo):
    problems = walk(
        live_server,
        "inspector",
        ["/inspection/", f"/inspection/dossiers/{demo['dossier']}/", "/inspection/chain/"],
    )
    assert not problems, "\n".join(problems)
