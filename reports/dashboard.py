"""The dashboard: what people would rather look at than read. Awards by the level that decided
them, by form of award, by year and by kind of awardee; dossiers by state; steps past their time
limit. Everything is counted in the database (grouped queries, a fixed number whatever the number
of rows) over what the reader may see: the dossiers of dossiers.permissions.visible_dossiers_q (a
unit head sees its own unit's, the standing body and the chair those sent to them, inspectors
their subtree) and the recorded awards of dossiers.history.history_reader_q. Each figure opens the list behind it."""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Award
from dossiers.history import history_reader_q
from dossiers.history_forms import AWARDEE_KINDS
from dossiers.models import AwardRecord, Dossier, DossierState
from dossiers.permissions import visible_dossiers_q
from dossiers.selectors import overdue_q
from org.calendar import WorkingCalendar
from org.models import UnitLevel

from .register_search import ELSEWHERE

# A bar's length in SVG units at the chart's largest figure (its label is HTML text above it).
BAR_MAX = 300
LEVEL_ORDER = [level for level, _label in UnitLevel.choices]


@dataclass
class Bar:
    label: str
    value: int
    url: str = ""
    # Set by Chart.layout(): the bar's length.
    width: int = 0


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    empty_text: str = ""

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    def layout(self) -> "Chart":
        top = max((bar.value for bar in self.bars), default=0) or 1
        for bar in self.bars:
            # A non-zero figure always shows as a visible bar.
            bar.width = max(round(BAR_MAX * bar.value / top), 2 if bar.value else 0)
        return self


@dataclass
class Dashboard:
    charts: list[Chart]
    bar_max: int = BAR_MAX


def _register_url(**params) -> str:
    return reverse("award-register") + "?" + urlencode(params)


def _visible_dossiers(user):
    q = visible_dossiers_q(user)
    if q is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(q) if q != Q() else Dossier.objects.all()


def _engine_award_groups(user):
    """The engine's awards (not revoked) the user may see, counted by (issuer level, award type,
    year): one grouped query."""
    if visible_dossiers_q(user) is None:
        return []
    qs = Award.objects.filter(revoked_by__isnull=True)
    if visible_dossiers_q(user) != Q():
        qs = qs.filter(nominee__dossier__in=_visible_dossiers(user).values("pk"))
    return list(
        qs.order_by()
        .values(
            "decision__issuer__level",
            "nominee__award_type_id",
            "nominee__award_type__name",
            "nominee__kind",
            year=ExtractYear("nominee__dossier__campaign__period_end"),
        )
        .annotate(n=Count("pk"))
    )


def _recorded_award_groups(user):
    """The recorded awards (not voided) the user may see, counted by (award, year): one query."""
    reader = history_reader_q(user)
    if reader is None:
        return []
    return list(
        AwardRecord.objects.filter(reader, voided_at__isnull=True)
        .order_by()
        .values("award_type_id", "year", "kind", label=Coalesce("award_type__name", "award_title"))
        .annotate(n=Count("pk"))
    )


def _award_charts(user) -> list[Chart]:
    engine, recorded = _engine_award_groups(user), _recorded_award_groups(user)
    levels, kinds, years, awardees = Counter(), Counter(), Counter(), Counter()
    kind_ids = {}
    for g in engine:
        levels[g["decision__issuer__level"]] += g["n"]
        kinds[g["nominee__award_type__name"]] += g["n"]
        kind_ids[g["nominee__award_type__name"]] = g["nominee__award_type_id"]
        years[g["year"]] += g["n"]
        awardees[g["nominee__kind"]] += g["n"]
    for g in recorded:
        levels[ELSEWHERE] += g["n"]
        kinds[g["label"]] += g["n"]
        if g["award_type_id"]:
            kind_ids[g["label"]] = g["award_type_id"]
        years[g["year"]] += g["n"]
        awardees[g["kind"]] += g["n"]
    level_labels = dict(UnitLevel.choices)
    by_level = Chart(
        "level",
        _("Awards by the level that decided them"),
        [
            Bar(str(level_labels[level]), levels[level], _register_url(level=level))
            for level in LEVEL_ORDER
            if levels[level]
        ],
    )
    if levels[ELSEWHERE]:
        by_level.bars.append(
            Bar(_("Recorded from elsewhere"), levels[ELSEWHERE], _register_url(level=ELSEWHERE))
        )
    by_kind = Chart(
        "kind",
        _("Awards by form of award"),
        [
            Bar(name, n, _register_url(award_type=kind_ids[name]) if name in kind_ids else "")
            for name, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        ],
    )
    by_year = Chart(
        "year",
        _("Awards by year"),
        [Bar(str(year), years[year], _register_url(year=year)) for year in sorted(years)],
    )
    by_awardee = Chart(
        "awardee",
        _("Awards by awardee kind"),
        [
            Bar(str(label), awardees[kind], _register_url(kind=kind))
            for kind, label in AWARDEE_KINDS
            if awardees[kind]
        ],
    )
    return [by_level, by_kind, by_year, by_awardee]


def _state_chart(user) -> Chart:
    counts = dict(
        _visible_dossiers(user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    url = reverse("dossier-list")
    return Chart(
        "state",
        _("Dossiers by state"),
        [
            Bar(str(label), counts[state], f"{url}?{urlencode({'state': state})}")
            for state, label in DossierState.choices
            if counts.get(state)
        ],
    )


def _overdue_chart(user) -> Chart:
    """Steps past their limit (dossiers.selectors.OVERDUE_STEPS: the standing body's 20 working
    days of appraisal; a public notice whose period has run and which is still open a working day
    later, as the daily reminders count them). Each bar counts with the dossier list's own filter
    and opens that list, so the list shows exactly the dossiers the bar counts."""
    calendar = WorkingCalendar()
    today = timezone.localdate()
    counts = _visible_dossiers(user).aggregate(
        **{
            step: Count("pk", filter=overdue_q(step, calendar=calendar, today=today))
            for step in ("appraisal", "notice")
        }
    )
    url = reverse("dossier-list")
    return Chart(
        "overdue",
        _("Steps past their time limit"),
        [
            Bar(_("Appraisal past its 20 working days"), counts["appraisal"], f"{url}?overdue=appraisal"),
            Bar(_("Public notice still open after its period"), counts["notice"], f"{url}?overdue=notice"),
        ],
    )


def dashboard_for(*, user) -> Dashboard:
    """The reader's dashboard: six charts, each bar a link to the list behind it."""
    charts = [*_award_charts(user), _state_chart(user), _overdue_chart(user)]
    empty = _("Nothing to count yet.")
    for chart in charts:
        chart.empty_text = empty
        chart.layout()
    return Dashboard(charts=charts)
