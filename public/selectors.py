"""What the public pages read: only decisions with a standing publication and only notices open
today. Anything else does not exist here (404), whatever its id. Each read names the fields it
shows: what a decision prints (its annex: name, position, unit, award), never an ID number, a
date of birth or an officer other than the signer printed on the decision."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from approvals.models import Award, Decision, DecisionKind, PublicNotice
from approvals.notice_services import noticed_nominees, open_notices_q
from documents.formatting import signing_lines
from documents.models import Publication
from dossiers.models import Nominee, NomineeOutcome
from dossiers.search_text import fold

# The nominee fields a public page may read (the annex's columns; the notice's list).
PUBLIC_NOMINEE_FIELDS = ("id", "kind", "name", "position", "workplace", "dossier_id", "award_type__name")


def _published():
    return Publication.objects.current().filter(decision=OuterRef("pk"))


def published_decisions(*, year=None, number=None, name=""):
    """Decisions published now, newest first, filtered by year, number and an awardee's name
    (typed with or without Vietnamese marks)."""
    qs = (
        Decision.objects.filter(Exists(_published()))
        .select_related("issuer")
        .only("id", "year", "number", "kind", "title", "signed_on", "issuer__name", "issuer__code")
    )
    if year:
        qs = qs.filter(year=year)
    if number:
        qs = qs.filter(number=number)
    folded = fold(name)
    if folded:
        named = Award.objects.filter(nominee__search_text__contains=folded)
        qs = qs.filter(
            Exists(named.filter(decision=OuterRef("pk"))) | Exists(named.filter(revoked_by=OuterRef("pk")))
        )
    return qs.order_by("-signed_on", "-year", "-number", "-pk")


def published_years() -> list[int]:
    return list(
        Decision.objects.filter(Exists(_published()))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def _annex(queryset):
    return list(
        queryset.select_related("nominee__award_type")
        .only(
            "id",
            "decision_id",
            "revoked_by_id",
            *(f"nominee__{f}" for f in PUBLIC_NOMINEE_FIELDS if f != "award_type__name"),
            "nominee__award_type__name",
        )
        .order_by("nominee__kind", "nominee__award_type__name", "nominee__name", "pk")
    )


def published_decision(*, pk) -> dict:
    """A published decision with its annex and the publication (its PDF), or 404."""
    publication = (
        Publication.objects.current()
        .filter(decision_id=pk)
        .select_related("decision__issuer", "decision__signed_by", "decision__revokes__issuer", "document")
        .first()
    )
    if publication is None:
        raise Http404
    decision = publication.decision
    if decision.kind == DecisionKind.REVOCATION:
        awards = _annex(Award.objects.filter(revoked_by=decision))
    else:
        awards = _annex(Award.objects.filter(decision=decision))
    # A revocation shown beside an award only when the revoking decision is itself published.
    revocations = {
        d.pk: d
        for d in Decision.objects.filter(
            Exists(_published()), pk__in={a.revoked_by_id for a in awards} - {None}
        )
        .select_related("issuer")
        .only("id", "number", "issuer__code")
    }
    for award in awards:
        award.public_revocation = revocations.get(award.revoked_by_id)
    revokes = decision.revokes if decision.revokes_id else None
    revokes_published = bool(revokes) and Publication.objects.current().filter(decision=revokes).exists()
    return {
        "decision": decision,
        "publication": publication,
        "awards": awards,
        "revokes": revokes,
        "revokes_published": revokes_published,
        # The signer's capacity as the decision prints it over the signature ("KT. CHỦ TỊCH" /
        # "PHÓ CHỦ TỊCH"), then their name.
        "signer_lines": signing_lines(decision.issuer, decision.signer_capacity, decision.signed_by.position),
    }


def published_document(*, decision_pk):
    """The PDF of a published decision (the issued document its publication names), or 404."""
    publication = (
        Publication.objects.current().filter(decision_id=decision_pk).select_related("document").first()
    )
    if publication is None:
        raise Http404
    return publication.document, publication.decision_id


# --- public notice ------------------------------------------------------------------------------


def open_notices(*, name=""):
    """The notices open today, the ones ending soonest first, each with the nominees it lists."""
    today = timezone.localdate()
    nominees = noticed_nominees_public()
    qs = PublicNotice.objects.filter(open_notices_q(today))
    folded = fold(name)
    if folded:
        qs = qs.filter(
            Exists(nominees.filter(dossier_id=OuterRef("dossier_id"), search_text__contains=folded))
            | Q(dossier__unit__name__icontains=name)
        )
    return (
        qs.select_related("dossier__unit", "dossier__reviewing_unit", "dossier__campaign")
        .only(*NOTICE_FIELDS)
        .prefetch_related(Prefetch("dossier__nominees", queryset=nominees, to_attr="listed"))
        .order_by("ends_on", "pk")
    )


NOTICE_FIELDS = (
    "id",
    "starts_on",
    "ends_on",
    "dossier__id",
    "dossier__title",
    "dossier__state",
    "dossier__unit__name",
    "dossier__reviewing_unit__name",
    "dossier__campaign__name",
)


def noticed_nominees_public(dossier_id=None):
    qs = (
        noticed_nominees(dossier_id)
        if dossier_id
        else Nominee.objects.current().filter(outcome=NomineeOutcome.ELIGIBLE)
    )
    return qs.select_related("award_type").only(*PUBLIC_NOMINEE_FIELDS).order_by("kind", "name", "pk")


def open_notice(*, pk) -> PublicNotice:
    """A notice open today with its listed nominees, or 404."""
    notice = (
        PublicNotice.objects.filter(open_notices_q(timezone.localdate()), pk=pk)
        .select_related("dossier__unit", "dossier__reviewing_unit", "dossier__campaign")
        .only(*NOTICE_FIELDS)
        .first()
    )
    if notice is None:
        raise Http404
    notice.listed = list(noticed_nominees_public(notice.dossier_id))
    return notice


def is_open(notice) -> bool:
    return PublicNotice.objects.filter(open_notices_q(timezone.localdate()), pk=notice.pk).exists()


def notice_for_objection(*, pk) -> PublicNotice:
    """The notice an objection form posts to: any notice of a dossier that had one (so that a
    form sent after the period closed is told so plainly), or 404 when there is none."""
    notice = PublicNotice.objects.filter(pk=pk).select_related("dossier").first()
    if notice is None:
        raise Http404
    return notice
