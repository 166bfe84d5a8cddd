"""Deals beside customers: deal win rate, won and first/repeat deals, open and stalled deals.

The hand case (every number below is counted by hand):

- C1 has three deals. D1: contacted 03-02, won 03-20 (500): C1's first deal, it made C1 a
  customer. D2: qualified 04-01, won 04-08 (800): a repeat deal. D3: contacted 04-10, lost 04-15.
- C2 has two open deals: D4 qualified 03-06 and quiet since; D5 signed 04-20.
- C3: D6 lost 03-10. C4: one row without a deal id (activity, not a deal).
- C5: D7 (100) and D8 (200) both won on 04-05 by the same rep: the tie goes to the smaller deal
  id, so D7 is the first deal and D8 a repeat deal.

Customers won: C1, C5; lost: C3 -> customer win rate 2/3. Deals won D1, D2, D7, D8; lost D3, D6
-> deal win rate 4/6. Won revenue 1,600, of which first deals 600 (D1, D7).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import devvolume as dv

D = dt.date


@pytest.fixture
def deal_log() -> pd.DataFrame:
    rows = [
        ("2026-03-02", "A", "T1", "C1", "contacted", "D1", None),
        ("2026-03-20", "A", "T1", "C1", "won", "D1", 500.0),
        ("2026-04-01", "B", "T2", "C1", "qualified", "D2", None),
        ("2026-04-08", "B", "T2", "C1", "won", "D2", 800.0),
        ("2026-04-10", "B", "T2", "C1", "contacted", "D3", None),
        ("2026-04-15", "B", "T2", "C1", "lost", "D3", None),
        ("2026-03-05", "A", "T1", "C2", "contacted", "D4", None),
        ("2026-03-06", "A", "T1", "C2", "qualified", "D4", None),
        ("2026-04-20", "B", "T2", "C2", "signed", "D5", None),
        ("2026-03-10", "A", "T1", "C3", "lost", "D6", None),
        ("2026-04-02", "A", "T1", "C4", "contacted", None, None),
        ("2026-04-05", "A", "T1", "C5", "won", "D8", 200.0),
        ("2026-04-05", "A", "T1", "C5", "won", "D7", 100.0),
    ]
    frame = pd.DataFrame(rows, columns=["date", "rep", "team", "customer", "stage", "deal",
                                        "amount"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({"deal": "str"})


def test_customer_and_deal_win_rates_side_by_side(backend: Any, deal_log: pd.DataFrame) -> None:
    log = backend.make(deal_log)
    assert backend.records(dv.win_rate(log)) == [{"won": 2, "lost": 1, "win_rate": 2 / 3}]
    assert backend.records(dv.win_rate(log, unit="deal")) == [
        {"deals_won": 4, "deals_lost": 2, "deal_win_rate": 4 / 6}]


def test_deal_win_rate_by_team_and_month(backend: Any, deal_log: pd.DataFrame) -> None:
    log = backend.make(deal_log)
    assert backend.rows(dv.win_rate(log, by="team", unit="deal")) == [
        ("T1", 3, 1, 0.75), ("T2", 1, 1, 0.5)]
    assert backend.rows(dv.win_rate(log, period="M", unit="deal")) == [
        (D(2026, 3, 1), 1, 1, 0.5), (D(2026, 4, 1), 3, 1, 0.75)]


def test_won_deals_split_first_and_repeat(backend: Any, deal_log: pd.DataFrame) -> None:
    log = backend.make(deal_log)
    assert backend.records(dv.won_deals(log)) == [{
        "deals_won": 4, "first_deals": 2, "repeat_deals": 2, "won_revenue": 1600.0,
        "first_deal_revenue": 600.0, "repeat_deal_revenue": 1000.0}]
    assert backend.rows(dv.won_deals(log, by="team")) == [
        ("T1", 3, 2, 1, 800.0, 600.0, 200.0), ("T2", 1, 0, 1, 800.0, 0.0, 800.0)]
    assert backend.rows(dv.won_deals(log, period="M")) == [
        (D(2026, 3, 1), 1, 1, 0, 500.0, 500.0, 0.0),
        (D(2026, 4, 1), 3, 1, 2, 1100.0, 100.0, 1000.0)]


def test_first_deals_match_the_development_credit(backend: Any, deal_log: pd.DataFrame) -> None:
    """Every new won customer has exactly one first deal, credited to the same team and month."""
    log = backend.make(deal_log)
    volume = backend.rows(dv.development_volume(log, level="won", by="team"))
    first = backend.rows(dv.won_deals(log, period="M", by="team"))
    assert [(p, t, v) for p, t, v in volume] == [(p, t, f) for p, t, _, f, *_ in first]


def test_won_deals_without_amounts_has_no_revenue(backend: Any, deal_log: pd.DataFrame) -> None:
    result = dv.won_deals(backend.make(deal_log.drop(columns="amount")))
    assert backend.records(result) == [{
        "deals_won": 4, "first_deals": 2, "repeat_deals": 2, "won_revenue": None,
        "first_deal_revenue": None, "repeat_deal_revenue": None}]


def test_open_deals_latest_stage_then_most_recent(backend: Any, deal_log: pd.DataFrame) -> None:
    result = dv.open_deals(backend.make(deal_log), as_of="2026-04-30")
    assert backend.columns(result) == ["customer", "deal", "level", "date", "rep", "team",
                                       "last_date", "idle_days"]
    assert backend.rows(result) == [
        ("C2", "D5", "signed", D(2026, 4, 20), "B", "T2", D(2026, 4, 20), 10),
        ("C2", "D4", "qualified", D(2026, 3, 6), "A", "T1", D(2026, 3, 6), 55)]
    # Up to 03-10, D1 is still open and D5 has not started.
    early = backend.rows(dv.open_deals(backend.make(deal_log), as_of="2026-03-10"))
    assert [row[1] for row in early] == ["D4", "D1"]


def test_stalled_deals_and_the_close_suggestion(backend: Any, deal_log: pd.DataFrame) -> None:
    log = backend.make(deal_log)
    # Deal cycles contacted -> won: 18, 7, 0, 0 days; median 3.5, times 3 -> 11 days.
    stalled = dv.stalled_customers(log, as_of="2026-04-30", unit="deal")
    assert backend.records(stalled) == [{
        "customer": "C2", "deal": "D4", "level": "qualified", "date": D(2026, 3, 6),
        "rep": "A", "team": "T1", "last_date": D(2026, 3, 6), "idle_days": 55,
        "close_after_days": 11, "suggest_close": True}]
    later = dv.stalled_customers(log, as_of="2026-04-30", unit="deal", idle_days=5,
                                 close_after_days=60)
    assert [(r["deal"], r["suggest_close"]) for r in backend.records(later)] == [
        ("D5", False), ("D4", False)]
    # As a customer C2 is not stalled (D5 moved 10 days ago), though its deal D4 is.
    assert backend.rows(dv.stalled_customers(log, as_of="2026-04-30")) == []


def test_no_won_deal_means_no_close_suggestion(backend: Any, deal_log: pd.DataFrame) -> None:
    log = backend.make(deal_log[deal_log["stage"] != "won"])
    records = backend.records(dv.stalled_customers(log, as_of="2026-04-30", unit="deal"))
    assert [(r["deal"], r["close_after_days"], r["suggest_close"]) for r in records] == [
        ("D2", None, False), ("D4", None, False)]


def test_deal_sales_cycle(backend: Any, deal_log: pd.DataFrame) -> None:
    result = dv.sales_cycle(backend.make(deal_log), unit="deal")
    assert backend.rows(result) == [
        ("C1", "D1", "A", "T1", D(2026, 3, 2), D(2026, 3, 20), 18),
        ("C1", "D2", "B", "T2", D(2026, 4, 1), D(2026, 4, 8), 7),
        ("C5", "D7", "A", "T1", D(2026, 4, 5), D(2026, 4, 5), 0),
        ("C5", "D8", "A", "T1", D(2026, 4, 5), D(2026, 4, 5), 0)]


def test_deal_ids_are_per_customer(backend: Any) -> None:
    """Two customers numbering their deals "1" have two deals, not one."""
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-01-06"]),
                          "customer": ["甲", "乙"], "stage": ["won", "lost"],
                          "deal": ["1", "1"]})
    assert backend.records(dv.win_rate(backend.make(frame), unit="deal")) == [
        {"deals_won": 1, "deals_lost": 1, "deal_win_rate": 0.5}]


@pytest.mark.parametrize("func", [dv.win_rate, dv.sales_cycle, dv.won_deals])
def test_unit_deal_needs_a_deal_column(func: Any, design_log: pd.DataFrame) -> None:
    options = {} if func is dv.won_deals else {"unit": "deal"}
    with pytest.raises(ValueError, match=r"(?s)商机.*'deal'.*Hint: .*devvolume import"):
        func(design_log, **options)


def test_unit_deal_refuses_an_empty_deal_column(design_log: pd.DataFrame) -> None:
    log = design_log.assign(deal=None)
    with pytest.raises(ValueError, match="没有一行填了商机编号"):
        dv.win_rate(log, unit="deal")
    with pytest.raises(ValueError, match="reached-levels table has no deals"):
        dv.win_rate(dv.reached_levels(log), unit="deal")


def test_stalled_deals_need_a_deal_column(design_log: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no 'deal' column"):
        dv.stalled_customers(design_log, as_of="2026-06-01", unit="deal")


def test_unknown_unit(deal_log: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"(?s)unit must be 'customer' or 'deal', got 'account'"):
        dv.win_rate(deal_log, unit="account")


# --- properties, on every backend ----------------------------------------------------------------

ROWS = st.lists(
    st.tuples(st.integers(0, 60), st.sampled_from(["A", "B", "C"]), st.sampled_from(["C1", "C2", "C3"]),
              st.sampled_from(["1", "2", "3"]), st.sampled_from(["contacted", "qualified", "signed", "won",
                                                                   "lost"]),
              st.integers(0, 9)),
    min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_deal_measures_add_up(backend: Any, rows: list[tuple[Any, ...]]) -> None:
    """Every won row carries a deal: first deals are the new won customers, team by team and
    month by month; first + repeat = won; the deal win rate is a share; open + closed = all."""
    frame = pd.DataFrame(
        [(dt.date(2026, 1, 1) + dt.timedelta(days=d), rep, {"A": "T1", "B": "T1", "C": "T2"}[rep],
          customer, stage, deal, float(amount) if stage == "won" else None)
         for d, rep, customer, deal, stage, amount in rows],
        columns=["date", "rep", "team", "customer", "stage", "deal", "amount"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame = frame.astype({"deal": "str"})
    log = backend.make(frame)
    volume = backend.rows(dv.development_volume(log, level="won", by="team"))
    split = backend.rows(dv.won_deals(log, period="M", by="team"))
    # (a team credited with a deal but with no customer shows in the deal table only, as 0)
    assert {(p, t): v for p, t, v in volume if v} == {(p, t): f for p, t, _, f, *_ in split if f}
    for _, _, won, first, repeat, revenue, first_revenue, repeat_revenue in split:
        assert won == first + repeat
        assert revenue == pytest.approx(first_revenue + repeat_revenue)
    (total,) = backend.records(dv.win_rate(log, unit="deal"))
    if total["deal_win_rate"] is not None:
        assert 0 <= total["deal_win_rate"] <= 1
    deals = frame.groupby(["customer", "deal"]).size()
    open_deals = len(backend.rows(dv.open_deals(log)))
    assert open_deals + total["deals_won"] + total["deals_lost"] == len(deals)


def test_stalled_customers_as_a_call_list(backend: Any) -> None:
    # On 06-30: C1 signed, quiet 30 days; C2 qualified, quiet 10 days; C3 qualified, quiet 100
    # days; C4 signed, quiet 95 days; C5 won (never stalled). Warm and late stages come first;
    # 90 days or more quiet: suggest closing as lost instead of calling.
    log = pd.DataFrame({
        "date": pd.to_datetime(["2026-03-22", "2026-03-27", "2026-05-31", "2026-06-20",
                                "2026-06-01"]),
        "rep": ["A", "B", "A", "B", "B"], "team": ["T"] * 5,
        "customer": ["C3", "C4", "C1", "C2", "C5"],
        "stage": ["qualified", "signed", "signed", "qualified", "won"]})
    calls = dv.stalled_customers(backend.make(log), as_of="2026-06-30", idle_days=7,
                                 close_after_days=90)
    assert [(r["customer"], r["level"], r["idle_days"], r["suggest_close"])
            for r in backend.records(calls)] == [
        ("C1", "signed", 30, False), ("C4", "signed", 95, True),
        ("C2", "qualified", 10, False), ("C3", "qualified", 100, True)]
    assert {r["close_after_days"] for r in backend.records(calls)} == {90}
    # Without close_after_days the list stays as before: the longest idle first, no flag.
    plain = dv.stalled_customers(backend.make(log), as_of="2026-06-30", idle_days=7)
    assert [r[0] for r in backend.rows(plain)] == ["C3", "C4", "C1", "C2"]
    assert "suggest_close" not in backend.columns(plain)
