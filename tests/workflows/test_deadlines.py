"""Deadlines count working days on the calendar of public holidays (org.Holiday, editable data):
5 working days to return an incomplete dossier, 20 to appraise it, from its submission; an
appraisal past its limit is flagged in the lists."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, DossierState
from org.calendar import WorkingCalendar
from org.models import Holiday
from tests import factories as f
from workflows import selectors
from workflows.flows import DossierFlow

from .conftest import parked

pytestmark = pytest.mark.calendar

S = DossierState
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def submitted_on(day: dt.date):
    """A submission at 9:00 in Hà Nội, stored in UTC."""
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=HANOI)


def test_the_limits_skip_the_tet_holiday(db):
    # Thursday 12/2/2026; Tết Bính Ngọ is off from Saturday 14/2 to Sunday 22/2 (seeded holidays).
    dossier = Dossier(submitted_at=submitted_on(dt.date(2026, 2, 12)))
    limits = selectors.appraisal_deadlines(dossier, WorkingCalendar())
    # Fri 13/2, then Mon 23 … Thu 26/2: the fifth working day.
    assert limits.return_by == dt.date(2026, 2, 26)
    # … and the twentieth: Thursday 19/3/2026.
    assert limits.appraise_by == dt.date(2026, 3, 19)
    assert limits.received_on == dt.date(2026, 2, 12)


def test_without_the_holidays_the_same_limits_would_fall_a_week_earlier(db):
    dossier = Dossier(submitted_at=submitted_on(dt.date(2026, 2, 12)))
    limits = selectors.appraisal_deadlines(dossier, WorkingCalendar(holidays=()))
    assert (limits.return_by, limits.appraise_by) == (dt.date(2026, 2, 19), dt.date(2026, 3, 12))


def test_a_holiday_added_by_the_administrator_moves_the_deadline(db):
    dossier = Dossier(submitted_at=submitted_on(dt.date(2026, 6, 1)))  # a Monday
    before = selectors.appraisal_deadlines(dossier, WorkingCalendar()).return_by
    Holiday.objects.create(date=dt.date(2026, 6, 3), name="Nghỉ bù (thử)")
    after = selectors.appraisal_deadlines(dossier, WorkingCalendar()).return_by
    assert (before, after) == (dt.date(2026, 6, 8), dt.date(2026, 6, 9))


def test_an_appraisal_past_its_limit_is_flagged_and_filtered_in_the_queue(people, client):
    w = people
    late, on_time = parked(w, DossierFlow.appraise, S.IN_APPRAISAL, 2, owner=w.officer)
    Dossier.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - dt.timedelta(days=45))

    client.force_login(w.officer)
    rows = {r.dossier.pk: r for r in client.get(reverse("standing-queue")).context["page"].object_list}
    assert rows[late.pk].overdue and not rows[on_time.pk].overdue
    assert next(iter(rows)) == late.pk  # earliest deadline first
    flagged = client.get(reverse("standing-queue"), {"overdue": "on"}).context["page"].object_list
    assert [r.dossier.pk for r in flagged] == [late.pk]
    assert 'class="table-danger"' in client.get(reverse("standing-queue")).content.decode()


def test_latest_overdue_start_agrees_with_the_deadline(db):
    calendar = WorkingCalendar()
    today = dt.date(2026, 3, 20)
    last = calendar.latest_overdue_start(today, 20)
    assert calendar.add_working_days(last, 20) < today
    assert calendar.add_working_days(last + dt.timedelta(days=1), 20) >= today


def test_drafts_show_the_working_days_left_to_the_campaigns_deadline(people, client):
    w = people
    w.campaign.submission_deadline = timezone.localdate() + dt.timedelta(days=14)
    w.campaign.save()
    client.force_login(w.head_a)
    f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
    row = client.get(reverse("unit-inbox")).context["page"].object_list[0]
    expected = WorkingCalendar().working_days_between(timezone.localdate(), w.campaign.submission_deadline)
    assert row.working_days_left == expected and not row.deadline_passed
