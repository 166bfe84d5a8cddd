"""Periods: Monday weeks, month, quarter and year boundaries, windows and like-for-like comparison;
the engine's period buckets agree with the Python calendar on every backend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import devvolume as dv
from devvolume.core import first_day, period_starts

D = dt.date


@pytest.mark.parametrize(
    ("day", "period", "first"),
    [
        ("2026-01-01", "W", D(2025, 12, 29)),  # a Thursday: its ISO week starts in 2025
        ("2026-01-04", "W", D(2025, 12, 29)),  # Sunday ends the week
        ("2026-01-05", "W", D(2026, 1, 5)),  # Monday starts one
        ("2026-03-31", "Q", D(2026, 1, 1)),
        ("2026-04-01", "Q", D(2026, 4, 1)),
        ("2026-12-31", "Y", D(2026, 1, 1)),
        ("2024/2/29", "M", D(2024, 2, 1)),
    ],
)
def test_first_day(day, period, first):
    assert first_day(day, period) == first
    assert dv.period_window(day, period).first == first


def test_windows_step_back_across_year_ends():
    assert str(dv.period_window("2026-01-15", "M", back=1)) == "2025-12-01 – 2025-12-31"
    assert str(dv.period_window("2026-02-10", "Q", back=2)) == "2025-07-01 – 2025-09-30"
    assert dv.period_window("2024-02-10", "M").days == 29
    assert str(dv.period_window("2026-01-01", "W", back=1)) == "2025-12-22 – 2025-12-28"


@pytest.mark.parametrize(
    ("as_of", "period", "current", "previous", "basis"),
    [
        ("2026-05-12", "M", "2026-05-01 – 2026-05-12", "2026-04-01 – 2026-04-12", "same_days"),
        ("2026-04-30", "M", "2026-04-01 – 2026-04-30", "2026-03-01 – 2026-03-31", "complete"),
        # 30 days of March against February: February has only 28.
        ("2026-03-30", "M", "2026-03-01 – 2026-03-30", "2026-02-01 – 2026-02-28", "same_days"),
        # A week still running on Wednesday: Monday to Wednesday against the same days.
        ("2026-06-10", "W", "2026-06-08 – 2026-06-10", "2026-06-01 – 2026-06-03", "same_days"),
        ("2026-06-14", "W", "2026-06-08 – 2026-06-14", "2026-06-01 – 2026-06-07", "complete"),
        ("2026-05-20", "Q", "2026-04-01 – 2026-05-20", "2026-01-01 – 2026-02-19", "same_days"),
    ],
)
def test_like_for_like(as_of, period, current, previous, basis):
    comparison = dv.like_for_like(as_of, period)
    assert (str(comparison.current), str(comparison.previous)) == (current, previous)
    assert comparison.basis == basis
    assert comparison.partial == (basis == "same_days")
    if basis == "same_days":
        assert comparison.current.days == comparison.previous.days or previous.endswith("02-28")


def test_last_complete():
    middle = dv.last_complete("2026-05-12", "M")
    assert (str(middle.current), str(middle.previous)) == (
        "2026-04-01 – 2026-04-30",
        "2026-03-01 – 2026-03-31",
    )
    assert str(dv.last_complete("2026-05-31", "M").current) == "2026-05-01 – 2026-05-31"


def test_unknown_period_is_refused():
    with pytest.raises(ValueError, match="period"):
        dv.period_window("2026-05-12", "D")


@settings(max_examples=25, deadline=None)
@given(
    days=st.lists(st.integers(0, 800), min_size=1, max_size=15),
    period=st.sampled_from("WMQY"),
)
def test_engine_buckets_match_the_calendar(days, period):
    start = D(2024, 11, 20)
    dates = [start + dt.timedelta(days=d) for d in days]
    log = pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "customer": [f"C{i}" for i in range(len(dates))],
            "stage": ["contacted"] * len(dates),
        }
    )
    volume = dv.development_volume(log, level="contacted", period=period)
    got = {p.date(): v for p, v in zip(volume["period"], volume["volume"], strict=True)}
    calendar = period_starts(min(dates), max(dates), period)
    assert list(got) == calendar
    expected = dict.fromkeys(calendar, 0)
    for day in dates:
        expected[first_day(day, period)] += 1
    assert got == expected


def test_weeks_agree_on_every_backend(backend):
    log = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-12-28", "2025-12-29", "2026-01-04", "2026-01-05"]),
            "customer": ["C1", "C2", "C3", "C4"],
            "stage": ["contacted"] * 4,
        }
    )
    rows = backend.rows(dv.development_volume(backend.make(log), level="contacted", period="W"))
    assert rows == [(D(2025, 12, 22), 1), (D(2025, 12, 29), 2), (D(2026, 1, 5), 1)]


@pytest.mark.parametrize(
    ("as_of", "period", "covered_from", "current", "previous", "basis"),
    [
        # an export that starts on 20 October: 2017 against 2016 on the covered days only
        ("2017-12-31", "Y", "2016-10-20", "2017-10-20 – 2017-12-31", "2016-10-20 – 2016-12-31",
         "covered_days"),
        # no 成交 before March 2017: nothing to compare 2017 with
        ("2017-12-31", "Y", "2017-03-01", "2017-01-01 – 2017-12-31", "2016-01-01 – 2016-12-31",
         "none"),
        # a rep who joined on 17 February, in March so far
        ("2025-03-20", "M", "2025-02-17", "2025-03-17 – 2025-03-20", "2025-02-17 – 2025-02-20",
         "covered_days"),
        # ... and joined on the 25th: the same days of February are not covered at all
        ("2025-03-20", "M", "2025-02-25", "2025-03-01 – 2025-03-20", "2025-02-01 – 2025-02-20",
         "none"),
        # a log that starts on the first working day still covers the month
        ("2025-02-28", "M", "2025-01-02", "2025-02-01 – 2025-02-28", "2025-01-01 – 2025-01-31",
         "complete"),
        # a week that starts on Wednesday: Wednesday to Sunday against the same days
        ("2026-06-14", "W", "2026-06-03", "2026-06-10 – 2026-06-14", "2026-06-03 – 2026-06-07",
         "covered_days"),
    ],
)
def test_like_for_like_on_the_days_the_data_cover(as_of, period, covered_from, current, previous, basis):
    comparison = dv.like_for_like(as_of, period, covered_from=covered_from)
    assert (str(comparison.current), str(comparison.previous), comparison.basis) == (current, previous, basis)
    assert comparison.fair == (basis != "none")
