"""Significance of a change and the run-rate forecast, on every backend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from scipy import stats as sp

import devvolume.core._significance as st


def won_log(dates: list[str], stage: str = "won") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "customer": [f"C{i}" for i in range(len(dates))],
            "stage": [stage] * len(dates),
        }
    )


def test_volume_change_known_p_value(backend):
    # 10 new customers in April's first 10 days vs 30 in May's: exact two-sided p = 0.00222.
    dates = [f"2026-04-{d:02d}" for d in range(1, 11)] + [
        f"2026-05-{d:02d}" for d in range(1, 11) for _ in range(3)
    ]
    result = st.compare_periods(
        backend.make(won_log(dates)),
        before=("2026-04-01", "2026-04-10"),
        after=(dt.date(2026, 5, 1), dt.date(2026, 5, 10)),
    )
    assert result.before == (10, 10)
    assert result.after == (30, 10)
    assert result.effect == pytest.approx(3.0)
    assert result.p_value == pytest.approx(0.00222, abs=5e-5)
    assert result.significant
    assert result.ci_low < 3.0 < result.ci_high
    assert "不太可能只是随机波动" in result.message


def test_volume_counts_customers_not_rows(backend):
    log = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-04-02", "2026-04-03"]),
            "customer": ["C1", "C1", "C2", "C3"],  # C1 is one new customer, not two
            "stage": ["won", "won", "contacted", "won"],
        }
    )
    result = st.compare_periods(
        backend.make(log), before=("2026-03-01", "2026-03-31"), after=("2026-04-01", "2026-04-30")
    )
    assert result.before == (1, 31)
    assert result.after == (1, 30)
    assert result.p_value == pytest.approx(1.0)
    assert not result.significant
    assert "可能只是随机波动" in result.message


def test_conversion_change_fisher(backend):
    rows = []
    for month, converted in (("03", 1), ("04", 9)):
        for i in range(10):
            customer = f"C{month}{i}"
            rows.append((f"2026-{month}-02", customer, "contacted"))
            if i < converted:
                rows.append((f"2026-{month}-20", customer, "won"))
    log = pd.DataFrame(rows, columns=["date", "customer", "stage"])
    log["date"] = pd.to_datetime(log["date"])
    result = st.compare_periods(
        backend.make(log),
        before=("2026-03-01", "2026-03-31"),
        after=("2026-04-01", "2026-04-30"),
        metric="conversion",
    )
    assert result.before == (1, 10)
    assert result.after == (9, 10)
    assert result.effect == pytest.approx(0.8)
    assert result.p_value == pytest.approx(sp.fisher_exact([[9, 1], [1, 9]]).pvalue)
    assert result.p_value == pytest.approx(0.0011, abs=1e-4)
    assert -1 <= result.ci_low < 0.8 < result.ci_high <= 1
    assert "百分点" in result.message
    within = st.compare_periods(
        backend.make(log),
        before=("2026-03-01", "2026-03-31"),
        after=("2026-04-01", "2026-04-30"),
        metric="conversion",
        within_days=10,
    )
    assert within.before == (0, 10)
    assert within.after == (0, 10)


def test_compare_errors():
    log = won_log(["2026-03-02"])
    with pytest.raises(ValueError, match="结束日早于开始日"):
        st.compare_periods(
            log, before=("2026-03-31", "2026-03-01"), after=("2026-04-01", "2026-04-02")
        )
    with pytest.raises(ValueError, match="metric"):
        st.compare_periods(
            log,
            before=("2026-03-01", "2026-03-31"),
            after=("2026-04-01", "2026-04-30"),
            metric="rows",
        )
    empty = st.compare_periods(
        log, before=("2026-01-01", "2026-01-31"), after=("2026-02-01", "2026-02-28")
    )
    assert empty.p_value == 1.0
    assert "无法比较" in empty.message


def test_forecast_run_rate(backend):
    log = won_log(["2026-04-02", "2026-04-07", "2026-04-09", "2026-04-10", "2026-03-30"])
    result = st.forecast(
        backend.make(log), period_start="2026-04-01", period_end="2026-04-30", target=10
    )
    assert (result.so_far, result.elapsed_days, result.remaining_days) == (4, 10, 20)
    assert result.projected == pytest.approx(12.0)
    assert result.low <= 12 <= result.high
    remaining = sp.nbinom(4 + st.RATE_PRIOR_SHAPE, 10 / 30)
    assert result.probability == pytest.approx(remaining.sf(5))
    assert "预计" in result.message
    assert "概率" in result.message


def test_forecast_edges():
    log = won_log(["2026-04-02", "2026-04-07"])
    reached = st.forecast(log, period_start="2026-04-01", period_end="2026-04-30", target=2)
    assert reached.probability == 1.0
    done = st.forecast(
        log, period_start="2026-04-01", period_end="2026-04-30", as_of="2026-04-30", target=3
    )
    assert (done.remaining_days, done.low, done.high, done.probability) == (0, 2, 2, 0.0)
    with pytest.raises(ValueError, match="as_of"):
        st.forecast(log, period_start="2026-04-01", period_end="2026-04-30", as_of="2026-05-02")


def test_nothing_before_gives_no_multiple():
    log = pd.DataFrame(
        {"date": pd.to_datetime(["2026-04-03"]), "customer": ["C1"], "stage": ["won"]}
    )
    result = st.compare_periods(
        log, before=("2026-03-01", "2026-03-31"), after=("2026-04-01", "2026-04-30")
    )
    assert "inf" not in result.message
    assert "算不出倍数" in result.message
