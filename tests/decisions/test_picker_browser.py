"""The chair's picker of one decision for many dossiers in a real browser (Debian's Chromium) on
a phone's 390 px: the dossiers of the campaign preselected, the preview with its annex marked
DỰ THẢO, then the signature; no overflow, no serious accessibility problem, no English word."""

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from approvals.models import Decision
from dossiers.reference_data import seed_reference_data
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import page_problems, serve_axe
from tests.workflows.conftest import awaiting_decision, new_dossier

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    seed_reference_data(django_apps)


def test_the_chair_picks_previews_and_signs_one_decision_on_a_phone(live_server, people):
    from playwright.sync_api import sync_playwright

    w = people
    with translation.override("vi"):
        dossiers = [awaiting_decision(w, new_dossier(w)) for _ in range(2)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, locale="vi-VN", is_mobile=True)
        page.set_default_timeout(15_000)
        csp = watch_csp_violations(page)
        serve_axe(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("chair")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")
        page.get_by_test_id("home-decision-batch").click()
        page.wait_for_url(f"{live_server.url}/decisions/new/")
        picks = page.get_by_test_id("pick-dossier")
        assert picks.count() == 2 and all(picks.nth(i).is_checked() for i in range(2))
        problems = page_problems(page, width=PHONE["width"])
        page.get_by_test_id("preview-button").click()
        page.get_by_test_id("confirm-decide-batch").wait_for()
        assert "DỰ THẢO" in page.get_by_test_id("draft-mark").inner_text()
        assert page.get_by_test_id("annex-row").count() == 2
        problems += page_problems(page, width=PHONE["width"])
        page.get_by_test_id("confirm-button").click()
        page.wait_for_url(f"{live_server.url}/decisions/*/")
        browser.close()
    assert not problems, "\n".join(problems)
    assert not csp, csp
    decision = Decision.objects.get()
    assert sorted(d.pk for d in decision.dossiers.all()) == sorted(d.pk for d in dossiers)
