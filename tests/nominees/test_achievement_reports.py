"""The achievement report as the decree's forms write it, read back from the PDF (pdftotext): the
full report where the award is decided at the provincial level, the short extract (trích ngang,
a table row) below it; Ông/Bà from the nominee's sex; the nominee's fields and the period."""

import datetime as dt
from decimal import Decimal

import pytest

from documents import services as documents
from documents.models import GeneratedKind
from dossiers import services
from tests import factories as f
from tests.documents.helpers import pdf_bytes, text


def report(world, nominee) -> str:
    document = documents.document_render(actor=world.head_a, kind=GeneratedKind.ACHIEVEMENT, subject=nominee)
    return " ".join(text(pdf_bytes(document)).split())


def individual(world, dossier, award, **extra):
    values = dict(
        kind="individual",
        name="Lê Văn Thành",
        sex="male",
        date_of_birth=dt.date(1979, 9, 3),
        hometown="xã Nghĩa Hưng, tỉnh Nam Định",
        qualifications="Thạc sĩ Vật lý; Trung cấp lý luận chính trị",
        position="Tổ trưởng tổ Khoa học tự nhiên",
        workplace="Trường THCS Ngọc Lâm",
        award_type=f.award(award),
        achievements="Đề tài “Phòng thí nghiệm ảo cho môn Vật lý lớp 8” được công nhận cấp cơ sở.",
    )
    values.update(extra)
    return services.nominee_add(actor=world.staff_a, dossier=dossier, **values)


@pytest.fixture
def dossier(world):
    world.campaign.period_start = dt.date(2025, 1, 1)
    world.campaign.period_end = dt.date(2026, 12, 31)
    world.campaign.save()
    world.head_a.full_name = "Nguyễn Văn Hùng"
    world.head_a.save()
    return services.dossier_create(
        actor=world.staff_a, unit=world.school_a, campaign=world.campaign, title="Đề nghị khen thưởng"
    )


def test_a_provincial_award_has_the_full_report_of_an_individual(world, dossier):
    nominee = individual(world, dossier, "bang-khen-chu-tich-tinh")
    printed = report(world, nominee)

    assert "BÁO CÁO THÀNH TÍCH ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH" in printed
    for fixed in (
        "I. SƠ LƯỢC LÝ LỊCH",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "1. Quyền hạn, nhiệm vụ được giao hoặc đảm nhận:",
        "2. Thành tích đạt được:",
        "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
        "NGƯỜI BÁO CÁO THÀNH TÍCH",
        "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ",
    ):
        assert fixed in printed, fixed
    assert "- Họ và tên: Ông Lê Văn Thành" in printed
    assert "- Sinh ngày, tháng, năm: 03/09/1979" in printed
    assert "- Giới tính: Nam" in printed
    assert "- Quê quán: xã Nghĩa Hưng, tỉnh Nam Định" in printed
    assert "Thạc sĩ Vật lý; Trung cấp lý luận chính trị" in printed
    assert "Thành tích đạt được từ ngày 01/01/2025 đến ngày 31/12/2026" in printed
    assert "Phòng thí nghiệm ảo cho môn Vật lý lớp 8" in printed
    assert "Chưa được khen thưởng." in printed
    assert "đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho ông Lê Văn Thành." in printed


def test_a_woman_is_addressed_ba(world, dossier):
    nominee = individual(
        world,
        dossier,
        "bang-khen-chu-tich-tinh",
        name="Nguyễn Thị Lan",
        sex="female",
        date_of_birth=dt.date(1986, 4, 12),
    )
    printed = report(world, nominee)
    assert "- Họ và tên: Bà Nguyễn Thị Lan" in printed and "- Giới tính: Nữ" in printed
    assert "cho bà Nguyễn Thị Lan." in printed and "Ông" not in printed


def test_a_lower_award_has_the_trich_ngang_row(world, dossier):
    nominee = individual(world, dossier, "giay-khen")
    printed = report(world, nominee)

    assert "TRÍCH NGANG THÀNH TÍCH" in printed and "BÁO CÁO THÀNH TÍCH ĐỀ NGHỊ" not in printed
    assert "Đề nghị tặng Giấy khen" in printed
    for header in ("TT", "Họ và tên", "Ngày sinh", "Giới tính", "Quê quán", "Hình thức đề nghị"):
        assert header in printed
    for value in ("Ông Lê Văn Thành", "03/09/1979", "Nam", "Nghĩa Hưng", "Thạc sĩ Vật lý", "Giấy khen"):
        assert value in printed, value
    assert "I. SƠ LƯỢC LÝ LỊCH" not in printed


def test_a_collective_has_its_own_report(world, dossier):
    team = f.UnitFactory(name="Tổ Ngữ văn", code="TNV", parent=world.school_a)
    nominee = services.nominee_add(
        actor=world.staff_a,
        dossier=dossier,
        kind="collective",
        name="Tổ Ngữ văn",
        collective_unit=team,
        position="Tổ chuyên môn giảng dạy Ngữ văn khối 6-9",
        award_type=f.award("bang-khen-chu-tich-tinh"),
        achievements="Xây dựng thư viện số bài giảng dùng chung.",
    )
    printed = report(world, nominee)
    assert "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH" in printed
    assert "- Tên tập thể: Tổ Ngữ văn" in printed and "- Trực thuộc: Trường THCS Ngọc Lâm" in printed
    assert "cho tập thể Tổ Ngữ văn." in printed
    assert "Ông" not in printed and "Bà" not in printed and "NGƯỜI BÁO CÁO THÀNH TÍCH" not in printed


def test_an_initiatives_report_prints_its_authors(world, dossier):
    nominee = services.nominee_add(
        actor=world.staff_a,
        dossier=dossier,
        kind="initiative",
        name="Sáng kiến “Bộ thí nghiệm Vật lý từ vật liệu tái chế”",
        award_type=f.award("giay-khen"),
        achievements="Áp dụng ở 6 trường trong phường.",
        authors=[
            {"name": "Phạm Minh Đức", "share_percent": Decimal("69.5")},
            {"name": "Nguyễn Thị Lan", "share_percent": Decimal("30.5")},
        ],
    )
    printed = report(world, nominee)
    assert "Tên sáng kiến, đề tài" in printed and "Tác giả" in printed
    assert "Phạm Minh Đức (69,5%); Nguyễn Thị Lan (30,5%)" in printed
