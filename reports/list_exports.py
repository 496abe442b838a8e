"""Lists exported to xlsx with the filters of their page.

A registry names each exportable list: how its rows are read (through the selector of its page,
with the same filters, as the user who asks: nobody exports what they cannot see) and its
columns. A short list is written at once; a long one (more rows than
settings.EXPORT_BACKGROUND_ROWS) becomes an ExportJob that a Celery task writes with its
progress, whose file only its owner downloads and which is removed after
settings.EXPORT_KEEP_HOURS. Files are written by openpyxl in write-only mode (rows streamed, a
fixed number of queries whatever the length).

The files are the offices' own: their headers and words are Vietnamese whatever the language of
the page, and the nominees' columns are those of the import template (dossiers.imports), so a
list exported from one dossier can be edited and imported into another (the import ignores the
other columns and passes over the initiatives, which are added with their authors).
"""

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from approvals.models import Award, Decision
from approvals.selectors import access_decision
from dossiers.forms import DossierFilterForm
from dossiers.history import award_record_list_for
from dossiers.history_forms import AwardRecordFilterForm
from dossiers.imports import COLUMNS as NOMINEE_COLUMNS
from dossiers.imports import FILE_KIND_WORDS, SEX_WORDS
from dossiers.models import Dossier, Nominee
from dossiers.permissions import can_see_id_number
from dossiers.selectors import access_dossier, dossier_list_for
from workflows.selectors import decisions_for

from .models import ExportJob, ExportState

# How often a background export writes its progress (rows).
PROGRESS_EVERY = 200
CHUNK = 500


@dataclass(frozen=True)
class Col:
    header: str
    value: Callable
    width: int = 18


@dataclass(frozen=True)
class Rows:
    """What one export reads: the rows (a queryset or a list), its columns, and its title."""

    items: object
    columns: list
    title: str

    def count(self) -> int:
        return len(self.items) if isinstance(self.items, list) else self.items.count()

    def iterate(self):
        if isinstance(self.items, list):
            return iter(self.items)
        return self.items.iterator(chunk_size=CHUNK)


@dataclass(frozen=True)
class ExportSpec:
    name: str
    label: object  # shown on pages
    read: Callable  # (user, params: dict) -> Rows; Http404 for what the user may not see


def choice_label(model, field: str):
    """A getter of the label of `field`'s value, read from a table built once per language:
    `get_FOO_display()` hashes the lazy choices on every row, the bulk of a long export's time."""
    tables = {}

    def label(obj):
        language = translation.get_language()
        if language not in tables:
            tables[language] = {k: str(v) for k, v in model._meta.get_field(field).flatchoices}
        value = getattr(obj, field)
        return tables[language].get(value, value)

    return label


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _day(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _single(params: dict, key: str) -> str:
    value = params.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def _pk(params: dict, key: str) -> int:
    value = _single(params, key)
    if not value.isdigit():
        raise Http404
    return int(value)


# --- the lists ----------------------------------------------------------------------------------


def _dossier_filters(params: dict) -> dict:
    keys = ("q", "state", "campaign", "overdue")
    return DossierFilterForm({k: _single(params, k) for k in keys}).filters()


def read_dossiers(user, params) -> Rows:
    columns = [
        Col("Mã hồ sơ", lambda d: d.pk, 10),
        Col("Tiêu đề", lambda d: d.title, 50),
        Col("Đơn vị đề nghị", lambda d: d.unit.name, 30),
        Col("Phong trào / đợt", lambda d: d.campaign.name, 30),
        Col("Hình thức tổ chức", choice_label(Dossier, "procedure_kind"), 20),
        Col("Trạng thái", choice_label(Dossier, "state"), 18),
        Col("Số đối tượng", lambda d: d.nominee_count, 12),
        Col("Ngày nộp", lambda d: _local(d.submitted_at), 17),
        Col("Cập nhật", lambda d: _local(d.updated_at), 17),
    ]
    items = dossier_list_for(user=user, filters=_dossier_filters(params))
    return Rows(items, columns, "Danh sách hồ sơ")


def read_nominees(user, params) -> Rows:
    """The nominees of one dossier (`dossier`), or of every dossier of the dossier list's filters.
    Their columns are the import template's; the ID number only for one dossier, to whom its
    page shows it (dossiers.permissions.can_see_id_number)."""
    show_ids = False
    if _single(params, "dossier"):
        dossier = access_dossier(user=user, pk=_pk(params, "dossier"))
        items = Nominee.objects.current().filter(dossier=dossier)
        show_ids = can_see_id_number(user, dossier)
        title = f"Đối tượng hồ sơ {dossier.pk}"
    else:
        visible = dossier_list_for(user=user, filters=_dossier_filters(params)).values("pk")
        items = Nominee.objects.current().filter(dossier__in=visible)
        title = "Danh sách đối tượng"
    items = items.select_related("award_type", "dossier__unit").order_by("dossier_id", "pk")
    getters = {
        "kind": lambda n: FILE_KIND_WORDS.get(n.kind) or n.get_kind_display(),
        "sex": lambda n: SEX_WORDS.get(n.sex, ""),
        "date_of_birth": lambda n: _day(n.date_of_birth),
        "id_number": lambda n: n.id_number,
        "award_type": lambda n: n.award_type.name,
    }
    columns = [Col("STT", None, 6)]
    for column in NOMINEE_COLUMNS:
        if column.key == "id_number" and not show_ids:
            continue
        getter = getters.get(column.key) or (lambda n, key=column.key: getattr(n, key))
        columns.append(Col(column.header, getter, column.width))
    columns += [
        Col("Mã hồ sơ", lambda n: n.dossier_id, 10),
        Col("Đơn vị đề nghị", lambda n: n.dossier.unit.name, 30),
        Col("Kết quả", choice_label(Nominee, "outcome"), 16),
    ]
    return Rows(items, columns, title)


def _award_columns(with_decision: bool) -> list:
    columns = [Col("STT", None, 6)]
    if with_decision:
        columns += [
            Col("Số quyết định", lambda a: a.decision.symbol, 16),
            Col("Ngày ký", lambda a: _day(a.decision.signed_on), 12),
            Col("Cơ quan ban hành", lambda a: a.decision.issuer.name, 28),
        ]
    columns += [
        Col("Họ và tên / Tên tập thể", lambda a: a.nominee.name, 30),
        Col(
            "Loại đối tượng",
            lambda a: FILE_KIND_WORDS.get(a.nominee.kind) or a.nominee.get_kind_display(),
            14,
        ),
        Col("Chức vụ", lambda a: a.nominee.position, 22),
        Col("Đơn vị công tác", lambda a: a.nominee.workplace, 28),
        Col("Hình thức khen thưởng", lambda a: a.nominee.award_type.name, 28),
        Col("Số tiền (đồng)", lambda a: a.amount, 14),
        Col("Đã thu hồi", lambda a: a.revoked_by.symbol if a.revoked_by_id else "", 14),
    ]
    return columns


def read_decision_annex(user, params) -> Rows:
    """The annex of one decision (its awards; a revocation: the awards it revoked)."""
    decision = access_decision(user=user, pk=_pk(params, "decision"))
    return Rows(decision.award_list, _award_columns(False), f"Phụ lục {decision.symbol}".replace("/", "-"))


AWARD_YEAR = re.compile(r"^\d{4}$")


def read_awards(user, params) -> Rows:
    """The awards of every decision the user may see (the decisions list's), by year and name."""
    visible = decisions_for(user=user).values("pk")
    items = Award.objects.filter(decision__in=visible)
    year = _single(params, "year")
    if AWARD_YEAR.match(year):
        items = items.filter(decision__year=int(year))
    text = _single(params, "q").strip()
    if text:
        items = items.filter(Q(nominee__name__icontains=text) | Q(nominee__workplace__icontains=text))
    items = items.select_related("decision__issuer", "nominee__award_type", "revoked_by__issuer").order_by(
        "-decision__year", "-decision__number", "nominee__kind", "nominee__name", "pk"
    )
    return Rows(items, _award_columns(True), "Danh sách khen thưởng")


def read_decisions(user, params) -> Rows:
    columns = [
        Col("Số quyết định", lambda d: d.symbol, 16),
        Col("Trích yếu", lambda d: d.title, 50),
        Col("Cơ quan ban hành", lambda d: d.issuer.name, 28),
        Col("Ngày ký", lambda d: _day(d.signed_on), 12),
        Col("Loại", choice_label(Decision, "kind"), 14),
    ]
    return Rows(decisions_for(user=user), columns, "Danh sách quyết định")


def read_award_records(user, params) -> Rows:
    form = AwardRecordFilterForm({k: _single(params, k) for k in ("q", "year", "include_void")})
    filters = form.cleaned_data if form.is_valid() else {}
    columns = [
        Col("STT", None, 6),
        Col("Họ và tên / Tên tập thể", lambda r: r.name, 30),
        Col("Ngày sinh", lambda r: _day(r.date_of_birth), 12),
        Col("Hình thức khen thưởng", lambda r: r.award_name, 28),
        Col("Năm", lambda r: r.year, 8),
        Col("Thời kỳ", lambda r: r.period, 12),
        Col("Số quyết định", lambda r: r.decision_number, 16),
        Col("Ngày quyết định", lambda r: _day(r.decision_date), 14),
        Col("Cơ quan ban hành", lambda r: r.issuer, 28),
        Col("Đơn vị", lambda r: r.unit.name, 28),
        Col("Đã hủy", lambda r: "x" if r.is_void else "", 8),
    ]
    return Rows(award_record_list_for(user=user, filters=filters), columns, "Khen thưởng đã ghi nhận")


EXPORTS = {
    spec.name: spec
    for spec in (
        ExportSpec("dossiers", _("Dossiers"), read_dossiers),
        ExportSpec("nominees", _("Nominees"), read_nominees),
        ExportSpec("awards", _("Awards"), read_awards),
        ExportSpec("decisions", _("Decisions"), read_decisions),
        ExportSpec("decision-annex", _("Decision annex"), read_decision_annex),
        ExportSpec("award-records", _("Recorded awards"), read_award_records),
    )
}


def register(spec: ExportSpec) -> None:
    """Another list of the pages above (e.g. the award register's search) joins the registry."""
    EXPORTS[spec.name] = spec


def spec_of(name: str) -> ExportSpec:
    try:
        return EXPORTS[name]
    except KeyError:
        raise Http404 from None


# Only the filters a list reads are kept (and carried to a background job).
PARAM_KEYS = ("q", "state", "campaign", "dossier", "decision", "year", "include_void")


def clean_params(query) -> dict:
    return {k: str(query.get(k))[:200] for k in PARAM_KEYS if query.get(k) not in (None, "")}


# --- writing -------------------------------------------------------------------------------------


def file_name(rows: Rows) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    slug = re.sub(r"[^0-9A-Za-z]+", "-", _ascii(rows.title)).strip("-").lower()
    return f"{slug}-{stamp}.xlsx"


def _ascii(text: str) -> str:
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def write_xlsx(rows: Rows, *, progress=None) -> bytes:
    """The list as one sheet (write-only: rows are streamed), headers in bold, frozen."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(rows.title[:31])
    for index, col in enumerate(rows.columns):
        sheet.column_dimensions[_letter(index)].width = col.width
    sheet.freeze_panes = "A2"
    header = []
    for col in rows.columns:
        cell = WriteOnlyCell(sheet, value=col.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    with translation.override("vi"):
        for number, item in enumerate(rows.iterate(), start=1):
            sheet.append([number if col.value is None else _cell(col.value(item)) for col in rows.columns])
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float | dt.date):
        return value
    return str(value)


# --- background jobs -----------------------------------------------------------------------------


def export_start(*, user, name: str, params: dict):
    """(bytes, file name) of a short list, or the ExportJob that writes a long one."""
    spec = spec_of(name)
    rows = spec.read(user, params)
    total = rows.count()
    if total <= settings.EXPORT_BACKGROUND_ROWS:
        return write_xlsx(rows), file_name(rows)
    job = ExportJob.objects.create(owner=user, list_name=name, params=params, total=total)
    from .tasks import run_export

    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job


def record_progress(job_id: int, done: int) -> None:
    """The rows written so far, where the job's page reads them (its own short transaction)."""
    ExportJob.objects.filter(pk=job_id).update(done=done)


def export_run(*, job_id: int) -> ExportJob:
    """Write a job's file (as its owner: the same selectors, the same scope), with its progress."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.PENDING).update(state=ExportState.RUNNING)
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job  # already taken, or finished
    try:
        rows = spec_of(job.list_name).read(job.owner, job.params)
        total = rows.count()
        ExportJob.objects.filter(pk=job.pk).update(total=total)
        data = write_xlsx(rows, progress=lambda done: record_progress(job.pk, done))
        job.refresh_from_db()
        job.file.save(file_name(rows), ContentFile(data), save=False)
        job.done, job.total, job.state = total, total, ExportState.DONE
    except Exception as exc:  # the page says it failed; the worker goes on
        job.refresh_from_db()
        job.state = ExportState.FAILED
        job.error = str(_("The export could not be written: %(error)s")) % {"error": type(exc).__name__}
        if isinstance(exc, Http404):
            job.error = str(_("The list is no longer visible to you."))
    job.finished_at = timezone.now()
    job.save()
    return job


def access_job(*, user, pk) -> ExportJob:
    """A job of `user`'s own, or 404: nobody else sees or downloads it."""
    try:
        return ExportJob.objects.get(pk=pk, owner=user)
    except (ExportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def exports_cleanup(*, now=None) -> int:
    """Remove the files of jobs finished more than EXPORT_KEEP_HOURS ago (the job stays, saying
    its file was removed), and previewed imports nobody confirmed; how many files went."""
    from dossiers.imports import staged_cleanup

    now = now or timezone.now()
    before = now - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    # A job whose worker died long ago will not finish: it says so, and may be asked for again.
    ExportJob.objects.filter(
        state__in=[ExportState.PENDING, ExportState.RUNNING], created_at__lt=before
    ).update(
        state=ExportState.FAILED,
        error=str(_("The export was interrupted: export the list again.")),
        finished_at=now,
    )
    removed = 0
    for job in ExportJob.objects.filter(finished_at__lt=before, expired_at__isnull=True).exclude(file=""):
        job.file.delete(save=False)
        job.expired_at = now
        job.save(update_fields=["file", "expired_at"])
        removed += 1
    return removed + staged_cleanup(older_than=before)
