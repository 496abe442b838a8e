"""The results decision of a contest as documents renders, guards and signs it: the provider named
in settings.DOCUMENTS_DECISION_PROVIDERS for DecisionKind.CONTEST (documents.providers).

The decision follows the award decision's Decree 30/2020 layout (templates/documents/decision.html):
the grounds cite the Law on Emulation and Commendation and the contest's plan (seed 002: Kế hoạch
số 4979/KH-SNV-CĐVC), Điều 1 awards the prizes with the Giấy khen of the organising unit, and the
annex lists I. Tập thể and II. Cá nhân with rank, prize, entry, entrant, unit and cash, and the
total in figures and in words. Like every document, it reads no clock and no active language.
"""

from django.utils.translation import gettext as _

from audit import services as audit
from documents import contexts as dc
from documents.formatting import body_text, money, money_words, nfc, subject_line
from org.errors import TransitionNotAllowed

from . import results_permissions as perms
from .models import Contest, ContestState, EntrantKind, Placing

TEMPLATE = "documents/contest_decision.html"
SECTIONS = [(EntrantKind.COLLECTIVE, "Tập thể"), (EntrantKind.INDIVIDUAL, "Cá nhân")]


def _contest(decision) -> Contest:
    return Contest.objects.select_related("organizer").get(decision=decision)


def annex_sections(placings) -> tuple[list, int, int]:
    """[(section)], prize count, total: only the placings that carry a prize."""
    sections, count, total = [], 0, 0
    for number, (kind, heading) in zip(dc.ROMAN, SECTIONS, strict=False):
        rows = [p for p in placings if p.entry.entrant_kind == kind and p.prize_id]
        if not rows:
            continue
        subtotal = sum(p.amount for p in rows)
        sections.append(
            {
                "number": number,
                "heading": heading,
                "rows": [
                    {
                        "number": i,
                        "rank": p.rank,
                        "prize": nfc(p.prize.name),
                        "title": nfc(p.entry.title),
                        "entrant": nfc(p.entry.entrant_name),
                        "unit": nfc(p.entry.unit.name),
                        "amount": money(p.amount),
                    }
                    for i, p in enumerate(rows, 1)
                ],
                "count": len(rows),
                "subtotal": money(subtotal),
            }
        )
        count, total = count + len(rows), total + subtotal
    return sections, count, total


def _numbered(sections) -> list:
    """The annex's sections numbered I, II in the order they appear."""
    for number, section in zip(dc.ROMAN, sections, strict=False):
        section["number"] = number
    return sections


def document(decision) -> tuple[str, dict]:
    contest = _contest(decision)
    placings = list(
        Placing.objects.filter(contest=contest, prize__isnull=False)
        .select_related("entry__unit", "prize")
        .order_by("entry__entrant_kind", "rank", "prize__position", "entry__title")
    )
    sections, count, total = annex_sections(placings)
    sections = _numbered(sections)
    issuer = decision.issuer
    offices = dc.decision_offices(issuer)
    plan = nfc(contest.plan_reference)
    grounds = [f"Căn cứ {dc.LAW_2022};"]
    grounds += [f"Căn cứ {nfc(line).rstrip(';.')};" for line in dc.split_items(contest.legal_basis)]
    if plan:
        grounds.append(f"Căn cứ Kế hoạch số {plan} về tổ chức {nfc(contest.name)};")
    grounds.append(f"Căn cứ kết quả chấm thi của Ban Giám khảo {nfc(contest.name)}.")
    collectives = sum(1 for p in placings if p.entry.entrant_kind == EntrantKind.COLLECTIVE)
    individuals = count - collectives
    whom = " và ".join(
        part
        for part in (
            f"{collectives:02d} tập thể" if collectives else "",
            f"{individuals:02d} cá nhân" if individuals else "",
        )
        if part
    )
    reference = dc.decision_reference(decision)
    context = dc._decision_header(decision, subject_line(decision.title))
    context.update(
        {
            "grounds": grounds,
            "consideration": f"Xét đề nghị của Ban Tổ chức {nfc(contest.name)}.",
            "articles": [
                (
                    f"Tặng Giấy khen của {body_text(issuer)} và tiền thưởng cho {whom} đạt giải "
                    f"{nfc(contest.name)} (có danh sách kèm theo)."
                ),
                (
                    f"Tổng số tiền thưởng: {money(total)} đồng (Bằng chữ: {money_words(total)}), chi từ "
                    f"kinh phí tổ chức Hội thi theo Kế hoạch số {plan or '…'}; "
                    f"{offices['finance_office']} có trách nhiệm cấp phát tiền thưởng cho các tập thể, "
                    "cá nhân có tên tại Điều 1."
                ),
                "Quyết định này có hiệu lực kể từ ngày ký.",
                (
                    f"{dc.head_of(offices['office'])}, Trưởng Ban Tổ chức Hội thi và các tập thể, cá nhân "
                    "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
                ),
            ],
            "recipients": ["Như Điều 4", f"Lưu: VT, {offices['drafting_abbr']}"],
            "signers": [dc._decision_signer(decision)],
            "annex": {
                "title": "DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN ĐẠT GIẢI",
                "subtitle": nfc(contest.name),
                "reference": f"(Kèm theo {reference})",
                "sections": sections,
                "count": count,
                "total": money(total),
                "total_words": money_words(total),
            },
        }
    )
    return TEMPLATE, context


def can_view(user, decision) -> bool:
    contest = _contest(decision)
    return perms.can_view_results(user, contest)


def can_render(user, decision) -> bool:
    contest = _contest(decision)
    return perms.can_prepare_decision(user, contest) or user.pk == decision.signed_by_id


def signing_refusal(user, decision, capacity) -> str:
    contest = _contest(decision)
    if user.pk != decision.signed_by_id:
        return _("The decision names another signer: %(name)s.") % {"name": decision.signed_by}
    if capacity != decision.signer_capacity:
        return _("The decision is signed in the capacity it states, not another.")
    if capacity not in perms.signs_for(user, contest):
        return _("Only the organising unit's head (or a deputy on their behalf) signs this decision.")
    return ""


def on_signed(*, actor, decision) -> None:
    """Called by documents.document_sign, in its transaction, when the results decision receives
    its signer's signature: the contest goes results → decided (audit `contest.decide`)."""
    contest = Contest.objects.select_for_update(of=("self",)).get(decision=decision)
    if contest.state != ContestState.RESULTS:
        raise TransitionNotAllowed(
            _("The contest is “%(state)s”: it cannot be decided now.")
            % {"state": contest.get_state_display()}
        )
    contest.decide()
    contest.save(update_fields=["state"])
    audit.record(
        actor=actor,
        action="contest.decide",
        target=contest,
        data={"decision_id": decision.pk, "symbol": decision.symbol},
    )


def on_issued(*, actor, decision) -> None:
    """Issuing adds the seal and nothing else: the public results read the issued state."""
