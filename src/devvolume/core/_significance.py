"""Is it real? Significance of a change between two windows, and an end-of-period forecast.

A +30 % month can be noise. :func:`compare_periods` tests a change in development volume with
the exact conditional (binomial) test for two Poisson rates, and a change in conversion with
Fisher's exact test, and says the result in a sentence a manager can read. :func:`forecast`
projects the period's volume from the run-rate so far with a Poisson (gamma-Poisson) interval
and the chance of reaching a target. Counts are distinct new customers, as in ``metrics``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import narwhals as nw
from narwhals.typing import IntoFrame
from scipy import stats

from devvolume.core._frames import check_levels, check_order
from devvolume.core._levels import at, prepare
from devvolume.core._periods import DateLike, Window, day_of, days_between
from devvolume.core._schema import NEW_CUSTOMERS, STAGE_LABELS

#: Confidence level of every interval.
CONFIDENCE = 0.95
#: A p-value below this counts as "probably real".
SIGNIFICANCE = 0.05
#: Shape of the Jeffreys gamma prior on the daily rate used by :func:`forecast`.
RATE_PRIOR_SHAPE = 0.5

#: Inclusive first and last day, as a pair or a :class:`~devvolume.core.Window`.
DateRange = tuple[DateLike, DateLike] | Window


@dataclass(frozen=True)
class PeriodComparison:
    """The answer of :func:`compare_periods`.

    ``effect`` is the rate ratio (after ÷ before, per day) for ``metric="volume"`` and the
    difference in conversion (after − before, as a share) for ``metric="conversion"``.
    ``before`` and ``after`` are (count, exposure): customers and days, or converted and cohort.
    """

    metric: str
    before: tuple[int, int]
    after: tuple[int, int]
    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    message: str


@dataclass(frozen=True)
class Forecast:
    """The answer of :func:`forecast`: the projected end-of-period volume and its interval."""

    so_far: int
    elapsed_days: int
    remaining_days: int
    projected: float
    low: int
    high: int
    target: int | None
    probability: float | None
    message: str


def _window(window: DateRange, name: str) -> tuple[dt.date, dt.date]:
    pair = (window.first, window.last) if isinstance(window, Window) else window
    first, last = (day_of(v) for v in pair)
    if last < first:
        msg = f"{name} 的结束日早于开始日：{first} 至 {last}。\nHint: 写成 ('2026-04-01', '2026-04-30')。"
        raise ValueError(msg)
    return first, last


def _between(first: dt.date, last: dt.date) -> nw.Expr:
    start = dt.datetime(first.year, first.month, first.day)
    end = dt.datetime(last.year, last.month, last.day) + dt.timedelta(days=1)
    return (nw.col("date") >= start) & (nw.col("date") < end)


def _count(frame: nw.LazyFrame[Any], condition: nw.Expr) -> int:
    return int(frame.filter(condition).select(nw.len()).collect().item(0, 0))


def compare_periods(
    log: IntoFrame,
    *,
    before: DateRange,
    after: DateRange,
    metric: Literal["volume", "conversion"] = "volume",
    level: str = "won",
    start: str = "contacted",
    end: str = "won",
    within_days: int | None = None,
    where: Mapping[str, Any] | None = None,
) -> PeriodComparison:
    """Test whether development volume or conversion really changed between two windows.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage``, or its reached-levels table.
    before, after : (first day, last day)
        Inclusive date windows, e.g. ``("2026-03-01", "2026-03-31")``.
    metric : {"volume", "conversion"}
        ``"volume"``: new customers at ``level`` per day; exact conditional binomial test of two
        Poisson rates. ``"conversion"``: cohort conversion ``start`` → ``end`` of the customers
        who reached ``start`` in each window; Fisher's exact test.
    level, start, end : str
        Levels, as in :func:`~devvolume.development_volume`.
    within_days : int, optional
        Conversion only: count a conversion only within this many days (fairer when the later
        cohort has had less time).
    where : dict, optional
        Count only the customers credited to these values, e.g. ``{"team": "华东一组"}``: the new
        customers the team developed, or (conversion) the cohort it was credited with, converted
        by anyone. A slice of the company, never a recount on the team's own rows.

    Returns
    -------
    PeriodComparison

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-20", "2026-04-03", "2026-04-08",
    ...                             "2026-04-21"]),
    ...     "customer": ["C1", "C2", "C3", "C4", "C5"], "stage": ["won"] * 5})
    >>> result = compare_periods(log, before=("2026-03-01", "2026-03-31"),
    ...                          after=("2026-04-01", "2026-04-30"))
    >>> result.before, result.after, round(result.p_value, 3), result.significant
    ((2, 31), (3, 30), 0.683, False)
    """
    check_levels((level, start, end), "compare_periods")
    table = prepare(log, func="compare_periods", by=list(where or {})).table
    windows = _window(before, "before"), _window(after, "after")
    if metric == "volume":
        first = _selected(at(table, level), where)
        counts = [_count(first, _between(*w)) for w in windows]
        days = [(w[1] - w[0]).days + 1 for w in windows]
        return _compare_rates(counts, days, level)
    if metric != "conversion":
        msg = f"metric 只能是 'volume' 或 'conversion'，收到 {metric!r}。\nHint: metric='volume'。"
        raise ValueError(msg)
    check_order(start, end, "compare_periods")
    ends = at(table, end).select("customer", nw.col("date").alias("_end"))
    cohort = _selected(at(table, start), where).join(ends, on="customer", how="left")
    done = ~nw.col("_end").is_null()
    if within_days is not None:
        done = done & (days_between(nw.col("date"), nw.col("_end")) <= within_days)
    sizes = [_count(cohort, _between(*w)) for w in windows]
    converted = [_count(cohort, _between(*w) & done) for w in windows]
    return _compare_proportions(converted, sizes, start, end)


def _selected(rows: nw.LazyFrame[Any], where: Mapping[str, Any] | None) -> nw.LazyFrame[Any]:
    for column, value in (where or {}).items():
        rows = rows.filter(nw.col(column) == value)
    return rows


def _compare_rates(counts: list[int], days: list[int], level: str) -> PeriodComparison:
    (x1, x2), (t1, t2) = counts, days
    label = NEW_CUSTOMERS[level]
    n = x1 + x2
    if n == 0:
        return PeriodComparison(
            "volume",
            (x1, t1),
            (x2, t2),
            math.nan,
            math.nan,
            math.nan,
            1.0,
            False,
            f"两个时间段都没有新的{label}客户，无法比较。",
        )
    test = stats.binomtest(x2, n, t2 / (t1 + t2))
    low, high = test.proportion_ci(confidence_level=CONFIDENCE, method="exact")

    def to_ratio(share: float) -> float:
        return math.inf if share >= 1 else share / (1 - share) * t1 / t2

    ratio = (x2 / t2) / (x1 / t1) if x1 else math.inf
    p_value = float(test.pvalue)
    significant = p_value < SIGNIFICANCE
    if x1:
        change = (
            f"是原来的 {ratio:.2f} 倍（{CONFIDENCE:.0%} 置信区间 {to_ratio(low):.2f} 至 "
            f"{to_ratio(high):.2f} 倍，{p_text(p_value)}）"
        )
    else:  # no multiple of nothing: say so instead of "inf 倍"
        change = f"之前一个也没有，算不出倍数（{p_text(p_value)}）"
    message = (
        f"{label}从每天 {x1 / t1:.2f} 个（{x1} 个 / {t1} 天）变为每天 {x2 / t2:.2f} 个"
        f"（{x2} 个 / {t2} 天），{change}。" + _verdict(significant)
    )
    return PeriodComparison(
        "volume",
        (x1, t1),
        (x2, t2),
        ratio,
        to_ratio(low),
        to_ratio(high),
        p_value,
        significant,
        message,
    )


def _compare_proportions(
    converted: list[int], sizes: list[int], start: str, end: str
) -> PeriodComparison:
    (c1, c2), (n1, n2) = converted, sizes
    if n1 == 0 or n2 == 0:
        return PeriodComparison(
            "conversion",
            (c1, n1),
            (c2, n2),
            math.nan,
            math.nan,
            math.nan,
            1.0,
            False,
            "有一个时间段没有新客户进入队列，无法比较转化率。",
        )
    p_value = float(stats.fisher_exact([[c2, n2 - c2], [c1, n1 - c1]]).pvalue)
    p1, p2 = c1 / n1, c2 / n2
    l1, u1 = _wilson(c1, n1)
    l2, u2 = _wilson(c2, n2)
    difference = p2 - p1
    # Newcombe's hybrid score interval for a difference of two proportions.
    low = difference - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = difference + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    significant = p_value < SIGNIFICANCE
    message = (
        f"{STAGE_LABELS[start]}→{STAGE_LABELS[end]}的转化率从 {p1:.1%}（{c1}/{n1}）变为 "
        f"{p2:.1%}（{c2}/{n2}），变化 {difference * 100:+.1f} 个百分点"
        f"（{CONFIDENCE:.0%} 置信区间 {low * 100:+.1f} 至 {high * 100:+.1f}，"
        f"{p_text(p_value)}）。" + _verdict(significant)
    )
    return PeriodComparison(
        "conversion", (c1, n1), (c2, n2), difference, low, high, p_value, significant, message
    )


def _wilson(successes: int, n: int) -> tuple[float, float]:
    z = stats.norm.ppf(0.5 + CONFIDENCE / 2)
    share = successes / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def p_text(p_value: float) -> str:
    """Write a p-value as people read it: ``p = 0.034``, or ``p < 0.001`` (never ``p = 0.000``).

    Examples
    --------
    >>> p_text(0.0341), p_text(0.00002)
    ('p = 0.034', 'p < 0.001')
    """
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _verdict(significant: bool) -> str:
    if significant:
        return "结论：这个变化不太可能只是随机波动，可以认为是真实的变化。"
    return "结论：这个变化可能只是随机波动，数据还不足以说明情况真的变了。"


def forecast(
    log: IntoFrame,
    *,
    period_start: DateLike,
    period_end: DateLike,
    as_of: DateLike | None = None,
    level: str = "won",
    target: int | None = None,
    where: Mapping[str, Any] | None = None,
) -> Forecast:
    """Project the period's development volume from the run-rate so far.

    The daily rate is estimated from the new customers so far (calendar days, ``period_start``
    to ``as_of`` inclusive); the remaining days' count is Poisson with that rate, and the rate's
    own uncertainty is included (a Jeffreys gamma prior, which makes the remaining count negative
    binomial). ``low``-``high`` is a :data:`CONFIDENCE` interval for the period's total.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage``.
    period_start, period_end : date or ISO string
        The period being forecast (inclusive).
    as_of : date or ISO string, optional
        Last day with data; default the last date in ``log`` (within the period).
    level : {"contacted", "qualified", "signed", "won"}
        Level that counts as a new customer.
    target : int, optional
        Target for the period; gives the probability of reaching it.
    where : dict, optional
        Count only the new customers credited to these values, e.g. ``{"rep": "陈静"}``.

    Returns
    -------
    Forecast

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-04-02", "2026-04-07", "2026-04-09", "2026-04-10"]),
    ...     "customer": ["C1", "C2", "C3", "C4"], "stage": ["won"] * 4})
    >>> result = forecast(log, period_start="2026-04-01", period_end="2026-04-30", target=10)
    >>> result.so_far, result.elapsed_days, result.projected, (result.low, result.high)
    (4, 10, 12.0, (5, 25))
    >>> round(result.probability, 2)
    0.72
    """
    check_levels((level,), "forecast")
    source = prepare(log, func="forecast", by=list(where or {}))
    table = source.table
    first, last = _window((period_start, period_end), "period")
    if as_of is None:
        latest = source.span[1]
        as_of_day = min(day_of(latest), last) if latest is not None else first
    else:
        as_of_day = day_of(as_of)
    if not first <= as_of_day <= last:
        msg = f"as_of={as_of_day} 不在 {first} 至 {last} 之内。\nHint: as_of 必须在周期之内。"
        raise ValueError(msg)
    reached = _selected(at(table, level), where)
    so_far = _count(reached, _between(first, as_of_day))
    elapsed = (as_of_day - first).days + 1
    remaining = (last - as_of_day).days
    projected = so_far + so_far / elapsed * remaining
    still = stats.nbinom(so_far + RATE_PRIOR_SHAPE, elapsed / (elapsed + remaining))
    tail = (1 - CONFIDENCE) / 2
    low = so_far + (int(still.ppf(tail)) if remaining else 0)
    high = so_far + (int(still.ppf(1 - tail)) if remaining else 0)
    probability = None
    label = NEW_CUSTOMERS[level]
    message = (
        f"到 {as_of_day} 已有 {so_far} 个{label}（{elapsed} 天），按目前速度，"
        f"到 {last} 预计约 {projected:.0f} 个（{CONFIDENCE:.0%} 区间 {low} 至 {high} 个）。"
    )
    if target is not None:
        needed = target - so_far
        probability = 1.0 if needed <= 0 else float(still.sf(needed - 1)) if remaining else 0.0
        message += f"达到目标 {target} 个的概率约为 {probability:.0%}。"
    return Forecast(so_far, elapsed, remaining, projected, low, high, target, probability, message)
