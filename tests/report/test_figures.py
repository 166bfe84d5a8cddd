"""Report figures without a kernel: the report day, slices of the company, like-for-like windows.

The hand case is ``shared_log`` (tests/conftest.py): team A contacts 客户甲 first and team B wins
it. Independent recounts (plain Python over the rows) are the oracles for the generated logs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from report_helpers import shared_teams_rows

import devvolume as dv
from devvolume.report import (
    describe_comparison,
    load_company,
    period_figures,
    period_target,
    pick,
    report_day,
    volume_table,
    window_labels,
)

LEVELS = ["contacted", "qualified", "signed", "won"]
RANK = {"contacted": 0, "qualified": 1, "signed": 2, "won": 3, "lost": 0,
        "首次接触": 0, "意向": 1, "签约": 2, "成交": 3, "流失": 0}
LABELS = {key: key for key in ("level", "delta", "target", "attain")}


def first_reached(log: pd.DataFrame) -> dict[tuple[str, str], tuple[pd.Timestamp, str, str]]:
    """Oracle: (customer, level) -> (date, team, rep) of the row that first reached it.

    Ties on a day: the higher stage, then the smaller rep, then the smaller team.
    """
    found: dict[tuple[str, str], tuple[Any, ...]] = {}
    for row in log.itertuples(index=False):
        for number, level in enumerate(LEVELS):
            if RANK[row.stage] < number or (number and row.stage in ("lost", "流失")):
                continue
            key = (row.date, -RANK[row.stage], row.rep, row.team)
            if (row.customer, level) not in found or key < found[(row.customer, level)]:
                found[(row.customer, level)] = key
    return {k: (v[0], v[3], v[2]) for k, v in found.items()}


def oracle_volume(log: pd.DataFrame, first: dt.date, last: dt.date) -> dict[tuple[str, str], int]:
    """Oracle: (team, level) -> new customers whose first date falls in [first, last]."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (_, level), (date, team, _) in first_reached(log).items():
        if first <= date.date() <= last:
            counts[(team, level)] += 1
    return counts


# --- the report day ----------------------------------------------------------------------------


def test_report_day_defaults_to_the_last_day_and_checks_the_range(shared_log: pd.DataFrame) -> None:
    assert report_day(shared_log) == dt.date(2026, 4, 20)
    assert report_day(shared_log, "") == dt.date(2026, 4, 20)
    assert report_day(shared_log, "2026/3/31") == dt.date(2026, 3, 31)
    assert report_day(shared_log, dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
    with pytest.raises(ValueError, match=r"不在数据的日期范围内（2026-03-02 至 2026-04-20）") as outside:
        report_day(shared_log, "2026-05-01")
    assert "is outside the data's dates (2026-03-02 to 2026-04-20)" in str(outside.value)
    assert "Hint:" in str(outside.value)
    with pytest.raises(ValueError, match=r"不是一个日期 / as_of='31/03/2026' is not a date"):
        report_day(shared_log, "31/03/2026")
    with pytest.raises(ValueError, match="is not a date"):
        report_day(shared_log, "2026-02-30")
    with pytest.raises(ValueError, match="2026-03-01"):
        report_day(shared_log, "2026-03-01")  # the day before the first row


def test_company_is_cut_by_date_and_names_what_exists(shared_log: pd.DataFrame) -> None:
    company = load_company(shared_log, as_of="2026-03-31")
    assert company.log["date"].max() == pd.Timestamp("2026-03-30")
    assert set(company.log["team"]) == {"A", "B"}  # every team, never one team's rows
    assert company.reached["last_date"].max() <= pd.Timestamp("2026-03-31")
    with pytest.raises(ValueError, match=r"no team named 'C'\. 现有团队 / teams: A、B"):
        company.check("team", "C")
    late = load_company(shared_log.assign(team=shared_log["team"].where(
        shared_log["date"] < pd.Timestamp("2026-04-01"), "Late")), as_of="2026-03-31")
    with pytest.raises(ValueError, match="has no activity up to 2026-03-31"):
        late.check("team", "Late")


# --- the hand case -----------------------------------------------------------------------------


def test_the_contact_goes_to_team_a_and_the_win_to_team_b(shared_log: pd.DataFrame) -> None:
    company = load_company(shared_log, as_of="2026-03-31")
    a = period_figures(company, period="M", team="A")
    b = period_figures(company, period="M", team="B")
    assert a.now == {"contacted": 2, "qualified": 0, "signed": 0, "won": 0}  # 甲 and 丙
    assert b.now == {"contacted": 1, "qualified": 1, "signed": 1, "won": 1}  # 乙; 甲 won by B
    assert a.comparison.basis == "complete"
    assert a.outlook is None  # March is over on 31 March: nothing to forecast
    assert a.summary() == {"period": "2026-03-01", "as_of": "2026-03-31", "contacted": 2,
                           "qualified": 0, "signed": 0, "won": 0, "target": None,
                           "attainment": None}
    company_figures = period_figures(company, period="M")
    for level in LEVELS:
        assert a.now[level] + b.now[level] == company_figures.now[level]
    # cohort credit: A's cohort (甲, 丙) holds 甲's win by B; B's cohort (乙) has no win yet
    funnels = dv.funnel(company.reached, by="team")
    assert pick(funnels, team="A")["customers"].tolist() == [2, 1, 1, 1]
    assert pick(funnels, team="B")["customers"].tolist() == [1, 0, 0, 0]
    wins = dv.win_rate(company.reached, by="team")
    assert pick(wins, team="A")[["won", "lost"]].values.tolist() == [[0, 1]]  # 丙 lost
    assert pick(wins, team="B")[["won", "lost"]].values.tolist() == [[1, 0]]


def test_a_partial_month_is_compared_with_the_same_days(shared_log: pd.DataFrame) -> None:
    company = load_company(shared_log)  # 20 April
    a = period_figures(company, period="M", team="A")
    assert a.comparison.basis == "same_days"
    assert (a.comparison.previous.first, a.comparison.previous.last) == (dt.date(2026, 3, 1),
                                                                         dt.date(2026, 3, 20))
    assert a.now == {"contacted": 1, "qualified": 1, "signed": 1, "won": 1}  # 丁; 乙 won by A
    # the log holds its first 意向 row on 03-10 and its first 签约 and 成交 rows after 03-20:
    # 意向 is compared on 10-20 March and April, the later levels not at all; the table shows "—"
    # rather than a raw count of other days
    assert a.before == {"contacted": 2, "qualified": None, "signed": None, "won": None}
    assert {level: windows.basis for level, windows in a.comparisons.items()} == {
        "contacted": "same_days", "qualified": "covered_days", "signed": "none", "won": "none"}
    assert str(a.comparisons["qualified"].previous) == "2026-03-10 – 2026-03-20"
    assert a.changes["won"] is None
    assert a.changes["contacted"].after == (1, 20)
    assert a.changes["contacted"].before == (2, 20)
    assert a.outlook is not None
    assert a.outlook.so_far == 1
    b = period_figures(company, period="M", team="B")
    assert b.before["contacted"] == 1
    table = volume_table(a, text=LABELS)
    assert list(table.columns[:2]) == ["本期至今", "上期同样天数"]
    assert table.loc["首次接触"].tolist() == [1, 2, "-1", "—", "—"]
    assert table.loc["成交"].tolist()[1:3] == ["—", "—"]  # no 成交 row before 30 March


# --- wording -----------------------------------------------------------------------------------


def test_the_page_says_which_comparison() -> None:
    partial = dv.like_for_like("2026-06-18", "M")
    assert describe_comparison(partial, period="M") == (
        "本期至今（6 月 1 日–6 月 18 日，18 天）与上期同样天数（5 月 1 日–5 月 18 日）比较。")
    assert describe_comparison(partial, period="M", lang="en") == (
        "This period so far (1 Jun – 18 Jun, 18 days) is compared with the same 18 days of the "
        "period before (1 May – 18 May).")
    week = dv.like_for_like("2025-12-31", "W")
    assert describe_comparison(week, period="W") == (
        "本周至今（12 月 29 日–12 月 31 日，3 天）与上周同样天数（12 月 22 日–12 月 24 日）比较。")
    january = dv.like_for_like("2026-01-18", "M")  # the years differ: say them
    assert describe_comparison(january, period="M").startswith("本期至今（2026 年 1 月 1 日–1 月 18 日")
    assert "（2025 年 12 月 1 日–12 月 18 日）" in describe_comparison(january, period="M")
    assert window_labels(week, period="W", lang="en") == ("This week so far", "Same days of last week")
    short = dv.like_for_like("2026-03-30", "M")  # February has only 28 days
    assert "上期全部 28 天（2 月 1 日–2 月 28 日）" in describe_comparison(short, period="M")
    whole = dv.like_for_like("2026-03-31", "M")
    assert describe_comparison(whole, period="M") == (
        "本期（3 月 1 日–3 月 31 日）与上期（2 月 1 日–2 月 28 日）整期比较。")
    assert window_labels(whole, period="M") == ("本期", "上期")


def test_a_finished_period_is_not_forecast(shared_log: pd.DataFrame) -> None:
    company = load_company(shared_log, as_of="2026-03-31")
    figures = period_figures(company, period="M", team="B", target=2)
    text = dv.report.outlook_text(figures)
    assert text == "本期已于 2026-03-31 结束：新成交客户 1 个，目标 2 个，达成率 50%。期末不再预测。"
    assert "Nothing left to forecast" in dv.report.outlook_text(figures, lang="en")
    assert figures.summary()["attainment"] == 0.5
    running = period_figures(load_company(shared_log, as_of="2026-04-10"), period="M", team="A")
    assert "预计" in dv.report.outlook_text(running)
    assert "at this pace" in dv.report.outlook_text(running, lang="en")


def test_targets_belong_to_the_period_and_never_to_a_week() -> None:
    plan = pd.DataFrame({"rep": ["A", "B", "A"], "team": ["T", "T", "U"],
                         "period": pd.to_datetime(["2026-04-01", "2026-04-01", "2026-05-01"]),
                         "target": [3, 4, 5]})
    assert period_target(plan, day="2026-04-30", period="M", team="T") == 7
    assert period_target(plan, day="2026-04-30", period="M", rep="A") == 3
    assert period_target(plan, day="2026-05-02", period="Q", rep="A") == 8
    assert period_target(plan, day="2026-04-30", period="W", team="T") is None
    assert period_target(plan, day="2026-06-30", period="M", team="T") is None
    assert period_target(None, day="2026-04-30", period="M", team="T") is None


# --- slices add up, against an oracle ----------------------------------------------------------


@pytest.mark.parametrize("period", ["M", "W", "Q"])
def test_generated_team_figures_are_the_oracle_slices(period: str) -> None:
    log = shared_teams_rows()
    company = load_company(log)
    comparison = dv.like_for_like(company.day, period)
    now = oracle_volume(log, comparison.current.first, comparison.current.last)
    before = oracle_volume(log, comparison.previous.first, comparison.previous.last)
    total = period_figures(company, period=period)
    sums: dict[str, int] = defaultdict(int)
    for team in sorted(set(log["team"])):
        figures = period_figures(company, period=period, team=team)
        for level in LEVELS:
            assert figures.now[level] == now[(team, level)], (team, level)
            if figures.comparisons[level] == comparison:  # the data cover the period before
                assert figures.before[level] == before[(team, level)], (team, level)
            else:
                assert figures.before[level] is None
            sums[level] += figures.now[level]
    assert dict(sums) == total.now
    reps = [period_figures(company, period=period, rep=rep) for rep in company.names["rep"]]
    assert {level: sum(figures.now[level] for figures in reps) for level in LEVELS} == total.now
    # a recount on each team's own rows would count the shared customers more than once
    recount = sum(dv.development_volume(log[log["team"] == team], level="contacted", period="Y")
                  ["volume"].sum() for team in set(log["team"]))
    assert recount > dv.development_volume(log, level="contacted", period="Y")["volume"].sum()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), day=st.integers(0, 75))
def test_team_figures_add_up_to_the_company_on_any_day(seed: int, day: int) -> None:
    log = shared_teams_rows(seed=seed, customers=25)
    as_of = max(pd.Timestamp("2026-01-01") + pd.Timedelta(days=day), log["date"].min())
    as_of = min(as_of, log["date"].max())
    company = load_company(log, as_of=as_of.date())
    total = period_figures(company, period="M")
    teams = [period_figures(company, period="M", team=team) for team in company.names["team"]]
    sums = {level: sum(figures.now[level] for figures in teams) for level in LEVELS}
    assert sums == total.now
    for level in LEVELS:  # where every team is compared on the company's windows, they add up
        if all(figures.comparisons[level] == total.comparisons[level] for figures in teams) \
                and total.before[level] is not None:
            assert sum(figures.before[level] for figures in teams) == total.before[level]
