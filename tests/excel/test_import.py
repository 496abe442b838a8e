"""Nominees imported from the xlsx template: every row checked as nominee_add checks one, all or
nothing written, the same file never twice, only by whom and when one nominee may be added."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from dossiers import imports
from dossiers.import_services import nominees_import
from dossiers.models import DossierState, Nominee, NomineeKind, NomineeSex
from org.errors import TransitionNotAllowed
from tests import factories as f

from .helpers import HEADERS, read, row, upload, workbook

pytestmark = pytest.mark.django_db

GOOD = [
    row(),
    row(name="Lê Thị Thu", sex="Nữ", date_of_birth="03/07/1986", id_number="001186004321"),
    row(
        kind="Tập thể",
        name="Tổ Toán – Tin",
        sex=None,
        date_of_birth=None,
        id_number=None,
        hometown=None,
        women_percent=60,
    ),
]


def imported(dossier):
    return AuditEvent.objects.filter(action="nominee.import", object_id=str(dossier.pk))


def test_good_file_adds_every_row_with_one_audit_event(world, target):
    data = workbook(GOOD)
    result = nominees_import(actor=world.staff_a, dossier=target, uploaded_file=upload(data))

    added = list(Nominee.objects.current().filter(dossier=target).order_by("pk"))
    assert [n.name for n in added] == ["Phạm Văn Minh", "Lê Thị Thu", "Tổ Toán – Tin"]
    minh, thu, team = added
    assert (minh.kind, minh.sex, minh.date_of_birth.isoformat()) == (
        NomineeKind.INDIVIDUAL,
        NomineeSex.MALE,
        "1980-04-12",
    )
    assert (minh.id_number, minh.award_type.code) == ("001080012345", "giay-khen")
    assert thu.sex == NomineeSex.FEMALE
    assert (team.kind, team.women_percent, team.sex) == (NomineeKind.COLLECTIVE, 60, "")
    assert [n.pk for n in result.added] == [n.pk for n in added]
    (event,) = imported(target)
    assert event.actor == "staff_a"
    assert event.data["sha256"] == hashlib.sha256(data).hexdigest()
    assert (event.data["rows"], event.data["added"], event.data["skipped"]) == (3, 3, 0)
    assert event.data["nominee_ids"] == [n.pk for n in added]


def test_one_bad_row_among_good_ones_writes_nothing(world, target):
    rows = [*GOOD, row(name="Vũ Văn Nam", date_of_birth="31/02/1981", id_number="001081000001")]
    rows.insert(1, row(name="Đỗ Thị Hà", sex="Nữ", id_number="001080099999", date_of_birth="01/01/1980"))
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        nominees_import(actor=world.staff_a, dossier=target, uploaded_file=upload(workbook(rows)))

    assert refused.value.messages == [
        # The fourth digit 0 is a man's: the sex given is Nữ.
        "Row 3, column “Số CCCD”: The ID number's fourth digit says the holder is male; the sex given differs.",
        "Row 6, column “Ngày sinh”: the date 31/02/1981 does not exist in the calendar.",
    ]
    assert not Nominee.objects.filter(dossier=target).exists()
    assert AuditEvent.objects.count() == before


def test_each_problem_names_its_row_and_column(world, target):
    rows = [
        row(kind="Cá nhân", sex=None),  # an individual without a sex
        row(name="", award_type="Huân chương Sao Vàng"),
        row(name="Cao Văn Dũng", id_number="123", kind="Tập thể", sex=None, date_of_birth=None),
        row(name="Lý Thị Mai", sex="Nữ", id_number="", date_of_birth="01/01/1800"),
    ]
    preview = imports.import_preview(
        actor=world.staff_a, dossier=target, uploaded_file=upload(workbook(rows))
    )
    assert preview.problems == [
        "Row 2, column “Giới tính”: Give the nominee's sex: the documents address them as Ông or Bà.",
        "Row 3, column “Họ và tên / Tên tập thể”: This column is required.",
        "Row 3, column “Hình thức khen thưởng đề nghị”: “Huân chương Sao Vàng” is not an award this "
        "dossier's campaign offers.",
        "Row 4, column “Số CCCD”: Only an individual or a household head has an ID number.",
        "Row 5, column “Ngày sinh”: A date of birth more than 120 years ago is not plausible.",
    ]


def test_an_award_the_campaign_does_not_offer_is_refused(world, target):
    world.campaign.award_types.set([f.award("giay-khen")])
    preview = imports.import_preview(
        actor=world.staff_a, dossier=target, uploaded_file=upload(workbook([row(award_type="Bằng khen")]))
    )
    assert preview.problems == [
        "Row 2, column “Hình thức khen thưởng đề nghị”: “Bằng khen” is not an award this dossier's "
        "campaign offers."
    ]


def test_the_same_file_twice_adds_nothing_the_second_time(world, target):
    data = workbook(GOOD)
    nominees_import(actor=world.staff_a, dossier=target, uploaded_file=upload(data))
    again = nominees_import(actor=world.head_a, dossier=target, uploaded_file=upload(data, "lan-2.xlsx"))

    assert again.already is not None and not again.added
    assert Nominee.objects.current().filter(dossier=target).count() == 3
    assert imported(target).count() == 1


def test_a_changed_file_adds_only_the_nominees_not_yet_in_the_dossier(world, target):
    nominees_import(actor=world.staff_a, dossier=target, uploaded_file=upload(workbook(GOOD)))
    more = [*GOOD, row(name="Hoàng Văn Long", id_number="001079001111", date_of_birth="02/02/1979")]
    result = nominees_import(actor=world.staff_a, dossier=target, uploaded_file=upload(workbook(more)))

    assert [n.name for n in result.added] == ["Hoàng Văn Long"]
    assert [r.row for r in result.skipped] == [2, 3, 4]
    assert Nominee.objects.current().filter(dossier=target).count() == 4
    assert imported(target).last().data["skipped"] == 3


def test_a_row_twice_in_the_file_is_a_problem(world, target):
    preview = imports.import_preview(
        actor=world.staff_a,
        dossier=target,
        uploaded_file=upload(workbook([row(), row(position="Tổ trưởng")])),
    )
    assert preview.problems == [
        "Row 3, column “Họ và tên / Tên tập thể”: the same nominee as row 2, for the same award."
    ]


def test_an_id_number_typed_as_a_number_keeps_its_leading_zeros(world, target):
    nominees_import(
        actor=world.staff_a, dossier=target, uploaded_file=upload(workbook([row(id_number=1080012345)]))
    )
    assert Nominee.objects.get(dossier=target).id_number == "001080012345"


@pytest.mark.parametrize(
    "content, name, message",
    [
        (f.pdf_bytes(), "de-nghi.xlsx", "its content is application/pdf"),
        (b"Ho ten;Ngay sinh\nA;01/01/1980\n", "de-nghi.xlsx", "not an accepted type"),
        (f.pdf_bytes(), "de-nghi.pdf", "Choose an Excel workbook"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused(world, target, content, name, message):
    with pytest.raises(ValidationError) as refused:
        nominees_import(actor=world.staff_a, dossier=target, uploaded_file=upload(content, name))
    assert message in refused.value.message_dict["file"][0]
    assert not imported(target).exists()


def test_an_oversized_file_is_refused(world, target, settings):
    settings.NOMINEE_IMPORT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        nominees_import(actor=world.staff_a, dossier=target, uploaded_file=upload(workbook(GOOD)))
    assert "the largest allowed is" in refused.value.message_dict["file"][0]


def test_a_workbook_without_the_template_columns_is_refused(world, target):
    data = workbook([["x"] * 3], headers=["Tên", "Ngày", "Ghi chú"])
    preview = imports.import_preview(actor=world.staff_a, dossier=target, uploaded_file=upload(data))
    assert preview.problems[0].startswith("Row 1: the columns “Loại đối tượng”, “Họ và tên / Tên tập thể”")


def test_only_the_units_own_people_may_import(world, target):
    for outsider in (world.head_b, world.officer):
        with pytest.raises(PermissionDenied):
            nominees_import(actor=outsider, dossier=target, uploaded_file=upload(workbook(GOOD)))
    assert not Nominee.objects.filter(dossier=target).exists()
    assert not imported(target).exists()


def test_a_submitted_dossier_takes_no_import(world):
    sent = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, state=DossierState.SUBMITTED
    )
    with pytest.raises(TransitionNotAllowed):
        nominees_import(actor=world.staff_a, dossier=sent, uploaded_file=upload(workbook(GOOD)))
    assert not Nominee.objects.filter(dossier=sent).exists()


def test_the_template_lists_the_campaigns_awards_and_notes(world, target, client):
    world.campaign.award_types.set([f.award("giay-khen"), f.award("lao-dong-tien-tien")])
    client.force_login(world.staff_a)
    response = client.get(reverse("nominee-import-template", args=[target.pk]))
    assert response.status_code == 200
    book = read(response.content).parent
    sheet = book[imports.SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    lists = book[imports.LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert sorted(c.value for c in lists["C"][1:] if c.value) == sorted(["Giấy khen", "Lao động tiên tiến"])
    ranges = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert ranges["A2:A1000"] == "'Danh mục'!$A$2:$A$4"
    assert ranges["K2:K1000"] == "'Danh mục'!$C$2:$C$3"
    assert "Ví dụ" in [c.value for c in book[imports.NOTES_SHEET]["A"]]
    # The template itself, filled, is what the import reads.
    assert not imports.read_rows(target, response.content)[0]


def test_the_api_checks_then_imports(world, target, client):
    client.force_login(world.staff_a)
    url = reverse("api:nominee-import", args=[target.pk])
    data = workbook(GOOD)
    checked = client.post(url, {"file": upload(data), "dry_run": "true"})
    assert checked.status_code == 200
    assert (checked.json()["added"], checked.json()["dry_run"]) == (3, True)
    assert not Nominee.objects.filter(dossier=target).exists()

    done = client.post(url, {"file": upload(data)})
    assert done.status_code == 201
    assert len(done.json()["nominee_ids"]) == 3
    again = client.post(url, {"file": upload(data)})
    assert (again.status_code, again.json()["already_imported"], again.json()["added"]) == (200, True, 0)

    bad = client.post(url, {"file": upload(workbook([row(sex="X", name="Ngô Văn Tư")]))})
    assert bad.status_code == 400
    assert bad.json()["errors"] == ["Dòng 2, cột “Giới tính”: Ghi Nam hoặc Nữ."]


def test_a_date_missing_from_the_calendar_is_told_apart_from_a_wrong_format(world, target, client):
    client.force_login(world.staff_a)
    rows = [
        row(date_of_birth="31/02/1990"),
        row(name="Lê Văn Tâm", id_number="001090000002", date_of_birth="1990/02/13"),
        row(name="Đào Văn Bình", id_number="001090000003", date_of_birth="1990-02-30"),
    ]
    bad = client.post(reverse("api:nominee-import", args=[target.pk]), {"file": upload(workbook(rows))})
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        "Dòng 2, cột “Ngày sinh”: ngày 31/02/1990 không có trong lịch.",
        "Dòng 3, cột “Ngày sinh”: “1990/02/13” không phải là ngày: ghi theo dạng dd/mm/yyyy.",
        "Dòng 4, cột “Ngày sinh”: ngày 1990-02-30 không có trong lịch.",
    ]
    assert not Nominee.objects.filter(dossier=target).exists()


def test_the_api_says_which_initiative_rows_and_columns_it_passed_over(world, target, client):
    client.force_login(world.staff_a)
    url = reverse("api:nominee-import", args=[target.pk])
    rows = [
        [*row().values(), "x"],
        [*row(kind="Sáng kiến, đề tài khoa học", name="Sổ tay số", sex=None, id_number=None).values(), ""],
    ]
    data = workbook(rows, headers=[*HEADERS, "Ghi chú"])
    checked = client.post(url, {"file": upload(data), "dry_run": "true"}).json()
    assert (checked["added"], checked["skipped_initiatives"], checked["ignored_columns"]) == (
        1,
        [3],
        ["Ghi chú"],
    )
    done = client.post(url, {"file": upload(data)})
    assert done.status_code == 201
    assert (done.json()["added"], done.json()["skipped_initiatives"]) == (1, [3])
    assert [n.name for n in Nominee.objects.filter(dossier=target)] == ["Phạm Văn Minh"]
    assert imported(target).get().data["skipped_initiatives"] == 1
