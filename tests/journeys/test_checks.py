"""The journey checks themselves: each one catches what it is there to catch, so a green journey
means something."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from demo.data import PASSWORD
from tests.browser import CHROMIUM, CHROMIUM_ARGS

from .checks import page_problems, serve_axe, words_problems


@pytest.mark.parametrize(
    "text, found",
    [
        ("Hồ sơ chờ quyết định", []),
        ("Đã đính kèm to-trinh.pdf và bao_cao.docx", []),
        ("Địa chỉ thanhtra@hanoi.gov.vn, trang https://dichvucong.gov.vn/ho_so", []),
        ("Đồng chí đã vote.participate lúc 09:00", ["code “vote.participate”"]),
        ("Vai trò: unit_head", ["code “unit_head”"]),
        ("Nominees: 3", ["English word “Nominees”"]),
        ("Biên bản — Close the meeting", ["English word “Close”", "English word “the”"]),
        ("3 nominees left for you", ["English word “left”", "English word “you”"]),
    ],
)
def test_words_and_codes_are_found_and_file_names_are_not(text, found):
    assert words_problems(text) == found


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_page_checks_catch_a_clipped_table_a_wrapping_bar_and_an_axe_violation(
    live_server, transactional_db
):
    from playwright.sync_api import sync_playwright

    with translation.override("vi"):
        call_command("seed_demo", stdout=io.StringIO())
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for width in (1366, 390):
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="vi-VN")
            serve_axe(page)
            page.goto(f"{live_server.url}/login/")
            page.get_by_label("Tên đăng nhập").fill("officer")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.goto(f"{live_server.url}/dossiers/")
            found[f"clean {width}"] = page_problems(page, width=width)
            if width == 390:
                # The list table as it was before: a plain table in a scrolling box.
                page.evaluate("document.querySelector('table.table-stack').classList.remove('table-stack')")
                found["unstacked"] = page_problems(page, width=width)
            else:
                page.evaluate(
                    """() => { const ul = document.querySelector('#main-nav .navbar-nav');
                               for (let i = 0; i < 6; i++) ul.insertAdjacentHTML('beforeend',
                                 '<li class="nav-item"><a class="nav-link" href="/">Mục thêm số ' + i + '</a></li>'); }"""
                )
                found["crowded bar"] = page_problems(page, width=width)
                page.evaluate(
                    """() => { document.querySelector('nav.navbar').remove();
                               document.querySelector('main').insertAdjacentHTML('afterbegin',
                                 '<button type="button"></button>'); }"""
                )
                found["unnamed button"] = page_problems(page, width=width)
            page.close()
        browser.close()

    assert found["clean 1366"] == [] and found["clean 390"] == []
    assert any("overflow:" in problem for problem in found["unstacked"]), found["unstacked"]
    assert any("the top bar wraps" in problem for problem in found["crowded bar"]), found["crowded bar"]
    assert any("axe button-name (critical)" in problem for problem in found["unnamed button"]), found
