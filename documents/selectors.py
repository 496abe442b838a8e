"""Reads of documents, filtered by who asks: what a user may not see does not exist (404)."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from approvals.models import Award, Decision
from approvals.permissions import can_view_decision
from approvals.selectors import access_decision
from dossiers.models import Nominee
from dossiers.selectors import access_dossier

from .models import CertificateBatch, GeneratedDocument, GeneratedKind, Publication, Signature
from .permissions import can_view_document

K = GeneratedKind


def _with_signatures(qs):
    return qs.select_related("rendered_by").prefetch_related(
        Prefetch(
            "signatures", queryset=Signature.objects.select_related("signer", "agency").order_by("order")
        )
    )


def access_document(*, user, pk) -> GeneratedDocument:
    try:
        document = GeneratedDocument.objects.select_related(
            "dossier__unit", "nominee__dossier__unit", "decision__issuer", "award__decision"
        ).get(pk=pk)
    except (GeneratedDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_document(user, document):
        raise Http404
    return document


def access_signature(*, user, pk) -> Signature:
    try:
        signature = Signature.objects.select_related("document").get(pk=pk)
    except (Signature.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_document(user=user, pk=signature.document_id)
    return signature


def access_batch(*, user, pk) -> CertificateBatch:
    try:
        batch = CertificateBatch.objects.with_lease().select_related("decision__issuer").get(pk=pk)
    except (CertificateBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_decision(user, batch.decision):
        raise Http404
    return batch


def dossier_documents(*, user, pk) -> dict:
    """A dossier's documents (tờ trình, biên bản, each nominee's trích ngang), every version
    newest first, and the decisions that cover it."""
    dossier = access_dossier(user=user, pk=pk)
    nominees = list(
        Nominee.objects.current().filter(dossier=dossier).select_related("award_type").order_by("pk")
    )
    documents = list(
        _with_signatures(
            GeneratedDocument.objects.filter(
                Q(dossier=dossier, kind__in=[K.SUBMISSION, K.MINUTES, K.ACHIEVEMENT])
            ).order_by("kind", "nominee_id", "-version")
        )
    )
    for nominee in nominees:
        nominee.documents = [d for d in documents if d.kind == K.ACHIEVEMENT and d.nominee_id == nominee.pk]
    decisions = list(dossier.decisions.select_related("issuer").order_by("year", "number"))
    revocations = list(
        Decision.objects.filter(revokes__in=decisions).select_related("issuer").order_by("year", "number")
    )
    return {
        "dossier": dossier,
        "submission": [d for d in documents if d.kind == K.SUBMISSION],
        "minutes": [d for d in documents if d.kind == K.MINUTES],
        "nominees": nominees,
        "decisions": decisions + revocations,
    }


def decision_documents(*, user, pk) -> dict:
    """A decision's own document (every version), its certificates (current versions) and the
    latest certificate batch."""
    decision = access_decision(user=user, pk=pk)
    own_kind = K.REVOCATION if decision.revokes_id else K.DECISION
    documents = list(
        _with_signatures(
            GeneratedDocument.objects.filter(decision=decision, kind=own_kind).order_by("-version")
        )
    )
    certificates = list(
        GeneratedDocument.objects.filter(decision=decision, kind=K.CERTIFICATE, superseded_by__isnull=True)
        .select_related("award__nominee")
        .order_by("award__nominee_id")
    )
    awards = list(
        Award.objects.filter(decision=decision)
        .select_related("nominee__award_type", "revoked_by__issuer")
        .order_by("nominee__dossier_id", "nominee_id")
    )
    by_award = {c.award_id: c for c in certificates}
    for award in awards:
        award.certificate = by_award.get(award.pk)
    return {
        "decision": decision,
        "own_kind": own_kind,
        "documents": documents,
        "certificates": certificates,
        "awards": awards,
        "batch": CertificateBatch.objects.with_lease().filter(decision=decision).first(),
    }


def documents_to_issue(*, user):
    """The decisions the user's records office may issue now: signed by their signer, not yet
    issued, the current version, of a body where the user is a records clerk. Oldest first."""
    from org.models import Role
    from org.scopes import scopes_for

    from .permissions import ISSUED_KINDS

    bodies = [scope.unit_id for scope in scopes_for(user) if scope.role == Role.RECORDS_CLERK]
    signed_by_signer = Signature.objects.filter(
        document=OuterRef("pk"), signer=OuterRef("decision__signed_by"), agency__isnull=True
    )
    issued = Signature.objects.filter(document=OuterRef("pk"), agency__isnull=False)
    return (
        GeneratedDocument.objects.filter(
            kind__in=ISSUED_KINDS, superseded_by__isnull=True, decision__issuer_id__in=bodies
        )
        .filter(Exists(signed_by_signer))
        .exclude(Exists(issued))
        .select_related("decision__issuer", "decision__signed_by")
        .order_by("rendered_at", "pk")
    )


def documents_issued(*, user, limit=20):
    """What the user's records offices issued last, newest first (the page's second list), each
    with `published_at`: when its decision was put on the public pages, None if it is not there."""
    from org.models import Role
    from org.scopes import scopes_for

    bodies = [scope.unit_id for scope in scopes_for(user) if scope.role == Role.RECORDS_CLERK]
    # When the decision is on the public pages now (its current publication), or None.
    published = (
        Publication.objects.current().filter(decision=OuterRef("document__decision")).values("published_at")
    )
    return (
        Signature.objects.filter(agency_id__in=bodies)
        .select_related("document__decision", "agency", "signer")
        .annotate(published_at=Subquery(published[:1]))
        .order_by("-signed_at", "-pk")[:limit]
    )
