"""Reads for the standing body's assignments: its specialists, each one's load, the current
assignee of a page of dossiers. Each costs a fixed number of queries, however many rows."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from dossiers.models import APPRAISAL_DAYS, DossierState
from org.calendar import WorkingCalendar
from org.models import Role, RoleAssignment

from .models import DossierAssignment

S = DossierState
# A specialist's open dossiers: those still in the standing body's hands.
OPEN_STATES = (S.SUBMITTED, S.IN_APPRAISAL, S.PUBLIC_NOTICE)
# Where the appraisal time limit runs (20 working days from the complete dossier's arrival).
APPRAISAL_STATES = (S.SUBMITTED, S.IN_APPRAISAL)


@dataclass(frozen=True)
class SpecialistLoad:
    user: object
    open_count: int
    overdue_count: int


def specialists(*, unit, day=None):
    """The standing body officers (chuyên viên) of `unit` active on `day` (today), by name."""
    day = day or timezone.localdate()
    officers = RoleAssignment.objects.active_on(day).filter(role=Role.STANDING_OFFICER, unit=unit)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=officers.values("user_id"))
        .order_by("full_name", "username")
    )


def specialist_load(*, unit, calendar=None) -> list[SpecialistLoad]:
    """Each specialist of `unit`'s standing body with the dossiers of `unit` assigned to them and
    still open there, and how many of those are past the appraisal limit (two queries: the
    holidays, unless `calendar` is given, and the table)."""
    calendar = calendar or WorkingCalendar()
    last = calendar.latest_overdue_start(timezone.localdate(), APPRAISAL_DAYS)
    current = Q(
        dossier_assignments__ended_at__isnull=True,
        dossier_assignments__dossier__reviewing_unit=unit,
    )
    rows = specialists(unit=unit).annotate(
        open_count=Count(
            "dossier_assignments",
            filter=current & Q(dossier_assignments__dossier__state__in=OPEN_STATES),
        ),
        overdue_count=Count(
            "dossier_assignments",
            filter=current
            & Q(
                dossier_assignments__dossier__state__in=APPRAISAL_STATES,
                dossier_assignments__dossier__submitted_at__date__lte=last,
            ),
        ),
    )
    return [SpecialistLoad(user=u, open_count=u.open_count, overdue_count=u.overdue_count) for u in rows]


def attach_assignments(dossiers) -> None:
    """Set each dossier's current assignment (read by approvals.permissions) in one query."""
    dossiers = [d for d in dossiers if "_current_assignment" not in d.__dict__]
    if not dossiers:
        return
    found = {
        a.dossier_id: a
        for a in DossierAssignment.objects.filter(
            dossier_id__in=[d.pk for d in dossiers], ended_at__isnull=True
        ).select_related("assignee")
    }
    for dossier in dossiers:
        dossier.__dict__["_current_assignment"] = found.get(dossier.pk)


def assignment_history(dossier) -> list[DossierAssignment]:
    return list(DossierAssignment.objects.filter(dossier=dossier).select_related("assignee", "assigned_by"))
