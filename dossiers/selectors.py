"""Reads filtered by who asks. Anything a user may not see does not exist for them (404)."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import case_q
from org import words
from org.calendar import WorkingCalendar
from org.models import Unit

from .models import (
    APPRAISAL_DAYS,
    Attachment,
    AwardRule,
    AwardType,
    Campaign,
    Dossier,
    DossierState,
    EligibilityOverride,
    Nominee,
    NomineeAuthor,
    NomineeKind,
)
from .permissions import can_see_id_number, can_view_dossier, visible_dossiers_q


def nominee_count():
    """How many current nominees a dossier has, as a correlated subquery: the database counts
    them only for the rows a page shows, and a list's count() leaves it out. (A join with Count
    would group every dossier the filter keeps before the page is cut: 1.8 s at 100,000.)"""
    current = (
        Nominee.objects.filter(dossier=OuterRef("pk"), removed_at__isnull=True)
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(current, output_field=IntegerField()), 0)


# The steps past their limit, as the dashboard counts them and the dossier list filters them
# (?overdue=appraisal|notice): the standing body's appraisal past its 20 working days from the
# dossier's submission (APPRAISAL_DAYS), and a
# public notice still open a working day after its period ran (the daily reminders' count).
OVERDUE_STEPS = {
    "appraisal": (DossierState.IN_APPRAISAL, APPRAISAL_DAYS),
    "notice": (DossierState.PUBLIC_NOTICE, 1),
}


def overdue_q(step, *, calendar=None, today=None) -> Q:
    """The dossiers whose `step` (a key of OVERDUE_STEPS) is past its limit today."""
    state, days = OVERDUE_STEPS[step]
    calendar = calendar or WorkingCalendar()
    today = today or timezone.localdate()
    last = calendar.latest_overdue_start(today, days)
    if step == "appraisal":
        return Q(state=state, submitted_at__date__lte=last)
    return Q(state=state, public_notice__ends_on__lte=last)


def text_q(text, prefix="") -> Q:
    """Dossiers whose title or unit's name contains `text` (any case). The units are looked up
    first in their small table (one query), so both sides are conditions on the dossier's own row
    that an index serves (the title's trigram index on PostgreSQL, the unit's b-tree) and the
    planner ORs the two bitmaps: a join, or a subquery inside the OR, read every dossier."""
    units = list(Unit.objects.filter(name__icontains=text).values_list("pk", flat=True))
    return Q(**{f"{prefix}title__icontains": text}) | Q(**{f"{prefix}unit_id__in": units})


def dossier_list_for(*, user, filters=None):
    """The dossiers `user` may see, newest first, ready for a list (fixed number of queries)."""
    q = visible_dossiers_q(user)
    if q is None:
        return Dossier.objects.none()
    qs = Dossier.objects.filter(q).select_related("unit", "campaign").annotate(nominee_count=nominee_count())
    filters = filters or {}
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("states"):
        qs = qs.filter(state__in=filters["states"])
    if filters.get("units"):
        qs = qs.filter(unit_id__in=filters["units"])
    if filters.get("campaign"):
        qs = qs.filter(campaign_id=filters["campaign"])
    if filters.get("q"):
        qs = qs.filter(text_q(filters["q"]))
    if filters.get("overdue") in OVERDUE_STEPS:
        qs = qs.filter(overdue_q(filters["overdue"]))
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
    # The standing body's overrides of history conditions, shown beside each nominee.
    overrides = Prefetch(
        "eligibility_overrides",
        queryset=EligibilityOverride.objects.select_related("condition", "granted_by").order_by("pk"),
    )
    nominees = (
        Nominee.objects.current()
        .select_related("award_type", "rule", "collective_unit")
        .prefetch_related(overrides)
        .order_by("pk")
    )
    dossier.current_nominees = list(nominees.filter(dossier=dossier))
    # The authors of its initiatives (one query, only when it has any).
    prefetch_related_objects(
        [n for n in dossier.current_nominees if n.kind == NomineeKind.INITIATIVE], "authors"
    )
    # Personal data (the nominees' ID numbers) only for those whose scope covers the dossier.
    dossier.show_id_numbers = can_see_id_number(user, dossier)
    dossier.all_attachments = list(
        Attachment.objects.filter(dossier=dossier, detached=False)
        .select_related("kind", "nominee", "uploaded_by", "source__dossier__unit")
        .order_by("kind__name", "nominee_id", "source_id", "-version")
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
    return Campaign.objects.filter(period_end__gte=today).prefetch_related(Prefetch("award_types"))


# What a dossier's page shows of its case: the dossier's own events and its parts'.
TIMELINE_OBJECTS = ("dossiers.dossier", "dossiers.nominee", "dossiers.attachment", "approvals.objection")


def dossier_timeline(*, dossier) -> list[AuditEvent]:
    """The audit events of a dossier and of its nominees, attachments and objections, oldest
    first, in one query by the events' case (an index, whatever the chain's length), and one for
    the names, when shown."""
    # Inspectors' reads are audited too (inspector.read, .export); the history shows changes.
    events = list(
        AuditEvent.objects.filter(case_q(dossier.pk), object_type__in=TIMELINE_OBJECTS)
        .exclude(action__startswith="inspector.")
        .order_by("seq")
    )
    # Who acted, by full name and position (`actor_name`): one more query, when a page shows them.
    named = words.lazy_actor_names(e.actor for e in events)
    for e in events:
        e.actor_name = named(e.actor)
    return events


def access_nominee(*, user, dossier_pk, pk, include_removed=False) -> Nominee:
    """A current nominee of a dossier the user may see, or 404 (removed nominees are history;
    `include_removed` finds them too, so that removing one twice is the service's refusal)."""
    dossier = access_dossier(user=user, pk=dossier_pk)
    nominees = Nominee.objects.all() if include_removed else Nominee.objects.current()
    try:
        nominee = nominees.select_related("award_type", "rule").get(pk=pk, dossier=dossier)
    except (Nominee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    nominee.dossier = dossier
    return nominee


def access_nominee_author(*, nominee, pk) -> NomineeAuthor:
    """An author of `nominee` (already accessed), or 404."""
    try:
        author = NomineeAuthor.objects.get(pk=pk, nominee=nominee)
    except (NomineeAuthor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    author.nominee = nominee
    return author


def award_types_with_rules(*, day):
    """Every award type with the rule in force on `day` (`rules_in_force`, a list of 0 or 1) and the
    documents that rule requires: what a client needs to propose a nominee (four queries)."""
    rules = (
        AwardRule.objects.in_force_on(day).order_by("-valid_from").prefetch_related("ruledocument_set__kind")
    )
    return AwardType.objects.prefetch_related(Prefetch("rules", queryset=rules, to_attr="rules_in_force"))


def attachment_slots(attachments) -> list[dict]:
    """Attachments grouped by slot (kind, nominee), newest version first as
    `dossier_detail` orders them: each slot's `current` version and the `older` ones it replaced.
    On a dossier forwarded up, each lower dossier's own documents are a slot of their own, with
    the lower dossier as `source` (its tờ trình and minutes are not versions of each other)."""
    slots = {}
    for attachment in attachments:
        source = attachment.source.dossier if attachment.source_id and not attachment.nominee_id else None
        key = (attachment.kind_id, attachment.nominee_id, source.pk if source else None)
        if key not in slots:
            slots[key] = {
                "kind": attachment.kind,
                "nominee": attachment.nominee,
                "source": source,
                "versions": [],
            }
        slots[key]["versions"].append(attachment)
    for slot in slots.values():
        slot["current"], slot["older"] = slot["versions"][0], slot["versions"][1:]
    return list(slots.values())
