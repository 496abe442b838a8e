"""Recognised initiatives in a person's history, and as the certification a Chiến sĩ thi đua
needs (the `sang-kien` document of dossiers.reference_data).

dossiers sits below this app and never imports it: the history source is registered when this
app loads (dossiers.history.register_history_source), and the documents check asks
settings.DOCUMENT_EVIDENCE_RESOLVER, which names `certifying_initiatives` below.
"""

from django.db.models import Q

from dossiers.history import HistoryEntry, Identity, clean_name, identity_of, register_history_source

from .models import InitiativeAuthor, InitiativeRecognition

# The document kind a recognised initiative stands for (dossiers/reference_data.py).
INITIATIVE_DOCUMENT = "sang-kien"


def author_q(identity: Identity, prefix: str = "initiative__authors__") -> Q | None:
    """Recognitions whose initiative has this person among its authors: the person in the
    system; else the exact name and date of birth (on an author not linked to another person,
    when the person is known), as dossiers.history.identity_q matches awards."""
    if identity.is_empty() or identity.is_collective:
        return None
    p = prefix
    match = Q(pk__in=[])
    if identity.person_id:
        match |= Q(**{f"{p}person_id": identity.person_id})
    if identity.name and identity.date_of_birth:
        not_other = Q()
        if identity.person_id:
            not_other = Q(**{f"{p}person__isnull": True}) | Q(**{f"{p}person_id": identity.person_id})
        match |= Q(**{f"{p}name": identity.name, f"{p}date_of_birth": identity.date_of_birth}) & not_other
    return match


def recognised_initiatives(identity: Identity) -> list[HistoryEntry]:
    q = author_q(identity)
    if q is None:
        return []
    rows = (
        InitiativeRecognition.objects.filter(q)
        .select_related("initiative__unit")
        .distinct()
        .order_by("-decision_date", "pk")
    )
    return [
        HistoryEntry(
            year=r.initiative.year,
            award_name=f"Sáng kiến được công nhận: {r.initiative.title} ({r.get_effect_scope_display()})",
            award_type_id=None,
            decision_number=r.decision_number,
            decision_date=r.decision_date,
            issuer=r.initiative.unit.name,
            source="initiative",
            obj=r,
        )
        for r in rows
    ]


def certifying_initiatives(dossier, nominees, kind_codes) -> dict:
    """{(kind code, nominee id): recognition} for each individual nominee for whom a recognised
    initiative stands in place of the `sang-kien` certification: one they authored, recognised by
    a decision no later than the campaign's period ends, of the period's years or the year before
    it (the year the initiative was applied in). One query whatever the number of nominees."""
    if INITIATIVE_DOCUMENT not in kind_codes:
        return {}
    campaign = dossier.campaign
    wanted, q = {}, None
    for nominee in nominees:
        identity = identity_of(nominee)
        part = author_q(identity, prefix="")
        if part is None:
            continue
        wanted[nominee.pk] = identity
        q = part if q is None else q | part
    if q is None:
        return {}
    authors = list(
        InitiativeAuthor.objects.filter(q)
        .filter(
            initiative__recognition__decision_date__lte=campaign.period_end,
            initiative__year__gte=campaign.period_start.year - 1,
        )
        .select_related("initiative__recognition")
        .order_by("-initiative__recognition__decision_date", "pk")
    )
    found = {}
    for nominee_pk, identity in wanted.items():
        for author in authors:
            if _is(identity, author):
                found[(INITIATIVE_DOCUMENT, nominee_pk)] = author.initiative.recognition
                break
    return found


def _is(identity: Identity, author) -> bool:
    if identity.person_id and author.person_id == identity.person_id:
        return True
    return (
        (not identity.person_id or author.person_id in (None, identity.person_id))
        and identity.date_of_birth is not None
        and author.date_of_birth == identity.date_of_birth
        and clean_name(author.name) == identity.name
    )


def register() -> None:
    register_history_source(recognised_initiatives)
