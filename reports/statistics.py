"""The statistics: where each figure comes from, and the forms that arrange them.

A figure counts the rows of a *source* (campaigns, nominees proposed, awards decided here, awards
recorded from elsewhere, decisions, the bodies and the people doing the work) that fall in the
report's period and units and match a few *dimensions* (the nominee's kind, the kind of
procedure, the class of award, the year, the unit …). Every dimension is an expression the
database computes, so a form is one grouped count per source (`values(...).annotate(Count)`),
whatever the number of dossiers; the same expressions filter the list behind a figure, so the
list and the figure cannot disagree.

Units: a report on a unit counts that unit and everything under it, and the units merged away
into them (org.reorganisation.units_rolled_up): an old unit's dossiers and awards count for its
successor. An award counts for the unit that proposed the nominee, also when a higher level
decided it on a dossier forwarded up.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from approvals.models import Award, Decision, DecisionKind
from dossiers.models import (
    ONCE_SUBMITTED_STATES,
    AwardRecord,
    AwardType,
    Campaign,
    Nominee,
    NomineeKind,
    ProcedureKind,
)
from initiatives.models import InitiativeRecognition
from org.models import RoleAssignment, Unit, UnitLevel
from org.reorganisation import units_rolled_up

from .periods import Period

# --- classes of award, as the Ministry's forms group them ----------------------------------------
# From the catalogue's codes, or from the title of an award recorded from elsewhere (a state
# honour is not in the catalogue: "Huân chương Lao động hạng Ba"). The first match wins.

STATE_CLASSES = [
    ("huan_chuong", "Huân chương"),
    ("huy_chuong", "Huy chương"),
    ("giai_thuong_hcm", "Giải thưởng Hồ Chí Minh"),
    ("giai_thuong_nn", "Giải thưởng Nhà nước"),
    ("vinh_du_nn", "Danh hiệu vinh dự Nhà nước"),
    ("co_chinh_phu", "Cờ thi đua của Chính phủ"),
    ("bang_khen_ttcp", "Bằng khen của Thủ tướng Chính phủ"),
    ("cstd_toan_quoc", "Chiến sĩ thi đua toàn quốc"),
]
PROVINCE_CLASSES = [
    ("bang_khen_tinh", "Bằng khen"),
    ("cstd_tinh", "Chiến sĩ thi đua cấp bộ, cấp tỉnh"),
    ("co_tinh", "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"),
    (
        "ky_niem_chuong",
        "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực "
        "thuộc Trung ương",
    ),
]
BASE_CLASSES = [
    ("cstd_co_so", "Chiến sĩ thi đua cơ sở"),
    ("ldtt", "Lao động tiên tiến"),
    ("tt_ldxs", "Tập thể lao động xuất sắc"),
    ("tt_ldtt", "Tập thể lao động tiên tiến"),
    ("giay_khen", "Giấy khen"),
]


def _award_class_rules(code: str, name: str) -> list[tuple[Q, str]]:
    """(condition, class) in order of precedence, over a source's award code and award name."""

    def starts(*texts):
        q = Q(pk__in=[])
        for t in texts:
            q |= Q(**{f"{name}__istartswith": t})
        return q

    def contains(*texts):
        q = Q(pk__in=[])
        for t in texts:
            q |= Q(**{f"{name}__icontains": t})
        return q

    def codes(*values):
        return Q(**{f"{code}__in": values})

    return [
        (starts("Huân chương"), "huan_chuong"),
        (starts("Huy chương"), "huy_chuong"),
        (contains("Giải thưởng Hồ Chí Minh"), "giai_thuong_hcm"),
        (contains("Giải thưởng Nhà nước"), "giai_thuong_nn"),
        (
            starts("Anh hùng", "Bà mẹ Việt Nam Anh hùng")
            | contains("Nhân dân", "nhân dân", "Ưu tú", "ưu tú"),
            "vinh_du_nn",
        ),
        (contains("Cờ thi đua của Chính phủ"), "co_chinh_phu"),
        (contains("Thủ tướng"), "bang_khen_ttcp"),
        (contains("toàn quốc"), "cstd_toan_quoc"),
        (codes("bang-khen-chu-tich-tinh") | starts("Bằng khen"), "bang_khen_tinh"),
        (
            codes("chien-si-thi-dua-cap-tinh")
            | contains("Chiến sĩ thi đua cấp tỉnh", "Chiến sĩ thi đua cấp bộ"),
            "cstd_tinh",
        ),
        (codes("co-thi-dua-cap-tinh") | starts("Cờ thi đua"), "co_tinh"),
        (starts("Kỷ niệm chương", "Huy hiệu"), "ky_niem_chuong"),
        (codes("chien-si-thi-dua-co-so") | contains("Chiến sĩ thi đua cơ sở"), "cstd_co_so"),
        (codes("tap-the-lao-dong-xuat-sac"), "tt_ldxs"),
        (codes("tap-the-lao-dong-tien-tien"), "tt_ldtt"),
        (codes("lao-dong-tien-tien"), "ldtt"),
        (codes("giay-khen", "giay-khen-giam-doc", "giay-khen-dot-xuat") | starts("Giấy khen"), "giay_khen"),
    ]


def award_class(code: str, name: str) -> Case:
    return Case(
        *[When(q, then=Value(cls)) for q, cls in _award_class_rules(code, name)],
        default=Value("other"),
    )


def type_classes() -> dict[str, list[int]]:
    """{class: award type ids} of the catalogue (one small query), so that the awards of the
    catalogue are classed by their type's id, not by matching its name on every row."""
    out = defaultdict(list)
    for pk, cls in AwardType.objects.annotate(cls=award_class("code", "name")).values_list("pk", "cls"):
        out[cls].append(pk)
    return dict(out)


def class_by_type(type_field: str, classes: dict, otherwise=None) -> Case:
    """The class of an award from its type's id; `otherwise` (rows without a type) else "other"."""
    whens = [When(**{f"{type_field}__in": ids}, then=Value(cls)) for cls, ids in classes.items()]
    return Case(*whens, default=otherwise if otherwise is not None else Value("other"))


# Campaign length (days from its first to its last day, both included), as form 0601 counts it.
SPANS = [
    ("under_1y", None, 365),
    ("1y", 365, 367),
    ("1_3y", 367, 1095),
    ("3_5y", 1095, 1826),
    ("5y_plus", 1826, None),
]


class DaysBetween(Func):
    """Days from the first date to the second (both dates), as an integer."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        first, first_params = compiler.compile(self.source_expressions[0])
        second, second_params = compiler.compile(self.source_expressions[1])
        return f"CAST(julianday({second}) - julianday({first}) AS INTEGER)", (*first_params, *second_params)

    def as_postgresql(self, compiler, connection, **extra):
        first, first_params = compiler.compile(self.source_expressions[0])
        second, second_params = compiler.compile(self.source_expressions[1])
        return f"({second} - {first})", (*first_params, *second_params)


def _span_case():
    whens = []
    for key, low, high in SPANS:
        cond = Q()
        if low is not None:
            cond &= Q(span_days__gte=low)
        if high is not None:
            cond &= Q(span_days__lt=high)
        whens.append(When(cond, then=Value(key)))
    return Case(*whens, default=Value(""))


# --- sources --------------------------------------------------------------------------------------


@dataclass
class Source:
    """Rows that figures count. `build(period, unit_ids)` → the queryset of the period's rows in
    those units; `dims` names the dimension fields it annotates (the unit's is always `unit`)."""

    key: str
    label: str
    dims: tuple[str, ...]


def _awards(period: Period, unit_ids, classes=None):
    # The unit that proposed the nominee: through the dossiers it was forwarded from, if any.
    proposer = Coalesce(
        "nominee__source__source__dossier__unit_id",
        "nominee__source__dossier__unit_id",
        "nominee__dossier__unit_id",
        output_field=IntegerField(),
    )
    return (
        Award.objects.filter(
            revoked_by__isnull=True,
            decision__kind=DecisionKind.AWARD,
            decision__signed_on__gte=period.start,
            decision__signed_on__lte=period.end,
        )
        .annotate(
            unit=proposer,
            kind=F("nominee__kind"),
            enterprise=Case(
                When(
                    Q(nominee__is_enterprise=True) | Q(nominee__collective_unit__level=UnitLevel.ENTERPRISE),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            procedure=F("nominee__dossier__procedure_kind"),
            award_class=class_by_type(
                "nominee__award_type_id", classes if classes is not None else type_classes()
            ),
            year=ExtractYear("decision__signed_on"),
        )
        .filter(unit__in=unit_ids)
    )


def _records(period: Period, unit_ids, classes=None):
    return (
        AwardRecord.objects.filter(
            voided_at__isnull=True,
            decision_date__gte=period.start,
            decision_date__lte=period.end,
            unit_id__in=unit_ids,
        )
        .annotate(
            enterprise=Case(
                When(collective_unit__level=UnitLevel.ENTERPRISE, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            award_label=Coalesce("award_type__name", "award_title"),
        )
        .annotate(
            award_class=class_by_type(
                "award_type_id",
                classes if classes is not None else type_classes(),
                otherwise=award_class("award_type__code", "award_title"),
            ),
            # The year of the decision (the record's own `year` is the year the award is for).
            year_of=ExtractYear("decision_date"),
        )
    )


def _nominees(period: Period, unit_ids, classes=None):
    return (
        Nominee.objects.current()
        .filter(
            dossier__is_upward=False,
            dossier__state__in=ONCE_SUBMITTED_STATES,
            dossier__submitted_at__date__gte=period.start,
            dossier__submitted_at__date__lte=period.end,
            dossier__unit_id__in=unit_ids,
        )
        .annotate(
            unit=F("dossier__unit_id"),
            procedure=F("dossier__procedure_kind"),
            year=ExtractYear("dossier__submitted_at"),
        )
    )


def _initiatives(period: Period, unit_ids, classes=None):
    """Initiatives recognised by their unit's head (seed 000 counts them each year), by the date of
    the recognition decision and the unit the initiative is of."""
    return InitiativeRecognition.objects.filter(
        decision_date__gte=period.start,
        decision_date__lte=period.end,
        initiative__unit_id__in=unit_ids,
    ).annotate(unit=F("initiative__unit_id"), year_of=ExtractYear("decision_date"))


def _decisions(period: Period, unit_ids, classes=None):
    return Decision.objects.filter(
        kind=DecisionKind.AWARD,
        signed_on__gte=period.start,
        signed_on__lte=period.end,
        issuer_id__in=unit_ids,
    ).annotate(unit=F("issuer_id"), year_of=ExtractYear("signed_on"))


def _campaigns(period: Period, unit_ids, classes=None):
    return (
        Campaign.objects.filter(
            period_start__lte=period.end, period_end__gte=period.start, organizer_id__in=unit_ids
        )
        .annotate(
            unit=F("organizer_id"),
            level=F("organizer__level"),
            procedure=F("procedure_kind"),
            span_days=DaysBetween("period_start", "period_end") + 1,
        )
        .annotate(span=_span_case())
    )


def _bodies(period: Period, unit_ids, classes=None):
    """The deciding units (each with its standing body and council) existing at the period's end."""
    return (
        Unit.objects.filter(grants_awards=True, pk__in=unit_ids)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end))
        .annotate(unit=F("pk"), level_of=F("level"))
    )


# The roles whose holders do the emulation-and-commendation work (form 0605).
WORK_ROLES = ("standing_officer", "standing_leader", "unit_staff")


def _staff(period: Period, unit_ids, classes=None):
    return RoleAssignment.objects.active_on(period.end).filter(role__in=WORK_ROLES, unit_id__in=unit_ids)


BUILDERS = {
    "awards": _awards,
    "records": _records,
    "nominees": _nominees,
    "initiatives": _initiatives,
    "decisions": _decisions,
    "campaigns": _campaigns,
    "bodies": _bodies,
    "staff": _staff,
}

# The dimensions each source offers, as {name in specs: field on the annotated queryset}.
DIMS = {
    "awards": {
        "unit": "unit",
        "kind": "kind",
        "enterprise": "enterprise",
        "procedure": "procedure",
        "award_class": "award_class",
        "year": "year",
    },
    "records": {
        "unit": "unit_id",
        "kind": "kind",
        "enterprise": "enterprise",
        "award_class": "award_class",
        "year": "year_of",
    },
    "nominees": {"unit": "unit", "kind": "kind", "procedure": "procedure", "year": "year"},
    "initiatives": {"unit": "unit", "year": "year_of"},
    "decisions": {"unit": "unit", "year": "year_of"},
    "campaigns": {"unit": "unit", "level": "level", "procedure": "procedure", "span": "span"},
    "bodies": {"unit": "unit", "level": "level_of"},
    "staff": {"unit": "unit_id", "role": "role"},
}

# What a figure counts when it is not the rows themselves: people, not their role assignments.
COUNTED = {"staff": "user"}

SOURCE_LABELS = {
    "awards": "Khen thưởng do cấp có thẩm quyền trong hệ thống quyết định",
    "records": "Khen thưởng ghi nhận từ nơi khác",
    "nominees": "Đối tượng đề nghị khen thưởng",
    "initiatives": "Sáng kiến được công nhận",
    "decisions": "Quyết định khen thưởng",
    "campaigns": "Phong trào thi đua",
    "bodies": "Cơ quan, đơn vị có Hội đồng và cơ quan thường trực TĐKT",
    "staff": "Người làm công tác thi đua, khen thưởng",
}


def source_queryset(source: str, period: Period, unit_ids, spec: dict | None = None, classes=None):
    """The rows of `source` in the period and units, narrowed to `spec` ({dimension: values}).
    `classes`: type_classes(), when the caller has it already."""
    qs = BUILDERS[source](period, unit_ids, classes)
    for dim, values in (spec or {}).items():
        qs = qs.filter(**{f"{DIMS[source][dim]}__in": list(values)})
    return qs


# --- forms ----------------------------------------------------------------------------------------


@dataclass
class Column:
    key: str
    label: str
    number: str = ""
    group: str = ""  # columns side by side under one merged heading
    sources: tuple[str, ...] = ()
    spec: dict = field(default_factory=dict)
    total: bool = False  # the sum of the other columns


@dataclass
class Row:
    key: str
    label: str
    code: str = ""
    measure: str = ""
    # None: a heading (no figures); {}: everything; {dim: values}: the rows matching.
    spec: dict | None = None
    # Dimensions the engine does not record (e.g. the leadership level of a person): no figure.
    unrecorded: bool = False
    level: int = 0  # indentation


@dataclass
class Table:
    form: "FormSpec"
    period: Period
    unit: Unit
    columns: list[Column]
    rows: list[Row]
    unit_ids: list[int]
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # {(row.key, col.key): int | None}

    def value(self, row: Row, col: Column):
        return self.values.get((row.key, col.key))

    def cell_spec(self, row: Row, col: Column) -> dict[str, dict] | None:
        """{source: spec} of the rows behind one figure; None when the figure does not exist."""
        if row.spec is None or row.unrecorded or col.total:
            return None
        out = {}
        for source in col.sources:
            spec = {**col.spec, **row.spec}
            overlap = set(col.spec) & set(row.spec)
            for dim in overlap:
                spec[dim] = [v for v in col.spec[dim] if v in set(row.spec[dim])]
            if set(spec) <= set(DIMS[source]):
                out[source] = spec
        return out or None


@dataclass
class FormSpec:
    slug: str
    code: str  # Biểu số
    title: str
    measure: str  # Đơn vị tính
    build: object  # (period, unit, today) -> (columns, rows, notes)
    ministry: bool = True

    @property
    def measure_column(self) -> bool:
        return self.slug in {"0602", "0603", "0604"}


PROCEDURE_ROWS = [
    ("11", "Thường xuyên", ProcedureKind.ACHIEVEMENT),
    ("12", "Chuyên đề", ProcedureKind.CAMPAIGN),
    ("13", "Đột xuất", ProcedureKind.SUDDEN),
    ("14", "Đối ngoại", ProcedureKind.FOREIGN),
    ("15", "Cống hiến", ProcedureKind.LONG_SERVICE),
    ("16", "Niên hạn", ProcedureKind.SENIORITY),
    ("17", "Kháng chiến", ProcedureKind.RESISTANCE),
]

NOT_RECORDED_NOTE = (
    "Các dòng để trống là chỉ tiêu hệ thống chưa ghi nhận dữ liệu (ví dụ: cấp lãnh đạo của cá nhân)."
)
RECORDS_NOTE = (
    "Khen thưởng ghi nhận từ nơi khác được tính ở dòng Tổng số và các dòng theo đối tượng; "
    "các dòng theo phương thức khen thưởng chỉ tính khen thưởng có hồ sơ trong hệ thống."
)


def _award_rows() -> list[Row]:
    I, C, H = NomineeKind.INDIVIDUAL, NomineeKind.COLLECTIVE, NomineeKind.HOUSEHOLD
    rows = [
        Row("01", "Tổng số", "01", "", {}),
        Row("h1", "1. Chia theo đối tượng khen thưởng"),
        Row("02", "- Tập thể", "02", "Tập thể", {"kind": [C]}, level=1),
        Row(
            "03", "Trong đó: Doanh nghiệp", "03", "Doanh nghiệp", {"kind": [C], "enterprise": [True]}, level=2
        ),
        Row("04", "- Hộ gia đình", "04", "Hộ", {"kind": [H]}, level=1),
        Row("05", "- Cá nhân", "05", "Người", {"kind": [I]}, level=1),
        Row("06", "+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "06", "Người", {}, True, 2),
        Row("07", "+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "07", "Người", {}, True, 2),
        Row("08", "+ Doanh nhân", "08", "Người", {"kind": [I], "enterprise": [True]}, level=2),
        Row("09", "+ Các cấp lãnh đạo khác từ phó phòng trở lên", "09", "Người", {}, True, 2),
        Row(
            "10",
            "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu",
            "10",
            "Người",
            {},
            True,
            2,
        ),
        Row("h2", "2. Chia theo phương thức khen thưởng"),
    ]
    for code, label, kind in PROCEDURE_ROWS:
        rows.append(Row(code, f"- {label}", code, "", {"procedure": [kind] if kind else []}, level=1))
    return rows


def _class_columns(classes, number_from: int) -> list[Column]:
    cols = [Column("total", "Tổng số", "1", total=True)]
    for i, (key, label) in enumerate(classes):
        cols.append(
            Column(
                key,
                label,
                str(number_from + i),
                group="Chia ra",
                sources=("awards", "records"),
                spec={"award_class": [key]},
            )
        )
    return cols


def build_0602(period, unit, today):
    return _class_columns(STATE_CLASSES, 2), _award_rows(), [NOT_RECORDED_NOTE, RECORDS_NOTE]


def build_0603(period, unit, today):
    return _class_columns(PROVINCE_CLASSES, 2), _award_rows(), [NOT_RECORDED_NOTE, RECORDS_NOTE]


def build_0601(period, unit, today):
    province = [UnitLevel.PROVINCE]
    others = [lvl for lvl in UnitLevel.values if lvl != UnitLevel.PROVINCE]
    group = "Số phong trào thi đua chia theo cấp chủ trì phát động thi đua"
    columns = [
        Column("total", "Tổng số", "1=(2+3+4)", total=True),
        Column(
            "central",
            "Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)",
            "2",
            group,
            ("campaigns",),
            {"level": []},
        ),
        Column(
            "province",
            "Cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
            "3",
            group,
            ("campaigns",),
            {"level": province},
        ),
        Column("units", "Cơ quan, tổ chức, đơn vị", "4", group, ("campaigns",), {"level": others}),
    ]
    rows = [
        Row("01", "Tổng số", "01", spec={}),
        Row("h1", "1. Chia theo phạm vi tổ chức thi đua"),
        Row("02", "- Toàn quốc", "02", spec={"level": []}, level=1),
        Row("03", "- Bộ, ban, ngành, đoàn thể, địa phương", "03", spec={"level": province}, level=1),
        Row(
            "04",
            "- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức",
            "04",
            spec={"level": []},
            level=1,
        ),
        Row("05", "- Cơ quan, tổ chức, đơn vị", "05", spec={"level": others}, level=1),
        Row("h2", "2. Chia theo thời hạn thi đua"),
    ]
    labels = ["Dưới 1 năm", "1 năm", "Từ 1 năm đến dưới 3 năm", "Từ 3 năm đến dưới 5 năm", "Từ 5 năm trở lên"]
    for i, ((key, _low, _high), label) in enumerate(zip(SPANS, labels, strict=True)):
        code = f"{6 + i:02d}"
        rows.append(Row(code, f"- {label}", code, spec={"span": [key]}, level=1))
    rows += [
        Row("h3", "3. Chia theo phương thức tổ chức phong trào thi đua"),
        Row("11", "- Thi đua theo chuyên đề", "11", spec={"procedure": [ProcedureKind.CAMPAIGN]}, level=1),
        Row(
            "12",
            "- Thi đua thường xuyên hằng năm",
            "12",
            spec={"procedure": [ProcedureKind.ACHIEVEMENT]},
            level=1,
        ),
    ]
    notes = ["Phong trào tính vào kỳ báo cáo khi thời gian thi đua của phong trào giao với kỳ báo cáo."]
    return columns, rows, notes


BODY_LEVELS = [
    ("02", "- Cấp tỉnh (Ban Thi đua - Khen thưởng, Sở Nội vụ)", [UnitLevel.PROVINCE]),
    ("03", "- Cấp sở, ban, ngành", [UnitLevel.DEPARTMENT]),
    ("04", "- Cấp xã, phường", [UnitLevel.COMMUNE]),
    (
        "05",
        "- Cơ quan, đơn vị sự nghiệp, doanh nghiệp",
        [UnitLevel.OFFICE, UnitLevel.SCHOOL, UnitLevel.ENTERPRISE],
    ),
]


def build_0604(period, unit, today):
    columns = [Column("count", "Số lượng", "1", sources=("bodies",))]
    rows = [Row("01", "Tổng số", "01", "Tổ chức", {}), Row("h1", "Chia theo cấp của cơ quan, đơn vị")]
    rows += [
        Row(code, label, code, "Tổ chức", {"level": levels}, level=1) for code, label, levels in BODY_LEVELS
    ]
    notes = [
        "Mỗi cơ quan, đơn vị có thẩm quyền khen thưởng trong hệ thống có Hội đồng Thi đua - Khen thưởng "
        "và cơ quan thường trực; số liệu tại ngày cuối của kỳ báo cáo."
    ]
    return columns, rows, notes


def build_0605(period, unit, today):
    columns = [
        Column("count", "Tổng số", "1", group="Số lượng (Người)", sources=("staff",)),
        Column("women", "Trong đó: Nữ", "2", group="Số lượng (Người)", sources=()),
    ]
    rows = [Row("01", "Tổng số", "01", spec={})]
    rows.append(Row("h1", "1. Chia theo độ tuổi"))
    ages = ["Từ 30 trở xuống", "Từ 31 đến 40", "Từ 41 đến 50", "Từ 51 đến 55", "Từ 56 đến 60", "Trên 60 tuổi"]
    rows += [
        Row(f"{2 + i:02d}", f"- {a}", f"{2 + i:02d}", spec={}, unrecorded=True, level=1)
        for i, a in enumerate(ages)
    ]
    rows.append(Row("h2", "2. Chia theo trình độ đào tạo"))
    levels = ["Sơ cấp", "Trung cấp", "Cao đẳng", "Đại học", "Trên đại học"]
    rows += [
        Row(f"{8 + i:02d}", f"- {a}", f"{8 + i:02d}", spec={}, unrecorded=True, level=1)
        for i, a in enumerate(levels)
    ]
    rows.append(Row("h3", "3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng"))
    years = ["Dưới 5 năm", "Từ 5 đến dưới 10 năm", "Từ 10 năm trở lên"]
    rows += [
        Row(f"{13 + i:02d}", f"- {a}", f"{13 + i:02d}", spec={}, unrecorded=True, level=1)
        for i, a in enumerate(years)
    ]
    rows.append(Row("h4", "4. Chia theo vị trí trong hệ thống (bổ sung)"))
    rows += [
        Row("r1", "- Lãnh đạo cơ quan thường trực", "", spec={"role": ["standing_leader"]}, level=1),
        Row("r2", "- Chuyên viên cơ quan thường trực", "", spec={"role": ["standing_officer"]}, level=1),
        Row(
            "r3",
            "- Cán bộ phụ trách thi đua, khen thưởng của đơn vị",
            "",
            spec={"role": ["unit_staff"]},
            level=1,
        ),
    ]
    notes = [
        "Người giữ vai trò trong hệ thống tại ngày cuối của kỳ báo cáo.",
        "Giới tính, độ tuổi, trình độ và thâm niên của người làm công tác thi đua, khen thưởng chưa được "
        "ghi nhận trong hệ thống: các ô tương ứng để trống.",
    ]
    return columns, rows, notes


def build_summary(period, unit, today):
    """Seeds 000 and 004: initiatives, nominees, awards and decisions of the period, by unit
    (each unit under the one reported on, with everything under it), by kind of procedure and
    by year."""
    columns = [
        Column(
            "initiatives",
            "Sáng kiến, đề tài được đề nghị",
            "1",
            "Sáng kiến",
            ("nominees",),
            {"kind": [NomineeKind.INITIATIVE]},
        ),
        Column(
            "initiatives_awarded",
            "Sáng kiến, đề tài được khen thưởng",
            "2",
            "Sáng kiến",
            ("awards", "records"),
            {"kind": [NomineeKind.INITIATIVE]},
        ),
        Column("initiatives_recognised", "Sáng kiến được công nhận", "3", "Sáng kiến", ("initiatives",)),
        Column("nominees", "Đối tượng được đề nghị", "4", "", ("nominees",)),
        Column("awards", "Khen thưởng (hồ sơ trong hệ thống)", "5", "Khen thưởng", ("awards",)),
        Column("recorded", "Khen thưởng ghi nhận từ nơi khác", "6", "Khen thưởng", ("records",)),
        Column("decisions", "Quyết định khen thưởng đã ban hành", "7", "", ("decisions",)),
    ]
    rows = [Row("total", "Tổng số", "01", spec={}), Row("h_units", "1. Chia theo đơn vị")]
    rows += [
        Row(f"u{key}", label, "", spec={"unit": ids}, level=1) for key, label, ids in unit_rows(unit, period)
    ]
    rows.append(Row("h_kind", "2. Chia theo hình thức tổ chức khen thưởng"))
    rows += [
        Row(f"k_{kind}", f"- {label}", "", spec={"procedure": [kind]}, level=1)
        for kind, label in PROCEDURE_LABELS
    ]
    rows.append(Row("h_year", "3. Chia theo năm"))
    rows += [Row(f"y{y}", f"- Năm {y}", "", spec={"year": [y]}, level=1) for y in period.years]
    notes = [
        "Đối tượng được đề nghị: theo ngày trình hồ sơ; khen thưởng và quyết định: theo ngày ký quyết định.",
        "Sáng kiến được công nhận: theo ngày ký quyết định công nhận của thủ trưởng đơn vị (Hội đồng sáng kiến cơ sở).",
        "Khen thưởng ghi nhận từ nơi khác không có hình thức tổ chức khen thưởng: không tính ở mục 2.",
    ]
    return columns, rows, notes


PROCEDURE_LABELS = [
    (ProcedureKind.ACHIEVEMENT, "Thường xuyên (theo công trạng)"),
    (ProcedureKind.CAMPAIGN, "Theo chuyên đề, đợt thi đua"),
    (ProcedureKind.SUDDEN, "Đột xuất (thủ tục đơn giản)"),
    (ProcedureKind.LONG_SERVICE, "Quá trình cống hiến"),
    (ProcedureKind.SENIORITY, "Niên hạn"),
    (ProcedureKind.FOREIGN, "Đối ngoại"),
    (ProcedureKind.RESISTANCE, "Kháng chiến"),
]


FORMS = {
    f.slug: f
    for f in [
        FormSpec("0601", "0601.N/BNV-TĐKT", "SỐ PHONG TRÀO THI ĐUA", "Phong trào", build_0601),
        FormSpec("0602", "0602.N/BNV-TĐKT", "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC", "", build_0602),
        FormSpec(
            "0603",
            "0603.N/BNV-TĐKT",
            "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
            "",
            build_0603,
        ),
        FormSpec(
            "0604",
            "0604.N/BNV-TĐKT",
            "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG",
            "Tổ chức",
            build_0604,
        ),
        FormSpec(
            "0605",
            "0605.N/BNV-TĐKT",
            "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG",
            "Người",
            build_0605,
        ),
        FormSpec(
            "tong-hop",
            "",
            "TỔNG HỢP KẾT QUẢ THI ĐUA, KHEN THƯỞNG",
            "",
            build_summary,
            ministry=False,
        ),
    ]
}


# --- units ----------------------------------------------------------------------------------------


def _rolled_units(unit, period: Period) -> dict[int, dict]:
    """{id: unit row} of every unit a report on `unit` counts (its subtree and the units merged
    into it by the period's end)."""
    return {
        u["pk"]: u
        for u in units_rolled_up(unit, on=period.end).values(
            "pk", "name", "path", "parent_id", "successor_id", "dissolved_on"
        )
    }


def _row_of(unit, units: dict[int, dict], period: Period) -> dict[int, int]:
    """{unit id: the id of the row it counts in}: `unit` itself, or the child of `unit` it is
    under, after following mergers to the successor."""
    children = {u["pk"]: u for u in units.values() if u["parent_id"] == unit.pk}
    out = {}

    def resolve(pk, seen=()):
        if pk in out:
            return out[pk]
        u = units.get(pk)
        if u is None or pk in seen:
            return unit.pk
        seen = (*seen, pk)
        if u["successor_id"] in units and u["dissolved_on"] and u["dissolved_on"] <= period.end:
            return resolve(u["successor_id"], seen)
        if not u["path"].startswith(unit.path):
            return resolve(u["parent_id"], seen) if u["parent_id"] in units else unit.pk
        if pk == unit.pk:
            return unit.pk
        for child in children.values():
            if u["path"].startswith(child["path"]):
                return child["pk"]
        return unit.pk

    for pk in units:
        out[pk] = resolve(pk)
    return out


def unit_rows(unit, period: Period) -> list[tuple[str, str, list[int]]]:
    """(key, label, unit ids) per row of a by-unit section: the unit's own (its dossiers and
    awards filed at its level), then each unit directly under it, each with its subtree and the
    units merged into them."""
    units = _rolled_units(unit, period)
    row_of = _row_of(unit, units, period)
    members = defaultdict(list)
    for pk, row in row_of.items():
        members[row].append(pk)
    out = [(str(unit.pk), f"- {unit.name} (trực tiếp)", sorted(members[unit.pk]))]
    for pk in sorted((r for r in members if r != unit.pk), key=lambda r: units[r]["name"]):
        out.append((str(pk), f"- {units[pk]['name']}", sorted(members[pk])))
    return out


# --- building a table -----------------------------------------------------------------------------


def define(slug: str, *, period: Period, unit, today) -> Table:
    """A form's columns and rows for the period and unit, without its figures."""
    form = FORMS[slug]
    columns, rows, notes = form.build(period, unit, today)
    unit_ids = sorted(units_rolled_up(unit, on=period.end).values_list("pk", flat=True))
    return Table(form, period, unit, columns, rows, unit_ids, notes)


def evaluate(table: Table) -> Table:
    """Fill the figures: one grouped count per source the form uses (a fixed number of
    queries), grouped only by the dimensions its figures ask (units by the row they count in),
    then each figure summed from those few groups."""
    cells = {}
    for row in table.rows:
        for col in table.columns:
            spec = table.cell_spec(row, col)
            if spec is not None:
                cells[(row.key, col.key)] = spec
    # The summary's unit rows: each row's units, grouped in the database under the row's key.
    unit_groups = {}
    for specs in cells.values():
        for spec in specs.values():
            if "unit" in spec:
                unit_groups.setdefault(tuple(spec["unit"]), f"g{len(unit_groups)}")
    facts = {}
    sources = sorted({s for c in table.columns for s in c.sources})
    classes = type_classes() if {"awards", "records"} & set(sources) else None
    for source in sources:
        wanted = sorted({d for specs in cells.values() for d in specs.get(source, {})})
        qs = source_queryset(source, table.period, table.unit_ids, classes=classes)
        fields = {}
        for dim in wanted:
            if dim == "unit":
                qs = qs.annotate(
                    unit_group=Case(
                        *[
                            When(**{f"{DIMS[source]['unit']}__in": list(ids)}, then=Value(key))
                            for ids, key in unit_groups.items()
                        ],
                        default=Value(""),
                    )
                )
                fields[dim] = "unit_group"
            else:
                fields[dim] = DIMS[source][dim]
        counted = Count(COUNTED.get(source, "pk"), distinct=True)
        if not fields:  # values() without fields would group by every column
            facts[source] = [({}, qs.aggregate(n=counted)["n"])]
            continue
        facts[source] = [
            ({d: row[f] for d, f in fields.items()}, row["n"])
            for row in qs.values(*fields.values()).annotate(n=counted).order_by()
        ]
    for row in table.rows:
        if row.spec is None:
            continue
        for col in table.columns:
            if col.total:
                continue
            specs = cells.get((row.key, col.key))
            if specs is None:
                table.values[(row.key, col.key)] = None
                continue
            total = 0
            for source, spec in specs.items():
                match = {d: {unit_groups[tuple(v)]} if d == "unit" else set(v) for d, v in spec.items()}
                total += sum(n for key, n in facts[source] if all(key[d] in vs for d, vs in match.items()))
            table.values[(row.key, col.key)] = total
        for col in table.columns:
            if col.total:
                parts = [table.values.get((row.key, c.key)) for c in table.columns if not c.total]
                known = [p for p in parts if p is not None]
                table.values[(row.key, col.key)] = None if row.unrecorded or not known else sum(known)
    return table


def build_table(slug: str, *, period: Period, unit, today) -> Table:
    return evaluate(define(slug, period=period, unit=unit, today=today))
