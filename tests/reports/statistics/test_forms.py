"""Each form from the known world of conftest.py: the figures counted by hand from that data,
merged unit and recorded awards included; the list behind a figure is the rows it counts."""

import datetime as dt

import pytest

from reports import statistics
from reports.periods import parse_period

pytestmark = pytest.mark.django_db

YEAR = parse_period("2025", dt.date(2026, 3, 11))


def table(slug, unit, period=YEAR):
    return statistics.build_table(slug, period=period, unit=unit, today=dt.date(2026, 3, 11))


def figures(t, row):
    r = next(r for r in t.rows if r.key == row)
    return {c.key: t.value(r, c) for c in t.columns}


def test_0603_counts_province_level_awards_by_nominee_and_procedure(stats):
    t = table("0603", stats.w.commune)
    # Bằng khen: Đỗ Thị Hoa (school B, sudden). CSTĐ cấp tỉnh: Vũ Minh Tuấn (school A's nominee
    # forwarded and decided by the province). Cờ thi đua: recorded for school C (merged into A).
    assert figures(t, "01") == {
        "total": 3,
        "bang_khen_tinh": 1,
        "cstd_tinh": 1,
        "co_tinh": 1,
        "ky_niem_chuong": 0,
    }
    assert figures(t, "02") == {
        "total": 1,
        "bang_khen_tinh": 0,
        "cstd_tinh": 0,
        "co_tinh": 1,
        "ky_niem_chuong": 0,
    }
    assert figures(t, "05")["total"] == 2
    assert figures(t, "04")["total"] == 0
    # Recorded awards carry no procedure: the procedure rows count the engine's awards only.
    assert figures(t, "13") == {
        "total": 1,
        "bang_khen_tinh": 1,
        "cstd_tinh": 0,
        "co_tinh": 0,
        "ky_niem_chuong": 0,
    }
    assert figures(t, "12")["cstd_tinh"] == 1
    assert figures(t, "11")["total"] == 0
    # Leadership levels are not recorded: no figure rather than a false zero.
    assert set(figures(t, "06").values()) == {None}


def test_0602_counts_state_honours_recorded_from_elsewhere(stats):
    t = table("0602", stats.w.commune)
    # Trần Văn Bình's Huân chương (2025). Ngô Thị Thu's Bằng khen of the Prime Minister is of 2024,
    # the other commune's Huân chương is not ours.
    assert figures(t, "01")["total"] == 1
    assert figures(t, "01")["huan_chuong"] == 1
    assert figures(t, "05")["huan_chuong"] == 1
    assert figures(t, "01")["bang_khen_ttcp"] == 0
    t2024 = table("0602", stats.w.commune, parse_period("2024", dt.date(2026, 3, 11)))
    assert figures(t2024, "01")["bang_khen_ttcp"] == 1


def test_0601_counts_campaigns_by_level_length_and_method(stats):
    t = table("0601", stats.w.commune)
    # The commune's campaign (15/5/2025–10/5/2026: under a year, by theme) and school A's year
    # (1/1–31/12/2025, yearly); the province's campaign is above the commune.
    assert figures(t, "01") == {"total": 2, "central": 0, "province": 0, "units": 2}
    assert figures(t, "06")["total"] == 1
    assert figures(t, "07")["total"] == 1
    assert figures(t, "11")["total"] == 1
    assert figures(t, "12")["total"] == 1
    province = table("0601", stats.w.province)
    assert figures(province, "01") == {"total": 3, "central": 0, "province": 1, "units": 2}
    assert figures(province, "03")["total"] == 1


def test_0604_and_0605_count_the_bodies_and_the_people_doing_the_work(stats):
    assert figures(table("0604", stats.w.commune), "01") == {"count": 1}
    assert figures(table("0604", stats.w.province), "01") == {"count": 3}
    t = table("0605", stats.w.commune)
    # world: staff_a (unit staff of school A) and the commune's standing officer.
    assert figures(t, "01") == {"count": 2, "women": None}
    assert figures(t, "r2") == {"count": 1, "women": None}
    assert figures(t, "r3") == {"count": 1, "women": None}
    assert set(figures(t, "02").values()) == {None}


def test_summary_counts_nominees_awards_and_decisions_by_unit_kind_and_year(stats):
    w = stats.w
    t = table("tong-hop", w.commune)
    # Nominees submitted in 2025 (not the draft, not the 2024 dossier, not the upward copy): Lan,
    # Sao Mai, the initiative, Hùng, the household, Dũng, Tuấn. Awards decided in 2025 and not
    # revoked: Lan, Sao Mai, the initiative, Hùng, Hoa, Tuấn. Recorded: the Huân chương and the
    # merged school's Cờ. Decisions issued by the commune: one (the revocation is not an award).
    assert figures(t, "total") == {
        "initiatives": 1,
        "initiatives_awarded": 1,
        "initiatives_recognised": 0,
        "nominees": 7,
        "awards": 6,
        "recorded": 2,
        "decisions": 1,
    }
    # School C's dossier and record count for school A, its successor.
    assert figures(t, f"u{w.school_a.pk}") == {
        "initiatives": 1,
        "initiatives_awarded": 1,
        "initiatives_recognised": 0,
        "nominees": 6,
        "awards": 5,
        "recorded": 2,
        "decisions": 0,
    }
    assert figures(t, f"u{w.school_b.pk}")["awards"] == 1
    assert figures(t, f"u{w.commune.pk}")["decisions"] == 1
    assert not any(r.key == f"u{w.school_c.pk}" for r in t.rows)
    assert figures(t, "k_campaign")["nominees"] == 4
    assert figures(t, "k_campaign")["awards"] == 4
    assert figures(t, "k_achievement") == {
        "initiatives": 0,
        "initiatives_awarded": 0,
        "initiatives_recognised": None,
        "nominees": 2,
        "awards": 1,
        "recorded": None,
        "decisions": None,
    }
    assert figures(t, "k_sudden")["awards"] == 1
    assert figures(t, "y2025")["awards"] == 6


def test_a_period_narrower_than_the_year_counts_only_its_days(stats):
    q1 = table("tong-hop", stats.w.commune, parse_period("2025-Q1", dt.date(2026, 3, 11)))
    # Q1 2025: nominees submitted 1/2 (Tuấn) and 10/3 (Lan, Sao Mai, initiative); Hoa's award (10/1).
    assert figures(q1, "total")["nominees"] == 4
    assert figures(q1, "total")["awards"] == 1
    assert figures(q1, "total")["recorded"] == 1  # the Cờ of 2/2/2025


def test_each_figure_opens_the_rows_it_counts(stats):
    from reports.statistics_selectors import cell_listings

    t = table("tong-hop", stats.w.commune)
    for row in t.rows:
        for col in t.columns:
            value = t.value(row, col)
            if value is None or row.spec is None:
                continue
            listed = sum(listing.queryset.count() for listing in cell_listings(t, row.key, col.key))
            assert listed == value, (row.key, col.key)
    t = table("0603", stats.w.commune)
    names = {r[0] for listing in cell_listings(t, "01", "total") for r in listing.rows(listing.queryset)}
    assert names == {"Đỗ Thị Hoa", "Vũ Minh Tuấn", "Trường Mầm non Hoa Sữa"}
