"""Unit mergers and splits (the 2025 reorganisation): the parts of org.services.unit_merge and
unit_split, and the roll-up the reports use.

What a dissolution does, in one transaction with its audit events:
- the old unit becomes inactive, with `dissolved_on` and `successor` (for a split, the first
  unit named: the main successor, which the roll-up follows);
- its role assignments end the day before and the same roles start in the successor on the day
  (for a split, in the unit the caller maps the person to; everyone else goes to the main
  successor); its people's unit follows the same rule; units under it move under the successor;
- its open dossiers (not in a final state) are handed over to the successor by the handlers
  the higher apps register (`register_handover`: org knows nothing of dossiers; dossiers'
  handler moves each open dossier, with an audit record; a split maps dossiers by id, the
  others go to the main successor). Final dossiers, awards and documents are never touched:
  they keep the unit as it was, and the names printed on them stay the old ones.
"""

from django.db.models import Q
from django.utils import timezone

HANDOVERS = []


def register_handover(handler):
    """`handler(*, actor, unit, successor, on_date, mapping)`: hand `unit`'s open work over to
    `successor` (or to `mapping[id]` where the caller mapped it), inside the reorganisation's
    transaction, recording its own audit events; returns the ids it moved."""
    if handler not in HANDOVERS:
        HANDOVERS.append(handler)
    return handler


def units_rolled_up(unit, on=None):
    """The units a report on `unit` counts on day `on` (today when None): its subtree, plus every
    unit dissolved by then whose chain of successors leads into it (and their subtrees), so
    that the old units' dossiers and awards count for the new one. A queryset of Unit."""
    from .models import Unit

    on = on or timezone.localdate()
    ids = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    while True:
        paths = list(
            Unit.objects.filter(successor_id__in=ids, dissolved_on__lte=on)
            .exclude(pk__in=ids)
            .values_list("path", flat=True)
        )
        if not paths:
            break
        under = Q()
        for path in paths:
            under |= Q(path__startswith=path)
        found = set(Unit.objects.filter(under).values_list("pk", flat=True)) - ids
        if not found:
            break
        ids |= found
    return Unit.objects.filter(pk__in=ids)
