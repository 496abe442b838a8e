"""The top bar's menus open in a real browser (Debian's Chromium), on a desktop and on a phone:
the "More" list is how every role reaches the decisions, the reports and the year's work, and a
dropdown needs Popper beside Debian's Bootstrap. A script error on the way fails the test too."""

import pytest
from django.apps import apps as django_apps

from dossiers.reference_data import seed_reference_data
from tests.browser import CHROMIUM, CHROMIUM_ARGS, sign_in, watch_csp_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]
VIEWPORTS = [({"width": 1366, "height": 900}, False), ({"width": 390, "height": 844}, True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    seed_reference_data(django_apps)


@pytest.mark.parametrize(("viewport", "phone"), VIEWPORTS, ids=["desktop", "phone"])
def test_the_more_menu_opens_and_leads_to_the_decisions(live_server, world, viewport, phone):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=phone)
        page.set_default_timeout(15_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        csp = watch_csp_violations(page)
        sign_in(page, live_server.url, "chair")
        if phone:
            page.locator(".navbar-toggler").click()
        more = page.get_by_test_id("nav-more")
        more.click()
        assert more.get_attribute("aria-expanded") == "true"
        decisions = page.locator(".dropdown-menu.show a[href='/decisions/']")
        decisions.wait_for(state="visible")
        decisions.click()
        page.wait_for_url(f"{live_server.url}/decisions/")
        browser.close()
    assert not errors, errors
    assert not csp, csp


@pytest.mark.parametrize(("viewport", "phone"), VIEWPORTS, ids=["desktop", "phone"])
def test_the_unread_count_is_in_sight_without_opening_the_menu(live_server, world, viewport, phone):
    """On a phone the menu folds away; the bell with its count stays beside it (one bell in
    sight at each width, one request for the count)."""
    from playwright.sync_api import expect, sync_playwright

    from notices.models import NoticeKind
    from notices.services import notify

    notify(recipients=[world.chair], kind=NoticeKind.TASK, text="Hồ sơ chờ quyết định", link="/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=phone)
        page.set_default_timeout(15_000)
        counts = []
        page.on("request", lambda r: counts.append(r.url) if r.url.endswith("/notices/unread/") else None)
        sign_in(page, live_server.url, "chair")
        bells = page.locator(".notice-bell:visible")
        expect(bells).to_have_count(1)
        expect(bells.first.locator(".notice-count")).to_contain_text("1")
        browser.close()
    assert len(counts) == 1, counts
