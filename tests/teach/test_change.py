"""A month against the month before, with the exact test's verdict."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

import devvolume as dv
from devvolume.teach import _change as change


def _log() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-04-01", "2026-04-09",
                                "2026-04-10", "2026-04-30"]),
        "rep": ["A", "B", "A", "B", "C", "C"], "team": ["T1", "T1", "T1", "T1", "T2", "T2"],
        "customer": ["C1", "C2", "C3", "C2", "C4", "C5"],
        "stage": ["won", "contacted", "won", "won", "won", "won"]})


def test_month_against_the_month_before() -> None:
    result = change.month_over_month(_log(), month="2026-04-20")
    assert result.month == pd.Timestamp("2026-04-01")
    assert (result.before, result.after) == (1, 4)
    assert result.growth == pytest.approx(3.0)
    assert result.comparison.before == (1, 31)
    assert result.comparison.after == (4, 30)
    assert result.basis == "complete"
    assert "全公司 2026-04" in result.headline
    assert "前" not in result.headline


def test_a_month_the_data_stop_inside_is_compared_day_for_day() -> None:
    log = _log()
    log = log[log["date"] <= "2026-04-10"]          # April has 10 days of data
    result = change.month_over_month(log, month="2026-04-01")
    assert result.basis == "same_days"
    assert str(result.windows.current) == "2026-04-01 – 2026-04-10"
    assert str(result.windows.previous) == "2026-03-01 – 2026-03-10"
    assert result.comparison.before == (1, 10)       # C1 on 03-02; nothing after 03-10 counts
    assert result.comparison.after == (3, 10)
    assert "前 10 天" in result.headline


def test_a_team_is_a_slice_of_the_company(shared_log: pd.DataFrame) -> None:
    """乙 was contacted by B and won by A on 04-06: A's April win, never B's."""
    won = dv.development_volume(shared_log, level="won", period="M", by="team")
    for team in ("A", "B"):
        result = change.month_over_month(shared_log, month="2026-04-15", team=team)
        rows = won[won["team"] == team].set_index("period")["volume"]
        assert result.basis == "same_days"           # the data stop on 04-20
        assert result.after == rows[pd.Timestamp("2026-04-01")]
    company = change.month_over_month(shared_log, month="2026-04-15", level="contacted")
    parts = [change.month_over_month(shared_log, month="2026-04-15", team=t, level="contacted")
             for t in ("A", "B")]
    assert company.before == sum(p.before for p in parts) == 3   # 03-01 – 03-20
    assert company.after == sum(p.after for p in parts) == 1


def test_one_team_and_an_empty_month_before() -> None:
    result = change.month_over_month(_log(), month="2026-04-01", team="T2")
    assert (result.before, result.after) == (0, 2)
    assert math.isnan(result.growth)
    assert "—" in result.headline
    with pytest.raises(ValueError, match="T1、T2"):
        change.month_over_month(_log(), month="2026-04-01", team="T9")


def test_checker_follows_its_drop_downs() -> None:
    checker = change.ChangeChecker(_log())
    assert "2026-04" in checker.headline.value
    assert "dv-month-change" in checker.headline._dom_classes
    assert [value for _, value in checker.month.options] == [dt.date(2026, 4, 1)]
    checker.team.value = "T1"
    assert "T1 2026-04" in checker.headline.value
    assert checker.refresh() == change.month_over_month(_log(), month="2026-04-01", team="T1")
    with pytest.raises(ValueError, match="T9"):
        change.ChangeChecker(_log(), team="T9")
