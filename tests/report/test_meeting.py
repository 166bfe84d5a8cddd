"""The weekly meeting review and the stalled-customer list."""

from __future__ import annotations

import pandas as pd
import pytest

from devvolume.report import _meeting as meeting


def _log() -> pd.DataFrame:
    rows = [
        ("2025-06-02", "A", "C1", "contacted"),   # last week: new contact
        ("2025-06-09", "A", "C1", "contacted"),   # this week: repeat contact, not new
        ("2025-06-10", "A", "C2", "won"),         # this week: implies contacted, new
        ("2025-06-15", "B", "C3", "contacted"),   # Sunday: still this week
        ("2025-06-16", "B", "C4", "contacted"),   # next Monday: not this week
        ("2025-05-01", "B", "C5", "qualified"),   # stalled (implied contact)
        ("2025-05-02", "B", "C6", "signed"),      # stalled at signed
        ("2025-05-03", "B", "C7", "qualified"),
        ("2025-05-04", "B", "C7", "lost"),        # lost: not stalled
        ("2025-05-05", "B", "C8", "contacted"),   # never qualified: not stalled
        ("2025-06-12", "A", "C9", "qualified"),   # recent: not stalled
    ]
    frame = pd.DataFrame(rows, columns=["date", "rep", "customer", "stage"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["team"] = "T"
    return frame


def test_week_start_is_monday() -> None:
    assert meeting.week_start("2025-06-15") == pd.Timestamp("2025-06-09")
    assert meeting.week_start("2025-06-16") == pd.Timestamp("2025-06-16")


def test_weekly_review_counts_new_customers_in_iso_weeks() -> None:
    review = meeting.weekly_review(_log(), week="2025-06-11").set_index("rep")
    assert review.loc["A", "新接触_本周"] == 2      # C2 and C9; C1 is a repeat
    assert review.loc["A", "新接触_上周"] == 1
    assert review.loc["B", "新接触_本周"] == 1      # C3 on Sunday; C4 is next week
    assert review.loc["A", "新成交_本周"] == 1
    assert review.loc["A", "活动_本周"] == 3
    assert review.loc["合计", "新接触_本周"] == 3
    assert review.loc["合计", "新接触_变化"] == 2


def test_stalled_customers_rules() -> None:
    stalled = meeting.stalled_customers(_log(), as_of="2025-06-16")
    assert stalled["customer"].tolist() == ["C5", "C6"]
    assert stalled["stage"].tolist() == ["qualified", "signed"]
    assert stalled["idle_days"].tolist() == [46, 45]
    assert meeting.stalled_customers(_log(), as_of="2025-06-16", idle_days=60).empty


def test_unknown_team_lists_the_teams() -> None:
    with pytest.raises(ValueError, match="T"):
        meeting.weekly_review(_log(), week="2025-06-11", team="X")
