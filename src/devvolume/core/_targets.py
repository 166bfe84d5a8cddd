"""Targets and incentives: attainment, gap, leaderboard, tiered payout and growth.

A targets frame has one row per rep (or team) and period: ``rep`` (or ``team``), ``period`` (any
date inside the period; it is moved to the period's first day) and ``target`` (new customers).
Actuals are development volume (new customers reaching ``level``, credited to the row that set
the date), so attainment uses exactly the numbers of :func:`devvolume.development_volume`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
from narwhals.typing import IntoFrame, IntoFrameT

from devvolume.core import _frames
from devvolume.core._frames import By
from devvolume.core._levels import prepare
from devvolume.core._periods import check_period, period_index, period_start
from devvolume.core._volume import volume

#: Payout per new customer up to 100 % of target (元).
PAY_PER_NEW_CUSTOMER = 500.0
#: Accelerators: (attainment threshold, multiplier). New customers above 100 % of target are
#: paid 1.5 ×, and above 120 % of target 2 ×, the base rate.
ACCELERATOR_TIERS: tuple[tuple[float, float], ...] = ((1.0, 1.5), (1.2, 2.0))
#: Periods back for the year-over-year comparison.
_PERIODS_PER_YEAR = {"W": 52, "M": 12, "Q": 4, "Y": 1}


def attainment(
    log: IntoFrameT, targets: IntoFrame, *, level: str = "won", period: str = "M", by: str = "rep"
) -> IntoFrameT:
    """Attainment (actual ÷ target) and gap (target − actual) per ``by`` and period.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` and ``by``.
    targets : same kind as ``log``
        Columns ``by``, ``period`` (a date in the period) and ``target``.
    level : {"contacted", "qualified", "signed", "won"}
        Level that counts as a new customer.
    period : {"W", "M", "Q", "Y"}
        Period of the targets.
    by : {"rep", "team"}
        Whom the targets are for.

    Returns
    -------
    Same kind as ``log`` with ``period, by, target, actual, attainment, gap``: one row per
    ``by`` value and period that has a target; targets inside one period add up (monthly targets
    make a quarter's target). A target of 0 gives a null attainment; a positive gap is what is
    still missing.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-04-03", "2026-04-09", "2026-04-20"]),
    ...     "rep": ["A", "A", "B"], "customer": ["C1", "C2", "C3"],
    ...     "stage": ["won", "won", "won"]})
    >>> targets = pd.DataFrame({"rep": ["A", "B"], "period": pd.to_datetime(["2026-04-01"] * 2),
    ...                         "target": [2, 4]})
    >>> attainment(log, targets)
          period rep  target  actual  attainment  gap
    0 2026-04-01   A       2       2        1.00    0
    1 2026-04-01   B       4       1        0.25    3
    """
    check_period(period, "attainment")
    _frames.check_levels((level,), "attainment")
    source = prepare(log, func="attainment", by=by)
    prepared = source.prepared
    goals = _targets_frame(targets, prepared, by=by, period=period)
    actual = volume(source, level=level, period=period, by=[by])
    result = (
        goals.join(actual, on=["period", by], how="left")
        .with_columns(nw.col("volume").fill_null(0).cast(nw.Int64).alias("actual"))
        .select(
            "period",
            by,
            "target",
            "actual",
            _frames.ratio("actual", "target").alias("attainment"),
            (nw.col("target") - nw.col("actual")).alias("gap"),
        )
        .sort("period", by)
    )
    return prepared.finish(result, ["period"])


def _targets_frame(targets: Any, prepared: _frames.Prepared, *, by: str, period: str) -> Any:
    try:
        frame = nw.from_native(targets)
    except TypeError:
        msg = f"targets 需要是一个表格，收到的是 {type(targets).__name__}。\nHint: 列为 {by}, period, target。"
        raise TypeError(msg) from None
    if isinstance(frame, nw.Series):
        msg = "targets 需要是一个表格，不是一列。\nHint: 列为 rep/team, period, target。"
        raise TypeError(msg)
    lazy = _frames.as_lazy(frame)
    if lazy.implementation != prepared.frame.implementation:
        msg = (
            "targets 和工作日志必须是同一种表格（都用 pandas、polars 或同一个 DuckDB 连接）。\n"
            f"targets is {type(targets).__name__}; it must be the same kind as the log.\n"
            "Hint: 例如 DuckDB 用 con.from_df(targets_df)。"
        )
        raise TypeError(msg)
    schema = lazy.collect_schema()
    missing = [c for c in (by, "period", "target") if c not in schema]
    if missing:
        msg = (
            f"targets 缺少列 {missing}。\n"
            f"targets is missing {missing}; the columns that exist are {list(schema)}.\n"
            f"Hint: 目标表需要三列：{by}（谁）、period（哪个周期，填周期内任一天）、target（目标数）。"
        )
        raise ValueError(msg)
    return (
        lazy.select(
            period_start(nw.col("period").cast(nw.Datetime("us")), period).alias("period"),
            by,
            nw.col("target"),
        )
        .group_by("period", by)
        .agg(nw.col("target").sum())
    )


def leaderboard(
    log: IntoFrameT,
    targets: IntoFrame,
    *,
    level: str = "won",
    period: str = "M",
    by: str = "rep",
) -> IntoFrameT:
    """Rank reps (or teams) by attainment in each period: 1 is the best.

    Ties share the better rank; order within a period is rank, then ``by``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-04-03", "2026-04-09", "2026-04-20"]),
    ...     "rep": ["A", "A", "B"], "customer": ["C1", "C2", "C3"],
    ...     "stage": ["won", "won", "won"]})
    >>> targets = pd.DataFrame({"rep": ["A", "B"], "period": pd.to_datetime(["2026-04-01"] * 2),
    ...                         "target": [4, 1]})
    >>> leaderboard(log, targets)[["rep", "attainment", "rank"]]
      rep  attainment  rank
    0   B         1.0     1
    1   A         0.5     2
    """
    table: Any = nw.from_native(attainment(log, targets, level=level, period=period, by=by))
    lazy = table.lazy() if isinstance(table, nw.DataFrame) else table
    ranked = lazy.with_columns(
        nw.col("attainment")
        .fill_null(-1.0)
        .rank(method="min", descending=True)
        .over("period")
        .cast(nw.Int64)
        .alias("rank")
    ).sort("period", "rank", by)
    if isinstance(table, nw.DataFrame):
        return nw.maybe_reset_index(ranked.collect()).to_native()
    return ranked.to_native()


def incentive_payout(
    attained: IntoFrameT,
    *,
    per_customer: float = PAY_PER_NEW_CUSTOMER,
    tiers: Sequence[tuple[float, float]] = ACCELERATOR_TIERS,
) -> IntoFrameT:
    """Add a tiered ``payout`` to an :func:`attainment` table.

    Each new customer up to 100 % of target earns ``per_customer``; the customers above each
    tier's threshold (a share of target) earn ``per_customer`` × that tier's multiplier. With no
    target (0 or null) every customer earns the base rate.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"rep": ["A", "B", "C"], "target": [10, 10, 0],
    ...                       "actual": [8, 13, 2]})
    >>> incentive_payout(table, per_customer=100)["payout"].tolist()
    [800.0, 1500.0, 200.0]
    """
    frame: Any = nw.from_native(attained)
    lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
    missing = [c for c in ("target", "actual") if c not in lazy.collect_schema()]
    if missing:
        msg = (
            f"incentive_payout() 缺少列 {missing}。\n"
            f"Missing {missing}; columns: {list(lazy.collect_schema())}.\n"
            "Hint: 传入 attainment() 的结果。"
        )
        raise ValueError(msg)
    thresholds = sorted(tiers)
    actual = nw.col("actual").cast(nw.Float64)
    target = nw.col("target").cast(nw.Float64).fill_null(0.0)
    first = thresholds[0][0] if thresholds else None
    base_cap = target * first if first is not None else actual
    pay = nw.min_horizontal(actual, base_cap) * per_customer
    for i, (threshold, multiplier) in enumerate(thresholds):
        low = target * threshold
        above = nw.max_horizontal(actual - low, nw.lit(0.0))
        if i + 1 < len(thresholds):
            above = nw.min_horizontal(above, target * (thresholds[i + 1][0] - threshold))
        pay = pay + above * (per_customer * multiplier)
    payout = nw.when(target > 0).then(pay).otherwise(actual * per_customer)
    result = lazy.with_columns(payout.alias("payout"))
    if isinstance(frame, nw.DataFrame):
        return result.collect().to_native()
    return result.to_native()


def growth(
    volumes: IntoFrameT, *, period: str = "M", value: str = "volume", by: By = None
) -> IntoFrameT:
    """Period-over-period and year-over-year growth of a per-period table.

    Parameters
    ----------
    volumes : table with ``period`` and ``value`` (e.g. a development_volume result)
        One row per period (and ``by`` group), as development_volume gives.
    period : {"W", "M", "Q", "Y"}
        The table's period; year-over-year compares with 52 weeks, 12 months, 4 quarters or
        1 year earlier.
    value : str
        Column to compare.
    by : str or list of str, optional
        Group columns.

    Returns
    -------
    Same kind with ``period, *by, value, previous, growth, previous_year, yoy_growth``; a growth
    with no earlier value, or an earlier 0, is null.

    Examples
    --------
    >>> import pandas as pd
    >>> volumes = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01"]),
    ...                         "volume": [4, 6]})
    >>> growth(volumes)[["period", "previous", "growth"]]
          period  previous  growth
    0 2026-01-01       NaN     NaN
    1 2026-02-01       4.0     0.5
    """
    by_columns = _frames.as_list(by)
    check_period(period, "growth")
    prepared = _frames.validate(
        volumes,
        func="growth",
        columns=("period", value),
        by=by_columns,
        date_columns=(),
        check_stages=False,
    )
    index = period_index(nw.col("period").cast(nw.Datetime("us")), period).cast(nw.Int64)
    frame = prepared.frame.with_columns(index.alias("_idx"))
    keys = ["_idx", *by_columns]

    def shifted(lag: int, name: str) -> Any:
        return frame.select(
            (nw.col("_idx") + lag).alias("_idx"), *by_columns, nw.col(value).alias(name)
        )

    result = (
        frame.join(shifted(1, "previous"), on=keys, how="left")
        .join(shifted(_PERIODS_PER_YEAR[period], "previous_year"), on=keys, how="left")
        .select(
            "period",
            *by_columns,
            value,
            "previous",
            (_frames.ratio(value, "previous") - 1).alias("growth"),
            "previous_year",
            (_frames.ratio(value, "previous_year") - 1).alias("yoy_growth"),
        )
        .sort("period", *by_columns)
    )
    return prepared.finish(result)
