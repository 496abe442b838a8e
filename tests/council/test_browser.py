"""A member votes from a phone in a real browser (Debian's headless Chromium, Playwright): one
tap per nominee, the card turns to "you have voted" without reloading the page, the count of
nominees left goes down; a refusal shows in the card. With WRITE_SCREENSHOTS=1 the run also
writes docs/screenshots/council-vote-phone.png."""

import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from approvals.models import Participation
from dossiers.reference_data import seed_reference_data
from tests import factories as f
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations

from .conftest import in_council, open_with, schedule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_member_votes_from_a_phone_with_one_tap_per_nominee(live_server, world):
    from playwright.sync_api import expect, sync_playwright

    seed_reference_data(apps)
    w = world
    w.cchair = f.council_member(w.council, "chair", username="cchair")
    w.secretary = f.council_member(w.council, "secretary", username="secretary")
    w.members = [w.cchair, w.secretary, w.member] + [f.council_member(w.council, "member") for _ in range(3)]
    dossier = in_council(w, nominees=3)
    meeting = open_with(w, schedule(w, [dossier], title="Phiên họp xét khen thưởng đợt 1"))
    first, second, _third = dossier.agenda_nominees

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(
            viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True
        )
        page.set_default_timeout(15_000)
        csp_violations = watch_csp_violations(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("member")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")

        expect(page.get_by_test_id("agenda-item")).to_have_count(3)
        expect(page.get_by_test_id("progress")).to_contain_text("Còn 3 đối tượng")
        card = page.locator(f"#item-{first.pk}")
        card.get_by_test_id("vote-agree").tap()
        expect(page.locator(f"#item-{first.pk}").get_by_test_id("voted")).to_contain_text(
            "Đồng chí đã biểu quyết"
        )
        expect(page.get_by_test_id("progress")).to_contain_text("Còn 2 đối tượng")
        page.locator(f"#item-{second.pk}").get_by_test_id("vote-disagree").tap()
        expect(page.locator(f"#item-{second.pk}").get_by_test_id("voted")).to_be_visible()
        expect(page.locator(f"#item-{first.pk}").get_by_test_id("vote-agree")).to_have_count(0)
        if os.environ.get("WRITE_SCREENSHOTS") == "1":
            page.screenshot(
                path=str(Path(settings.BASE_DIR) / "docs" / "screenshots" / "council-vote-phone.png"),
                full_page=True,
            )
        assert csp_violations == []
        browser.close()

    assert Participation.objects.filter(member=w.member).count() == 2
