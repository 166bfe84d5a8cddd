"""Retention of developed customers: cohort matrix, churn, and the shifted-beta-geometric model.

Orders are rows of ``customer, date[, amount]`` (pandas, polars or DuckDB, like the work log).
A customer's cohort is the period of its first order. :func:`retention_matrix` shows, for each
cohort and each offset k observed, the share that ordered again in period cohort + k (0 shown as
0). :func:`retention_rate` gives the classic (E − N) / S with a stated inactivity rule, and
:func:`fit_sbg` fits Fader & Hardie's (2007) shifted-beta-geometric model to a survival curve
so retention can be projected and turned into a customer lifetime value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
from narwhals.typing import IntoFrameT
from scipy import optimize, special

from devvolume.core import _frames
from devvolume.core._periods import calendar, check_period, period_index, period_start

#: A customer still counts as a customer at the end of period P if it ordered in one of the
#: last ``INACTIVE_AFTER`` periods (P included); after that many periods without an order it
#: has churned. 3 months is a common choice for monthly buyers.
INACTIVE_AFTER = 3
#: Discount rate per period for :meth:`SBGFit.lifetime_value`.
DISCOUNT_RATE = 0.10


def _periodised(orders: Any, func: str, period: str) -> tuple[_frames.Prepared, Any, int, int]:
    check_period(period, func)
    prepared = _frames.validate(orders, func=func, columns=("customer", "date"), check_stages=False)
    frame = prepared.frame.select(
        "customer",
        period_start(nw.col("date"), period).alias("period"),
        period_index(nw.col("date"), period).cast(nw.Int64).alias("_idx"),
    )
    bounds = frame.select(
        nw.col("_idx").min().alias("lo"), nw.col("_idx").max().alias("hi")
    ).collect()
    lo, hi = bounds.item(0, "lo"), bounds.item(0, "hi")
    return prepared, frame, (0 if lo is None else int(lo)), (-1 if hi is None else int(hi))


def retention_matrix(orders: IntoFrameT, *, period: str = "M") -> IntoFrameT:
    """Cohort retention: share of each first-order cohort that ordered again k periods later.

    Parameters
    ----------
    orders : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Orders with ``customer`` and ``date`` (other columns are ignored).
    period : {"W", "M", "Q", "Y"}
        Period of cohorts and offsets.

    Returns
    -------
    Same kind as ``orders`` with ``cohort, offset, customers, retained, retention``: every
    cohort and every offset inside the observed window, zeros included. Offset 0 is always 1.0.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer": ["C1", "C2", "C1", "C3"],
    ...     "date": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-03-02", "2026-02-11"])})
    >>> retention_matrix(orders)
          cohort  offset  customers  retained  retention
    0 2026-01-01       0          2         2        1.0
    1 2026-01-01       1          2         0        0.0
    2 2026-01-01       2          2         1        0.5
    3 2026-02-01       0          1         1        1.0
    4 2026-02-01       1          1         0        0.0
    """
    prepared, frame, lo, hi = _periodised(orders, "retention_matrix", period)
    first = frame.group_by("customer").agg(
        nw.col("period").min().alias("cohort"), nw.col("_idx").min().alias("_cohort_idx")
    )
    active = _frames.distinct(frame, "customer", "_idx").join(first, on="customer")
    retained = (
        active.with_columns((nw.col("_idx") - nw.col("_cohort_idx")).alias("offset"))
        .group_by("cohort", "offset")
        .agg(nw.len().alias("retained"))
    )
    sizes = first.group_by("cohort", "_cohort_idx").agg(nw.len().alias("customers"))
    offsets = _frames.constant_frame(frame, "offset", list(range(hi - lo + 1)), nw.Int64)
    grid = sizes.join(offsets, how="cross").filter(nw.col("_cohort_idx") + nw.col("offset") <= hi)
    result = (
        grid.join(retained, on=["cohort", "offset"], how="left")
        .select(
            "cohort",
            nw.col("offset").cast(nw.Int64),
            nw.col("customers").cast(nw.Int64),
            nw.col("retained").fill_null(0).cast(nw.Int64),
        )
        .with_columns(_frames.ratio("retained", "customers").alias("retention"))
        .sort("cohort", "offset")
    )
    return prepared.finish(result, ["cohort"])


def retention_rate(
    orders: IntoFrameT, *, period: str = "M", inactive_after: int = INACTIVE_AFTER
) -> IntoFrameT:
    """Classic retention rate (E − N) / S and churn rate 1 − (E − N) / S per period.

    Inactivity rule: a customer counts as a customer at the end of period P if it ordered in one
    of the last ``inactive_after`` periods (P included). S = customers at the end of the previous
    period, E = customers at the end of P, N = customers whose first order is in P. A customer
    who comes back after lapsing is counted in E, as the classic formula does.

    Parameters
    ----------
    orders : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Orders with ``customer`` and ``date``.
    period : {"W", "M", "Q", "Y"}
        Period.
    inactive_after : int
        Periods without an order after which a customer has churned.

    Returns
    -------
    Same kind as ``orders`` with ``period, start, new, end, retention, churn`` (null in the
    first period, which has no S).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer": ["C1", "C2", "C1", "C3"],
    ...     "date": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-02", "2026-02-11"])})
    >>> retention_rate(orders, inactive_after=1)
          period  start  new  end  retention  churn
    0 2026-01-01      0    2    2        NaN    NaN
    1 2026-02-01      2    1    2        0.5    0.5
    """
    if inactive_after < 1:
        msg = "inactive_after 至少为 1 个周期。\ninactive_after must be >= 1.\nHint: 例如 3。"
        raise ValueError(msg)
    prepared, frame, _, hi = _periodised(orders, "retention_rate", period)
    activity = _frames.distinct(frame, "customer", "_idx")
    lags = _frames.constant_frame(frame, "_lag", list(range(inactive_after)), nw.Int64)
    alive = (
        activity.join(lags, how="cross")
        .select("customer", (nw.col("_idx") + nw.col("_lag")).alias("_idx"))
        .filter(nw.col("_idx") <= hi)
        .group_by("customer", "_idx")
        .agg()
        .group_by("_idx")
        .agg(nw.len().alias("end"))
    )
    new = (
        activity.group_by("customer")
        .agg(nw.col("_idx").min())
        .group_by("_idx")
        .agg(nw.len().alias("new"))
    )
    start = alive.select((nw.col("_idx") + 1).alias("_idx"), nw.col("end").alias("start"))
    first_last = prepared.frame.select(nw.col("date").min().alias("a"), nw.col("date").max().alias("b"))
    row = first_last.collect()
    periods = calendar(prepared.frame, row.item(0, "a"), row.item(0, "b"), period).with_columns(
        period_index(nw.col("period"), period).cast(nw.Int64).alias("_idx")
    )
    table = (
        periods.join(start, on="_idx", how="left")
        .join(new, on="_idx", how="left")
        .join(alive, on="_idx", how="left")
        .with_columns(nw.col("start", "new", "end").fill_null(0).cast(nw.Int64))
        .with_columns((nw.col("end") - nw.col("new")).alias("_kept"))
    )
    result = (
        table.with_columns(_frames.ratio("_kept", "start").alias("retention"))
        .with_columns((1 - nw.col("retention")).alias("churn"))
        .select("period", "start", "new", "end", "retention", "churn")
        .sort("period")
    )
    return prepared.finish(result, ["period"])


def churn_rate(
    orders: IntoFrameT, *, period: str = "M", inactive_after: int = INACTIVE_AFTER
) -> IntoFrameT:
    """Churn rate per period: 1 − (E − N) / S, see :func:`retention_rate` for the rule.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer": ["C1", "C2", "C1"],
    ...     "date": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-02"])})
    >>> churn_rate(orders, inactive_after=1)["churn"].tolist()
    [nan, 0.5]
    """
    table: Any = nw.from_native(retention_rate(orders, period=period, inactive_after=inactive_after))
    return table.select("period", "churn").to_native()


@dataclass(frozen=True)
class SBGFit:
    """A fitted shifted-beta-geometric (sBG) model of contract duration (Fader & Hardie 2007).

    Each customer churns at the end of a period with its own probability θ, and θ varies across
    customers as Beta(``alpha``, ``beta``). Period t counts renewals: t = 0 is acquisition.
    """

    alpha: float
    beta: float
    log_likelihood: float
    periods_fitted: int

    def survival(self, t: int | Sequence[int] | np.ndarray) -> np.ndarray:
        """Share of the cohort still alive after ``t`` periods: B(α, β + t) / B(α, β)."""
        periods = np.asarray(t, dtype=float)
        return np.exp(
            special.betaln(self.alpha, self.beta + periods) - special.betaln(self.alpha, self.beta)
        )

    def retention(self, t: int | Sequence[int] | np.ndarray) -> np.ndarray:
        """Retention rate in period ``t`` (t ≥ 1): (β + t − 1) / (α + β + t − 1)."""
        periods = np.asarray(t, dtype=float)
        return (self.beta + periods - 1) / (self.alpha + self.beta + periods - 1)

    def project(self, customers: int, periods: int) -> np.ndarray:
        """Project the expected survivors of a cohort of ``customers`` for t = 0 … ``periods``."""
        return customers * self.survival(np.arange(periods + 1))

    def lifetime_value(self, margin: float, *, discount: float = DISCOUNT_RATE) -> float:
        """Value a new customer paying ``margin`` each period it is alive (expected, discounted).

        Payments come at t = 0, 1, 2, …; this is ``margin`` × DEL, Fader & Hardie's discounted
        expected lifetime, 2F1(1, β; α + β; 1 / (1 + d)).
        """
        lifetime = special.hyp2f1(1.0, self.beta, self.alpha + self.beta, 1.0 / (1.0 + discount))
        return float(margin * lifetime)


def fit_sbg(survivors: Sequence[float]) -> SBGFit:
    """Fit the sBG model by maximum likelihood to one cohort's survivors.

    Parameters
    ----------
    survivors : sequence of numbers
        ``survivors[0]`` is the cohort size at acquisition and ``survivors[t]`` how many were
        still customers after t renewal opportunities; it must not increase.

    Returns
    -------
    SBGFit

    Examples
    --------
    >>> fit = fit_sbg([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(fit.alpha, 3), round(fit.beta, 3)
    (0.704, 1.182)
    >>> [round(float(x)) for x in fit.project(1000, 3)]
    [1000, 627, 474, 388]
    """
    counts = np.asarray(survivors, dtype=float)
    if counts.ndim != 1 or len(counts) < 3 or counts[0] <= 0 or np.any(np.diff(counts) > 0):
        msg = (
            "fit_sbg() 需要一列不增加的存活客户数（至少 3 个），第一个是队列人数。\n"
            f"survivors must be a non-increasing sequence of >= 3 counts, got {list(counts)}.\n"
            "Hint: 例如 [1000, 631, 468, 382]。"
        )
        raise ValueError(msg)
    t = np.arange(1, len(counts))
    churned = counts[:-1] - counts[1:]

    def negative_log_likelihood(log_params: np.ndarray) -> float:
        alpha, beta = np.exp(log_params)
        base = special.betaln(alpha, beta)
        churn_at_t = special.betaln(alpha + 1, beta + t - 1) - base
        alive_at_end = special.betaln(alpha, beta + t[-1]) - base
        return float(-(churned @ churn_at_t + counts[-1] * alive_at_end))

    best = optimize.minimize(
        negative_log_likelihood,
        x0=np.zeros(2),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10_000},
    )
    alpha, beta = (float(v) for v in np.exp(best.x))
    if not (best.success and math.isfinite(best.fun)):
        msg = f"sBG fit did not converge: {best.message}\nHint: 检查存活人数是否合理。"
        raise RuntimeError(msg)
    return SBGFit(alpha, beta, -float(best.fun), len(counts) - 1)
