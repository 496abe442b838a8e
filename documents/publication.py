"""Công bố: making an issued decision public on the public pages, and taking it down.

Why an explicit step rather than publishing at issuance: the Law (Luật TĐKT 2022, Điều 5: awards
are decided "chính xác, công khai, minh bạch") asks that decisions be made known, but issuing and
publishing are two acts of the issuing body. The records office issues (seals) the decision for
the record and for its addressees; the body then announces it, often at the ceremony where the
awards are handed over, and is answerable for what its public page shows about the people named.
So the standing body or the records office of the issuing body publishes a decision once it is
issued (signed by its signer and sealed), and may take it down with a recorded reason (an error
in a name spotted after publication, a decision being revoked); the decision itself never
changes. Both are audited; publishing again after a take-down is a new publication.

Only what a publication names is public: the issued PDF and what the decision prints (number,
date, issuer, subject, signer, and in its annex each awardee's name, unit and award).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Decision
from audit import services as audit
from org import limits
from org.errors import TransitionNotAllowed
from org.models import Role
from org.scopes import has_role_in

from .models import GeneratedDocument, Publication, Signature
from .permissions import ISSUED_KINDS

PUBLISHERS = {Role.RECORDS_CLERK, Role.STANDING_OFFICER, Role.STANDING_LEADER}


def can_publish(user, decision) -> bool:
    """The records office or the standing body of the issuing body (not its chair, who signs,
    nor an administrator)."""
    return bool(getattr(user, "is_authenticated", False) and has_role_in(user, PUBLISHERS, decision.issuer))


def issued_document(decision) -> GeneratedDocument | None:
    """The decision's current document once the records office has issued it (the agency's
    signature over the signer's), or None."""
    sealed = Signature.objects.filter(document=OuterRef("pk"), agency__isnull=False)
    return (
        GeneratedDocument.objects.filter(decision=decision, kind__in=ISSUED_KINDS, superseded_by__isnull=True)
        .filter(Exists(sealed))
        .order_by("-version")
        .first()
    )


def current_publication(decision) -> Publication | None:
    return Publication.objects.current().filter(decision=decision).first()


def decision_publish(*, actor, decision) -> Publication:
    """Publish an issued decision: refused unless it is signed by its signer and issued by the
    records office, or when it is published already."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("issuer").get(pk=decision.pk)
        if not can_publish(actor, decision):
            raise PermissionDenied(
                _("Only the standing body or the records office of the issuing body publishes a decision.")
            )
        document = issued_document(decision)
        if decision.signed_at is None or document is None:
            raise TransitionNotAllowed(
                _("Decision %(symbol)s is published once it is signed and issued.")
                % {"symbol": decision.symbol}
            )
        if current_publication(decision) is not None:
            raise TransitionNotAllowed(_("This decision is already published."))
        publication = Publication.objects.create(
            decision=decision, document=document, published_by=actor, published_at=timezone.now()
        )
        audit.record(
            actor=actor,
            action="decision.publish",
            target=decision,
            data={
                "publication_id": publication.pk,
                "symbol": decision.symbol,
                "document_id": document.pk,
                "version": document.version,
                "sha256": document.sha256,
            },
        )
    return publication


def decision_unpublish(*, actor, decision, reason) -> Publication:
    """Take a published decision down from the public pages, saying why (kept and audited)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the decision is taken down.")})
    limits.require_text("reason", reason, limits.SHORT_TEXT)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("issuer").get(pk=decision.pk)
        if not can_publish(actor, decision):
            raise PermissionDenied(
                _("Only the standing body or the records office of the issuing body publishes a decision.")
            )
        publication = Publication.objects.current().select_for_update().filter(decision=decision).first()
        if publication is None:
            raise TransitionNotAllowed(_("This decision is not published."))
        publication.withdrawn_by, publication.withdrawn_at = actor, timezone.now()
        publication.withdrawn_reason = reason
        publication.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawn_reason"])
        audit.record(
            actor=actor,
            action="decision.unpublish",
            target=decision,
            data={"publication_id": publication.pk, "symbol": decision.symbol, "reason": reason},
        )
    return publication
