"""A council member votes on an initiative from a phone (390 px) and the initiative pages read
well at a desktop's 1366 px: axe-core, nothing past the screen, no English word, no CSP violation."""

import pytest
from django.urls import reverse

from initiatives.models import InitiativeParticipation
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import page_problems, serve_axe

from .builders import passed, recognise, register, review

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_a_member_votes_from_a_phone(live_server, ini):
    from playwright.sync_api import sync_playwright

    meeting = review(ini, {})
    other = register(
        ini.world, ini.world.staff_a, title="Sổ tay chủ nhiệm điện tử", authors=[{"name": "Lê Thị Hoa"}]
    )
    paths = [
        reverse("initiative-list"),
        reverse("initiative-detail", args=[ini.initiative.pk]),
        reverse("initiative-detail", args=[other.pk]),
        reverse("initiative-meeting-list"),
        reverse("initiative-meeting-detail", args=[meeting.pk]),
    ]
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for viewport in (DESKTOP, PHONE):
            page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=viewport is PHONE)
            page.set_default_timeout(15_000)
            csp_violations = watch_csp_violations(page)
            serve_axe(page)
            page.goto(f"{live_server.url}/login/")
            page.get_by_label("Tên đăng nhập").fill(ini.m2.username)
            page.get_by_label("Mật khẩu").fill("pw-test-123")
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server.url}/")
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, (path, response.status)
                problems += page_problems(page, width=viewport["width"])
            if viewport is PHONE:
                page.get_by_test_id("vote-agree").click()
                page.get_by_test_id("voted").wait_for()
                problems += page_problems(page, width=viewport["width"])
            problems += [f"CSP at {viewport['width']}px: {v}" for v in csp_violations]
            page.close()
        browser.close()
    assert not problems, "\n".join(problems)
    assert InitiativeParticipation.objects.filter(member=ini.m2).count() == 1


def test_the_head_reads_the_recognition_decision(live_server, ini):
    from playwright.sync_api import sync_playwright

    passed(ini)
    recognition = recognise(ini)
    ini.world.head_a.set_password("pw-test-123")
    ini.world.head_a.save()
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, locale="vi-VN", is_mobile=True)
        page.set_default_timeout(15_000)
        serve_axe(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill(ini.world.head_a.username)
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}{reverse('initiative-recognition', args=[recognition.pk])}")
        problems += page_problems(page, width=PHONE["width"])
        browser.close()
    assert not problems, "\n".join(problems)
