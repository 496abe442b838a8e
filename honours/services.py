"""Writes of a province's proposal of state honours (khen cao): assemble, sign and submit, record
the central level's results, close. Each is one transaction that checks role and scope, state and
the business rules on the server, and ends with its audit event; a refusal changes nothing.

What a province office does (Luật Thi đua, khen thưởng 2022, Điều 79–80 and 84; Nghị định
152/2025/NĐ-CP): the dossiers proposing a state honour reach the province (a department's own, or
gathered up from the communes), are appraised by its standing body, publicly noticed for at least
10 working days, and voted on by the provincial council; the chair cannot decide them, so they
wait at the chair's (awaiting a decision). The standing body then assembles ONE submission to the
central level (Bộ Nội vụ, Ban Thi đua - Khen thưởng Trung ương) from the nominees so voted: a
tờ trình of the chair with the list in the Ministry's format and each nominee's dossier. The
chair signs it (the number and date come from the province's register of outgoing documents);
each source dossier is then forwarded (its workflow's decision step completed by the chair's
act). Months later the Prime Minister's or President's decision comes back, and the standing body
records each nominee's result: awarded (recorded in the award register, dossiers' recorded
awards, so history, eligibility and statistics see it) or not awarded, with the reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approvals.models import PublicNotice
from audit import services as audit
from dossiers import history_services
from dossiers.models import (
    CENTRAL_LEVEL,
    AwardRule,
    DossierState,
    NomineeKind,
    ProcedureKind,
)
from dossiers.models import Nominee as NomineeModel
from dossiers.services import _missing_documents as missing_documents
from dossiers.services import lock_dossier, require_transition, save_dossier
from org import limits
from org.calendar import WorkingCalendar
from org.errors import TransitionNotAllowed
from org.register_numbers import register_take

from . import permissions
from .models import HonoursProposal, NomineeResult, ProposalState, ProposedNominee
from .reference_data import LONG_SERVICE_AWARDS, RESISTANCE_AWARDS
from .selectors import APPROVED

P = ProposalState
# Award kinds that belong to one procedure kind (honours.reference_data).
AWARD_PROCEDURES = {
    **{code: (ProcedureKind.LONG_SERVICE, ProcedureKind.SENIORITY) for code in LONG_SERVICE_AWARDS},
    **{code: (ProcedureKind.RESISTANCE,) for code in RESISTANCE_AWARDS},
}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _text(name, value, limit, *, required_message=None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationError({name: required_message})
    limits.require_text(name, value, limit)
    return value


def _lock(proposal) -> HonoursProposal:
    return (
        HonoursProposal.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=getattr(proposal, "pk", proposal))
    )


def _require_state(proposal, *states, doing) -> None:
    if proposal.state not in states:
        raise TransitionNotAllowed(
            _("This proposal is “%(state)s”: it cannot be %(doing)s now.")
            % {"state": proposal.get_state_display(), "doing": doing}
        )


def proposal_create(*, actor, unit, year, title, central_body="", summary="") -> HonoursProposal:
    """The province's standing body opens a draft proposal for `year`."""
    title = _text("title", title, limits.TITLE, required_message=_("Give the proposal a title."))
    summary = _text("summary", summary, limits.TEXT)
    central_body = _text("central_body", central_body, limits.NAME)
    with transaction.atomic():
        _require(
            permissions.can_assemble(actor, unit),
            _("Only the standing body of a province may propose state honours."),
        )
        today = timezone.localdate()
        if not year or not (2000 <= int(year) <= today.year + 1):
            raise ValidationError({"year": _("Give the year the achievements are for.")})
        values = {"unit": unit, "year": int(year), "title": title, "summary": summary, "created_by": actor}
        if central_body:
            values["central_body"] = central_body
        proposal = HonoursProposal.objects.create(**values)
        audit.record(
            actor=actor,
            action="honours.proposal_create",
            target=proposal,
            data={"year": proposal.year, "title": title, "central_body": proposal.central_body},
        )
    return proposal


def notice_problem(nominee, calendar=None) -> str:
    """The public notice of at least the rule's working days (≥ 10 for state honours) must have run
    on the nominee's dossier, from the engine's own notice (approvals.PublicNotice)."""
    days = nominee.rule.public_notice_days
    if not days:
        return ""
    notice = PublicNotice.objects.filter(dossier_id=nominee.dossier_id).first()
    if notice is None:
        return _(
            "%(name)s: the list was never publicly noticed; state honours need %(days)d working days of public notice."
        ) % {"name": nominee.name, "days": days}
    calendar = calendar or WorkingCalendar()
    ran = calendar.working_days_between(notice.starts_on, notice.ends_on)
    if notice.closed_at is None or notice.ends_on >= timezone.localdate():
        return _("%(name)s: the public notice runs until %(date)s; it must have ended first.") % {
            "name": nominee.name,
            "date": date_format(notice.ends_on, "d/m/Y"),
        }
    if ran < days:
        return _(
            "%(name)s: the public notice ran %(ran)d working days; state honours need at least %(days)d."
        ) % {"name": nominee.name, "ran": ran, "days": days}
    return ""


def nominee_problems(proposal, nominee) -> list[str]:
    """Why `nominee` may not go into `proposal` (an empty list when it may)."""
    dossier = nominee.dossier
    if nominee.removed_at is not None:
        return [_("%(name)s was removed from its dossier.") % {"name": nominee.name}]
    if dossier.reviewing_unit_id != proposal.unit_id:
        return [
            _("%(name)s belongs to a dossier handled by %(unit)s, not by %(province)s.")
            % {"name": nominee.name, "unit": dossier.reviewing_unit, "province": proposal.unit}
        ]
    if dossier.state != DossierState.AWAITING_DECISION:
        return [
            _(
                "The dossier “%(dossier)s” is “%(state)s”: only a dossier the council voted on, waiting at the chair's, can be proposed."
            )
            % {"dossier": dossier.title, "state": dossier.get_state_display()}
        ]
    if nominee.outcome not in APPROVED:
        return [
            _("%(name)s is “%(outcome)s”: only a nominee the council approved can be proposed.")
            % {"name": nominee.name, "outcome": nominee.get_outcome_display()}
        ]
    if nominee.rule is None or nominee.rule.deciding_level != CENTRAL_LEVEL:
        return [
            _("%(award)s is decided at this level, not at the central level: it is not a state honour.")
            % {"award": nominee.award_type}
        ]
    if nominee.is_barred:
        return [
            _("%(name)s is under discipline, investigation or complaint: it cannot be proposed.")
            % {"name": nominee.name}
        ]
    allowed = AWARD_PROCEDURES.get(nominee.award_type.code)
    if allowed and dossier.procedure_kind not in allowed:
        return [
            _("%(award)s is proposed only in a dossier of the kind “%(kind)s”.")
            % {"award": nominee.award_type, "kind": ProcedureKind(allowed[0]).label}
        ]
    problems = []
    rule = AwardRule.objects.prefetch_related("ruledocument_set__kind").get(pk=nominee.rule_id)
    problems += missing_documents(dossier, [nominee], {nominee.pk: rule})
    notice = notice_problem(nominee)
    if notice:
        problems.append(notice)
    return problems


def proposal_nominee_add(*, actor, proposal, nominee) -> ProposedNominee:
    """Add one nominee of the province's dossiers to a draft proposal: each nominee once, only of
    a dossier at the chair's, approved by the council, for an award decided at the central level,
    with every document its rule requires and the public notice of ≥ 10 working days run."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _require(
            permissions.can_assemble(actor, proposal.unit),
            _("Only the province's standing body may assemble this proposal."),
        )
        _require_state(proposal, P.DRAFT, doing=_("changed"))
        nominee = NomineeModel.objects.select_related("dossier__reviewing_unit", "award_type", "rule").get(
            pk=getattr(nominee, "pk", nominee)
        )
        lock_dossier(nominee.dossier)
        taken = ProposedNominee.objects.filter(nominee=nominee).select_related("proposal").first()
        if taken is not None:
            raise ValidationError(
                _("%(name)s is already in the proposal “%(proposal)s”: a nominee is proposed once.")
                % {"name": nominee.name, "proposal": taken.proposal}
            )
        problems = nominee_problems(proposal, nominee)
        if problems:
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                entry = ProposedNominee.objects.create(proposal=proposal, nominee=nominee, added_by=actor)
        except IntegrityError:
            raise ValidationError(
                _("%(name)s was added to a proposal at the same moment: a nominee is proposed once.")
                % {"name": nominee.name}
            ) from None
        proposal.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="honours.nominee_add",
            target=proposal,
            data={
                "nominee_id": nominee.pk,
                "name": nominee.name,
                "award": nominee.award_type.code,
                "dossier_id": nominee.dossier_id,
            },
        )
    return entry


def proposal_nominee_remove(*, actor, entry) -> HonoursProposal:
    """Take a nominee out of a draft proposal (it may be proposed again later)."""
    with transaction.atomic():
        entry = ProposedNominee.objects.select_related("nominee").get(pk=getattr(entry, "pk", entry))
        proposal = _lock(entry.proposal_id)
        _require(
            permissions.can_assemble(actor, proposal.unit),
            _("Only the province's standing body may assemble this proposal."),
        )
        _require_state(proposal, P.DRAFT, doing=_("changed"))
        data = {"nominee_id": entry.nominee_id, "name": entry.nominee.name}
        entry.delete()
        proposal.save(update_fields=["updated_at"])
        audit.record(actor=actor, action="honours.nominee_remove", target=proposal, data=data)
    return proposal


def proposal_submit(*, actor, proposal, dispatch_date=None) -> HonoursProposal:
    """The province's chair signs the tờ trình and sends the proposal to the central level. Every
    nominee is checked again (a dossier may have moved since it was added); the tờ trình takes the
    next number of the province's register of outgoing documents (Nghị định 30/2020/NĐ-CP, Điều
    15); each source dossier is forwarded, its decision step completed by this act."""
    from workflows import services as workflow_services
    from workflows.flows import DossierFlow

    with transaction.atomic():
        proposal = _lock(proposal)
        _require(
            permissions.can_submit(actor, proposal.unit),
            _("Only the chair of %(unit)s may sign and submit this proposal.") % {"unit": proposal.unit},
        )
        _require_state(proposal, P.DRAFT, doing=_("signed and submitted"))
        today = timezone.localdate()
        day = dispatch_date or today
        if day > today:
            raise ValidationError({"dispatch_date": _("The date of the tờ trình cannot be in the future.")})
        entries = list(
            ProposedNominee.objects.filter(proposal=proposal).select_related(
                "nominee__dossier__reviewing_unit", "nominee__award_type", "nominee__rule"
            )
        )
        if not entries:
            raise ValidationError(_("Add at least one nominee before submitting."))
        sources = sorted(
            {e.nominee.dossier_id: e.nominee.dossier for e in entries}.values(), key=lambda d: d.pk
        )
        with workflow_services._completing(actor=actor, dossiers=sources, step=DossierFlow.decide):
            problems = []
            for entry in entries:
                entry.nominee.dossier = lock_dossier(entry.nominee.dossier)
                problems += nominee_problems(proposal, entry.nominee)
            if problems:
                raise ValidationError(problems)
            symbol = f"TTr-{proposal.unit.code}"
            number = register_take(
                unit=proposal.unit,
                year=day.year,
                symbol=symbol,
                subject=proposal.title,
                on=day,
                actor=actor,
                target=proposal,
            ).number
            proposal.dispatch_number = f"{number:02d}/{symbol}"
            proposal.dispatch_date = day
            proposal.state = P.SUBMITTED
            proposal.submitted_by = actor
            proposal.submitted_at = timezone.now()
            proposal.save(
                update_fields=[
                    "dispatch_number",
                    "dispatch_date",
                    "state",
                    "submitted_by",
                    "submitted_at",
                    "updated_at",
                ]
            )
            for dossier in {e.nominee.dossier.pk: e.nominee.dossier for e in entries}.values():
                require_transition(dossier.forward, doing=_("forwarded"))
                dossier.forward()
                save_dossier(dossier, ["state"])
                audit.record(
                    actor=actor,
                    action="honours.dossier_forward",
                    target=dossier,
                    data={
                        "proposal_id": proposal.pk,
                        "dispatch_number": proposal.dispatch_number,
                        "to": proposal.central_body,
                    },
                )
        audit.record(
            actor=actor,
            action="honours.proposal_submit",
            target=proposal,
            data={
                "dispatch_number": proposal.dispatch_number,
                "dispatch_date": day.isoformat(),
                "nominees": [e.nominee_id for e in entries],
                "dossiers": [d.pk for d in sources],
            },
        )
    return proposal


def _awardee_unit(nominee):
    """The unit the awardee belongs to: the collective itself, else the unit of the dossier it was
    first proposed in (the school, not the commune that forwarded it)."""
    if nominee.kind == NomineeKind.COLLECTIVE and nominee.collective_unit_id:
        return nominee.collective_unit
    first = nominee
    while first.source_id is not None:
        first = first.source
    return first.dossier.unit


def result_record(
    *, actor, entry, awarded, decision_number="", decision_date=None, issuer="", reason=""
) -> ProposedNominee:
    """Record the central level's result for one nominee of a submitted proposal. Awarded: the
    decision's number, date and issuer (Thủ tướng Chính phủ, Chủ tịch nước), and the award is
    recorded in the award register (dossiers.history_services.award_record_add), so the
    person's history and the statistics count it. Not awarded: the reason."""
    reason = _text("reason", reason, limits.SHORT_TEXT)
    with transaction.atomic():
        entry = ProposedNominee.objects.select_for_update(of=("self",)).get(pk=getattr(entry, "pk", entry))
        proposal = _lock(entry.proposal_id)
        _require(
            permissions.can_assemble(actor, proposal.unit),
            _("Only the province's standing body may record the results."),
        )
        _require_state(proposal, P.SUBMITTED, P.RESULTS_PARTIAL, doing=_("given results"))
        nominee = NomineeModel.objects.select_related(
            "award_type", "dossier__unit", "collective_unit", "source__dossier__unit"
        ).get(pk=entry.nominee_id)
        if entry.result != NomineeResult.PENDING:
            raise TransitionNotAllowed(
                _("The result of %(name)s is already recorded (%(result)s).")
                % {"name": nominee.name, "result": entry.get_result_display()}
            )
        if awarded:
            errors = {}
            if decision_date and proposal.dispatch_date and decision_date < proposal.dispatch_date:
                errors["decision_date"] = _(
                    "The decision cannot be dated before the tờ trình (%(date)s)."
                ) % {"date": date_format(proposal.dispatch_date, "d/m/Y")}
            if errors:
                raise ValidationError(errors)
            record = history_services.award_record_add(
                actor=actor,
                kind=NomineeKind.COLLECTIVE
                if nominee.kind == NomineeKind.COLLECTIVE
                else NomineeKind.INDIVIDUAL,
                unit=_awardee_unit(nominee),
                name=nominee.name,
                person=nominee.person,
                date_of_birth=nominee.date_of_birth,
                id_number=nominee.id_number,
                collective_unit=nominee.collective_unit if nominee.kind == NomineeKind.COLLECTIVE else None,
                award_type=nominee.award_type,
                year=proposal.year,
                decision_number=decision_number,
                decision_date=decision_date,
                issuer=issuer,
            )
            entry.result = NomineeResult.AWARDED
            entry.decision_number = record.decision_number
            entry.decision_date = record.decision_date
            entry.decision_issuer = record.issuer
            entry.award_record = record
        else:
            if not reason:
                raise ValidationError({"reason": _("Give the reason the nominee was not awarded.")})
            entry.result = NomineeResult.NOT_AWARDED
            entry.reason = reason
        entry.result_recorded_by = actor
        entry.result_recorded_at = timezone.now()
        entry.save()
        pending = ProposedNominee.objects.filter(proposal=proposal, result=NomineeResult.PENDING).exists()
        proposal.state = P.RESULTS_PARTIAL if pending else P.RESULTS_RECORDED
        proposal.save(update_fields=["state", "updated_at"])
        # The source dossier's timeline shows the result too: where its nominee went and what came back.
        audit.record(
            actor=actor,
            action="honours.nominee_result",
            target=nominee.dossier,
            data={
                "proposal_id": proposal.pk,
                "dispatch_number": proposal.dispatch_number,
                "nominee_id": nominee.pk,
                "name": nominee.name,
                "result": entry.result,
                "decision_number": entry.decision_number,
            },
        )
        audit.record(
            actor=actor,
            action="honours.result_record",
            target=proposal,
            data={
                "nominee_id": nominee.pk,
                "name": nominee.name,
                "result": entry.result,
                "decision_number": entry.decision_number,
                "decision_date": entry.decision_date.isoformat() if entry.decision_date else None,
                "issuer": entry.decision_issuer,
                "reason": entry.reason,
                "award_record_id": entry.award_record_id,
            },
        )
    return entry


def proposal_close(*, actor, proposal) -> HonoursProposal:
    """Close a proposal once every nominee's result is recorded."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _require(
            permissions.can_assemble(actor, proposal.unit),
            _("Only the province's standing body may close this proposal."),
        )
        _require_state(proposal, P.RESULTS_RECORDED, doing=_("closed (every result must be recorded first)"))
        proposal.state = P.CLOSED
        proposal.closed_at = timezone.now()
        proposal.save(update_fields=["state", "closed_at", "updated_at"])
        audit.record(actor=actor, action="honours.proposal_close", target=proposal, data={})
    return proposal


def proposal_document_render(*, actor, proposal, fmt) -> bytes:
    """The tờ trình with the list (PDF) or the list alone (xlsx), in the Ministry's format; every
    document generated is an audit event (DESIGN.md, "Audit trail")."""
    from documents.rendering import sha256

    from . import documents

    with transaction.atomic():
        _require(permissions.can_read(actor, proposal.unit), _("You may not read this proposal."))
        data = documents.proposal_pdf(proposal) if fmt == "pdf" else documents.proposal_xlsx(proposal)
        audit.record(
            actor=actor,
            action="honours.document_render",
            target=proposal,
            data={"format": fmt, "sha256": sha256(data), "size": len(data)},
        )
    return data
