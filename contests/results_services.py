"""Every write of a contest's results: the ranking, a tie the organiser resolves, and the results
decision (prepared by the organiser, signed by the organising unit's head, issued by its records
office). Seed 002: Kế hoạch 4979/KH-SNV-CĐVC, mục III.5 (prizes by rank, Giấy khen of Sở Nội vụ).

Each service is one transaction: it locks the contest, checks the person, the state and the
rule on the server, and records its audit event. The decision is an approvals.Decision of the
organising unit, numbered from its register of outgoing documents (org.register_numbers) and
rendered, signed and issued by documents' own services: documents reaches back here only through
settings.DOCUMENTS_DECISION_PROVIDERS (contests.results_documents), never by an import.
"""

from collections import defaultdict
from contextlib import nullcontext
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.models import Decision, DecisionKind
from audit import services as audit
from documents import contexts as dc
from documents import rendering
from documents import services as documents
from documents.formatting import authority_line, date_line, nfc, place_date
from documents.models import GeneratedDocument, GeneratedKind
from org import limits
from org.errors import TransitionNotAllowed
from org.models import RegisterEntry, RegisterSeries
from org.register_numbers import register_attach, register_take

from . import ranking
from . import results_permissions as perms
from .models import (
    Contest,
    ContestCertificates,
    ContestProcess,
    ContestState,
    Criterion,
    EntrantKind,
    EntryState,
    Placing,
    Prize,
    Round,
    RoundKind,
    Score,
)
from .round_services import completing_ranking

S = ContestState
TWO_PLACES = Decimal("0.01")
KIND_ORDER = (EntrantKind.COLLECTIVE, EntrantKind.INDIVIDUAL)  # the annex: I. Tập thể, II. Cá nhân


def _locked(contest) -> Contest:
    return Contest.objects.select_for_update(of=("self",)).select_related("organizer").get(pk=contest.pk)


def _require_state(contest, *states, doing):
    if contest.state not in states:
        raise TransitionNotAllowed(
            _("The contest is “%(state)s”: it cannot be %(doing)s now.")
            % {"state": contest.get_state_display(), "doing": doing}
        )


def _mean(values) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _final_round(contest):
    return Round.objects.filter(contest=contest, kind=RoundKind.FINAL).first()


def compute(contest) -> dict:
    """The ranking of each entrant kind from the finalists' scores, the prize structure, the tie
    rule and the organiser's resolutions already recorded on the placings: {kind: Ranking}."""
    entries = list(contest.entries.filter(state=EntryState.FINALIST).order_by("pk"))
    missing = [e.title for e in entries if e.final_score is None]
    if missing:
        raise ValidationError(
            _("These finalists have no final score yet: %(titles)s.") % {"titles": "; ".join(missing)}
        )
    criteria = [
        ranking.CriterionWeight(key=c.pk, weight=c.weight, position=c.position)
        for c in Criterion.objects.filter(contest=contest, round=RoundKind.FINAL)
    ]
    per_criterion = defaultdict(list)
    final_round = _final_round(contest)
    if final_round is not None:
        for entry_id, criterion_id, value in Score.objects.filter(round=final_round).values_list(
            "entry_id", "criterion_id", "value"
        ):
            per_criterion[(entry_id, criterion_id)].append(value)
    resolutions = {
        p.entry_id: (p.tie_seat, p.tie_reason)
        for p in Placing.objects.filter(contest=contest, tie_seat__isnull=False)
    }
    prizes = defaultdict(list)
    for prize in Prize.objects.filter(contest=contest):
        prizes[prize.entrant_kind].append(
            ranking.PrizeLevel(
                key=prize.pk, position=prize.position, count=prize.count, amount=prize.amount, name=prize.name
            )
        )
    result = {}
    for kind in KIND_ORDER:
        candidates = [
            ranking.Candidate(
                key=e.pk,
                score=e.final_score,
                appraisal_score=e.appraisal_score,
                criteria={
                    c.key: _mean(per_criterion[(e.pk, c.key)])
                    for c in criteria
                    if per_criterion.get((e.pk, c.key))
                },
            )
            for e in entries
            if e.entrant_kind == kind
        ]
        result[kind] = ranking.rank(candidates, prizes[kind], contest.tie_rule, criteria, resolutions)
    return result


def _write_placings(contest, computed) -> list[Placing]:
    """Write the placings the ranking gives (create or update, one row per finalist)."""
    existing = {p.entry_id: p for p in Placing.objects.filter(contest=contest)}
    created, changed = [], []
    for kind in KIND_ORDER:
        for placed in computed[kind].placed:
            values = {
                "rank": placed.rank,
                "prize_id": placed.prize.key if placed.prize else None,
                "amount": placed.amount,
                "tie_note": placed.tie_note[: limits.TITLE],
                "tie_unresolved": placed.unresolved,
            }
            row = existing.get(placed.key)
            if row is None:
                created.append(Placing(contest=contest, entry_id=placed.key, **values))
            else:
                for field, value in values.items():
                    setattr(row, field, value)
                changed.append(row)
    Placing.objects.bulk_create(created)
    if changed:
        Placing.objects.bulk_update(changed, ["rank", "prize_id", "amount", "tie_note", "tie_unresolved"])
    return created + changed


def _summary(computed) -> dict:
    return {
        "placings": [
            {
                "entry_id": p.key,
                "rank": p.rank,
                "prize_id": p.prize.key if p.prize else None,
                "amount": p.amount,
                "unresolved": p.unresolved,
            }
            for kind in KIND_ORDER
            for p in computed[kind].placed
        ],
        "unresolved": [list(t) for kind in KIND_ORDER for t in computed[kind].unresolved],
        "total": sum(computed[k].total for k in KIND_ORDER),
    }


def contest_rank(*, actor, contest) -> list[Placing]:
    """The organiser ranks the finalists once the final round has closed and gives the prizes
    (contests.ranking): one placing per finalist with its rank, prize, cash and how a tie was
    broken; the contest goes final → results. Ties the declared rule leaves open at a prize's
    line are recorded as such: the decision waits until the organiser resolves them."""
    with transaction.atomic():
        contest = _locked(contest)
        if not perms.can_rank(actor, contest):
            raise PermissionDenied(_("Only the organiser ranks the contest."))
        _require_state(contest, S.FINAL, doing=_("ranked"))
        final_round = _final_round(contest)
        if final_round is None or not final_round.is_closed:
            raise TransitionNotAllowed(_("The final round has not closed yet: its scores are not final."))
        computed = compute(contest)
        if not any(computed[k].placed for k in KIND_ORDER):
            raise ValidationError(_("The contest has no finalist to rank."))
        placings = _write_placings(contest, computed)
        contest.rank()
        contest.save(update_fields=["state"])
        audit.record(actor=actor, action="contest.rank", target=contest, data=_summary(computed))
    return placings


def contest_tie_resolve(*, actor, contest, entries, reason) -> list[Placing]:
    """The organiser resolves a tie the declared rule left open at a prize's line: the order of
    the tied entries (best first) and the reason, recorded (e.g. the jury's vote, a draw before
    the jury). Only entries tied with each other, all of them, and before the decision exists."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the tied entries are ordered this way.")})
    limits.require_text("reason", reason, limits.TITLE)
    order = [int(e.pk if hasattr(e, "pk") else e) for e in entries]
    if len(set(order)) != len(order) or len(order) < 2:
        raise ValidationError({"entries": _("Give each tied entry once, in the order decided.")})
    with transaction.atomic():
        contest = _locked(contest)
        if not perms.can_rank(actor, contest):
            raise PermissionDenied(_("Only the organiser resolves a tie."))
        _require_state(contest, S.RESULTS, doing=_("changed"))
        if contest.decision_id:
            raise TransitionNotAllowed(_("The results decision is prepared: the ranking no longer changes."))
        before = compute(contest)
        ties = [set(t) for k in KIND_ORDER for t in before[k].unresolved]
        if set(order) not in ties:
            raise ValidationError({"entries": _("These entries are not one open tie of the ranking.")})
        rows = list(Placing.objects.select_for_update().filter(contest=contest, entry_id__in=order))
        for row in rows:
            row.tie_seat, row.tie_reason = order.index(row.entry_id), reason
        Placing.objects.bulk_update(rows, ["tie_seat", "tie_reason"])
        computed = compute(contest)
        placings = _write_placings(contest, computed)
        audit.record(
            actor=actor,
            action="contest.tie_resolve",
            target=contest,
            data={"order": order, "reason": reason, **_summary(computed)},
        )
    return placings


def _flow_step(contest, actor):
    """The contest's flow leaves its last task ("Rank the entries and decide the results") to the
    results: preparing the decision completes it (contests.flows). A contest without a process
    (one recorded from outside the flow) has no task to complete."""
    if ContestProcess.objects.filter(contest=contest).exists():
        return completing_ranking(contest, actor)
    return nullcontext()


def default_title(contest) -> str:
    return f"Về việc khen thưởng các tập thể, cá nhân đạt giải {contest.name}"


def contest_decision_prepare(*, actor, contest, signer, title="", capacity="", signed_on=None) -> Decision:
    """The organiser prepares the results decision for the organising unit's head: a decision of
    the organising unit, numbered from its register of outgoing documents (the records office's
    number, Decree 30/2020, Article 15), with the annex of the prizes and their cash, rendered as
    a PDF for the signer to sign. Refused while a tie is open, twice, or for a signer who does not
    sign the unit's decisions in that capacity."""
    title = (title or "").strip() or default_title(contest)
    limits.require_text("title", title, limits.TITLE)
    with transaction.atomic():
        contest = _locked(contest)
        if not perms.can_prepare_decision(actor, contest):
            raise PermissionDenied(_("Only the organiser prepares the results decision."))
        _require_state(contest, S.RESULTS, doing=_("decided"))
        if contest.decision_id:
            raise TransitionNotAllowed(_("The results decision has already been prepared."))
        if Placing.objects.filter(contest=contest, tie_unresolved=True).exists():
            raise TransitionNotAllowed(_("A tie at a prize's line is still open: resolve it first."))
        if not Placing.objects.filter(contest=contest, prize__isnull=False).exists():
            raise ValidationError(_("No entry receives a prize: there is nothing to decide."))
        if signer is None or capacity not in perms.signs_for(signer, contest):
            raise ValidationError(
                {"signer": _("The signer must be the organising unit's head, in a capacity they sign in.")}
            )
        with _flow_step(contest, actor):
            decision = _prepare(actor, contest, signer, title, capacity, signed_on)
    return decision


def _prepare(actor, contest, signer, title, capacity, signed_on) -> Decision:
    """Number, create and render the decision, in the caller's transaction."""
    signed_on = signed_on or timezone.localdate()
    entry = register_take(
        unit=contest.organizer,
        year=signed_on.year,
        symbol=f"QĐ-{contest.organizer.code}",
        subject=title,
        on=signed_on,
        actor=actor,
    )
    decision = Decision.objects.create(
        issuer=contest.organizer,
        year=signed_on.year,
        number=entry.number,
        kind=DecisionKind.CONTEST,
        title=title,
        signed_on=signed_on,
        signed_by=signer,
        signer_capacity=capacity,
    )
    register_attach(target=decision, entry=entry)
    Contest.objects.filter(pk=contest.pk).update(decision=decision)
    contest.decision = decision
    total = sum(Placing.objects.filter(contest=contest).values_list("amount", flat=True))
    document = documents.document_render(actor=actor, kind=GeneratedKind.DECISION, subject=decision)
    audit.record(
        actor=actor,
        action="contest.decision_prepare",
        target=contest,
        data={
            "decision_id": decision.pk,
            "symbol": decision.symbol,
            "signed_on": signed_on.isoformat(),
            "signer": signer.get_username(),
            "capacity": capacity,
            "total": total,
            "document_id": document.pk,
        },
    )
    return decision


def current_document(contest):
    """The decision's current PDF (its latest version), or None."""
    if not contest.decision_id:
        return None
    return (
        GeneratedDocument.objects.filter(
            decision_id=contest.decision_id, kind=GeneratedKind.DECISION, superseded_by__isnull=True
        )
        .order_by("-version")
        .first()
    )


def contest_decision_sign(*, actor, contest):
    """The organising unit's head signs the results decision digitally (documents.document_sign);
    with that signature the contest is decided (results → decided, audit `contest.decide`,
    recorded by on_signed below in the same transaction)."""
    with transaction.atomic():
        contest = _locked(contest)
        document = current_document(contest)
        if document is None:
            raise TransitionNotAllowed(_("The results decision has not been prepared yet."))
        return documents.document_sign(actor=actor, document=document)


def contest_decision_issue(*, actor, contest, acknowledge_overdraw=False):
    """The organising unit's records clerk issues the signed decision with the body's seal
    (documents.document_issue); from then on the results are public."""
    with transaction.atomic():
        contest = _locked(contest)
        document = current_document(contest)
        if document is None:
            raise TransitionNotAllowed(_("The results decision has not been prepared yet."))
        kwargs = {"acknowledge_overdraw": acknowledge_overdraw} if acknowledge_overdraw else {}
        return documents.document_issue(actor=actor, document=document, **kwargs)


# --- the prize winners' certificates (Giấy khen) -----------------------------------------------

CERTIFICATE_SYMBOL = "GK"


def is_issued(contest) -> bool:
    """The results decision is signed and issued with the body's seal (documents.issued)."""
    document = current_document(contest)
    return document is not None and documents.issued(document)


def certificate_number_for(placing, decision) -> str:
    """The Giấy khen's number in the issuing body's register of certificates ("01/GK"), taken the
    first time it is made (in that transaction) and kept for every later version: the register
    entry points at the placing, as an award's points at the award (documents.services)."""
    entry = RegisterEntry.objects.filter(
        register__series=RegisterSeries.CERTIFICATES,
        content_type=ContentType.objects.get_for_model(Placing),
        object_id=str(placing.pk),
    ).first()
    if entry is None:
        entry = register_take(
            unit=decision.issuer,
            year=decision.signed_on.year,
            symbol=CERTIFICATE_SYMBOL,
            subject=f"Giấy khen {placing.prize.name}: {placing.entry.entrant_name} ({decision.symbol})",
            on=decision.signed_on,
            actor=None,
            series=RegisterSeries.CERTIFICATES,
            target=placing,
        )
    return entry.document_number


def results_url(contest) -> str:
    """The public results page anyone opens to check a certificate (its QR code)."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse('public-contest-results', args=[contest.pk])}"


def certificate_context(placing, contest, decision, number) -> dict:
    """One Giấy khen in the award certificates' layout (templates/documents/certificates.html):
    the same keys as documents.contexts.certificate_context, for a placing."""
    entry, issuer = placing.entry, decision.issuer
    name, unit = nfc(entry.entrant_name), nfc(entry.unit.name)
    url = results_url(contest)
    return {
        "authority": authority_line(issuer),
        "verb": "TẶNG",
        "title": "GIẤY KHEN",
        "long_title": False,
        "name": name,
        "honorific": "",
        "kind": entry.entrant_kind,
        "line": unit if unit != name else "",
        "reason": (
            f"Đã có thành tích đạt {nfc(placing.prize.name)} {nfc(contest.name)} "
            f"với sản phẩm dự thi “{nfc(entry.title)}”"
        ),
        "period": f"Năm {contest.year}",
        "decision_line": f"Quyết định số{dc.NBSP}{decision.symbol}",
        "decision_date": date_line(decision.signed_on),
        "register_line": f"Số:{dc.NBSP}{number}",
        "place_date": place_date(issuer.place_name or issuer.name, decision.signed_on),
        "signers": [dc._decision_signer(decision)],
        "code": "",
        "url": url,
    }


def certificates_html(contest) -> tuple[str, int]:
    """The HTML of every prize winner's Giấy khen (collectives first, in rank order), numbering
    those not numbered yet; in Vietnamese whatever the request's language."""
    decision = contest.decision
    placings = list(
        Placing.objects.filter(contest=contest, prize__isnull=False)
        .select_related("entry__unit", "prize")
        .order_by("entry__entrant_kind", "rank", "prize__position", "entry__title", "pk")
    )
    with translation.override("vi"):
        items = [
            certificate_context(p, contest, decision, certificate_number_for(p, decision)) for p in placings
        ]
        return documents.certificate_html(items), len(items)


def may_make_certificates(user, contest) -> bool:
    """The button: the organiser or the records clerk, once the decision is issued."""
    return perms.can_make_certificates(user, contest) and is_issued(contest)


def current_certificates(contest):
    return ContestCertificates.objects.filter(contest=contest).order_by("-version").first()


def contest_certificates_make(*, actor, contest) -> ContestCertificates:
    """The organiser or the records clerk makes the prize winners' Giấy khen of the organising
    body once the results decision is issued (Kế hoạch 4979/KH-SNV-CĐVC, III.5: the prizes come
    with the Giấy khen of Sở Nội vụ): one PDF, a page per prize, each numbered once from the
    body's register of certificates. The same data gives the existing PDF back; changed data
    makes a new version, the numbers kept."""
    with transaction.atomic():
        contest = _locked(contest)
        if not perms.can_make_certificates(actor, contest):
            raise PermissionDenied(_("Only the organiser or its records clerk makes the certificates."))
        if not is_issued(contest):
            raise TransitionNotAllowed(
                _("The results decision has not been issued yet: the certificates are made after it.")
            )
        contest.decision = Decision.objects.select_related("issuer", "signed_by").get(pk=contest.decision_id)
        html, count = certificates_html(contest)
        source = rendering.sha256(html)
        latest = current_certificates(contest)
        if latest is not None and latest.source_sha256 == source:
            return latest
        pdf = rendering.html_to_pdf(html)
        digest = rendering.sha256(pdf)
        made = ContestCertificates(
            contest=contest,
            version=(latest.version + 1) if latest else 1,
            sha256=digest,
            source_sha256=source,
            size=len(pdf),
            count=count,
            made_by=actor,
        )
        made.file.save("giay-khen.pdf", ContentFile(pdf), save=False)
        made.save()
        audit.record(
            actor=actor,
            action="contest.certificates",
            target=contest,
            data={
                "count": count,
                "sha256": digest,
                "version": made.version,
                "decision_id": contest.decision_id,
            },
        )
    return made
