"""Working days: Monday to Friday, except public holidays (org.Holiday, editable data).

Time limits in the law are counted in working days (appraisal: 20; return for supplement: 5;
public notice periods), so every deadline goes through here.
"""

import datetime as dt

from .models import Holiday


class WorkingCalendar:
    """Holidays loaded once (one query) for as many computations as a page or a service needs."""

    def __init__(self, holidays=None):
        self.holidays = (
            set(holidays) if holidays is not None else set(Holiday.objects.values_list("date", flat=True))
        )

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself is not counted)."""
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def latest_overdue_start(self, today: dt.date, days: int) -> dt.date:
        """The last day a limit of `days` working days could have started and be past it `today`."""
        day = today
        while self.add_working_days(day, days) >= today:
            day -= dt.timedelta(days=1)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
