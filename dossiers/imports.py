"""Nominees from a spreadsheet: the xlsx template a dossier's page offers, and the reading of a
filled one, row by row, with the checks of `services.nominee_add`.

The file is the offices' own: its sheet, headers, kinds and sexes are written in Vietnamese
whatever the language of the page, so that a file exported from one dossier (reports.exports
writes the same columns) can be imported into another. Reading never writes: it returns every
row it could read and every problem, each naming its row and column as the user sees them in
Excel ("Dòng 7, cột “Ngày sinh”: …"). `import_services.nominees_import` writes, only when there
is no problem at all.
"""

import datetime as dt
import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Exists, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from audit.models import AuditEvent
from org.words import lazy_actor_names

from .files import XLSX, FileRejected, sniff
from .models import AwardType, Campaign, Nominee, NomineeKind, NomineeSex
from .services import (
    NOMINEE_TEXT_LIMITS,
    _check_identity,
    _check_nominee,
    require_editable,
    require_text_limits,
)

SHEET = "Danh sách"
LISTS_SHEET = "Danh mục"
NOTES_SHEET = "Hướng dẫn"
HEADER_ROW = 1
FIRST_ROW = HEADER_ROW + 1


@dataclass(frozen=True)
class Column:
    key: str  # the Nominee field it fills
    header: str  # as the file writes it
    required: bool = False
    width: int = 18


COLUMNS = (
    Column("kind", "Loại đối tượng", required=True, width=14),
    Column("name", "Họ và tên / Tên tập thể", required=True, width=30),
    Column("sex", "Giới tính", width=10),
    Column("date_of_birth", "Ngày sinh", width=13),
    Column("hometown", "Quê quán", width=22),
    Column("id_number", "Số CCCD", width=15),
    Column("position", "Chức vụ", width=22),
    Column("workplace", "Đơn vị công tác", width=28),
    Column("qualifications", "Trình độ chuyên môn, lý luận chính trị", width=28),
    Column("women_percent", "Tỷ lệ nữ (%)", width=10),
    Column("award_type", "Hình thức khen thưởng đề nghị", required=True, width=30),
    Column("achievements", "Tóm tắt thành tích", required=True, width=60),
)
COLUMN_OF = {c.key: c for c in COLUMNS}
# What the file says for a kind and a sex (an initiative needs its authors: one by one, on the page).
KIND_WORDS = {
    NomineeKind.INDIVIDUAL: "Cá nhân",
    NomineeKind.COLLECTIVE: "Tập thể",
    NomineeKind.HOUSEHOLD: "Hộ gia đình",
}
SEX_WORDS = {NomineeSex.MALE: "Nam", NomineeSex.FEMALE: "Nữ"}
# An initiative, as an exported list writes it: its row is passed over by the import, not refused.
INITIATIVE_WORDS = "Sáng kiến, đề tài khoa học"
FILE_KIND_WORDS = {**KIND_WORDS, NomineeKind.INITIATIVE: INITIATIVE_WORDS}
DATE_FORMAT = "DD/MM/YYYY"


def words(value) -> str:
    """A cell's text as compared: NFC, spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", str(value)).split()).casefold()


KIND_OF = {words(w): k for k, w in KIND_WORDS.items()}
SEX_OF = {words(w): s for s, w in SEX_WORDS.items()}
INITIATIVE_OF = {
    words(w) for w in (INITIATIVE_WORDS, "Sáng kiến", "Đề tài khoa học", "Initiative or research topic")
}


def campaign_award_types(dossier):
    """The awards a nominee of `dossier` may be proposed for, as the nominee form offers them:
    the campaign's, or all when the campaign lists none."""
    listed = Campaign.award_types.through.objects.filter(campaign_id=dossier.campaign_id)
    return AwardType.objects.filter(Q(pk__in=listed.values("awardtype_id")) | ~Exists(listed)).order_by(
        "name"
    )


# --- the template --------------------------------------------------------------------------------


def template_workbook(dossier) -> bytes:
    """The xlsx to fill in: the list's sheet with its headers (required ones in bold red), lists
    to choose the kind, the sex and the award from, the ID number kept as text (its leading
    zeros), and a sheet of notes with an example."""
    awards = [a.name for a in campaign_award_types(dossier)]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key == "id_number":
            for row in range(FIRST_ROW, FIRST_ROW + 500):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.key == "date_of_birth":
            for row in range(FIRST_ROW, FIRST_ROW + 500):
                sheet.cell(row=row, column=index).number_format = DATE_FORMAT
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=1)

    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for col, (title, values) in enumerate(
        [
            ("Loại đối tượng", list(KIND_WORDS.values())),
            ("Giới tính", list(SEX_WORDS.values())),
            ("Hình thức khen thưởng", awards),
        ],
        start=1,
    ):
        lists.cell(row=1, column=col, value=title)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        source = f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
        key = ("kind", "sex", "award_type")[col - 1]
        target = get_column_letter(COLUMNS.index(COLUMN_OF[key]) + 1)
        validation = DataValidation(type="list", formula1=source, allow_blank=not COLUMN_OF[key].required)
        validation.error = "Chọn một giá trị trong danh sách."
        validation.errorTitle = COLUMN_OF[key].header
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{target}{FIRST_ROW}:{target}1000")

    notes = book.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 38
    notes.column_dimensions["B"].width = 90
    lines = [
        ("Hồ sơ", f"{dossier.title} — {dossier.unit}"),
        (
            "Cách điền",
            f"Mỗi đối tượng một dòng trên trang “{SHEET}”, từ dòng {FIRST_ROW}; không đổi tên cột.",
        ),
        ("Cột tiêu đề màu đỏ", "Bắt buộc."),
        ("Loại đối tượng", ", ".join(KIND_WORDS.values()) + ". Sáng kiến, đề tài: thêm trên trang hồ sơ."),
        ("Giới tính", "Nam hoặc Nữ; bắt buộc với cá nhân."),
        ("Ngày sinh", "Dạng dd/mm/yyyy, ví dụ 05/09/1985."),
        ("Số CCCD", "12 chữ số, ghi dạng văn bản để giữ số 0 đầu."),
        ("Tỷ lệ nữ (%)", "Chỉ với tập thể, từ 0 đến 100."),
        ("Hình thức khen thưởng đề nghị", "; ".join(awards)),
        ("Nhập lại cùng một tệp", "Không thêm trùng: tệp đã nhập vào hồ sơ này được nhận ra."),
        ("Ví dụ", ""),
    ]
    for row, (label, text) in enumerate(lines, start=1):
        notes.cell(row=row, column=1, value=label).font = Font(bold=True)
        notes.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True)
    example = {
        "kind": "Cá nhân",
        "name": "Nguyễn Thị Hoa",
        "sex": "Nữ",
        "date_of_birth": "05/09/1985",
        "hometown": "Gia Lâm, Hà Nội",
        "id_number": "001185012345",
        "position": "Giáo viên",
        "workplace": str(dossier.unit),
        "qualifications": "Đại học Sư phạm",
        "award_type": awards[0] if awards else "",
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học.",
    }
    start = len(lines) + 1
    for index, column in enumerate(COLUMNS, start=1):
        notes.cell(row=start, column=index, value=column.header).font = Font(bold=True)
        notes.cell(row=start + 1, column=index, value=example.get(column.key, ""))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading a filled file ----------------------------------------------------------------------


@dataclass
class ImportRow:
    row: int  # the row number in Excel
    values: dict  # ready for Nominee(**values)
    existing: Nominee | None = None  # the dossier already has this nominee: skipped

    @property
    def kind_label(self) -> str:
        return KIND_WORDS.get(self.values["kind"], "")

    @property
    def sex_label(self) -> str:
        return SEX_WORDS.get(self.values.get("sex"), "")


@dataclass
class PassedOver:
    """A filled row the import does not add, and why (an initiative: added with its authors)."""

    row: int  # the row number in Excel
    name: str
    kind_label: str
    award: str  # as the file writes it
    reason: str


@dataclass
class Reading:
    rows: list = field(default_factory=list)  # ImportRow
    problems: list = field(default_factory=list)
    passed_over: list = field(default_factory=list)  # PassedOver
    ignored_columns: list = field(default_factory=list)  # headers the import does not read


@dataclass
class ImportPreview:
    sha256: str
    name: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    passed_over: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    # The same file was already imported into this dossier: its audit event (when, by whom).
    already: object = None

    @property
    def to_add(self) -> list:
        return [r for r in self.rows if r.existing is None]

    @property
    def to_skip(self) -> list:
        return [r for r in self.rows if r.existing is not None]


def problem(row: int, key_or_header: str, message) -> str:
    header = COLUMN_OF[key_or_header].header if key_or_header in COLUMN_OF else key_or_header
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": row,
        "column": header,
        "message": message,
    }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


class NoSuchDate(ValueError):
    """Written as a date, but not a day of the calendar (31/02/1990)."""


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                raise NoSuchDate from None
    raise ValueError


def _id_number(value) -> str:
    # Typed as a number, Excel dropped the leading zeros of the province code.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and float(value).is_integer() and 0 < value < 10**12:
        return str(int(value)).zfill(12)
    return _text(value).replace(" ", "").replace(".", "")


def _identity_key(kind, name, award_type_id, id_number="", date_of_birth=None):
    """Who a row is, to find them already in the dossier: the ID number, else the name and date
    of birth (a collective: its name), for the same award."""
    if id_number:
        return (kind, award_type_id, "id", id_number)
    return (kind, award_type_id, "name", words(name), date_of_birth)


def _read_cells(values: dict, awards: dict) -> tuple[dict, list[tuple[str, str]]]:
    """One row's cells (by key) as a nominee's values, and the problems of their shape as
    (column key, message)."""
    problems = []
    out = {}
    for column in COLUMNS:
        if column.required and not _text(values.get(column.key)):
            problems.append((column.key, _("This column is required.")))
    kind_text = _text(values.get("kind"))
    if kind_text:
        kind = KIND_OF.get(words(kind_text))
        if kind is None:
            problems.append(
                (
                    "kind",
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": kind_text, "choices": ", ".join(KIND_WORDS.values())},
                )
            )
        else:
            out["kind"] = kind
    out["name"] = _text(values.get("name"))
    out["achievements"] = str(values.get("achievements") or "").strip()
    for key in ("hometown", "position", "workplace", "qualifications"):
        out[key] = _text(values.get(key))
    sex_text = _text(values.get("sex"))
    out["sex"] = ""
    if sex_text:
        sex = SEX_OF.get(words(sex_text))
        if sex is None:
            problems.append(("sex", _("Write Nam or Nữ.")))
        else:
            out["sex"] = sex
    born = values.get("date_of_birth")
    out["date_of_birth"] = None
    if _text(born):
        try:
            out["date_of_birth"] = _date(born)
        except NoSuchDate:
            problems.append(
                (
                    "date_of_birth",
                    _("the date %(value)s does not exist in the calendar.") % {"value": _text(born)},
                )
            )
        except ValueError:
            problems.append(
                (
                    "date_of_birth",
                    _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": _text(born)},
                )
            )
    out["id_number"] = _id_number(values.get("id_number"))
    women = values.get("women_percent")
    out["women_percent"] = None
    if _text(women):
        text = _text(women).rstrip("%").strip()
        if isinstance(women, float) and 0 <= women <= 1 and not women.is_integer():
            text = str(round(women * 100))  # a cell formatted as a percentage holds 0.45
        if not text.isdigit():
            problems.append(("women_percent", _("Write a whole number from 0 to 100.")))
        else:
            out["women_percent"] = int(text)
    award_text = _text(values.get("award_type"))
    if award_text:
        award = awards.get(words(award_text))
        if award is None:
            problems.append(
                (
                    "award_type",
                    _("“%(value)s” is not an award this dossier's campaign offers.") % {"value": award_text},
                )
            )
        else:
            out["award_type"] = award
    return out, problems


def _service_problems(dossier, row: int, values: dict, skip=()) -> list[str]:
    """The checks of services.nominee_add on one row, each message under its column (none under
    the columns in `skip`, already refused for their shape)."""
    found = []
    checks = (
        lambda: require_text_limits(values, NOMINEE_TEXT_LIMITS),
        lambda: _check_nominee(dossier, values["kind"], values["award_type"]),
        lambda: _check_identity(dossier, values),
    )
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    if key in skip:
                        continue
                    for error in errors:
                        found.extend(problem(row, key, message) for message in error.messages)
            else:
                found.extend(_("Row %(row)s: %(message)s") % {"row": row, "message": m} for m in exc.messages)
    return list(dict.fromkeys(found))


def _open_sheet(data: bytes):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl on a hostile file may fail in any way: not a workbook we read
        raise FileRejected(_("This file cannot be read as an Excel workbook (xlsx).")) from None
    if SHEET in book.sheetnames:
        return book[SHEET]
    return book.worksheets[0]


def read_rows(dossier, data: bytes) -> tuple[list[ImportRow], list[str]]:
    """Every filled row of the file as ImportRow, and every problem (none means all rows hold)."""
    reading = read_file(dossier, data)
    return reading.rows, reading.problems


def _passed_over(number: int, values: dict) -> PassedOver:
    return PassedOver(
        row=number,
        name=_text(values.get("name")),
        kind_label=_text(values.get("kind")),
        award=_text(values.get("award_type")),
        reason=_("an initiative is proposed with its authors: add it on the dossier's page."),
    )


def read_file(dossier, data: bytes) -> Reading:
    """The file's columns read by their header (the others ignored, e.g. an exported list's STT,
    Mã hồ sơ, Kết quả), each filled row as ImportRow, an initiative's row passed over, and every
    problem (none means all the rows to add hold)."""
    sheet = _open_sheet(data)
    max_rows = settings.NOMINEE_IMPORT_MAX_ROWS
    rows = sheet.iter_rows(min_row=HEADER_ROW, values_only=True)
    header = next(rows, None) or ()
    known = {words(c.header): c.key for c in COLUMNS}
    positions = {}
    reading = Reading()
    for index, title in enumerate(header):
        key = known.get(words(title)) if title is not None else None
        if key and key not in positions:
            positions[key] = index
        elif _text(title):
            reading.ignored_columns.append(_text(title))
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        reading.problems = [
            _("Row %(row)s: the columns %(columns)s are missing: use the template of this page.")
            % {"row": HEADER_ROW, "columns": ", ".join(f"“{m}”" for m in missing)}
        ]
        return reading
    awards = {}
    for award in campaign_award_types(dossier):
        awards.setdefault(words(award.name), award)
        awards.setdefault(words(award.code), award)
    read, problems = reading.rows, reading.problems
    for number, cells in enumerate(rows, start=FIRST_ROW):
        values = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
        if not any(_text(v) for v in values.values()):
            continue
        if len(read) + len(reading.passed_over) >= max_rows:
            problems.append(
                _("The file has more than %(max)s nominees: split it into several files.") % {"max": max_rows}
            )
            break
        if words(_text(values.get("kind"))) in INITIATIVE_OF:
            reading.passed_over.append(_passed_over(number, values))
            continue
        out, shape = _read_cells(values, awards)
        found = [problem(number, key, message) for key, message in shape]
        if "kind" in out and "award_type" in out:
            # The service's checks too, but not on a column whose cell could not be read.
            found += _service_problems(dossier, number, out, skip={key for key, _message in shape})
        problems += found
        if not found:
            read.append(ImportRow(row=number, values=out))
    if not read and not problems and not reading.passed_over:
        problems.append(_("The file lists no nominee: fill the rows below the headers."))
    _mark_duplicates(dossier, read, problems)
    return reading


def _mark_duplicates(dossier, rows: list[ImportRow], problems: list[str]) -> None:
    """A row twice in the file is a problem; a row the dossier already has is skipped (the
    file may have been changed and imported again)."""
    seen = {}
    for item in rows:
        v = item.values
        key = _identity_key(v["kind"], v["name"], v["award_type"].pk, v["id_number"], v["date_of_birth"])
        if key in seen:
            problems.append(
                problem(
                    item.row,
                    "name",
                    _("the same nominee as row %(other)s, for the same award.") % {"other": seen[key]},
                )
            )
        seen.setdefault(key, item.row)
    current = Nominee.objects.current().filter(dossier=dossier).order_by("pk")
    have = {}
    for nominee in current:
        key = _identity_key(
            nominee.kind, nominee.name, nominee.award_type_id, nominee.id_number, nominee.date_of_birth
        )
        have.setdefault(key, nominee)
        if nominee.id_number:  # found by its name and date of birth too
            key = _identity_key(nominee.kind, nominee.name, nominee.award_type_id, "", nominee.date_of_birth)
            have.setdefault(key, nominee)
    for item in rows:
        v = item.values
        item.existing = have.get(
            _identity_key(v["kind"], v["name"], v["award_type"].pk, v["id_number"], v["date_of_birth"])
        )


def checked_upload(uploaded_file) -> tuple[bytes, str, str]:
    """(content, SHA-256, clean name) of an upload that really is an xlsx within the size
    limit; ValidationError under "file" otherwise (judged by content, dossiers.files)."""
    try:
        sniffed = sniff(uploaded_file, max_bytes=settings.NOMINEE_IMPORT_MAX_BYTES)
    except FileRejected as exc:
        raise ValidationError({"file": str(exc.args[0])}) from None
    if sniffed.content_type != XLSX:
        raise ValidationError({"file": _("Choose an Excel workbook (.xlsx) made from the template.")})
    uploaded_file.seek(0)
    data = uploaded_file.read()
    return data, hashlib.sha256(data).hexdigest(), sniffed.name


def import_preview(*, actor, dossier, uploaded_file) -> ImportPreview:
    """What importing the file would do, without writing anything: refused as the service
    would (not the user's dossier: 403; not editable now: 409; not an xlsx: 400)."""
    require_editable(actor, dossier)
    data, sha256, name = checked_upload(uploaded_file)
    return preview_of(dossier, data, sha256, name)


IMPORT_ACTION = "nominee.import"


def earlier_import(dossier, sha256: str):
    """The audit event of this very file's import into `dossier`, or None. The chain keeps each
    import's SHA-256 in the transaction that added its rows, so it is the record to ask."""
    return (
        AuditEvent.objects.filter(
            action=IMPORT_ACTION,
            object_type="dossiers.dossier",
            object_id=str(dossier.pk),
            data__sha256=sha256,
        )
        .order_by("seq")
        .first()
    )


def preview_of(dossier, data: bytes, sha256: str, name: str) -> ImportPreview:
    preview = ImportPreview(sha256=sha256, name=name)
    preview.already = earlier_import(dossier, sha256)
    if preview.already is not None:
        # Who imported it, by name and position (never their login).
        preview.already.actor_name = lazy_actor_names([preview.already.actor])(preview.already.actor)
        return preview
    try:
        reading = read_file(dossier, data)
    except FileRejected as exc:
        raise ValidationError({"file": str(exc.args[0])}) from None
    preview.rows, preview.problems = reading.rows, reading.problems
    preview.passed_over, preview.ignored_columns = reading.passed_over, reading.ignored_columns
    return preview


# --- the checked file, between its preview and its confirmation ----------------------------------

STAGED_DIR = "imports/staged"


def _staged_name(dossier, sha256: str) -> str:
    return f"{STAGED_DIR}/{dossier.pk}/{sha256}.xlsx"


def stage(dossier, sha256: str, data: bytes) -> None:
    """Keep a previewed file until it is confirmed, named by the dossier and its hash only."""
    name = _staged_name(dossier, sha256)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))


def staged(dossier, sha256: str) -> bytes | None:
    """The staged file's bytes, when they are still there and still hash to `sha256`."""
    name = _staged_name(dossier, sha256)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def unstage(dossier, sha256: str) -> None:
    default_storage.delete(_staged_name(dossier, sha256))


def staged_cleanup(*, older_than: dt.datetime) -> int:
    """Remove the previewed files nobody confirmed since `older_than`; how many went."""
    removed = 0
    try:
        folders, _files = default_storage.listdir(STAGED_DIR)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for folder in folders:
        for name in default_storage.listdir(f"{STAGED_DIR}/{folder}")[1]:
            path = f"{STAGED_DIR}/{folder}/{name}"
            if default_storage.get_modified_time(path) < older_than:
                default_storage.delete(path)
                removed += 1
    return removed
