"""Reads for the statistics pages and API, filtered by who asks (reports.permissions)."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from org.models import Unit

from . import statistics
from .periods import Period, parse_period
from .statistics_permissions import can_read_reports, can_read_unit, report_scopes

MAX_UNIT_CHOICES = 500


def report_units_for(user):
    """The units `user` may report on (their scopes' units and everything under them), in tree
    order; at most MAX_UNIT_CHOICES for a choice list."""
    if not can_read_reports(user):
        return Unit.objects.none()
    if user.is_superuser:
        qs = Unit.objects.all()
    else:
        q = Q(pk__in=[])
        for scope in report_scopes(user):
            q |= Q(path__startswith=scope.unit_path)
        qs = Unit.objects.filter(q)
    return qs.filter(is_active=True).order_by("path")[:MAX_UNIT_CHOICES]


def access_report_unit(user, unit_id=None) -> Unit:
    """The unit a report is about: the one asked for when `user` may read it (else 404), or their
    outermost scope's unit when none is asked for."""
    if not can_read_reports(user):
        raise Http404
    if unit_id in (None, ""):
        scopes = report_scopes(user)
        if scopes:
            unit_id = scopes[0].unit_id
        else:
            first = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()
            if first is None:
                raise Http404
            return first
    try:
        unit = Unit.objects.get(pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_read_unit(user, unit):
        raise Http404
    return unit


def access_form(slug) -> statistics.FormSpec:
    form = statistics.FORMS.get(slug)
    if form is None:
        raise Http404
    return form


def report_table(*, user, slug, period: Period, unit_id=None, today, figures=True) -> statistics.Table:
    """The form `slug` for `user` on the unit asked for (404 outside their scopes). ValueError
    from parse_period is the caller's to turn into a message."""
    access_form(slug)
    unit = access_report_unit(user, unit_id)
    table = statistics.define(slug, period=period, unit=unit, today=today)
    return statistics.evaluate(table) if figures else table


def period_from(key, today) -> Period:
    return parse_period(key, today)


# --- the list behind a figure ---------------------------------------------------------------------


def _symbol(number, code) -> str:
    return f"{number:02d}/QĐ-{code}" if number is not None else ""


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# Per source: the columns of its list (heading, how to read it from a .values() row), the fields
# to read and the order. Kinds of nominee are printed as the forms name them.
KIND_WORDS = {
    "individual": "Cá nhân",
    "collective": "Tập thể",
    "household": "Hộ gia đình",
    "initiative": "Sáng kiến",
}
LEVEL_WORDS = {
    "province": "Tỉnh",
    "department": "Sở, ban, ngành",
    "commune": "Xã, phường",
    "office": "Cơ quan",
    "school": "Trường học",
    "enterprise": "Doanh nghiệp",
}
ROLE_WORDS = {
    "standing_leader": "Lãnh đạo cơ quan thường trực",
    "standing_officer": "Chuyên viên cơ quan thường trực",
    "unit_staff": "Cán bộ phụ trách TĐKT của đơn vị",
}

SCOPE_WORDS = {"unit": "Trong đơn vị", "commune": "Cấp xã", "province": "Cấp tỉnh"}

LISTINGS = {
    "awards": (
        (
            "nominee__name",
            "nominee__kind",
            "nominee__award_type__name",
            "nominee__dossier__unit__name",
            "decision__number",
            "decision__issuer__code",
            "decision__signed_on",
            "nominee__dossier_id",
        ),
        ("decision__signed_on", "decision__number", "pk"),
        [
            ("Họ tên, tên tập thể", lambda r: r["nominee__name"]),
            ("Đối tượng", lambda r: KIND_WORDS.get(r["nominee__kind"], r["nominee__kind"])),
            ("Hình thức khen thưởng", lambda r: r["nominee__award_type__name"]),
            ("Đơn vị đề nghị", lambda r: r["nominee__dossier__unit__name"]),
            ("Quyết định", lambda r: _symbol(r["decision__number"], r["decision__issuer__code"])),
            ("Ngày ký", lambda r: _date(r["decision__signed_on"])),
        ],
    ),
    "records": (
        ("name", "kind", "award_label", "unit__name", "decision_number", "decision_date", "issuer"),
        ("decision_date", "pk"),
        [
            ("Họ tên, tên tập thể", lambda r: r["name"]),
            ("Đối tượng", lambda r: KIND_WORDS.get(r["kind"], r["kind"])),
            ("Hình thức khen thưởng", lambda r: r["award_label"]),
            ("Đơn vị", lambda r: r["unit__name"]),
            ("Quyết định", lambda r: r["decision_number"]),
            ("Ngày ký", lambda r: _date(r["decision_date"])),
            ("Cơ quan ban hành", lambda r: r["issuer"]),
        ],
    ),
    "nominees": (
        (
            "name",
            "kind",
            "award_type__name",
            "dossier__unit__name",
            "dossier__title",
            "dossier__submitted_at",
            "dossier_id",
        ),
        ("dossier__submitted_at", "pk"),
        [
            ("Họ tên, tên tập thể, sáng kiến", lambda r: r["name"]),
            ("Đối tượng", lambda r: KIND_WORDS.get(r["kind"], r["kind"])),
            ("Hình thức đề nghị", lambda r: r["award_type__name"]),
            ("Đơn vị đề nghị", lambda r: r["dossier__unit__name"]),
            ("Hồ sơ", lambda r: r["dossier__title"]),
        ],
    ),
    "initiatives": (
        ("initiative__title", "initiative__unit__name", "decision_number", "decision_date", "effect_scope"),
        ("decision_date", "pk"),
        [
            ("Sáng kiến", lambda r: r["initiative__title"]),
            ("Đơn vị", lambda r: r["initiative__unit__name"]),
            ("Quyết định công nhận", lambda r: r["decision_number"]),
            ("Ngày ký", lambda r: _date(r["decision_date"])),
            ("Phạm vi ảnh hưởng", lambda r: SCOPE_WORDS.get(r["effect_scope"], r["effect_scope"])),
        ],
    ),
    "decisions": (
        ("number", "issuer__code", "issuer__name", "title", "signed_on"),
        ("signed_on", "number", "pk"),
        [
            ("Quyết định", lambda r: _symbol(r["number"], r["issuer__code"])),
            ("Trích yếu", lambda r: r["title"]),
            ("Cơ quan ban hành", lambda r: r["issuer__name"]),
            ("Ngày ký", lambda r: _date(r["signed_on"])),
        ],
    ),
    "campaigns": (
        ("name", "organizer__name", "period_start", "period_end"),
        ("period_start", "pk"),
        [
            ("Phong trào thi đua", lambda r: r["name"]),
            ("Cơ quan phát động", lambda r: r["organizer__name"]),
            ("Từ ngày", lambda r: _date(r["period_start"])),
            ("Đến ngày", lambda r: _date(r["period_end"])),
        ],
    ),
    "bodies": (
        ("name", "level"),
        ("path",),
        [
            ("Cơ quan, đơn vị", lambda r: r["name"]),
            ("Cấp", lambda r: LEVEL_WORDS.get(r["level"], r["level"])),
        ],
    ),
    "staff": (
        ("user__full_name", "user__username", "role", "unit__name"),
        ("unit__path", "user__full_name", "pk"),
        [
            ("Họ tên", lambda r: r["user__full_name"] or r["user__username"]),
            ("Vị trí", lambda r: ROLE_WORDS.get(r["role"], r["role"])),
            ("Đơn vị", lambda r: r["unit__name"]),
        ],
    ),
}


@dataclass
class Listing:
    source: str
    label: str
    headings: list[str]
    queryset: object  # .values() rows, ordered
    readers: list

    def rows(self, values_rows):
        return [[read(r) for read in self.readers] for r in values_rows]


def find(table, row_key, col_key):
    row = next((r for r in table.rows if r.key == row_key), None)
    col = next((c for c in table.columns if c.key == col_key), None)
    if row is None or col is None:
        raise Http404
    return row, col


def cell_listings(table, row_key, col_key) -> list[Listing]:
    """The lists behind one figure, one per source it sums (404 for a figure that does not exist;
    the total column opens the lists of every column it adds up)."""
    row, col = find(table, row_key, col_key)
    columns = [c for c in table.columns if not c.total] if col.total else [col]
    specs = {}
    for c in columns:
        for source, spec in (table.cell_spec(row, c) or {}).items():
            specs.setdefault(source, []).append(spec)
    if not specs:
        raise Http404
    out = []
    classes = statistics.type_classes() if {"awards", "records"} & set(specs) else None
    for source, spec_list in specs.items():
        fields, order, columns_def = LISTINGS[source]
        q = Q(pk__in=[])
        base = statistics.source_queryset(source, table.period, table.unit_ids, classes=classes)
        for spec in spec_list:
            narrowed = statistics.source_queryset(source, table.period, table.unit_ids, spec, classes=classes)
            q |= Q(pk__in=narrowed.values("pk"))
        qs = base.filter(q).values(*fields).order_by(*order)
        out.append(
            Listing(
                source,
                statistics.SOURCE_LABELS[source],
                [h for h, _ in columns_def],
                qs,
                [read for _, read in columns_def],
            )
        )
    return out
