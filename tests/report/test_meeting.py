"""The weekly meeting review: rep rows are slices of company-wide counts, like for like."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from report_helpers import shared_teams_rows

import devvolume as dv
from devvolume.report import TOTAL, load_company, period_figures, review_chart, weekly_review


def _log() -> pd.DataFrame:
    rows = [
        ("2025-06-02", "A", "C1", "contacted"),   # last week (Monday): new contact
        ("2025-06-06", "B", "C9", "contacted"),   # last week (Friday): after the same days
        ("2025-06-09", "A", "C1", "contacted"),   # this week: repeat contact, not new
        ("2025-06-10", "A", "C2", "won"),         # this week: implies contacted, new
        ("2025-06-15", "B", "C3", "contacted"),   # Sunday: still this week
        ("2025-06-16", "B", "C4", "contacted"),   # next Monday: not this week
    ]
    frame = pd.DataFrame(rows, columns=["date", "rep", "customer", "stage"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["team"] = "T"
    return frame


def test_a_whole_week_is_compared_with_the_whole_week_before() -> None:
    review = weekly_review(_log(), as_of="2025-06-15").set_index("rep")
    assert review.attrs["comparison"].basis == "complete"
    assert review.loc["A", "新接触_本周"] == 1      # C2; C1 is a repeat
    assert review.loc["A", "新接触_上周"] == 1
    assert review.loc["B", "新接触_本周"] == 1      # C3 on Sunday; C4 is next week
    assert review.loc["B", "新接触_上周"] == 1      # C9
    assert review.loc["A", "新成交_本周"] == 1
    assert review.loc["A", "活动_本周"] == 2
    assert review.loc[TOTAL, "新接触_本周"] == 2
    assert review.loc[TOTAL, "新接触_变化"] == 0


def test_a_running_week_is_compared_with_the_same_days() -> None:
    review = weekly_review(_log(), as_of="2025-06-11").set_index("rep")  # a Wednesday
    comparison = review.attrs["comparison"]
    assert comparison.basis == "same_days"
    assert (comparison.previous.first, comparison.previous.last) == (dt.date(2025, 6, 2),
                                                                     dt.date(2025, 6, 4))
    assert review.loc["B", "新接触_上周"] == 0      # C9 came on Friday: not in Monday to Wednesday
    assert review.loc["B", "新接触_本周"] == 0      # C3 comes on Sunday, after the report day
    assert review.loc[TOTAL, "新接触_本周"] == 1
    assert review.loc[TOTAL, "活动_上周"] == 1


def test_a_shared_customer_is_new_only_for_the_team_that_contacted_it_first(
    shared_log: pd.DataFrame,
) -> None:
    # Wednesday 1 April: 丁 is contacted by both teams that day (张 of A sorts first), and
    # B won 甲 on Monday 30 March; a recount on B's own rows would call 丁 new for B as well.
    b = weekly_review(shared_log, as_of="2026-04-01", team="B").set_index("rep")
    assert b.loc["李", ["新接触_本周", "新成交_本周", "活动_本周"]].tolist() == [0, 1, 2]
    assert b.loc["李", ["新接触_上周", "活动_上周"]].tolist() == [0, 1]  # 24 March: 甲 signed
    a = weekly_review(shared_log, as_of="2026-04-01", team="A").set_index("rep")
    assert a.loc["张", ["新接触_本周", "新成交_本周", "活动_本周"]].tolist() == [1, 0, 1]
    both = weekly_review(shared_log, as_of="2026-04-01").set_index("rep")
    assert both.loc[TOTAL, "新接触_本周"] == a.loc[TOTAL, "新接触_本周"] + b.loc[TOTAL, "新接触_本周"]


def test_review_totals_are_the_team_figures_of_the_week() -> None:
    log = shared_teams_rows()
    company = load_company(log)
    for team in company.names["team"]:
        review = weekly_review(company.log, as_of=company.day, team=team, reached=company.reached)
        total = review.set_index("rep").loc[TOTAL]
        figures = period_figures(company, period="W", team=team)
        assert total["新接触_本周"] == figures.now["contacted"]
        assert total["新接触_上周"] == figures.before["contacted"]
        assert total["新成交_本周"] == figures.now["won"]
        assert total["新成交_上周"] == figures.before["won"]
        week = dv.like_for_like(company.day, "W").current
        rows = company.log[(company.log["team"] == team)
                           & (company.log["date"] >= pd.Timestamp(week.first))]
        assert total["活动_本周"] == len(rows)  # oracle: the team's own rows this week


def test_every_rep_of_the_team_is_listed_even_without_credit(shared_log: pd.DataFrame) -> None:
    log = pd.concat([shared_log, pd.DataFrame({
        "date": pd.to_datetime(["2026-04-02"]), "rep": ["王"], "team": ["B"],
        "customer": ["客户甲"], "stage": ["成交"]})], ignore_index=True)  # a follow-up only
    review = weekly_review(log, as_of="2026-04-02", team="B")
    assert review["rep"].tolist() == ["李", "王", TOTAL]
    assert review.set_index("rep").loc["王", ["新成交_本周", "活动_本周"]].tolist() == [0, 1]


def test_unknown_team_lists_the_teams() -> None:
    with pytest.raises(ValueError, match="T"):
        weekly_review(_log(), as_of="2025-06-11", team="X")


def test_review_chart_draws_both_windows() -> None:
    spec = review_chart(weekly_review(_log(), as_of="2025-06-15")).to_dict()
    assert spec["title"] == "本周与上周：新接触"
    values = next(iter(spec["datasets"].values()))
    assert {row["rep"] for row in values} == {"A", "B"}
