"""The award register (tra cứu khen thưởng): every person and collective with their awards over the
years, from the engine's decisions (approvals.Award, not revoked) and from the awards recorded from
elsewhere (dossiers.AwardRecord, not voided), searched by name, unit, award, year and kind.

One list is the union of both sources, so the count is one query and a page three (its rows
chosen by their sort keys, then read in full from each source), whatever the number of rows. Names are matched on their folded form (dossiers.search_text: lower case, accents
stripped, đ → d), stored on the rows, so "nguyen van a" finds "Nguyễn Văn A" on SQLite and
PostgreSQL alike. Who sees what: the engine's awards of the dossiers the user may see
(dossiers.permissions.visible_dossiers_q), the recorded awards of the units their roles cover
(dossiers.history.history_reader_q).
"""

from dataclasses import dataclass, field

from django.db.models import F, Q, Value
from django.db.models.functions import ExtractYear
from django.http import Http404

from approvals.models import Award
from dossiers.history import HistoryEntry, Identity, award_history, history_reader_q, identity_of
from dossiers.history_services import STANDING_ROLES
from dossiers.models import AwardRecord, Dossier
from dossiers.permissions import REVIEW_ROLES, UNIT_ROLES, visible_dossiers_q
from dossiers.search_text import fold
from org.models import Unit
from org.scopes import scopes_for

ENGINE = "a"  # an award of one of the engine's decisions
RECORDED = "r"  # an award recorded from elsewhere
# The `level` filter's value for the awards recorded from elsewhere (decided by a body the engine
# does not hold, so of no level it knows).
ELSEWHERE = "elsewhere"


def _words(text) -> list[str]:
    return fold(text).split()


def _engine_awards(user, filters):
    """The engine's awards (not revoked) the user may see that match `filters`, or None."""
    visible = visible_dossiers_q(user)
    if visible is None or filters.get("level") == ELSEWHERE:
        return None
    qs = Award.objects.filter(revoked_by__isnull=True)
    if filters.get("level"):
        qs = qs.filter(decision__issuer__level=filters["level"])
    if visible != Q():
        qs = qs.filter(nominee__dossier__in=Dossier.objects.filter(visible).values("pk"))
    for word in _words(filters.get("q")):
        qs = qs.filter(nominee__search_text__contains=word)
    if filters.get("unit") is not None:
        path = filters["unit"].path
        qs = qs.filter(
            Q(nominee__dossier__unit__path__startswith=path)
            | Q(nominee__collective_unit__path__startswith=path)
        )
    if filters.get("award_type") is not None:
        qs = qs.filter(nominee__award_type=filters["award_type"])
    if filters.get("year"):
        qs = qs.filter(nominee__dossier__campaign__period_end__year=filters["year"])
    if filters.get("kind"):
        qs = qs.filter(nominee__kind=filters["kind"])
    return qs.order_by()


def _recorded_awards(user, filters):
    """The recorded awards (not voided) the user may see that match `filters`, or None."""
    reader = history_reader_q(user)
    if reader is None or filters.get("level") not in (None, "", ELSEWHERE):
        return None
    qs = AwardRecord.objects.filter(reader, voided_at__isnull=True)
    for word in _words(filters.get("q")):
        qs = qs.filter(search_text__contains=word)
    if filters.get("unit") is not None:
        path = filters["unit"].path
        qs = qs.filter(Q(unit__path__startswith=path) | Q(collective_unit__path__startswith=path))
    if filters.get("award_type") is not None:
        qs = qs.filter(award_type=filters["award_type"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.order_by()


# The order of the register, and what a page is first chosen by: only the columns it sorts on,
# so the database sorts narrow rows; the page's rows are then read in full (two queries).
KEYS = ("sort_name", "award_year", "src", "row_id")


def _engine_keys(qs):
    return qs.annotate(
        sort_name=F("nominee__search_text"),
        award_year=ExtractYear("nominee__dossier__campaign__period_end"),
        src=Value(ENGINE),
        row_id=F("pk"),
    ).values_list(*KEYS)


def _record_keys(qs):
    return qs.annotate(
        sort_name=F("search_text"), award_year=F("year"), src=Value(RECORDED), row_id=F("pk")
    ).values_list(*KEYS)


@dataclass
class RegisterRow:
    """One award in the register, whatever its source."""

    source: str
    pk: int
    name: str
    kind: str
    year: int
    award_name: str
    unit_name: str
    decision_id: int | None
    decision_number: str
    decision_date: object
    issuer: str

    @property
    def ref(self) -> str:
        """The reference of the awardee's page: the source and the row ("a12", "r5")."""
        return f"{self.source}{self.pk}"


def _engine_row(a) -> RegisterRow:
    nominee = a.nominee
    return RegisterRow(
        source=ENGINE,
        pk=a.pk,
        name=nominee.name,
        kind=nominee.kind,
        year=nominee.dossier.campaign.period_end.year,
        award_name=nominee.award_type.name,
        unit_name=nominee.dossier.unit.name,
        decision_id=a.decision_id,
        decision_number=a.decision.symbol,
        decision_date=a.decision.signed_on,
        issuer=a.decision.issuer.name,
    )


def _record_row(r) -> RegisterRow:
    return RegisterRow(
        source=RECORDED,
        pk=r.pk,
        name=r.name,
        kind=r.kind,
        year=r.year,
        award_name=r.award_name,
        unit_name=r.unit.name,
        decision_id=None,
        decision_number=r.decision_number,
        decision_date=r.decision_date,
        issuer=r.issuer,
    )


class RegisterRows:
    """The register's rows as a sequence a Paginator pages: `count()` is one COUNT over the union
    of the two sources' ids (no join but the filters'); a slice is one query choosing the page's
    rows by their sort keys, then one query per source reading those rows in full."""

    def __init__(self, engine, recorded):
        self.engine, self.recorded = engine, recorded
        parts = [p for p in (engine, recorded) if p is not None]
        self._ids = parts[0].values_list("pk") if parts else None
        if len(parts) == 2:
            self._ids = self._ids.union(recorded.values_list("pk"), all=True)
        keys = [k(p) for k, p in ((_engine_keys, engine), (_record_keys, recorded)) if p is not None]
        self._keys = None
        if keys:
            union = keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]
            self._keys = union.order_by(*KEYS)

    def count(self) -> int:
        return 0 if self._ids is None else self._ids.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if self._keys is None:
            return []
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        keys = list(self._keys[index])
        wanted = {
            ENGINE: [k[3] for k in keys if k[2] == ENGINE],
            RECORDED: [k[3] for k in keys if k[2] == RECORDED],
        }
        rows = {}
        if wanted[ENGINE]:
            awards = Award.objects.filter(pk__in=wanted[ENGINE]).select_related(
                "decision__issuer",
                "nominee__award_type",
                "nominee__dossier__campaign",
                "nominee__dossier__unit",
            )
            rows.update({(ENGINE, a.pk): _engine_row(a) for a in awards})
        if wanted[RECORDED]:
            records = AwardRecord.objects.filter(pk__in=wanted[RECORDED]).select_related("award_type", "unit")
            rows.update({(RECORDED, r.pk): _record_row(r) for r in records})
        return [rows[(k[2], k[3])] for k in keys]


def register_for(*, user, filters=None) -> RegisterRows:
    """The awards `user` may see in the register, matching `filters` (q: words of the name, any
    accents or case; unit: a Unit and everything under it; award_type; year; kind; level: the
    deciding body's unit level, or ELSEWHERE for the recorded awards), ordered by name (folded),
    then year: the same person's awards stand together, oldest first."""
    filters = filters or {}
    return RegisterRows(_engine_awards(user, filters), _recorded_awards(user, filters))


# --- one awardee's page ---------------------------------------------------------------------------


@dataclass
class AwardeePage:
    """An awardee and all their awards over the years, oldest first."""

    name: str
    kind: str
    identity: Identity
    unit_name: str
    date_of_birth: object
    id_number: str  # in full when the reader's scope covers it, else the last four digits
    id_number_in_full: bool
    entries: list = field(default_factory=list)
    # What the page is about, for the audit of an inspector's read (inspection.reads).
    subject: tuple[str, int] = ("", 0)


def _mask(id_number) -> str:
    return ("*" * max(len(id_number) - 4, 0) + id_number[-4:]) if id_number else ""


def _sees_id_number_of_award(user, award) -> bool:
    """The nominee's ID number, by dossiers.permissions.can_see_id_number's rule (the unit's own
    people and the bodies the dossier was sent to), from the scopes already loaded."""
    if user.is_superuser:
        return True
    if not user.has_perm("dossiers.view_nominee"):
        return False
    dossier = award.nominee.dossier
    sent_to = {dossier.unit_id, dossier.reviewing_unit_id} - {None}
    return any(
        (s.role in UNIT_ROLES and s.unit_id == dossier.unit_id)
        or (s.role in REVIEW_ROLES and s.unit_id in sent_to)
        for s in scopes_for(user)
    )


def _sees_id_number_of_record(user, unit_path) -> bool:
    """A recorded awardee's ID number, in full for the standing body that records it (as the
    recorded awards' own pages show it); `unit_path` is the path of the record's unit."""
    return user.is_superuser or any(
        s.role in STANDING_ROLES and unit_path.startswith(s.unit_path) for s in scopes_for(user)
    )


def _sees_id_number_of_person(user, source, row, entries) -> bool:
    """One rule for a person's page, whichever register row it is opened from: the ID number
    (and date of birth) is shown in full only when the reader may see it in full on every row
    of that person the page shows, each by its own rule (an engine award's: the unit's own
    people and the bodies its dossier was sent to; a recorded award's: the standing body that
    records it). The narrower scope wins, so the page never shows through one row what another
    row of the same person hides, and the entry point does not change what is shown."""
    if user.is_superuser:
        return True
    rows = [(e.source, e.obj) for e in entries]
    if not any(obj.pk == row.pk and kind == source for kind, obj in rows):
        rows.append(("engine" if source == ENGINE else "recorded", row))
    unit_ids = {_unit_id_of_row(kind, obj) for kind, obj in rows if kind != "engine"}
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path")) if unit_ids else {}
    return all(
        _sees_id_number_of_award(user, obj)
        if kind == "engine"
        else _sees_id_number_of_record(user, paths.get(_unit_id_of_row(kind, obj), ""))
        for kind, obj in rows
    )


def _unit_id_of_row(kind, obj) -> int:
    """The unit of a history row that is not the engine's: a recorded award's unit, or for a
    recognised initiative (initiatives.history) the unit whose head recognised it, read by the
    standing body over it as a recorded award is."""
    return obj.initiative.unit_id if kind == "initiative" else obj.unit_id


def _anchor(*, user, ref):
    """The register row `ref` ("a12": an engine award, "r5": a recorded award) if `user` sees it
    in the register; 404 otherwise, whether it exists or not."""
    source, number = (ref or "")[:1], (ref or "")[1:]
    if not number.isdigit() or source not in (ENGINE, RECORDED):
        raise Http404
    pk = int(number)
    if source == ENGINE:
        visible = visible_dossiers_q(user)
        if visible is None:
            raise Http404
        qs = Award.objects.filter(pk=pk, revoked_by__isnull=True).select_related(
            "nominee__dossier", "nominee__dossier__unit"
        )
        if visible != Q():
            qs = qs.filter(nominee__dossier__in=Dossier.objects.filter(visible).values("pk"))
    else:
        reader = history_reader_q(user)
        if reader is None:
            raise Http404
        qs = AwardRecord.objects.filter(reader, pk=pk, voided_at__isnull=True).select_related("unit")
    row = qs.first()
    if row is None:
        raise Http404
    return source, row


def _same_name_in_unit(source, row) -> list:
    """The history of an awardee known by name only (no account, ID number or date of birth:
    dossiers.history matches nobody on so little): the awards under the same name in the same
    unit that carry nothing more either."""
    unit_id = row.nominee.dossier.unit_id if source == ENGINE else row.unit_id
    name = row.nominee.name if source == ENGINE else row.name
    kind = row.nominee.kind if source == ENGINE else row.kind
    bare = {"kind": kind, "person__isnull": True, "id_number": "", "date_of_birth__isnull": True}
    records = AwardRecord.objects.filter(name=name, unit_id=unit_id, voided_at__isnull=True, **bare)
    awards = Award.objects.filter(
        revoked_by__isnull=True,
        nominee__name=name,
        nominee__dossier__unit_id=unit_id,
        **{f"nominee__{k}": v for k, v in bare.items()},
    )
    entries = [
        HistoryEntry(
            year=r.year,
            award_name=r.award_name,
            award_type_id=r.award_type_id,
            decision_number=r.decision_number,
            decision_date=r.decision_date,
            issuer=r.issuer,
            source="recorded",
            period=r.period,
            obj=r,
        )
        for r in records.select_related("award_type")
    ]
    entries += [
        HistoryEntry(
            year=a.nominee.dossier.campaign.period_end.year,
            award_name=a.nominee.award_type.name,
            award_type_id=a.nominee.award_type_id,
            decision_number=a.decision.symbol,
            decision_date=a.decision.signed_on,
            issuer=a.decision.issuer.name,
            source="engine",
            obj=a,
        )
        for a in awards.select_related(
            "decision__issuer", "nominee__award_type", "nominee__dossier__campaign"
        )
    ]
    return entries


def awardee_page_for(*, user, ref) -> AwardeePage:
    """The awardee of register row `ref` with every award in their history (dossiers.history:
    the engine's decisions and the recorded awards, matched by the strongest identity both
    carry), oldest first. Each engine award links to its decision only when `user` may see that
    decision (one of its dossiers is visible to them); the ID number is shown in full only in
    scope. A fixed number of queries."""
    source, row = _anchor(user=user, ref=ref)
    if source == ENGINE:
        nominee = row.nominee
        identity, unit_name = identity_of(nominee), nominee.dossier.unit.name
        person, subject = nominee, ("dossiers.nominee", nominee.pk)
    else:
        identity, unit_name = identity_of(row), row.unit.name
        person, subject = row, ("dossiers.awardrecord", row.pk)
    history = award_history(identity) if not identity.is_empty() else _same_name_in_unit(source, row)
    in_full = _sees_id_number_of_person(user, source, row, history)
    entries = sorted(
        history,
        key=lambda e: (e.year, e.decision_date.toordinal() if e.decision_date else 0, e.source),
    )
    engine_dossiers = {e.obj.nominee.dossier_id for e in entries if e.source == "engine"}
    visible = visible_dossiers_q(user)
    seen = set()
    if engine_dossiers and visible is not None:
        seen = set(Dossier.objects.filter(visible, pk__in=engine_dossiers).values_list("pk", flat=True))
    for entry in entries:
        entry.decision_id = None
        if entry.source == "engine" and entry.obj.nominee.dossier_id in seen:
            entry.decision_id = entry.obj.decision_id
    id_number = person.id_number or ""
    return AwardeePage(
        name=person.name,
        kind=person.kind,
        identity=identity,
        unit_name=unit_name,
        date_of_birth=person.date_of_birth if in_full else None,
        id_number=id_number if in_full else _mask(id_number),
        id_number_in_full=in_full and bool(id_number),
        entries=entries,
        subject=subject,
    )
