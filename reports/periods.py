"""The period a report covers: a month, a quarter, six months, a year, several years, or any
span from one date to another, written as a short key that URLs and the API carry.

    2025            the year 2025
    2025-03         March 2025
    2025-Q1         the first quarter of 2025 (Q1 … Q4)
    2025-H1         the first six months of 2025 (H1, H2)
    2021-2025       the years 2021 to 2025
    2025-01-15..2025-06-30   from one date to the other, both included
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date
    # As the Ministry's forms print it ("Thời điểm báo cáo"), in Vietnamese whatever the page's
    # language: the form is the office's document.
    label: str

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


MAX_YEARS = 50


def parse_period(key: str | None, today: dt.date) -> Period:
    """The period a key names (at most MAX_YEARS years); the current year when the key is empty.
    ValueError with a message the user can act on when it names none."""
    period = _parse(key, today)
    if period.end.year - period.start.year >= MAX_YEARS or period.start.year < 1900:
        raise ValueError(_not_a_period(period.key))
    return period


def _not_a_period(key: str) -> str:
    return _(
        "“%(key)s” is not a period. Write a year (2025), a month (2025-03), a quarter (2025-Q1), "
        "six months (2025-H1), several years (2021-2025) or two dates (2025-01-01..2025-06-30)."
    ) % {"key": key[:40]}


def _parse(key: str | None, today: dt.date) -> Period:
    key = (key or "").strip()
    if not key:
        key = str(today.year)
    try:
        if m := re.fullmatch(r"(\d{4})", key):
            y = int(m[1])
            return Period(key, dt.date(y, 1, 1), dt.date(y, 12, 31), f"Năm {y}")
        if m := re.fullmatch(r"(\d{4})-(\d{2})", key):
            y, month = int(m[1]), int(m[2])
            return Period(key, dt.date(y, month, 1), _month_end(y, month), f"Tháng {month:02d}/{y}")
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", key):
            y, q = int(m[1]), int(m[2])
            return Period(
                key.upper(), dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"Quý {ROMAN[q]} năm {y}"
            )
        if m := re.fullmatch(r"(\d{4})-[Hh]([12])", key):
            y, h = int(m[1]), int(m[2])
            start, end = (
                (dt.date(y, 1, 1), dt.date(y, 6, 30)) if h == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
            )
            half = "đầu" if h == 1 else "cuối"
            return Period(key.upper(), start, end, f"6 tháng {half} năm {y}")
        if m := re.fullmatch(r"(\d{4})-(\d{4})", key):
            a, b = int(m[1]), int(m[2])
            if b > a:
                return Period(key, dt.date(a, 1, 1), dt.date(b, 12, 31), f"Giai đoạn {a} - {b}")
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", key):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if start <= end:
                return Period(key, start, end, f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}")
    except ValueError:
        pass
    raise ValueError(_not_a_period(key))


def suggested_periods(today: dt.date) -> list[Period]:
    """The periods the page offers: this year and the four before, their halves and quarters,
    and the five years up to this one."""
    out = []
    for y in range(today.year, today.year - 5, -1):
        out.append(parse_period(str(y), today))
        out += [parse_period(f"{y}-H{h}", today) for h in (1, 2)]
        out += [parse_period(f"{y}-Q{q}", today) for q in (1, 2, 3, 4)]
    out.append(parse_period(f"{today.year - 4}-{today.year}", today))
    return out
