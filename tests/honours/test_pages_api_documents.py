"""The pages, the API and the Ministry-format documents of a state honours proposal; scope (another
province's proposal is a 404) and the pinned query counts."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from honours import services
from honours.models import HonoursProposal, ProposedNominee
from tests.documents.helpers import text as pdf_text

from .builders import candidate, proposal

pytestmark = pytest.mark.django_db


def _assembled(hw, *names):
    p = proposal(hw)
    for name in names or ("Nguyễn Thị Minh",):
        services.proposal_nominee_add(
            actor=hw.province_officer, proposal=p, nominee=candidate(hw, name=name).nominee
        )
    return p


def test_the_proposal_page_lists_nominees_and_candidates_and_adds_one(client, hw):
    p = _assembled(hw)
    waiting = candidate(hw, name="Trường THPT Chu Văn An", kind="collective")
    client.force_login(hw.province_officer)
    html = client.get(reverse("honours-detail", args=[p.pk])).content.decode()
    assert "Nguyễn Thị Minh" in html and "Trường THPT Chu Văn An" in html
    response = client.post(reverse("honours-nominee-add", args=[p.pk]), {"nominee": waiting.nominee.pk})
    assert response.status_code == 302
    assert p.entries.count() == 2


def test_a_refusal_on_the_page_says_why(client, hw):
    p = _assembled(hw)
    other = proposal(hw, title="Tờ trình bổ sung")
    client.force_login(hw.province_officer)
    response = client.post(
        reverse("honours-nominee-add", args=[other.pk]), {"nominee": p.entries.get().nominee_id}
    )
    assert response.status_code == 400
    assert "mỗi đối tượng chỉ được đề nghị một lần" in response.content.decode()


def test_the_chair_submits_on_the_page_and_the_officer_records_the_result(client, hw):
    p = _assembled(hw)
    client.force_login(hw.province_chair)
    response = client.post(reverse("honours-submit", args=[p.pk]), {"dispatch_date": "2026-02-02"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.dispatch_number == "01/TTr-UBND" and p.dispatch_date == dt.date(2026, 2, 2)
    entry = p.entries.get()
    client.force_login(hw.province_officer)
    response = client.post(
        reverse("honours-result", args=[p.pk, entry.pk]),
        {
            "awarded": "1",
            "decision_number": "1234/QĐ-TTg",
            "decision_date": "2026-03-02",
            "issuer": "Thủ tướng Chính phủ",
        },
    )
    assert response.status_code == 302
    # The award register and the recorded awards show it.
    register = client.get(reverse("award-register"), {"q": "Nguyễn Thị Minh"}).content.decode()
    assert "Bằng khen của Thủ tướng Chính phủ" in register and "1234/QĐ-TTg" in register
    records = client.get(reverse("award-record-list")).content.decode()
    assert "1234/QĐ-TTg" in records


def test_another_provinces_proposal_is_a_404(client, hw):
    p = _assembled(hw)
    client.force_login(hw.other_officer)
    assert client.get(reverse("honours-detail", args=[p.pk])).status_code == 404
    assert client.get(reverse("honours-document", args=[p.pk, "pdf"])).status_code == 404
    assert client.get(f"/api/honours/proposals/{p.pk}/").status_code == 404
    assert client.get(reverse("honours-list")).content.decode().count(p.title) == 0
    # The commune's officer neither.
    client.force_login(hw.officer)
    assert client.get(reverse("honours-detail", args=[p.pk])).status_code == 404


def test_the_inspector_reads_but_cannot_assemble(client, hw):
    p = _assembled(hw)
    client.force_login(hw.province_inspector)
    assert client.get(reverse("honours-detail", args=[p.pk])).status_code == 200
    response = client.post(reverse("honours-nominee-remove", args=[p.pk, p.entries.get().pk]))
    assert response.status_code == 403
    assert p.entries.count() == 1


def test_the_menu_offers_state_honours_to_the_province_only(client, hw):
    client.force_login(hw.province_chair)
    assert 'data-testid="nav-honours"' in client.get(reverse("honours-list")).content.decode()
    client.force_login(hw.officer)
    assert 'data-testid="nav-honours"' not in client.get(reverse("home")).content.decode()


def test_the_ministry_format_pdf_has_the_submission_and_the_list(client, hw):
    p = _assembled(hw, "Nguyễn Thị Minh", "Trường THPT Chu Văn An")
    services.proposal_submit(actor=hw.province_chair, proposal=p, dispatch_date=dt.date(2026, 2, 2))
    client.force_login(hw.province_officer)
    response = client.get(reverse("honours-document", args=[p.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    words = " ".join(pdf_text(response.content).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỜ TRÌNH",
        "Về việc đề nghị khen thưởng cấp Nhà nước năm 2025",
        "Số: 01/TTr-UBND",
        "Kính gửi: Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương).",
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG CẤP NHÀ NƯỚC NĂM 2025",
        "(Kèm theo Tờ trình số 01/TTr-UBND",
        "STT",
        "Hình thức đề nghị",
        "Tóm tắt thành tích",
        "Nguyễn Thị Minh",
        "Bằng khen của Thủ tướng Chính phủ",
        "Sở Giáo dục và Đào tạo",
    ):
        assert expected in words, expected
    event = AuditEvent.objects.filter(action="honours.document_render").latest("seq")
    assert event.data["format"] == "pdf"


def test_the_list_as_xlsx(client, hw):
    p = _assembled(hw)
    client.force_login(hw.province_officer)
    response = client.get(reverse("honours-document", args=[p.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[2] == [
        "STT",
        "Họ và tên / Tên tập thể",
        "Chức vụ",
        "Đơn vị",
        "Hình thức đề nghị",
        "Tóm tắt thành tích",
    ]
    assert rows[4][:5] == [
        1,
        "Nguyễn Thị Minh",
        "Giám đốc Sở",
        "Sở Giáo dục và Đào tạo",
        "Bằng khen của Thủ tướng Chính phủ",
    ]


def test_the_api_mirrors_the_pages(client, hw):
    client.force_login(hw.province_officer)
    created = client.post(
        "/api/honours/proposals/",
        {"unit": hw.province.pk, "year": 2025, "title": "Tờ trình khen cao năm 2025"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    d = candidate(hw)
    listed = client.get(f"/api/honours/proposals/{pk}/candidates/").json()
    assert [c["id"] for c in listed] == [d.nominee.pk]
    added = client.post(
        f"/api/honours/proposals/{pk}/nominees/", {"nominee": d.nominee.pk}, content_type="application/json"
    )
    assert added.status_code == 201
    twice = client.post(
        f"/api/honours/proposals/{pk}/nominees/", {"nominee": d.nominee.pk}, content_type="application/json"
    )
    assert twice.status_code == 400
    assert (
        client.post(f"/api/honours/proposals/{pk}/submit/", {}, content_type="application/json").status_code
        == 403
    )
    client.force_login(hw.province_chair)
    submitted = client.post(
        f"/api/honours/proposals/{pk}/submit/",
        {"dispatch_date": "2026-02-02"},
        content_type="application/json",
    )
    assert submitted.status_code == 200 and submitted.json()["dispatch_number"] == "01/TTr-UBND"
    again = client.post(f"/api/honours/proposals/{pk}/submit/", {}, content_type="application/json")
    assert again.status_code == 409
    assert Dossier.objects.get(pk=d.pk).state == DossierState.FORWARDED
    client.force_login(hw.province_officer)
    entry = submitted.json()["entries"][0]["id"]
    result = client.post(
        f"/api/honours/proposals/{pk}/nominees/{entry}/result/",
        {"awarded": False, "reason": "Chưa đủ tiêu chuẩn."},
        content_type="application/json",
    )
    assert result.status_code == 200 and result.json()["state"] == "results_recorded"
    closed = client.post(f"/api/honours/proposals/{pk}/close/", {}, content_type="application/json")
    assert closed.json()["state"] == "closed"


def _many(hw, n):
    """`n` proposals of the province with two nominees each, set straight (query counts only)."""
    from tests import factories as f

    for i in range(n):
        p = HonoursProposal.objects.create(
            unit=hw.province, year=2025, title=f"Tờ trình {i}", created_by=hw.province_officer
        )
        d = f.DossierFactory(
            unit=hw.department, campaign=hw.province_campaign, created_by=hw.dept_staff, state="forwarded"
        )
        for _j in range(2):
            n_ = f.NomineeFactory(dossier=d, award_type=f.award("bang-khen-thu-tuong"), outcome="voted_in")
            ProposedNominee.objects.create(proposal=p, nominee=n_, added_by=hw.province_officer)
    return p


@pytest.mark.parametrize("n", [2, 20])
def test_list_and_page_and_api_cost_the_same_for_2_and_20(client, hw, django_assert_num_queries, n):
    last = _many(hw, n)
    client.force_login(hw.province_officer)
    client.get(reverse("honours-list"))  # warm the session and the scopes
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("honours-list")).status_code == 200
    with django_assert_num_queries(API_LIST_QUERIES):
        assert client.get("/api/honours/proposals/").status_code == 200
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(reverse("honours-detail", args=[last.pk])).status_code == 200
    with django_assert_num_queries(API_DETAIL_QUERIES):
        assert client.get(f"/api/honours/proposals/{last.pk}/").status_code == 200


# Session, user, scopes (2), the page's own reads; the same whatever the number of rows.
LIST_QUERIES = 9
API_LIST_QUERIES = 6
DETAIL_QUERIES = 9
API_DETAIL_QUERIES = 6


def test_a_draft_tờ_trình_is_marked_dự_thảo_and_its_nominees_are_proposed_until_submitted(client, hw):
    from documents.rendering import render_html
    from honours.documents import proposal_context

    p = _assembled(hw, "Nguyễn Thị Minh", "Trường THPT Chu Văn An")
    assert render_html("documents/honours_proposal.html", proposal_context(p)).count("DỰ THẢO") == 2
    client.force_login(hw.province_officer)
    page = client.get(reverse("honours-detail", args=[p.pk])).content.decode()
    assert 'data-testid="entry-proposed">Đề nghị<' in page and "Chờ quyết định của cấp Trung ương" not in page
    services.proposal_submit(actor=hw.province_chair, proposal=p, dispatch_date=dt.date(2026, 2, 2))
    p.refresh_from_db()
    assert "DỰ THẢO" not in render_html("documents/honours_proposal.html", proposal_context(p))
    page = client.get(reverse("honours-detail", args=[p.pk])).content.decode()
    assert "Chờ quyết định của cấp Trung ương" in page and 'data-testid="entry-proposed"' not in page
