"""Legal grounds as the documents cite them ("Căn cứ …;"), in the order Vietnamese documents use.

The order (Decree 30/2020 practice): the law organising the issuing body (Luật Tổ chức chính quyền
địa phương) first, then laws, resolutions, decrees, circulars, then the directives, decisions, plans
and guidance of the bodies running the campaign; within a kind, by date of issue.
"""

import unicodedata
from collections.abc import Iterable

from django.db.models import Q

from .models import CampaignGround, LegalGround, LegalGroundKind, RuleGround

K = LegalGroundKind

# The words a citation names each kind with (document text: always Vietnamese).
KIND_WORDS = {
    K.LAW: "Luật",
    K.RESOLUTION: "Nghị quyết",
    K.DECREE: "Nghị định",
    K.CIRCULAR: "Thông tư",
    K.DIRECTIVE: "Chỉ thị",
    K.DECISION: "Quyết định",
    K.PLAN: "Kế hoạch",
    K.GUIDANCE: "Hướng dẫn",
    K.LETTER: "Công văn",
}
KIND_RANK = {kind: rank for rank, kind in enumerate(K)}


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", (text or "").strip())


def date_words(day) -> str:
    """ "ngày 05 tháng 02 năm 2026": a day below 10 and the months January and February take a
    leading zero (Decree 30/2020, Phụ lục I, mục II.5)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_title(ground) -> str:
    """ "Luật Thi đua, khen thưởng (2022)", "Nghị định số 152/2025/NĐ-CP": for lists and forms."""
    words = KIND_WORDS[ground.kind]
    if ground.kind == K.LAW:
        return f"{words} {_nfc(ground.subject)} ({ground.issued_on.year})"
    if ground.number:
        return f"{words} số {_nfc(ground.number)}"
    return f"{words} {date_words(ground.issued_on)}"


def reference(ground) -> str:
    """The ground as a sentence names it, without "Căn cứ" and the closing semicolon:
    "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022";
    "Nghị định số 152/2025/NĐ-CP ngày … của Chính phủ quy định chi tiết …"."""
    words = KIND_WORDS[ground.kind]
    subject = _nfc(ground.subject).rstrip(";.")
    if ground.kind == K.LAW:
        return f"{words} {subject} {date_words(ground.issued_on)}"
    parts = [words]
    if ground.number:
        parts.append(f"số {_nfc(ground.number)}")
    parts.append(date_words(ground.issued_on))
    if ground.issuer:
        parts.append(f"của {_nfc(ground.issuer)}")
    if subject:
        parts.append(subject)
    return " ".join(parts)


def citation(ground) -> str:
    """The full line a document prints: "Căn cứ <reference>;"."""
    return f"Căn cứ {reference(ground)};"


def citation_order(ground):
    return (not ground.organises_issuer, KIND_RANK[ground.kind], ground.issued_on, ground.pk or 0)


def ordered(grounds: Iterable[LegalGround]) -> list[LegalGround]:
    """`grounds` once each, in the order a document cites them."""
    unique = {g.pk: g for g in grounds}
    return sorted(unique.values(), key=citation_order)


def _ids(objs) -> list:
    return [o.pk if hasattr(o, "pk") else o for o in objs if o is not None]


def grounds_for(*, campaign=None, rules=(), on=None, campaigns=()) -> list[LegalGround]:
    """The legal grounds of a campaign (or `campaigns`) and of award rules, deduplicated and in
    citation order.

    With `on` (a date), the laws organising the issuing body in force that day are added: a
    decision of a People's Committee's chair cites Luật Tổ chức chính quyền địa phương first.
    """
    rule_ids = _ids(rules)
    campaign_ids = _ids([campaign, *campaigns])
    q = Q(pk__in=[])
    if rule_ids:
        q |= Q(pk__in=RuleGround.objects.filter(rule_id__in=rule_ids).values("ground_id"))
    if campaign_ids:
        q |= Q(pk__in=CampaignGround.objects.filter(campaign_id__in=campaign_ids).values("ground_id"))
    if on is not None:
        q |= Q(pk__in=LegalGround.objects.in_force_on(on).filter(organises_issuer=True).values("pk"))
    return ordered(LegalGround.objects.filter(q))


def citations(*, campaign=None, rules=(), on=None, campaigns=(), extra=()) -> list[str]:
    """The "Căn cứ …;" lines of a document: the grounds as data (`grounds_for`), then, for a rule
    or a campaign that has no ground rows yet, its free-text legal basis (one line per item, a
    number already cited by a ground left out), then `extra` lines (e.g. the decision a
    revocation cites), each once."""
    rules = list({r.pk: r for r in rules if r is not None}.values())
    campaigns = list({c.pk: c for c in [campaign, *campaigns] if c is not None}.values())
    grounds = grounds_for(rules=rules, campaigns=campaigns, on=on)
    lines = [g.citation for g in grounds]
    ruled = set(RuleGround.objects.filter(rule__in=rules).values_list("rule_id", flat=True))
    grounded = set(
        CampaignGround.objects.filter(campaign__in=campaigns).values_list("campaign_id", flat=True)
    )
    texts = [r.legal_basis for r in rules if r.pk not in ruled]
    texts += [c.legal_basis for c in campaigns if c.pk not in grounded]
    known = {_nfc(g.number).lower() for g in grounds if g.number}
    for text in texts:
        for item in (text or "").split(";"):
            item = _nfc(item).rstrip(".")
            if item and not any(number in item.lower() for number in known):
                lines.append(f"Căn cứ {item};")
    lines += [f"Căn cứ {_nfc(x).rstrip(';.')};" for x in extra]
    return list(dict.fromkeys(lines))
