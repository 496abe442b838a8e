"""A nominee's award history and the eligibility conditions that depend on it.

History comes from several sources: the awards recorded here (AwardRecord: decided elsewhere or
before the system) and, registered by the approvals app when it loads, the engine's own decisions
(dossiers sits below approvals and never imports it: approvals.history extends this module).

An awardee is matched by the strongest identity both sides carry (DOMAIN.md, step 10): the person
in the system; else the ID number; else the exact name and date of birth. A collective is matched
by the unit it is (`collective_unit`), or by its exact name when it has none.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from org.prepared import PreparedRead

from . import rulebook
from .models import AwardRecord, EligibilityCondition, EligibilityOverride, NomineeKind


def clean_name(name) -> str:
    return " ".join(unicodedata.normalize("NFC", name or "").split())


@dataclass(frozen=True)
class Identity:
    kind: str
    name: str = ""
    person_id: int | None = None
    id_number: str = ""
    date_of_birth: object = None
    collective_unit_id: int | None = None

    @property
    def is_collective(self) -> bool:
        return self.kind == NomineeKind.COLLECTIVE

    def is_empty(self) -> bool:
        if self.is_collective:
            return not (self.collective_unit_id or self.name)
        return not (self.person_id or self.id_number or (self.name and self.date_of_birth))


def identity_of(obj) -> Identity:
    """The identity of a nominee or a recorded award (anything with the same fields)."""
    return Identity(
        kind=obj.kind,
        name=clean_name(obj.name),
        person_id=getattr(obj, "person_id", None),
        id_number=(getattr(obj, "id_number", "") or "").strip(),
        date_of_birth=getattr(obj, "date_of_birth", None),
        collective_unit_id=getattr(obj, "collective_unit_id", None),
    )


def identity_q(identity: Identity, prefix: str = "") -> Q | None:
    """The filter of rows (recorded awards, or nominees with `prefix` "nominee__") that are this
    awardee, or None when the identity names nobody. A stronger identifier on the row that
    disagrees (another person, another ID number) rules the row out."""
    p = prefix
    if identity.is_empty():
        return None
    if identity.is_collective:
        kind = Q(**{f"{p}kind": NomineeKind.COLLECTIVE})
        if identity.collective_unit_id:
            return kind & Q(**{f"{p}collective_unit_id": identity.collective_unit_id})
        return kind & Q(**{f"{p}collective_unit__isnull": True, f"{p}name": identity.name})
    kind = ~Q(**{f"{p}kind": NomineeKind.COLLECTIVE})
    not_other_person = Q()
    if identity.person_id:
        not_other_person = Q(**{f"{p}person__isnull": True}) | Q(**{f"{p}person_id": identity.person_id})
    not_other_id = Q()
    if identity.id_number:
        not_other_id = Q(**{f"{p}id_number": ""}) | Q(**{f"{p}id_number": identity.id_number})
    match = Q(pk__in=[])
    if identity.person_id:
        match |= Q(**{f"{p}person_id": identity.person_id})
    if identity.id_number:
        match |= Q(**{f"{p}id_number": identity.id_number}) & not_other_person
    if identity.name and identity.date_of_birth:
        match |= (
            Q(**{f"{p}name": identity.name, f"{p}date_of_birth": identity.date_of_birth})
            & not_other_person
            & not_other_id
        )
    return kind & match


@dataclass
class HistoryEntry:
    """One award in a nominee's history, whatever its source."""

    year: int
    award_name: str
    award_type_id: int | None
    decision_number: str
    decision_date: object
    issuer: str
    source: str  # "recorded" or "engine"
    period: str = ""
    obj: object = field(default=None, repr=False)


HistorySource = Callable[[Identity], list[HistoryEntry]]


def recorded_awards(identity: Identity) -> list[HistoryEntry]:
    q = identity_q(identity)
    if q is None:
        return []
    rows = AwardRecord.objects.filter(q, voided_at__isnull=True).select_related("award_type")
    return [
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
        for r in rows
    ]


HISTORY_SOURCES: list[HistorySource] = [recorded_awards]


def register_history_source(source: HistorySource) -> None:
    """A higher layer adds its awards to every history (approvals does, for its decisions)."""
    if source not in HISTORY_SOURCES:
        HISTORY_SOURCES.append(source)


def award_history(identity) -> list[HistoryEntry]:
    """The awardee's awards over the years, newest first, from every source. `identity` is an
    Identity, or a nominee / recorded award to take it from."""
    if not isinstance(identity, Identity):
        identity = identity_of(identity)
    entries = [entry for source in HISTORY_SOURCES for entry in source(identity)]
    return sorted(entries, key=lambda e: (-e.year, -(e.decision_date.toordinal() if e.decision_date else 0)))


# --- eligibility from history --------------------------------------------------------------------


@dataclass
class ConditionResult:
    condition: EligibilityCondition
    window: list[int]
    found: list[int]
    missing: list[int]
    override: EligibilityOverride | None = None

    @property
    def met(self) -> bool:
        return len(self.found) >= self.condition.times

    @property
    def passes(self) -> bool:
        return self.met or self.override is not None


def conditions_for(rule, day):
    return conditions_for_rules([rule], day)[rule.pk]


def conditions_for_rules(rules, day, stamp=None) -> dict[int, list]:
    """{rule id: its conditions in force on `day`, in order} for every rule at once; unread when
    the process keeps them under the rulebook's `stamp` (dossiers.rulebook)."""
    key = (day, tuple(sorted({rule.pk for rule in rules})))
    return rulebook.kept(stamp, ("conditions", *key), lambda: _read_conditions(key))


def _read_conditions(key) -> dict[int, list]:
    found = {pk: [] for pk in key[1]}
    if not found:
        return found
    conditions = _CONDITIONS.objects(key=key)
    prefetch_related_objects(conditions, "required_award_types")
    for condition in conditions:
        found[condition.rule_id].append(condition)
    return found


# Every submission asks for them: compiled once per day and set of rules (org.prepared).
_CONDITIONS = PreparedRead(
    lambda day, rules: EligibilityCondition.objects.in_force_on(day).filter(rule__in=rules).order_by("pk"),
    arguments=(),
)


def period_year(dossier) -> int:
    return dossier.campaign.period_end.year


def check_conditions(nominee, conditions, year, history=None, overrides=None) -> list[ConditionResult]:
    if not conditions:
        return []
    history = award_history(nominee) if history is None else history
    if overrides is None:
        overrides = {o.condition_id: o for o in EligibilityOverride.objects.filter(nominee=nominee)}
    results = []
    for condition in conditions:
        required = {t.pk for t in condition.required_award_types.all()}
        years_with = {e.year for e in history if e.award_type_id in required}
        # The run with the most years found; on a tie, the years before the period.
        window = max(condition.windows(year), key=lambda w: (sum(y in years_with for y in w), -w[-1]))
        results.append(
            ConditionResult(
                condition=condition,
                window=window,
                found=[y for y in window if y in years_with],
                missing=[y for y in window if y not in years_with],
                override=overrides.get(condition.pk),
            )
        )
    return results


def _years(years) -> str:
    return ", ".join(str(y) for y in years)


def refusal(nominee, result: ConditionResult) -> str:
    """The precise reason a nominee fails a condition: who, which years, on which basis."""
    condition = result.condition
    required = " / ".join(f"“{t.name}”" for t in condition.required_award_types.all())
    values = {
        "name": nominee.name,
        "award": nominee.award_type.name,
        "required": required,
        "years": _years(result.window),
        "missing": _years(result.missing),
        "times": condition.times,
        "found": len(result.found),
        "basis": condition.legal_basis,
    }
    if condition.times == condition.years:
        return (
            _(
                "%(name)s: “%(award)s” requires %(required)s in each of the years %(years)s; "
                "missing: %(missing)s (%(basis)s)."
            )
            % values
        )
    return (
        _(
            "%(name)s: “%(award)s” requires %(required)s in at least %(times)d of the years "
            "%(years)s; found in %(found)d, missing: %(missing)s (%(basis)s)."
        )
        % values
    )


def eligibility_problems(dossier, nominees, rules, day, stamp=None) -> list[str]:
    """Every nominee's unmet history condition without an override, as refusals (submission;
    `stamp`: the rulebook's, as dossiers.rulebook keeps the conditions)."""
    problems = []
    year = period_year(dossier)
    by_rule = conditions_for_rules({rule.pk: rule for rule in rules.values()}.values(), day, stamp)
    for nominee in nominees:
        rule = rules.get(nominee.pk)
        if rule is None:
            continue
        if not by_rule[rule.pk]:
            continue
        for result in check_conditions(nominee, by_rule[rule.pk], year):
            if not result.passes:
                problems.append(refusal(nominee, result))
    return problems


def nominee_eligibility(nominee) -> list[ConditionResult]:
    """For the pages: how the nominee stands against the conditions of its award (the pinned
    rule once submitted, else the rule in force on the dossier's rules date or today)."""
    dossier = nominee.dossier
    day = dossier.rules_date or timezone.localdate()
    rule = nominee.rule if nominee.rule_id else nominee.award_type.rule_on(day)
    if rule is None:
        return []
    return check_conditions(nominee, conditions_for(rule, day), period_year(dossier))


# --- reads for the pages and the API, filtered by who asks ---------------------------------------


def history_reader_q(user) -> Q | None:
    """The recorded awards `user` may see: those of units in the subtree of any role they hold
    (unit staff and heads, the standing body, council, chair, inspectors), or None for none."""
    from org.scopes import scopes_for

    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    q = None
    for scope in scopes_for(user):
        part = Q(unit__path__startswith=scope.unit_path)
        q = part if q is None else q | part
    return q


def award_record_list_for(*, user, filters=None):
    """The recorded awards `user` may see, newest year first (a fixed number of queries)."""
    q = history_reader_q(user)
    if q is None:
        return AwardRecord.objects.none()
    qs = AwardRecord.objects.filter(q).select_related("award_type", "unit", "recorded_by")
    filters = filters or {}
    if not filters.get("include_void"):
        qs = qs.filter(voided_at__isnull=True)
    if filters.get("q"):
        text = clean_name(filters["q"])
        qs = qs.filter(Q(name__icontains=text) | Q(decision_number__icontains=text) | Q(id_number=text))
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    return qs.order_by("-year", "name", "pk")


def access_award_record(*, user, pk) -> AwardRecord:
    from django.http import Http404

    q = history_reader_q(user)
    if q is None:
        raise Http404
    try:
        return AwardRecord.objects.select_related("award_type", "unit").get(q, pk=pk)
    except (AwardRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_nominee_history(*, user, pk):
    """A nominee whose history `user` may read: anyone who sees its dossier, and the standing
    body of the unit reviewing it (which may override a condition even before it sees the
    dossier itself). 404 otherwise."""
    from django.http import Http404

    from .history_services import can_override_eligibility
    from .models import Nominee
    from .permissions import can_view_dossier

    try:
        nominee = Nominee.objects.select_related(
            "award_type", "rule", "dossier__unit", "dossier__campaign", "dossier__reviewing_unit"
        ).get(pk=pk)
    except (Nominee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not (can_view_dossier(user, nominee.dossier) or can_override_eligibility(user, nominee)):
        raise Http404
    return nominee
