"""The secretary records the roll and an absent member's reason from a phone (390 px wide) in a
real browser (Debian's headless Chromium): nothing overflows the screen, no CSP violation."""

import pytest
from django.apps import apps

from approvals.meetings import Attendance
from dossiers.reference_data import seed_reference_data
from tests import factories as f
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations

from .conftest import in_council, schedule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_the_secretary_records_an_absence_reason_from_a_phone(live_server, world):
    from playwright.sync_api import expect, sync_playwright

    seed_reference_data(apps)
    w = world
    w.cchair = f.council_member(w.council, "chair", username="cchair", full_name="Vũ Đức Thắng")
    w.secretary = f.council_member(w.council, "secretary", username="secretary", full_name="Đỗ Thị Hạnh")
    away = f.council_member(w.council, "member", username="away", full_name="Lê Văn Vắng")
    w.members = [w.cchair, w.secretary, w.member, away]
    meeting = schedule(w, [in_council(w, nominees=1)])

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(
            viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True
        )
        page.set_default_timeout(15_000)
        csp_violations = watch_csp_violations(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("secretary")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")

        panel = page.locator("#secretary-panel")
        for member in (w.cchair, w.secretary, w.member):
            panel.get_by_label(member.get_full_name(), exact=True).check()
        panel.get_by_label("Lý do vắng mặt của Lê Văn Vắng").fill("Đi công tác")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        panel.get_by_role("button", name="Điểm danh").click()
        expect(page.locator("#secretary-panel")).to_be_visible()
        expect(page.locator("#secretary-panel").get_by_label("Lý do vắng mặt của Lê Văn Vắng")).to_have_value(
            "Đi công tác"
        )
        assert csp_violations == []
        browser.close()

    assert Attendance.objects.get(meeting=meeting, member=away).absence_reason == "Đi công tác"
