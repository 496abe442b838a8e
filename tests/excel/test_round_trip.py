"""The offices' round trip: a dossier's nominees exported, the file edited in a spreadsheet, and
imported into another dossier through the page's preview and confirmation."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from dossiers.models import Nominee, NomineeKind
from tests import factories as f

from .helpers import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(world):
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    f.NomineeFactory(
        dossier=dossier,
        name="Nguyễn Thị Lan",
        sex="female",
        id_number="001185000777",
        hometown="Gia Lâm",
        workplace="Trường THCS Ngọc Lâm",
    )
    f.NomineeFactory(
        dossier=dossier, kind=NomineeKind.COLLECTIVE, name="Tổ Ngữ văn", position="", women_percent=80
    )
    return dossier


def test_exported_nominees_edited_and_imported_into_another_dossier(world, client, source, target):
    client.force_login(world.staff_a)
    exported = client.get(reverse("export-list", args=["nominees"]), {"dossier": source.pk})
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    assert [sheet.cell(row=r, column=col["Họ và tên / Tên tập thể"]).value for r in (2, 3)] == [
        "Nguyễn Thị Lan",
        "Tổ Ngữ văn",
    ]
    # The office edits the file: a date of birth for Lan, a new teacher on a new row.
    sheet.cell(row=2, column=col["Ngày sinh"], value="14/03/1985")
    for key, value in {
        "Loại đối tượng": "Cá nhân",
        "Họ và tên / Tên tập thể": "Trịnh Văn Hải",
        "Giới tính": "Nam",
        "Ngày sinh": "20/11/1990",
        "Số CCCD": "001090003333",
        "Chức vụ": "Giáo viên",
        "Hình thức khen thưởng đề nghị": "Giấy khen",
        "Tóm tắt thành tích": "Giáo viên dạy giỏi cấp quận.",
    }.items():
        sheet.cell(row=4, column=col[key], value=value)
    edited = io.BytesIO()
    book.save(edited)

    page = client.post(reverse("nominee-import", args=[target.pk]), {"file": upload(edited.getvalue())})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="import-row"') == 3
    assert not Nominee.objects.filter(dossier=target).exists()  # a preview writes nothing

    sha256 = page.context["preview"].sha256
    done = client.post(
        reverse("nominee-import-confirm", args=[target.pk]), {"sha256": sha256, "name": "de-nghi.xlsx"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("dossier-detail", args=[target.pk])

    lan, team, hai = Nominee.objects.current().filter(dossier=target).order_by("pk")
    assert (lan.name, lan.sex, lan.id_number, lan.date_of_birth.isoformat()) == (
        "Nguyễn Thị Lan",
        "female",
        "001185000777",
        "1985-03-14",
    )
    assert (team.kind, team.women_percent) == (NomineeKind.COLLECTIVE, 80)
    assert (hai.name, hai.id_number, hai.award_type.code) == ("Trịnh Văn Hải", "001090003333", "giay-khen")
    assert AuditEvent.objects.filter(action="nominee.import", object_id=str(target.pk)).count() == 1
    # The page's timeline says what happened.
    detail = client.get(reverse("dossier-detail", args=[target.pk])).content.decode()
    assert "de-nghi.xlsx: thêm 3, 0 đã có" in detail

    # The same file uploaded again is recognised: nothing more to add.
    again = client.post(reverse("nominee-import", args=[target.pk]), {"file": upload(edited.getvalue())})
    already = again.content.decode()
    assert 'data-testid="import-already"' in already
    assert "staff_a" not in already.split('data-testid="import-already"')[1].split("</div>")[0]
    assert Nominee.objects.current().filter(dossier=target).count() == 3


def test_the_preview_of_a_bad_file_lists_its_problems_and_offers_no_confirmation(world, client, target):
    from .helpers import row, workbook

    client.force_login(world.staff_a)
    page = client.post(
        reverse("nominee-import", args=[target.pk]),
        {"file": upload(workbook([row(), row(name="Bùi Thị Nga", sex="Nữ", date_of_birth="1986")]))},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Dòng 3, cột “Ngày sinh”" in html
    assert 'data-testid="import-confirm"' not in html
    assert not Nominee.objects.filter(dossier=target).exists()


def test_the_import_page_is_only_for_whom_may_add_nominees(world, client, target):
    client.force_login(world.head_b)
    assert client.get(reverse("nominee-import", args=[target.pk])).status_code == 404
    client.force_login(world.staff_a)
    assert client.get(reverse("nominee-import", args=[target.pk])).status_code == 200
    detail = client.get(reverse("dossier-detail", args=[target.pk])).content.decode()
    assert reverse("nominee-import", args=[target.pk]) in detail
    type(target).objects.filter(pk=target.pk).update(state="submitted")
    assert client.get(reverse("nominee-import", args=[target.pk])).status_code == 409
    assert (
        client.post(
            reverse("nominee-import-confirm", args=[target.pk]), {"sha256": "0" * 64, "name": "x.xlsx"}
        ).status_code
        == 409
    )


def test_a_dossier_with_an_initiative_exported_imports_its_other_nominees(world, client, source, target):
    """The exported list as it is, into another draft: its individuals and collectives are added,
    the initiative is listed as skipped (it needs its authors), the export's own columns ignored."""
    f.NomineeFactory(
        dossier=source, kind=NomineeKind.INITIATIVE, name="Dạy học theo dự án STEM", position="", sex=""
    )
    client.force_login(world.staff_a)
    exported = client.get(reverse("export-list", args=["nominees"]), {"dossier": source.pk})
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet.cell(row=4, column=2).value == "Sáng kiến, đề tài khoa học"

    page = client.post(reverse("nominee-import", args=[target.pk]), {"file": upload(exported.content)})
    assert page.status_code == 200
    preview = page.context["preview"]
    assert not preview.problems
    assert [r.values["name"] for r in preview.to_add] == ["Nguyễn Thị Lan", "Tổ Ngữ văn"]
    assert [(r.row, r.name) for r in preview.passed_over] == [(4, "Dạy học theo dự án STEM")]
    assert preview.ignored_columns == ["STT", "Mã hồ sơ", "Đơn vị đề nghị", "Kết quả"]
    html = page.content.decode()
    skipped = html.split('data-testid="import-row-skipped"')[1].split("</tr>")[0]
    assert "Dạy học theo dự án STEM" in skipped and "Bỏ qua" in skipped
    assert "sáng kiến, đề tài được đề nghị cùng các tác giả: thêm trên trang hồ sơ." in skipped
    assert "Các cột không đọc (bỏ qua): STT, Mã hồ sơ, Đơn vị đề nghị, Kết quả" in html
    assert "1 dòng sáng kiến, đề tài bỏ qua" in html
    assert 'data-testid="import-confirm"' in html

    done = client.post(
        reverse("nominee-import-confirm", args=[target.pk]),
        {"sha256": preview.sha256, "name": "doi-tuong.xlsx"},
        follow=True,
    )
    assert "Bỏ qua 1 dòng sáng kiến, đề tài" in done.content.decode()
    added = Nominee.objects.current().filter(dossier=target).order_by("pk")
    assert [(n.name, n.kind) for n in added] == [
        ("Nguyễn Thị Lan", NomineeKind.INDIVIDUAL),
        ("Tổ Ngữ văn", NomineeKind.COLLECTIVE),
    ]
    (event,) = AuditEvent.objects.filter(action="nominee.import", object_id=str(target.pk))
    assert (event.data["rows"], event.data["added"], event.data["skipped"]) == (3, 2, 0)
    assert (event.data["skipped_initiatives"], event.data["skipped_initiative_rows"]) == (1, [4])
    detail = client.get(reverse("dossier-detail", args=[target.pk])).content.decode()
    assert "doi-tuong.xlsx: thêm 2, 0 đã có, 1 sáng kiến bỏ qua" in detail


def test_an_initiative_skipped_does_not_let_a_wrong_row_through(world, client, source, target):
    """Skipping initiatives is no leniency: a real problem still refuses the whole file."""
    f.NomineeFactory(dossier=source, kind=NomineeKind.INITIATIVE, name="Sổ tay số", position="", sex="")
    client.force_login(world.staff_a)
    exported = client.get(reverse("export-list", args=["nominees"]), {"dossier": source.pk})
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Giới tính") + 1, value="X")
    edited = io.BytesIO()
    book.save(edited)
    page = client.post(reverse("nominee-import", args=[target.pk]), {"file": upload(edited.getvalue())})
    assert page.status_code == 400
    assert page.context["preview"].problems == ["Dòng 2, cột “Giới tính”: Ghi Nam hoặc Nữ."]
    assert 'data-testid="import-confirm"' not in page.content.decode()
    assert not Nominee.objects.filter(dossier=target).exists()
