"""Reads filtered by who asks. Anything a user may not see does not exist for them (404)."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from .models import Attachment, Campaign, Dossier, Nominee
from .permissions import can_view_dossier, visible_dossiers_q


def dossier_list_for(*, user, filters=None):
    """The dossiers `user` may see, newest first, ready for a list (fixed number of queries)."""
    q = visible_dossiers_q(user)
    if q is None:
        return Dossier.objects.none()
    qs = (
        Dossier.objects.filter(q)
        .select_related("unit", "campaign")
        .annotate(nominee_count=Count("nominees", filter=Q(nominees__removed_at__isnull=True)))
    )
    filters = filters or {}
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("campaign"):
        qs = qs.filter(campaign_id=filters["campaign"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(unit__name__icontains=filters["q"]))
    return qs.order_by("-updated_at", "-pk")


def access_dossier(*, user, pk, lock=False) -> Dossier:
    """Fetch a dossier the user may see, or 404 (the same answer whether it exists or not)."""
    qs = Dossier.objects.select_related("unit", "campaign")
    if lock:
        qs = qs.select_for_update()
    try:
        dossier = qs.get(pk=pk)
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_dossier(user, dossier):
        raise Http404
    return dossier


def dossier_detail(*, user, pk) -> Dossier:
    """A dossier with its current nominees and every attachment version, for the detail page."""
    dossier = access_dossier(user=user, pk=pk)
    nominees = Nominee.objects.current().select_related("award_type", "rule").order_by("pk")
    dossier.current_nominees = list(
        nominees.filter(dossier=dossier)
    )
    dossier.all_attachments = list(
        Attachment.objects.filter(dossier=dossier, detached=False)
        .select_related("kind", "nominee", "uploaded_by")
        .order_by("kind__name", "nominee_id", "-version")
    )
    return dossier


def access_attachment(*, user, pk) -> Attachment:
    try:
        attachment = Attachment.objects.select_related("dossier__unit", "kind").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_dossier(user, attachment.dossier):
        raise Http404
    return attachment


def current_attachments(dossier):
    """The highest version in each (kind, nominee) slot, ignoring detached files."""
    latest = {}
    for a in Attachment.objects.filter(dossier=dossier, detached=False).select_related("kind"):
        key = (a.kind_id, a.nominee_id)
        if key not in latest or a.version > latest[key].version:
            latest[key] = a
    return list(latest.values())


def open_campaigns(*, today):
    return Campaign.objects.filter(period_end__gte=today).prefetch_related(
        Prefetch("award_types")
    )
