"""The steps after submission: appraisal, public notice, the council's hand-off, the vice-chair's
opinion and the chair's decision (award, forward, decline), and revocation.

Each function is one transaction: it re-reads the dossier under a lock, checks the actor's role
at the dossier's reviewing unit, the state and the business rules, makes the change and appends
its audit event. Refusals raise before anything is written. The order of steps is not decided
here but in workflows/flows.py, which calls these.
"""

import datetime as dt
import math
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit import services as audit
from dossiers import rulebook
from dossiers.models import (
    CENTRAL_LEVEL,
    BaseSalary,
    Dossier,
    DossierState,
    Nominee,
    NomineeKind,
    NomineeOutcome,
    ThresholdKind,
)
from dossiers.services import (
    current_nominees,
    current_nominees_query,
    lock_dossier,
    require_transition,
    save_dossier,
    save_dossiers,
    step_atomic,
)
from org import limits, statements
from org.calendar import WorkingCalendar
from org.errors import TransitionNotAllowed
from org.models import UnitLevel
from org.prepared import PreparedRead
from org.register_numbers import register_reserve, register_take
from org.registers import RegisterEntry

from . import forwarding, permissions
from .models import (
    AgendaResult,
    Award,
    CouncilMeeting,
    CouncilResult,
    Decision,
    DecisionDossier,
    DecisionDraft,
    DecisionKind,
    MeetingState,
    Objection,
    Opinion,
    PublicNotice,
    Rejection,
    ReturnRequest,
    SignerCapacity,
)

S = DossierState
O = NomineeOutcome
RETURN_DAYS = 5  # working days to return an incomplete dossier, once, in writing


def _require(allowed: bool, message: str):
    if not allowed:
        raise PermissionDenied(message)


def _require_appraiser(actor, dossier, message: str):
    """The standing body of the dossier's level, and, once its leader has assigned the dossier,
    the assignee or the leader only: anyone else is told who holds it."""
    if not permissions.can_appraise(actor, dossier):
        raise PermissionDenied(permissions.assignment_refusal(actor, dossier) or message)


# --- appraisal --------------------------------------------------------------------------------


def appraisal_receive(*, actor, dossier) -> Dossier:
    """The standing body receives a submitted dossier and starts appraising it (thẩm định)."""
    with step_atomic():
        dossier = lock_dossier(dossier)
        _require_appraiser(
            actor,
            dossier,
            _("Only the standing body of %(unit)s may receive this dossier.")
            % {"unit": dossier.reviewing_unit},
        )
        require_transition(dossier.receive, doing=_("received"))
        dossier.receive()
        save_dossier(
            dossier,
            ["state"],
            event=audit.event(
                actor=actor,
                action="dossier.receive",
                target=dossier,
                data={"submission": dossier.submission_count},
            ),
        )
    return dossier


def appraisal_return(*, actor, dossier, items, further_return_reason="") -> ReturnRequest:
    """Return the dossier to the unit once, in writing, with the itemised list of what is missing.

    The law allows one return; a further one needs a recorded reason.
    """
    items = [i.strip() for i in (items or []) if i and i.strip()]
    if not items:
        raise ValidationError({"items": _("List what the unit must supply.")})
    limits.require_lines("items", items, limit=limits.RETURN_ITEM, count=limits.RETURN_ITEMS)
    limits.require_text("further_return_reason", further_return_reason, limits.SHORT_TEXT)
    with step_atomic():
        dossier = lock_dossier(dossier)
        _require_appraiser(actor, dossier, _("Only the standing body may return this dossier."))
        require_transition(dossier.return_for_supplement, doing=_("returned"))
        earlier = ReturnRequest.objects.filter(dossier=dossier).count()
        if earlier and not (further_return_reason or "").strip():
            raise ValidationError(
                {
                    "further_return_reason": _(
                        "This dossier was already returned once: say why it must be returned again."
                    )
                }
            )
        request = ReturnRequest.objects.create(
            dossier=dossier,
            items=items,
            further_return_reason=further_return_reason.strip(),
            created_by=actor,
        )
        dossier.return_for_supplement()
        save_dossier(
            dossier,
            ["state"],
            event=audit.event(
                actor=actor,
                action="dossier.return",
                target=dossier,
                data={
                    "items": items,
                    "return_number": earlier + 1,
                    "further_return_reason": request.further_return_reason,
                },
            ),
        )
    return request


def appraisal_reject(*, actor, dossier, reasons) -> Dossier:
    """Reject an ineligible dossier, with reasons."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the rejection.")})
    limits.require_text("reasons", reasons, limits.TEXT)
    with step_atomic():
        dossier = lock_dossier(dossier)
        _require_appraiser(actor, dossier, _("Only the standing body may reject this dossier."))
        require_transition(dossier.reject, doing=_("rejected"))
        Rejection.objects.create(dossier=dossier, reasons=reasons, created_by=actor)
        dossier.reject()
        save_dossier(
            dossier,
            ["state"],
            event=audit.event(
                actor=actor, action="dossier.reject", target=dossier, data={"reasons": reasons}
            ),
        )
    return dossier


def _after_notice(eligible) -> DossierState:
    """Where accepted nominees go when no public notice holds them (or once it is closed): to the
    chair directly when every one's award follows the simplified procedure, else to the council."""
    return S.AWAITING_DECISION if all(n.rule.simplified for n in eligible) else S.IN_COUNCIL


def appraisal_accept(*, actor, dossier, ineligible=None) -> Dossier:
    """The dossier is complete and eligible: its nominees go on (those found ineligible, with a
    reason each, stop here). Next: public notice when a nominee's award asks for it; the chair
    directly under the simplified procedure; otherwise the council."""
    ineligible = {int(k): (v or "").strip() for k, v in (ineligible or {}).items()}
    if any(not reason for reason in ineligible.values()):
        raise ValidationError({"ineligible": _("Give a reason for each nominee found ineligible.")})
    for reason in ineligible.values():
        limits.require_text("ineligible", reason, limits.SHORT_TEXT)
    with step_atomic():
        dossier = lock_dossier(dossier)
        _require_appraiser(actor, dossier, _("Only the standing body may accept this dossier."))
        require_transition(dossier.accept, doing=_("accepted"))
        nominees = current_nominees(dossier.pk)
        unknown = set(ineligible) - {n.pk for n in nominees}
        if unknown:
            raise ValidationError(
                {"ineligible": _("These nominees are not in the dossier: %s") % sorted(unknown)}
            )
        eligible = [n for n in nominees if n.pk not in ineligible]
        if not eligible:
            raise ValidationError(_("No nominee is eligible: reject the dossier instead, with reasons."))
        barred = [n for n in eligible if n.is_barred]
        if barred:
            raise ValidationError(
                [
                    _("%(name)s is under discipline, investigation or complaint: mark them ineligible.")
                    % {"name": n}
                    for n in barred
                ]
            )
        for n in nominees:
            n.outcome = O.INELIGIBLE if n.pk in ineligible else O.ELIGIBLE
        Nominee.objects.bulk_update(nominees, ["outcome"])

        notice_days = max(n.rule.public_notice_days for n in eligible)
        if notice_days:
            today = timezone.localdate()
            PublicNotice.objects.create(
                dossier=dossier,
                starts_on=today,
                ends_on=WorkingCalendar().add_working_days(today, notice_days),
            )
            dossier.accept(S.PUBLIC_NOTICE)
        else:
            dossier.accept(_after_notice(eligible))
        save_dossier(
            dossier,
            ["state"],
            event=audit.event(
                actor=actor,
                action="dossier.accept",
                target=dossier,
                data={
                    "eligible": [n.pk for n in eligible],
                    "ineligible": {str(k): v for k, v in ineligible.items()},
                    "next": dossier.state,
                },
            ),
        )
    return dossier


# --- public notice ----------------------------------------------------------------------------


def objection_lodge(*, actor, dossier, text, nominee=None) -> Objection:
    """Anyone in scope may object while the nominee list is publicly noticed."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the objection.")})
    limits.require_text("text", text, limits.TEXT)
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        _require(
            permissions.can_object(actor, dossier),
            _("Inspectors read the record and change nothing: they do not lodge objections.")
            if permissions.can_view_dossier(actor, dossier)
            else _("You may not see this dossier."),
        )
        require_transition(dossier.lodge_objection, doing=_("objected to"))
        if nominee is not None and nominee.dossier_id != dossier.pk:
            raise ValidationError({"nominee": _("This nominee is not in the dossier.")})
        dossier.lodge_objection()
        objection = Objection.objects.create(dossier=dossier, nominee=nominee, text=text, lodged_by=actor)
        audit.record(
            actor=actor,
            action="objection.lodge",
            target=objection,
            data={"dossier_id": dossier.pk, "nominee_id": nominee.pk if nominee else None, "text": text},
        )
    return objection


def objection_resolve(*, actor, objection, resolution) -> Objection:
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how the objection was resolved.")})
    limits.require_text("resolution", resolution, limits.TEXT)
    with transaction.atomic():
        dossier = lock_dossier(objection.dossier)
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        _require_appraiser(actor, dossier, _("Only the standing body may resolve objections."))
        if objection.resolved_at:
            raise TransitionNotAllowed(_("This objection has already been resolved."))
        objection.resolution, objection.resolved_by, objection.resolved_at = resolution, actor, timezone.now()
        objection.save()
        audit.record(
            actor=actor,
            action="objection.resolve",
            target=objection,
            data={"dossier_id": dossier.pk, "resolution": resolution},
        )
    return objection


def notice_close(*, actor, dossier) -> Dossier:
    """End the public notice once its period has run and every objection is resolved."""
    with step_atomic():
        dossier = lock_dossier(dossier)
        _require_appraiser(actor, dossier, _("Only the standing body may close the public notice."))
        require_transition(dossier.close_public_notice, doing=_("taken out of public notice"))
        # One read: the notice, its open objections and where its nominees go next. The dossier's
        # row lock, taken by an earlier statement, is what every objection takes before it is
        # lodged (objection_lodge, notice_services.objection_lodge_public), so this statement's
        # snapshot, taken after the lock was granted, sees every objection there is.
        notice = PublicNotice.objects.annotate(
            open_objections=Count(
                "dossier__objections", filter=Q(dossier__objections__resolved_at__isnull=True)
            ),
            needs_council=Exists(
                Nominee.objects.current().filter(
                    dossier_id=OuterRef("dossier_id"), outcome=O.ELIGIBLE, rule__simplified=False
                )
            ),
        ).get(dossier=dossier)
        problems = []
        if timezone.localdate() <= notice.ends_on:
            problems.append(
                _("The public notice runs until %(date)s.") % {"date": date_format(notice.ends_on, "d/m/Y")}
            )
        if notice.open_objections:
            problems.append(_("%(n)d objection(s) are not resolved yet.") % {"n": notice.open_objections})
        if problems:
            raise ValidationError(problems)
        notice.closed_at = timezone.now()
        notice.save(update_fields=["closed_at"])
        # As _after_notice: the council unless every eligible nominee's award is simplified.
        dossier.close_public_notice(S.IN_COUNCIL if notice.needs_council else S.AWAITING_DECISION)
        save_dossier(
            dossier,
            ["state"],
            event=audit.event(
                actor=actor, action="dossier.notice_close", target=dossier, data={"next": dossier.state}
            ),
        )
    return dossier


# --- the council's hand-off -------------------------------------------------------------------


def passes_threshold(rule, votes_for: int, members_total: int) -> bool:
    """Thresholds count ALL members of the council, not only those present (DOMAIN.md, step 5)."""
    if rule.threshold_kind == ThresholdKind.PERCENT:
        return votes_for * 100 >= rule.threshold_percent * members_total
    return votes_for * 2 > members_total


# The closed meeting whose results a hand-over is giving to its dossiers (workflows.council): read
# once under its row lock in the hand-over's transaction, for every dossier of its agenda.
_held_meeting: ContextVar[CouncilMeeting | None] = ContextVar("held_meeting", default=None)


def locked_meeting(meeting) -> CouncilMeeting:
    """The meeting (or its id) re-read under its row lock, with its council; the one a hand-over
    holds (`holding_meeting`) is that read already."""
    pk = getattr(meeting, "pk", meeting)
    held = _held_meeting.get()
    if held is not None and held.pk == pk:
        return held
    return _LOCKED_MEETING.get(meeting=pk)


_LOCKED_MEETING = PreparedRead(
    lambda *, meeting: (
        CouncilMeeting.objects.select_for_update(of=("self",))
        .select_related("council")
        .filter(pk=meeting)
        .order_by()
    ),
    arguments=("meeting",),
)


@contextmanager
def holding_meeting(meeting):
    """While the block runs, `locked_meeting` hands out this meeting as it is: the caller has
    just read it with `locked_meeting` in the transaction the block runs in."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a meeting is held only inside the transaction that read it")
    token = _held_meeting.set(meeting)
    try:
        yield
    finally:
        _held_meeting.reset(token)


def _eligible_on_agenda(*, dossier, meeting):
    return (
        Nominee.objects.current()
        .filter(dossier_id=dossier, outcome=O.ELIGIBLE)
        .annotate(
            item=FilteredRelation(
                "agenda_items",
                condition=Q(agenda_items__meeting_id=meeting, agenda_items__dossier_id=dossier),
            )
        )
        .annotate(
            item_id=F("item__id"),
            item_votes_for=F("item__votes_for"),
            item_votes_against=F("item__votes_against"),
            item_abstentions=F("item__abstentions"),
            item_result=F("item__result"),
        )
        .select_related("award_type", "rule")
        .order_by("pk")
    )


# A council's result reads it so, for each dossier of a meeting (org.prepared).
_ELIGIBLE_ON_AGENDA = PreparedRead(_eligible_on_agenda, arguments=("dossier", "meeting"))


def council_result_record(*, actor, dossier, meeting) -> Dossier:
    """Hand the council's result of `dossier` over to the workflow, from `meeting`: a CLOSED
    meeting of the council that handles the dossier, whose agenda holds every eligible nominee
    of the dossier. The numbers are that meeting's tally, re-read here from its agenda, out of the
    meeting's frozen number of ALL members; nothing typed in by hand is taken (DOMAIN.md, step 5:
    the council decides in a meeting with a quorum, thresholds over all its members).

    A nominee passes when the meeting judged it passed (its threshold, then the campaign's
    quotas) and the tally reaches the nominee's pinned threshold.
    """
    with step_atomic():
        dossier = lock_dossier(dossier)
        meeting = locked_meeting(meeting)
        _require(
            permissions.can_record_council_result(actor, dossier, meeting),
            _("Only the council's secretary, or the chairperson closing the meeting, may record its result."),
        )
        require_transition(dossier.record_council_result, doing=_("given a council result"))
        if meeting.council.unit_id != dossier.reviewing_unit_id:
            raise ValidationError(
                _("The meeting “%(meeting)s” is not a meeting of the council that handles this dossier.")
                % {"meeting": meeting}
            )
        if meeting.state != MeetingState.CLOSED or not meeting.members_total:
            raise TransitionNotAllowed(
                _("The council's result comes only from a closed meeting: “%(meeting)s” is not closed.")
                % {"meeting": meeting}
            )
        # The eligible nominees with their agenda item of this meeting, if any, in one read.
        eligible = _ELIGIBLE_ON_AGENDA.objects(dossier=dossier.pk, meeting=meeting.pk)
        errors = [
            _("%(name)s was not on the agenda of “%(meeting)s”.") % {"name": n, "meeting": meeting}
            for n in eligible
            if n.item_votes_for is None
        ]
        if not eligible or all(n.item_id is None for n in eligible):
            errors.append(
                _("“%(dossier)s” was not on the agenda of “%(meeting)s”.")
                % {"dossier": dossier, "meeting": meeting}
            )
        if errors:
            raise ValidationError(errors)
        total = meeting.members_total
        rows = []
        for n in eligible:
            votes = (n.item_votes_for, n.item_votes_against or 0, n.item_abstentions or 0)
            passed = n.item_result == AgendaResult.PASSED and passes_threshold(n.rule, votes[0], total)
            rows.append((n, votes, passed))
        event = audit.event(
            actor=actor,
            action="dossier.council_result",
            target=dossier,
            data={
                "meeting_id": meeting.pk,
                "results": {
                    str(n.pk): {"for": v[0], "against": v[1], "abstain": v[2], "of": total, "passed": p}
                    for n, v, p in rows
                },
            },
        )
        _write_council_result(
            dossier,
            [
                CouncilResult(
                    nominee=n,
                    votes_for=votes[0],
                    votes_against=votes[1],
                    abstentions=votes[2],
                    members_total=total,
                    passed=passed,
                    recorded_by=actor,
                )
                for n, votes, passed in rows
            ],
            [(n, passed) for n, _votes, passed in rows],
            event,
        )
    return dossier


def _write_council_result(dossier, results, outcomes, event) -> None:
    """The council's result rows, its nominees' outcomes (voted in or out) and the dossier's new
    state, then its `event`: on PostgreSQL in one statement (dossiers.services.save_dossiers)."""
    dossier.record_council_result()
    for nominee, passed in outcomes:
        nominee.outcome = O.VOTED_IN if passed else O.VOTED_OUT
    save_dossier(
        dossier,
        ["state"],
        inserts=[(CouncilResult, results)],
        updates=[statements.each_its_own(Nominee, "outcome", {n.pk: n.outcome for n, _passed in outcomes})],
        event=event,
    )


def opinion_give(*, actor, dossier, text, agrees=True) -> Opinion:
    """The vice-chair in charge gives a written opinion; the dossier then waits for the chair."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the opinion.")})
    limits.require_text("text", text, limits.TEXT)
    with step_atomic():
        dossier = lock_dossier(dossier)
        _require(
            permissions.can_give_opinion(actor, dossier),
            _("Only the vice-chair in charge may give this opinion."),
        )
        require_transition(dossier.give_opinion, doing=_("given an opinion"))
        opinion = Opinion(dossier=dossier, author=actor, text=text, agrees=agrees)
        dossier.give_opinion()
        save_dossier(
            dossier,
            ["state"],
            inserts=[(Opinion, [opinion])],  # in the dossier's statement
            event=audit.event(
                actor=actor, action="dossier.opinion", target=dossier, data={"text": text, "agrees": agrees}
            ),
        )
    return opinion


# --- decisions --------------------------------------------------------------------------------


# The central level (state honours) is above every unit: no chair of the engine decides them; a
# province proposes them upward (honours).
LEVEL_RANK = {CENTRAL_LEVEL: 3, UnitLevel.PROVINCE: 2, UnitLevel.DEPARTMENT: 1, UnitLevel.COMMUNE: 1}


def decides_here(rule, unit) -> bool:
    """Can `unit`'s chair decide this award, or must it go up (trình cấp trên)?"""
    return LEVEL_RANK.get(unit.level, 0) >= LEVEL_RANK.get(rule.deciding_level, 0)


def cash_amount(*, nominee, rule, base_salary: int) -> int:
    """Base salary × the award's coefficient (household 1.5× the individual's), rounded UP to the
    next 10,000 đồng (ND 152/2025)."""
    if nominee.kind == NomineeKind.COLLECTIVE:
        coefficient = rule.cash_collective
    else:
        coefficient = rule.cash_individual * (Decimal("1.5") if nominee.kind == NomineeKind.HOUSEHOLD else 1)
    exact = Decimal(base_salary) * coefficient
    return int(math.ceil(exact / 10_000) * 10_000)


# Every decision asks for it: compiled once a day (org.prepared).
_BASE_SALARY = PreparedRead(
    lambda day: BaseSalary.objects.in_force_on(day).order_by("-valid_from", "-pk")[:1], arguments=()
)


def base_salary_on(day, stamp=None) -> int:
    """The base salary in force on `day`; unread when the process keeps it under the rulebook's
    `stamp` (dossiers.rulebook)."""
    amount = rulebook.kept(stamp, ("base salary", day), lambda: _read_base_salary(day))
    if amount is None:
        raise ValidationError(
            _("No base salary is in force on %(date)s.") % {"date": date_format(day, "d/m/Y")}
        )
    return amount


def _read_base_salary(day) -> int | None:
    found = _BASE_SALARY.objects(key=(day,))
    return found[0].amount if found else None


def _numbered_decision(*, issuer, on, subject, actor, **fields) -> Decision:
    """A new decision numbered from its issuer's register of outgoing documents for the year
    (org.register_numbers.register_take: the register is locked until this transaction ends, so
    two chairs signing at once never get the same number and a rollback leaves no gap). The
    decision is created with its number, then the register's entry, already linked to it."""
    made = []

    def create(number):
        made.append(
            Decision.objects.create(
                issuer=issuer, year=on.year, number=number, signed_on=on, signed_by=actor, **fields
            )
        )
        return made[0]

    register_take(**_in_register(issuer, on, subject, actor), target=create)
    return made[0]


def _in_register(issuer, on, subject, actor) -> dict:
    """Where a decision of `issuer` dated `on` takes its number: its register for the year."""
    return {
        "unit": issuer,
        "year": on.year,
        "symbol": f"QĐ-{issuer.code}",
        "subject": subject,
        "on": on,
        "actor": actor,
    }


def _numbered_decision_unwritten(*, issuer, on, subject, actor, **fields) -> tuple[Decision, list]:
    """`_numbered_decision` for a caller that writes the decision and its register entry in its
    own statement (PostgreSQL, org.statements): the number taken and the decision's id reserved
    in one round trip (org.register_numbers.register_reserve). Returns the decision, unsaved with
    its id and number, and the inserts [(model, objects)] that write it and its entry."""
    entry = register_reserve(**_in_register(issuer, on, subject, actor), model=Decision)
    decision = Decision(
        pk=int(entry.object_id),
        issuer=issuer,
        year=on.year,
        number=entry.number,
        signed_on=on,
        signed_by=actor,
        **fields,
    )
    return decision, [(Decision, [decision]), (RegisterEntry, [entry])]


def _awardees_of(dossiers) -> list[tuple]:
    """(dossier, nominee) of every nominee the dossiers propose for an award, in the dossiers'
    order then the nominees': one query whatever the number of dossiers, with the rulebook's
    stamp (the base salary may then come unread)."""
    by_pk = {d.pk: d for d in dossiers}
    if len(by_pk) == 1:  # a decision of one dossier, the common case: a read compiled once
        nominees = current_nominees(dossiers[0].pk, O.VOTED_IN, O.ELIGIBLE, stamped=True)
    else:
        nominees = current_nominees_query((O.VOTED_IN, O.ELIGIBLE), stamped=True, dossier__in=list(by_pk))
    found = {pk: [] for pk in by_pk}
    for n in nominees:
        n.dossier = by_pk[n.dossier_id]
        found[n.dossier_id].append(n)
    return [(d, n) for d in dossiers for n in found[d.pk]]


# --- several titles for the same period pay only the highest ------------------------------------


def _period(nominee):
    campaign = nominee.dossier.campaign
    return campaign.period_start, campaign.period_end


def _overlap(a, b) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _folded(text) -> str:
    return " ".join((text or "").split()).casefold()


def same_nominee(a, b) -> bool:
    """Are two nominees the same person or collective? A collective is the unit it is
    (`collective_unit`); a person is, in this order, the account (`person`), the ID number, or the
    name with the date of birth: the first of these that both carry decides. Nothing in common
    (e.g. two names without a date of birth) is not enough to say they are the same."""
    collective_a, collective_b = a.kind == NomineeKind.COLLECTIVE, b.kind == NomineeKind.COLLECTIVE
    if collective_a or collective_b:
        return (
            collective_a
            and collective_b
            and bool(a.collective_unit_id)
            and (a.collective_unit_id == b.collective_unit_id)
        )
    for key in (
        lambda n: n.person_id,
        lambda n: (n.id_number or "").strip(),
        lambda n: (_folded(n.name), n.date_of_birth) if n.date_of_birth else None,
    ):
        ka, kb = key(a), key(b)
        if ka and kb:
            return ka == kb
    return False


def _held_awards(nominees) -> list:
    """Awards already decided (not revoked) that may be held by one of `nominees` for an
    overlapping period: one query, matched precisely by same_nominee afterwards."""
    persons = {n.person_id for n in nominees if n.person_id}
    ids = {(n.id_number or "").strip() for n in nominees if (n.id_number or "").strip()}
    units = {
        n.collective_unit_id for n in nominees if n.kind == NomineeKind.COLLECTIVE and n.collective_unit_id
    }
    names = {n.name for n in nominees if n.date_of_birth}
    who = Q(pk__in=[])
    if persons:
        who |= Q(nominee__person_id__in=persons)
    if ids:
        who |= Q(nominee__id_number__in=ids)
    if units:
        who |= Q(nominee__collective_unit_id__in=units)
    if names:
        who |= Q(nominee__name__in=names, nominee__date_of_birth__isnull=False)
    if not (persons or ids or units or names):
        return []
    periods = [_period(n) for n in nominees]
    return list(
        Award.objects.filter(who, revoked_by__isnull=True)
        .filter(
            nominee__dossier__campaign__period_start__lte=max(p[1] for p in periods),
            nominee__dossier__campaign__period_end__gte=min(p[0] for p in periods),
        )
        .exclude(nominee__in=[n.pk for n in nominees])
        .select_related("nominee__dossier__campaign", "nominee__award_type", "decision__issuer")
    )


@dataclass
class PlannedAward:
    """One awardee of a decision about to be signed: its award's own cash (`full`), what it is
    paid (`amount`: the highest only) and the award that pays for it when that is less
    (`covered_by`: an award already held, or another PlannedAward of the same decision)."""

    dossier: Dossier
    nominee: Nominee
    full: int
    amount: int
    covered_by: object = None

    @property
    def cash_covered_by(self):
        return self.covered_by


def plan_awards(awardees, *, base_salary) -> list[PlannedAward]:
    """The cash of each awardee [(dossier, nominee)]: base salary × the award's coefficient, but a
    nominee who receives several titles for the same period (in this decision, or already held
    from an earlier one) is paid only the highest: the highest first, the others what is left
    above what is already paid for that period, so 0 when it is less (ND 152/2025; DOMAIN.md)."""
    for d, n in awardees:
        n.dossier = d  # its campaign gives the period, without a query per nominee
    planned = [
        PlannedAward(
            dossier=d,
            nominee=n,
            full=(f := cash_amount(nominee=n, rule=n.rule, base_salary=base_salary)),
            amount=f,
        )
        for d, n in awardees
    ]
    paid = list(_held_awards([p.nominee for p in planned])) if planned else []
    for p in sorted(planned, key=lambda p: (-p.full, p.nominee.pk)):
        period = _period(p.nominee)
        earlier = [
            x for x in paid if _overlap(_period(x.nominee), period) and same_nominee(x.nominee, p.nominee)
        ]
        if earlier:
            already = sum(x.amount for x in earlier)
            p.amount = max(p.full - already, 0)
            p.covered_by = max(earlier, key=lambda x: (getattr(x, "full", x.amount), x.amount))
        paid.append(p)
    return planned


def _require_one_batch(dossiers, issuer):
    """Every dossier of a decision awaits its decision at the same issuing body; each one that
    does not is named."""
    late = [d for d in dossiers if d.state != S.AWAITING_DECISION]
    if late:
        raise TransitionNotAllowed(
            " ".join(
                _("The %(dossier)s is “%(state)s”, not awaiting a decision.")
                % {"dossier": _dossier_label(d), "state": d.get_state_display()}
                for d in late
            )
        )
    others = [d for d in dossiers if d.reviewing_unit_id != issuer.pk]
    if others:
        raise ValidationError(
            [
                _(
                    "The %(dossier)s is decided by %(unit)s: a decision covers dossiers of one issuing body only."
                )
                % {"dossier": _dossier_label(d), "unit": d.reviewing_unit}
                for d in others
            ]
        )


def decision_capacity_check(actor, issuer, capacity) -> None:
    """The capacity in which the actor signs is one they may use (Decree 30/2020, Phụ lục I)."""
    allowed = permissions.decision_capacities(actor, issuer)
    if allowed and capacity not in allowed:
        labels = ", ".join(str(SignerCapacity(c).label) for c in allowed)
        raise ValidationError(
            {"capacity": _("You may sign this decision only as: %(allowed)s.") % {"allowed": labels}}
        )


def _dossier_label(dossier) -> str:
    return _("dossier “%(title)s” (no. %(pk)s)") % {"title": dossier.title, "pk": dossier.pk}


def decision_refusals(actor, dossiers, capacity="") -> None:
    """Why these dossiers cannot go into one decision signed by `actor`, each refusal naming the
    dossier that blocks: not theirs to decide (403), not awaiting a decision (409), another
    issuing body's (400). Raises the first kind found; nothing is written."""
    if not dossiers:
        raise ValidationError(_("Choose at least one dossier."))
    issuer = dossiers[0].reviewing_unit
    for d in dossiers:
        _require(
            permissions.can_decide(actor, d, capacity),
            _("Only the chair of %(unit)s may decide the %(dossier)s.")
            % {"unit": d.reviewing_unit, "dossier": _dossier_label(d)},
        )
    _require_one_batch(dossiers, issuer)
    decision_capacity_check(actor=actor, issuer=issuer, capacity=capacity)


def _awardee_problems(awardees, issuer) -> list[str]:
    problems = []
    for d, n in awardees:
        if not decides_here(n.rule, issuer):
            problems.append(
                _("“%(award)s” for %(name)s (%(dossier)s) is decided at a higher level: forward the dossier.")
                % {"award": n.award_type, "name": n, "dossier": _dossier_label(d)}
            )
        if n.is_barred:
            problems.append(
                _(
                    "%(name)s (%(dossier)s) is under discipline, investigation or complaint: no award may be given."
                )
                % {"name": n, "dossier": _dossier_label(d)}
            )
    if not awardees:
        problems.append(_("No nominee was approved: decline the dossier instead."))
    return problems


def decision_plan(*, dossiers, signed_on=None) -> dict:
    """What a decision on `dossiers` would award, for its preview (nothing is written, nothing
    locked): the awardees with their cash (highest only), the base salary and the problems that
    would refuse it."""
    day = signed_on or timezone.localdate()
    awardees = _awardees_of(sorted(dossiers, key=lambda d: d.pk))
    problems = []
    try:
        base = base_salary_on(day)
    except ValidationError as exc:
        base, problems = None, list(exc.messages)
    issuer = dossiers[0].reviewing_unit if dossiers else None
    if issuer is not None:
        problems += _awardee_problems(awardees, issuer)
    planned = plan_awards(awardees, base_salary=base) if base else []
    return {"day": day, "base_salary": base, "planned": planned, "problems": problems}


def decision_issue(
    *, actor, dossiers, title, signed_on=None, capacity="", draft=None, written=None
) -> Decision:
    """The chair signs ONE award decision covering the approved nominees of one or more dossiers
    of their body (usually all those of a campaign or a council meeting, with an annex); every
    dossier in it moves to decided, in one transaction.

    Refused, naming the dossier that blocks, when: it is not the actor's to decide; it is not
    awaiting decision; it is another body's; a nominee's award is decided at a higher level
    (forward it instead); a nominee is now under discipline, investigation or complaint (Luật
    TĐKT 2022: no award then); nobody is left to award; the signer uses a capacity that is not
    theirs (a chair signs in their own right or TM., a vice-chair KT.). A nominee with several
    titles for the same period is paid the highest only (plan_awards).

    `written(decision)`, when given, runs once the decision and its awards are written and before
    the audit chain is locked (a higher app's check of them, which may refuse: the fund's).
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the decision's subject.")})
    limits.require_text("title", title, limits.TITLE)
    with step_atomic():
        locked = [lock_dossier(d) for d in sorted({d.pk: d for d in dossiers}.values(), key=lambda d: d.pk)]
        decision_refusals(actor=actor, dossiers=locked, capacity=capacity)
        issuer = locked[0].reviewing_unit
        for d in locked:
            require_transition(d.decide, doing=_("decided"))
        if draft is not None:
            draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
            if draft.decision_id:
                raise TransitionNotAllowed(_("This draft has already been signed as a decision."))
        signed_on = signed_on or timezone.localdate()
        awardees = _awardees_of(locked)
        base = base_salary_on(signed_on, awardees[0][1].rulebook if awardees else None)
        problems = _awardee_problems(awardees, issuer)
        if problems:
            raise ValidationError(problems)
        planned = plan_awards(awardees, base_salary=base)
        numbered = {
            "issuer": issuer,
            "on": signed_on,
            "subject": title,
            "actor": actor,
            "kind": DecisionKind.AWARD,
            "title": title,
            "signer_capacity": capacity,
            "base_salary": base,
        }
        # In one statement with its links, awards and dossiers when it can (`_write_awarded`).
        together = statements.one_statement() and not any(
            isinstance(p.covered_by, PlannedAward) for p in planned
        )
        if together:
            decision, written_with = _numbered_decision_unwritten(**numbered)
        else:
            decision, written_with = _numbered_decision(**numbered), None
        for d in locked:
            d.decide()
        awards = _write_awarded(decision, locked, planned, [n.pk for _d, n in awardees], written_with)
        if draft is not None:
            DecisionDraft.objects.filter(pk=draft.pk).update(decision=decision)
        if written is not None:
            written(decision)
        roles = audit.actor_roles_of(actor)
        events = []
        for d in locked:
            events.append(
                {
                    "actor": actor,
                    "actor_roles": roles,
                    "action": "dossier.decide",
                    "target": d,
                    "data": {"decision_id": decision.pk, "symbol": decision.symbol},
                }
            )
        events.append(
            {
                "actor": actor,
                "actor_roles": roles,
                "action": "decision.issue",
                "target": decision,
                "data": {
                    "symbol": decision.symbol,
                    "signed_on": signed_on.isoformat(),
                    "capacity": capacity,
                    "base_salary": base,
                    "dossiers": [d.pk for d in locked],
                    "draft_id": draft.pk if draft is not None else None,
                    "awards": [
                        {
                            "nominee_id": a.nominee_id,
                            "amount": a.amount,
                            "cash_covered_by": a.cash_covered_by_id,
                        }
                        for a in awards
                    ],
                },
            }
        )
        # Every dossier's event and the decision's, in one append (two round trips, whatever
        # the number of dossiers).
        audit.record_many(events)
    return decision


def _write_awarded(decision, dossiers, planned, nominee_ids, decision_inserts=None) -> list[Award]:
    """A new decision's links to its dossiers, its awards, its nominees' outcome (awarded) and its
    dossiers' new state. The decision is new and unsigned: nothing to replace, nothing to ask.
    With `decision_inserts` (the decision and its register entry, not yet written:
    `_numbered_decision_unwritten`), all in one statement (dossiers.services.save_dossiers); the
    caller asks for that on PostgreSQL when no award's cash is covered by another award of this
    decision (that one is created first: it refers to it)."""
    links = [DecisionDossier(decision=decision, dossier=d) for d in dossiers]
    awarded = Nominee.objects.filter(pk__in=nominee_ids)
    if decision_inserts is None:
        DecisionDossier.objects.bulk_create(links, issuing=decision)
        awards = _create_awards(decision, planned)
        awarded.update(outcome=O.AWARDED)
        save_dossiers(dossiers, ["state"])
        return awards
    # Every row below belongs to the decision written with them: none of a signed one
    # (approvals.models.refuse_rows_of_signed has nothing to ask).
    awards = [
        Award(decision=decision, nominee=p.nominee, amount=p.amount, cash_covered_by=p.covered_by)
        for p in planned
    ]
    save_dossiers(
        dossiers,
        ["state"],
        inserts=[*decision_inserts, (DecisionDossier, links), (Award, awards)],
        updates=[(awarded, {"outcome": O.AWARDED})],
    )
    return sorted(awards, key=lambda a: a.nominee_id)


def _create_awards(decision, planned) -> list[Award]:
    """The awards in rounds: one whose cash another award of this decision covers is created
    after that one (it refers to it); one query per round, usually one or two."""
    made, pending = {}, list(planned)
    while pending:
        ready = [p for p in pending if not isinstance(p.covered_by, PlannedAward) or id(p.covered_by) in made]
        rows = [
            Award(
                decision=decision,
                nominee=p.nominee,
                amount=p.amount,
                cash_covered_by=made[id(p.covered_by)]
                if isinstance(p.covered_by, PlannedAward)
                else p.covered_by,
            )
            for p in ready
        ]
        for p, award in zip(ready, Award.objects.bulk_create(rows, issuing=decision), strict=True):
            made[id(p)] = award
        pending = [p for p in pending if id(p) not in made]
    return sorted(made.values(), key=lambda a: a.nominee_id)


def decision_draft_prepare(*, actor, dossiers, title) -> DecisionDraft:
    """The standing body prepares the decision its chair will sign: the dossiers (awaiting a
    decision at its body) and the subject. Nothing is decided; the chair opens the draft."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the decision's subject.")})
    limits.require_text("title", title, limits.TITLE)
    pks = sorted({d.pk for d in dossiers})
    if not pks:
        raise ValidationError(_("Choose at least one dossier."))
    with transaction.atomic():
        # As they are now (a draft names dossiers awaiting a decision, not as the caller saw them).
        dossiers = list(Dossier.objects.filter(pk__in=pks).select_related("reviewing_unit").order_by("pk"))
        issuer = dossiers[0].reviewing_unit
        for d in dossiers:
            _require(
                permissions.can_prepare_decision(actor, d.reviewing_unit),
                _("Only the standing body of %(unit)s may prepare a decision on the %(dossier)s.")
                % {"unit": d.reviewing_unit, "dossier": _dossier_label(d)},
            )
        _require_one_batch(dossiers, issuer)
        approved = Nominee.objects.current().filter(
            dossier__in=dossiers, outcome__in=(O.VOTED_IN, O.ELIGIBLE)
        )
        if not approved.exists():
            # The same refusal as the chair's preview and signature: nothing to decide on.
            raise ValidationError(_("No nominee was approved: decline the dossier instead."))
        draft = DecisionDraft.objects.create(issuer=issuer, title=title, prepared_by=actor)
        draft.dossiers.set(dossiers)
        audit.record(
            actor=actor,
            action="decision.draft_prepare",
            target=draft,
            data={"title": title, "issuer_id": issuer.pk, "dossiers": [d.pk for d in dossiers]},
        )
    return draft


def dossier_forward(*, actor, dossiers, title) -> Dossier:
    """The chair gathers the approved nominees of one or more dossiers (of several units, even of
    several campaigns, all handled here) into one new dossier with one tờ trình to the next level,
    which goes through appraisal, council and chair there. Each source dossier records where its
    nominees went; each upward nominee its source nominee; every file travels by reference (the
    same stored file and SHA-256, approvals.forwarding).

    Refused, with nothing created, when: a dossier is not awaiting a decision here or the actor
    is not its chair; the dossiers are handled by different bodies; there is no higher level;
    no nominee was approved; a nominee is under discipline, investigation or complaint; the
    upward dossier would miss a document its nominees' rules require (the same completeness
    check as a unit's submission), named per nominee with its unit and source dossier.
    The upward dossier belongs to the first campaign among the sources (by dossier id); every
    source dossier stays linked through `forwarded_to`.
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the forwarded dossier a title.")})
    limits.require_text("title", title, limits.TITLE)
    with step_atomic():
        locked = [lock_dossier(d) for d in sorted(dossiers, key=lambda d: d.pk)]
        if not locked:
            raise ValidationError(_("Choose at least one dossier."))
        here = locked[0].reviewing_unit
        for d in locked:
            _require(
                permissions.can_decide(actor, d),
                _("Only the chair of %(unit)s may forward this dossier.") % {"unit": d.reviewing_unit},
            )
            require_transition(d.forward, doing=_("forwarded"))
            if d.reviewing_unit_id != here.pk:
                raise ValidationError(_("Only dossiers handled by the same body can be forwarded together."))
        above = here.parent.deciding_unit() if here.parent_id else None
        if above is None:
            raise ValidationError(_("%(unit)s has no higher level to forward to.") % {"unit": here})
        nominees = forwarding.approved_nominees(locked)
        if not nominees:
            raise ValidationError(_("No nominee was approved: nothing to forward."))
        barred = [
            _("%(name)s is under discipline, investigation or complaint: it cannot be proposed.")
            % {"name": n}
            for n in nominees
            if n.is_barred
        ]
        if barred:
            raise ValidationError(barred)
        today = timezone.localdate()
        upward = Dossier.objects.create(
            unit=here,
            reviewing_unit=above,
            campaign=locked[0].campaign,
            title=title,
            procedure_kind=locked[0].procedure_kind,
            created_by=actor,
            is_upward=True,
            state=S.SUBMITTED,
            submitted_at=timezone.now(),
            submission_count=1,
            rules_date=min(d.rules_date or today for d in locked),
            unit_name_at_submission=here.name,
        )
        gathered = forwarding.gather_into(upward=upward, sources=locked, nominees=nominees)
        # The check runs on the dossier as created; a refusal rolls all of it back (no file was
        # written, so nothing is left behind).
        forwarding.require_complete(upward=upward, gathered=gathered)
        # Its tờ trình is the body's outgoing document: numbered from the body's register.
        register_take(
            unit=here,
            year=today.year,
            symbol=f"TTr-{here.code}",
            subject=title,
            on=today,
            actor=actor,
            target=upward,
        )
        for d in locked:
            d.forward()
            d.forwarded_to = upward
            save_dossier(
                d,
                ["state", "forwarded_to"],
                event=audit.event(
                    actor=actor,
                    action="dossier.forward",
                    target=d,
                    data={"to_dossier_id": upward.pk, "to_unit": above.name},
                ),
            )
        audit.record(
            actor=actor,
            action="dossier.create_upward",
            target=upward,
            data={
                "from_dossiers": [d.pk for d in locked],
                "reviewing_unit_id": above.pk,
                "nominees": [n.pk for n in nominees],
                "nominee_sources": {str(c.pk): n.pk for n, c in gathered.nominees},
                # Each file by reference: the upward row, the row it refers to, the same hash.
                "attachments": [
                    {
                        "id": a.pk,
                        "source_id": a.source_id,
                        "nominee_id": a.nominee_id,
                        "kind": a.kind.code,
                        "sha256": a.sha256,
                    }
                    for a in gathered.attachments
                ],
                "title": title,
            },
        )
    return upward


def dossier_decline(*, actor, dossier, reason) -> Dossier:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    with step_atomic():
        dossier = lock_dossier(dossier)
        _require(permissions.can_decide(actor, dossier), _("Only the chair may decline this dossier."))
        require_transition(dossier.decline, doing=_("declined"))
        dossier.decline()
        save_dossier(
            dossier,
            ["state"],
            event=audit.event(actor=actor, action="dossier.decline", target=dossier, data={"reason": reason}),
        )
    return dossier


# Days, from the revocation's signing, to return the cash and the certificate when the decision
# does not say otherwise.
REVOCATION_RETURN_DAYS = 30


def decision_revoke(*, actor, awards, reason, signed_on=None, capacity="", return_by=None) -> Decision:
    """Revoke awards (fraud, false papers, an unlawful procedure) by a NEW decision of the same
    issuer citing the original; the awards are marked revoked, nothing is deleted, and the cash and
    the certificate are to be returned by `return_by` (REVOCATION_RETURN_DAYS after signing unless given)
    (Luật TĐKT 2022)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    limits.require_text("reason", reason, limits.TEXT)
    with transaction.atomic():
        awards = list(
            Award.objects.select_for_update()
            .select_related("decision__issuer", "nominee")
            .filter(pk__in=[a.pk for a in awards])
        )
        if not awards:
            raise ValidationError(_("Choose the awards to revoke."))
        original = awards[0].decision
        if any(a.decision_id != original.pk for a in awards):
            raise ValidationError(_("Revoke the awards of one decision at a time."))
        some_dossier = original.dossiers.select_related("reviewing_unit").first()
        _require(
            some_dossier is not None and permissions.can_decide(actor, some_dossier, capacity),
            _("Only the authority that granted the award may revoke it."),
        )
        already = [a for a in awards if a.revoked_by_id]
        if already:
            raise TransitionNotAllowed(
                _("%(name)s's award is already revoked.") % {"name": already[0].nominee}
            )
        signed_on = signed_on or timezone.localdate()
        return_by = return_by or signed_on + dt.timedelta(days=REVOCATION_RETURN_DAYS)
        if return_by <= signed_on:
            raise ValidationError(
                {"return_by": _("The cash and the certificate are returned on a day after the decision.")}
            )
        issuer = original.issuer
        subject = _("Revoking awards of decision %(symbol)s") % {"symbol": original.symbol}
        revocation = _numbered_decision(
            issuer=issuer,
            on=signed_on,
            subject=subject,
            actor=actor,
            kind=DecisionKind.REVOCATION,
            title=subject,
            signer_capacity=capacity,
            revokes=original,
            reason=reason,
            return_by=return_by,
        )
        Award.objects.filter(pk__in=[a.pk for a in awards]).update(
            revoked_by=revocation, revoked_reason=reason
        )
        Nominee.objects.filter(pk__in=[a.nominee_id for a in awards]).update(outcome=O.REVOKED)
        audit.record(
            actor=actor,
            action="decision.revoke",
            target=revocation,
            data={
                "symbol": revocation.symbol,
                "revokes": original.symbol,
                "reason": reason,
                "awards": [a.pk for a in awards],
                "cash_to_recover": sum(a.amount for a in awards),
                "return_by": return_by.isoformat(),
            },
        )
    return revocation
