"""What the demo shows on the public pages (/cong-khai/) after `make run`: one decision published
by the records office, and the nominee list under public notice open on the day the demo runs.
For the demo only; everything goes through the real services (and their audit events)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from approvals.models import Decision, PublicNotice
from documents import services as documents
from documents.models import GeneratedKind
from documents.publication import current_publication, decision_publish
from dossiers.models import Dossier, DossierState
from org.calendar import WorkingCalendar

from .data import PUBLIC_NOTICE_DAYS

# The dossier the commune's chair decides for the public pages (demo.data: waiting at the chair's).
PUBLISHED_DOSSIER = "Đề nghị khen thưởng đột xuất — cứu người đuối nước"
PUBLISHED_TITLE = "Về việc tặng Giấy khen cho cá nhân có hành động dũng cảm cứu người"


def publish_one():
    """The chair decides the demo's sudden-achievement dossier and signs the decision; the records
    clerk issues and publishes it. Nothing when a decision is published already, or when the
    dossier or the people are missing. Needs the signing keys (`issue_demo_keys`)."""
    from documents.models import Publication

    if Publication.objects.exists():
        return None
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["chair", "clerk"])}
    dossier = Dossier.objects.filter(title=PUBLISHED_DOSSIER).first()
    if len(users) < 2 or dossier is None:
        return None
    from workflows import services as workflow

    decision = Decision.objects.filter(dossiers=dossier).first()
    if decision is None:
        if dossier.state != DossierState.AWAITING_DECISION:
            return None
        decision = workflow.decision_issue(actor=users["chair"], dossiers=[dossier], title=PUBLISHED_TITLE)
    document = documents.document_render(actor=users["chair"], kind=GeneratedKind.DECISION, subject=decision)
    if not document.signatures.exists():
        document = documents.document_sign(actor=users["chair"], document=document)
    documents.document_issue(actor=users["clerk"], document=document)
    if current_publication(decision) is None:
        decision_publish(actor=users["clerk"], decision=decision)
    return decision


def keep_the_notice_open(today=None) -> int:
    """A demo re-run on a later day: the demo's list under public notice whose period has passed
    (the standing body has not closed it) runs again from today, so the public page shows it.
    Returns how many notices were moved."""
    today = today or timezone.localdate()
    moved = 0
    for notice in PublicNotice.objects.filter(
        closed_at__isnull=True, dossier__state=DossierState.PUBLIC_NOTICE, ends_on__lt=today
    ):
        notice.starts_on = today
        notice.ends_on = WorkingCalendar().add_working_days(today, PUBLIC_NOTICE_DAYS)
        notice.save(update_fields=["starts_on", "ends_on"])
        moved += 1
    return moved
