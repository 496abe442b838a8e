"""Who may see, make and sign which document.

Seeing follows the dossiers: a document is visible to whoever may see a dossier it belongs to
(for a decision: any dossier it decides; for a revocation: the dossiers of the decision it
revokes). Making and signing follow the step the document belongs to.
"""

from django.utils.translation import gettext as _

from approvals.permissions import (
    can_appraise,
    can_decide,
    can_record_council_result,
    decision_dossiers,
    keeps_records_of,
)
from dossiers.permissions import can_submit_dossier, can_view_dossier
from org.models import Role
from org.scopes import UNIT_ROLES, has_role_in

from .contexts import closed_meeting_of
from .models import GeneratedKind
from .providers import provider_for

K = GeneratedKind
DECISION_KINDS = (K.DECISION, K.REVOCATION, K.CERTIFICATE)
ISSUED_KINDS = (K.DECISION, K.REVOCATION)  # what the records office issues with the body's seal


def subject_dossiers(kind, subject) -> list:
    if kind in (K.SUBMISSION, K.MINUTES):
        return [subject]
    if kind == K.ACHIEVEMENT:
        return [subject.dossier]
    if kind == K.CERTIFICATE:
        return decision_dossiers(subject.decision)
    return decision_dossiers(subject)


def subject_decision(kind, subject):
    if kind == K.CERTIFICATE:
        return subject.decision
    if kind in (K.DECISION, K.REVOCATION):
        return subject
    return None


def forwards_up(user, dossier) -> bool:
    """A dossier forwarded up is the lower level's: its chair makes and signs its tờ trình."""
    return dossier.is_upward and has_role_in(user, {Role.CHAIR}, dossier.unit)


def _provider(kind, subject):
    """The provider of a decision a higher app words itself (documents.providers), or None."""
    return provider_for(subject_decision(kind, subject)) if kind in (K.DECISION, K.REVOCATION) else None


def can_view_document(user, document) -> bool:
    provider = _provider(document.kind, document.subject)
    if provider is not None:
        return provider.can_view(user, document.decision)
    if document.kind in DECISION_KINDS and keeps_records_of(
        user, subject_decision(document.kind, document.subject)
    ):
        return True  # the records office of the issuing body keeps its decisions and certificates
    return any(can_view_dossier(user, d) for d in subject_dossiers(document.kind, document.subject))


def can_render(user, kind, subject) -> bool:
    """Unit documents: the unit's staff and head, or the standing body that prepares a dossier
    forwarded up. Minutes: the council's secretary, the standing body or the chair. Decisions
    and certificates: the standing body, the chair or the vice-chair who signs on their behalf.
    Inspectors read and never make anything."""
    provider = _provider(kind, subject)
    if provider is not None:
        return provider.can_render(user, subject)
    if user.is_superuser:
        return True
    dossiers = subject_dossiers(kind, subject)
    if not dossiers:
        return False
    if kind in (K.SUBMISSION, K.ACHIEVEMENT):
        return all(
            has_role_in(user, UNIT_ROLES, d.unit) or can_appraise(user, d) or forwards_up(user, d)
            for d in dossiers
        )
    if kind == K.MINUTES:
        return all(
            can_record_council_result(user, d) or can_appraise(user, d) or can_decide(user, d)
            for d in dossiers
        )
    return all(can_appraise(user, d) or can_decide(user, d, "KT") for d in dossiers)


def signing_refusal(user, document, capacity) -> str:
    """Why `user` may not sign `document` in `capacity`, or "" when they may.

    A decision (and its certificates) is signed by the person it names as its signer, in the
    capacity it names (Decree 30: the signing block is part of the text); a tờ trình and a
    trích ngang by the unit's head; the minutes by the council's secretary and its chair.
    """
    kind, subject = document.kind, document.subject
    provider = _provider(kind, subject)
    if provider is not None:
        return provider.signing_refusal(user, subject, capacity)
    dossiers = subject_dossiers(kind, subject)
    if kind in DECISION_KINDS:
        decision = subject_decision(kind, subject)
        if user.pk != decision.signed_by_id:
            return _("The decision names another signer: %(name)s.") % {"name": decision.signed_by}
        if capacity != decision.signer_capacity:
            return _("The decision is signed in the capacity it states, not another.")
        if not dossiers or not all(can_decide(user, d, capacity) for d in dossiers):
            return _("Only the chair (or a vice-chair on the chair's behalf) signs this decision.")
        return ""
    if kind in (K.SUBMISSION, K.ACHIEVEMENT):
        if all(can_submit_dossier(user, d) or forwards_up(user, d) for d in dossiers):
            return ""
        return _("Only the head of the unit signs its submission and achievement reports.")
    if kind == K.MINUTES:
        meeting = closed_meeting_of(subject)
        if meeting is not None:
            if user.pk in (meeting.chairperson_id, meeting.secretary_id):
                return ""
            return _("Only the meeting's chairperson and secretary sign its minutes.")
        if all(can_record_council_result(user, d) or can_decide(user, d) for d in dossiers):
            return ""
        return _("Only the council's secretary and chair sign its minutes.")
    return _("This document cannot be signed.")


def has_signed(user, document) -> bool:
    """Whether `user` has signed this version (its signatures, prefetched by the pages)."""
    return any(s.signer_id == user.pk for s in document.signatures.all())


def may_sign(user, document) -> bool:
    """For showing the button only; the service decides again. Not to the one who has already
    signed this version (the service would refuse it: "you have already signed")."""
    if not user.is_authenticated or document.superseded_by_id or has_signed(user, document):
        return False
    capacity = ""
    if document.kind in DECISION_KINDS:
        capacity = subject_decision(document.kind, document.subject).signer_capacity
    return not signing_refusal(user, document, capacity)


def issuing_body(document):
    """The body whose records office issues the document (the decision's issuer), or None."""
    if document.kind not in ISSUED_KINDS:
        return None
    return document.decision.issuer


def can_issue(user, document) -> bool:
    """Only a records clerk (văn thư) of the issuing body applies its seal (Decree 30/2020,
    Article 15 and Appendix I): not its chair, not an administrator."""
    body = issuing_body(document)
    return bool(
        body is not None
        and getattr(user, "is_authenticated", False)
        and has_role_in(user, {Role.RECORDS_CLERK}, body)
    )
