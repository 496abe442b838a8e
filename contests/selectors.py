"""Reads of contests and entries that depend on who asks (contests.permissions decides; anything
the reader may not see is a 404). Each list costs a fixed number of queries, whatever its length."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from org.models import Unit
from org.scopes import UNIT_ROLES, has_role_in, scopes_for

from . import permissions as perms
from .models import ConflictOfInterest, Contest, ContestState, Entry, EntryAuthor, EntryState, Juror


def contest_list_for(*, user):
    """The contests that concern `user`: those their standing body organises, those whose jury
    they sit on, and, once open, those their unit may enter."""
    if not user.is_authenticated or not user.is_active:
        return Contest.objects.none()
    qs = Contest.objects.select_related("organizer")
    if not user.is_superuser:
        q = Q(organizer_id__in=perms.organising_unit_ids(user)) | Q(jurors__user=user)
        for scope in scopes_for(user):
            if scope.role in UNIT_ROLES:
                top = "/" + scope.unit_path.strip("/").split("/")[0] + "/"
                q |= (
                    Q(organizer__path__startswith=top)
                    & ~Q(state=ContestState.DRAFT)
                    & ~Q(organizer_id=scope.unit_id)
                )
        qs = qs.filter(pk__in=Contest.objects.filter(q).values("pk"))
    return qs.annotate(
        sent_count=Count("entries", filter=Q(entries__state__in=perms.SENT_STATES), distinct=True)
    ).order_by("-year", "name")


def access_contest(*, user, pk) -> Contest:
    contest = Contest.objects.select_related("organizer", "created_by").filter(pk=pk).first()
    if contest is None or not perms.can_view_contest(user, contest):
        raise Http404
    return contest


def access_contest_to_organise(*, user, pk) -> Contest:
    """The contest for its organiser's forms; 404 for anyone else (even a juror)."""
    contest = access_contest(user=user, pk=pk)
    if not perms.can_organise(user, contest):
        raise Http404
    return contest


def access_entry(*, user, pk) -> Entry:
    entry = (
        Entry.objects.select_related("contest__organizer", "unit", "created_by", "submitted_by")
        .prefetch_related("authors", "files")
        .filter(pk=pk)
        .first()
    )
    if entry is None or not perms.can_view_entry(user, entry):
        raise Http404
    return entry


def entry_with_details(pk) -> Entry:
    """An entry just written by a service, for its answer (the writer was allowed to act on it)."""
    return (
        Entry.objects.select_related("contest__organizer", "unit")
        .prefetch_related("authors", "files")
        .get(pk=pk)
    )


def entries_for(*, user, contest):
    """The entries of `contest` that `user` sees: their units' own (every state), and what was sent
    to the organiser (withdrawn included) or to the jury."""
    qs = Entry.objects.filter(contest=contest)
    if not user.is_superuser:
        q = Q(unit_id__in=[s.unit_id for s in scopes_for(user) if s.role in UNIT_ROLES])
        if perms.can_organise(user, contest):
            q |= Q(state__in=perms.ORGANISER_ENTRY_STATES)
        elif perms.juror_of(user, contest) is not None:
            q |= Q(state__in=perms.SENT_STATES)
        qs = qs.filter(q)
    else:
        qs = qs.exclude(state=EntryState.DRAFT)
    return (
        qs.select_related("unit")
        .annotate(file_count=Count("files", distinct=True))
        .prefetch_related(Prefetch("authors", queryset=EntryAuthor.objects.order_by("order", "pk")))
        .order_by("unit__name", "title")
    )


def jury_of(contest):
    return Juror.objects.filter(contest=contest).select_related("user").order_by("role", "user__full_name")


def conflicts_of(contest):
    return (
        ConflictOfInterest.objects.filter(juror__contest=contest)
        .select_related("juror__user", "entry__unit", "declared_by")
        .order_by("entry__title", "juror__user__full_name")
    )


def units_of_user_for(*, user, contest):
    """The units through which `user` may draft an entry of `contest`."""
    return Unit.objects.filter(pk__in=perms.entering_unit_ids(user, contest)).order_by("name")


def is_unit_member(user, entry) -> bool:
    return has_role_in(user, UNIT_ROLES, entry.unit)
