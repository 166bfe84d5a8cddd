"""A month against the month before, with the exact test's verdict."""

from __future__ import annotations

import math

import pandas as pd
import pytest

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
    assert "全公司 2026-04" in result.headline


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
    checker.team.value = "T1"
    assert "T1 2026-04" in checker.headline.value
