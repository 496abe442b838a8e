"""Reads of initiatives filtered by who asks: anything a user may not see is a 404."""

from django.db.models import Prefetch
from django.http import Http404

from . import permissions
from .models import (
    Initiative,
    InitiativeAgendaItem,
    InitiativeCouncil,
    InitiativeMeeting,
    InitiativeParticipation,
    InitiativeRecognition,
    InitiativeRecusal,
)


def initiative_list_for(*, user, filters=None):
    """The initiatives `user` may see, newest year first (a fixed number of queries)."""
    q = permissions.visible_initiatives_q(user)
    if q is None:
        return Initiative.objects.none()
    filters = filters or {}
    qs = (
        Initiative.objects.filter(q)
        .distinct()
        .select_related("unit", "recognition")
        .prefetch_related("authors")
    )
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    return qs.order_by("-year", "unit__name", "title", "pk")


def access_initiative(*, user, pk) -> Initiative:
    q = permissions.visible_initiatives_q(user)
    if q is None:
        raise Http404
    try:
        return (
            Initiative.objects.filter(q)
            .distinct()
            .select_related("unit", "registered_by")
            .prefetch_related("authors__person", "files")
            .get(pk=pk)
        )
    except (Initiative.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def review_history(initiative) -> list[InitiativeAgendaItem]:
    """The meetings that took the initiative up, with each vote's result and who was recused."""
    return list(
        InitiativeAgendaItem.objects.filter(initiative=initiative)
        .select_related("meeting__council")
        .prefetch_related(Prefetch("recusals", queryset=InitiativeRecusal.objects.select_related("member")))
        .order_by("meeting__held_on", "pk")
    )


def recognition_of(initiative):
    try:
        return InitiativeRecognition.objects.select_related("signer", "meeting").get(initiative=initiative)
    except InitiativeRecognition.DoesNotExist:
        return None


def council_of(unit):
    return InitiativeCouncil.objects.filter(unit=unit).first()


def can_see_meeting(user, meeting) -> bool:
    council = meeting.council
    return bool(
        user.is_superuser
        or permissions.council_role(user, council)
        or permissions.can_read_over(user, council.unit)
    )


def meeting_list_for(*, user):
    """The initiative council meetings `user` may see: of the councils they sit on, and of the
    units they are staff, head or inspector over."""
    if not user.is_authenticated:
        return InitiativeMeeting.objects.none()
    qs = InitiativeMeeting.objects.select_related("council__unit")
    if not user.is_superuser:
        from django.db.models import Q

        from org.scopes import scopes_for

        q = Q(council__members__user=user)
        for scope in scopes_for(user):
            if scope.role in permissions.READERS_OVER:
                q |= Q(council__unit__path__startswith=scope.unit_path)
        qs = qs.filter(q).distinct()
    return qs.order_by("-held_on", "-pk")


def access_meeting(*, user, pk) -> InitiativeMeeting:
    try:
        meeting = InitiativeMeeting.objects.select_related("council__unit").get(pk=pk)
    except (InitiativeMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_see_meeting(user, meeting):
        raise Http404
    return meeting


def meeting_agenda(meeting, user):
    """The agenda with, for `user`, whether they voted on each item and whether they are recused
    (never what anyone chose)."""
    items = list(
        meeting.agenda.select_related("initiative")
        .prefetch_related(
            Prefetch("recusals", queryset=InitiativeRecusal.objects.select_related("member")),
            "initiative__authors",
        )
        .order_by("pk")
    )
    voted = set(
        meeting.agenda.filter(participations__member=user).values_list("pk", flat=True)
        if user.is_authenticated
        else []
    )
    for item in items:
        item.voted = item.pk in voted
        item.recused_here = any(r.member_id == user.pk for r in item.recusals.all())
    return items


def access_recognition(*, user, pk) -> InitiativeRecognition:
    try:
        recognition = InitiativeRecognition.objects.select_related(
            "initiative__unit", "signer", "meeting__council"
        ).get(pk=pk)
    except (InitiativeRecognition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_initiative(user=user, pk=recognition.initiative_id)
    return recognition


def missing_votes(meeting) -> list[dict]:
    """The members present who have not voted on every initiative they may vote on, with those
    initiatives: [{"member": user, "initiatives": [initiative, …]}, …] by name. Who has voted is
    known (never how); an author recused from an initiative owes no vote on it. Three queries
    whatever the numbers."""
    items = list(meeting.agenda.select_related("initiative").order_by("pk"))
    present = sorted(meeting.present.all(), key=lambda u: (u.get_full_name() or u.username, u.pk))
    done = set(
        InitiativeParticipation.objects.filter(item__meeting=meeting)
        .order_by()
        .values_list("member_id", "item_id")
        .union(
            InitiativeRecusal.objects.filter(item__meeting=meeting)
            .order_by()
            .values_list("member_id", "item_id")
        )
    )
    rows = []
    for member in present:
        left = [i.initiative for i in items if (member.pk, i.pk) not in done]
        if left:
            rows.append({"member": member, "initiatives": left})
    return rows
