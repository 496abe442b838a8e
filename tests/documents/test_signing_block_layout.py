"""Decree 30/2020's signing block (Nơi nhận, the signer's title, signature and name) never stands
alone at the top of a page: the last lines of the text go over with it, so that nobody can print
a page of signature under text it was not signed under. Found with decisions whose articles end
at every point of the first page: a page that opens with the signing block fails."""

import pytest

from documents import rendering

from .helpers import text

pytestmark = pytest.mark.django_db

SIGNER = {"lines": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "name": "Vũ Đức Thắng", "hand": False}
ARTICLE = (
    "Tặng Giấy khen cho các tập thể và cá nhân có thành tích xuất sắc trong Hội thi sáng kiến, "
    "cải cách hành chính năm {year}, có danh sách kèm theo."
)


def context(articles: int) -> dict:
    return {
        "doc_type": "QUYẾT ĐỊNH",
        "subject": "Về việc khen thưởng Hội thi",
        "issuer_name": "ỦY BAN NHÂN DÂN\nPHƯỜNG LONG BIÊN",
        "symbol": "Số: 03/QĐ-UBND",
        "place_date": "Long Biên, ngày 11 tháng 3 năm 2026",
        "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG LONG BIÊN",
        "grounds": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"],
        "consideration": "Xét đề nghị của Trưởng phòng Nội vụ.",
        "articles": [ARTICLE.format(year=2000 + n) for n in range(articles)],
        "recipients": ["Như Điều 3", "Lưu: VT"],
        "signers": [SIGNER],
        "annex": {"title": "DANH SÁCH", "subtitle": "", "reference": "", "sections": [], "count": 0},
    }


def pages(data: bytes) -> list[list[str]]:
    """Each page's lines, as pdftotext reads them (pages end with a form feed)."""
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text(data).split("\f")]


def test_the_signing_block_takes_the_last_lines_of_the_text_with_it_to_a_new_page():
    moved = 0
    for articles in range(8, 22):
        data = rendering.html_to_pdf(
            rendering.render_html("documents/contest_decision.html", context(articles))
        )
        body = [p for p in pages(data) if "DANH SÁCH" not in p]  # the annex starts its own page
        signing_page = next(p for p in body if any(line.startswith("Nơi nhận") for line in p))
        if signing_page is body[0]:
            continue
        moved += 1
        first = signing_page[0]
        assert not first.startswith(("Nơi nhận", "TM.", "CHỦ TỊCH")), (articles, signing_page[:4])
    assert moved, "no length tried pushed the signing block to a second page"
