"""The import of nominees in a real browser (Debian's Chromium): from the dossier's page to the
upload, the preview of what will be added (nothing written yet), then the confirmation; on a
phone's 390 px, without overflow, serious accessibility problems, English words or CSP
violations."""

import pytest
from django.apps import apps as django_apps

from dossiers.models import Nominee
from dossiers.reference_data import seed_reference_data
from tests import factories as f
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch_csp_violations
from tests.journeys.checks import page_problems, serve_axe

from .helpers import row, workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    seed_reference_data(django_apps)


def test_the_unit_previews_then_imports_nominees_on_a_phone(live_server, world):
    from playwright.sync_api import sync_playwright

    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    data = workbook(
        [
            row(),
            row(name="Lê Thị Thu", sex="Nữ", date_of_birth="03/07/1986", id_number="001186004321"),
        ]
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, locale="vi-VN", is_mobile=True)
        page.set_default_timeout(15_000)
        csp = watch_csp_violations(page)
        serve_axe(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Tên đăng nhập").fill("staff_a")
        page.get_by_label("Mật khẩu").fill("pw-test-123")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
        page.get_by_test_id("nominee-import-link").click()
        page.wait_for_url(f"{live_server.url}/dossiers/{dossier.pk}/nominees/import/")
        problems = page_problems(page, width=PHONE["width"])

        page.locator("input[type=file]").set_input_files(
            {"name": "de-nghi.xlsx", "mimeType": "application/octet-stream", "buffer": data}
        )
        page.get_by_test_id("import-upload").click()
        page.get_by_test_id("import-preview").wait_for()
        assert page.get_by_test_id("import-row").count() == 2
        assert "Lê Thị Thu" in page.get_by_test_id("import-preview").inner_text()
        problems += page_problems(page, width=PHONE["width"])

        page.get_by_test_id("import-confirm").click()
        page.wait_for_url(f"{live_server.url}/dossiers/{dossier.pk}/")
        assert "Đã thêm 2 đối tượng" in page.content()
        problems += page_problems(page, width=PHONE["width"])
        browser.close()
    assert not problems, "\n".join(problems)
    assert not csp, csp
    assert sorted(Nominee.objects.filter(dossier=dossier).values_list("name", flat=True)) == [
        "Lê Thị Thu",
        "Phạm Văn Minh",
    ]
