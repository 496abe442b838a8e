"""The periods a report takes: a month, a quarter, six months, a year, several years, two dates."""

import datetime as dt

import pytest

from reports.periods import parse_period

TODAY = dt.date(2026, 3, 11)


@pytest.mark.parametrize(
    "key, start, end, label",
    [
        ("", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Năm 2026"),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "Năm 2025"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Tháng 02/2024"),
        ("2025-q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30), "Quý III năm 2025"),
        ("2025-H1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "6 tháng đầu năm 2025"),
        ("2025-H2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "6 tháng cuối năm 2025"),
        ("2021-2025", dt.date(2021, 1, 1), dt.date(2025, 12, 31), "Giai đoạn 2021 - 2025"),
        (
            "2025-01-15..2025-06-30",
            dt.date(2025, 1, 15),
            dt.date(2025, 6, 30),
            "Từ ngày 15/01/2025 đến ngày 30/06/2025",
        ),
    ],
)
def test_a_period_key_names_its_days_and_its_label(key, start, end, label):
    period = parse_period(key, TODAY)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "key", ["2025-13", "2025-Q5", "2025-H3", "2025-2021", "2025-06-30..2025-01-01", "1900-2100", "năm ngoái"]
)
def test_anything_else_is_refused_with_the_forms_a_period_takes(key):
    with pytest.raises(ValueError, match="2025-Q1"):
        parse_period(key, TODAY)
