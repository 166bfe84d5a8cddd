"""Conversion and the funnel, by cohort credit.

A cohort is the customers who reached ``start`` in a period, credited to the rep, team or channel
on the row that set that date. How many of them reached a later level counts *whoever* got them
there. Team cohorts therefore add up to the company's cohort, and a team's rate is comparable
with the company's; a team that recounted on its own rows would lose the customers another team
closed. The period form (``end`` reached in P ÷ ``start`` reached in P) is a throughput ratio
that can exceed 1, and is labelled as such.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import narwhals as nw
from narwhals.typing import IntoFrameT

from devvolume.core._frames import (
    By,
    as_list,
    check_levels,
    check_order,
    constant_frame,
    distinct,
    ratio,
    recode,
)
from devvolume.core._levels import Reached, at, fill_calendar, prepare
from devvolume.core._periods import (
    calendar,
    check_period,
    days_between,
    null_safe_join,
    period_start,
)
from devvolume.core._schema import LEVELS


def conversion_rate(
    log: IntoFrameT,
    *,
    start: str = "contacted",
    end: str = "won",
    period: str = "M",
    within_days: int | None = None,
    by: By = None,
    form: Literal["cohort", "period"] = "cohort",
) -> IntoFrameT:
    """Conversion from ``start`` to ``end``: the cohort form (default) or the period form.

    Cohort form: the customers who reached ``start`` in period P are the cohort (credited to
    the ``by`` values of the row that set ``start``); ``converted`` counts those who ever reached
    ``end``, by anyone, or did so within ``within_days`` days (``end_date - start_date <=
    within_days``). Recent cohorts have had less time to convert; compare like with like.

    Period form (``form="period"``): ``finished`` = customers reaching ``end`` in P, ``started``
    = customers reaching ``start`` in P, each credited to the row that set its date, and
    ``throughput = finished / started``. It is a throughput ratio, not a share of anyone, and
    can exceed 1.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns), or its
        :func:`~devvolume.reached_levels` table.
    start, end : {"contacted", "qualified", "signed", "won"}
        Levels; ``end`` must come after ``start``.
    period : {"W", "M", "Q", "Y"}
        Period of the cohort (or of both counts in the period form).
    within_days : int, optional
        Cohort form only: count a conversion only if it happened within this many days.
    by : str or list of str, optional
        Columns to split by.
    form : {"cohort", "period"}
        Which definition to use.

    Returns
    -------
    Same kind as ``log``. Cohort form: ``period, *by, cohort, converted, conversion``; period
    form: ``period, *by, started, finished, throughput``. A rate with nothing under it is null.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-05-06", "2026-05-07"]),
    ...     "customer": ["C1", "C2", "C1", "C3"],
    ...     "stage": ["contacted", "won", "won", "lost"]})
    >>> conversion_rate(log)
          period  cohort  converted  conversion
    0 2026-03-01       1          1         1.0
    1 2026-04-01       1          1         1.0
    2 2026-05-01       1          0         0.0
    >>> conversion_rate(log, within_days=30)["converted"].tolist()
    [0, 1, 0]
    """
    by_columns = as_list(by)
    check_period(period, "conversion_rate")
    check_levels((start, end), "conversion_rate")
    check_order(start, end, "conversion_rate")
    if form not in ("cohort", "period"):
        msg = f"conversion_rate() 的 form 只能是 'cohort' 或 'period'，收到 {form!r}。"
        raise ValueError(msg)
    if within_days is not None and (form == "period" or within_days < 0):
        msg = (
            "within_days 只用于队列口径（form='cohort'），且不能为负。\n"
            "within_days only applies to the cohort form and must be >= 0."
        )
        raise ValueError(msg)
    source = prepare(log, func="conversion_rate", by=by_columns)
    if form == "period":
        result = _throughput(source, start=start, end=end, period=period, by=by_columns)
    else:
        result = cohorts(
            source, start=start, end=end, period=period, within_days=within_days, by=by_columns
        )
    return source.prepared.finish(result, ["period"])


def cohorts(
    source: Reached,
    *,
    start: str,
    end: str,
    period: str,
    by: list[str],
    within_days: int | None = None,
) -> nw.LazyFrame[Any]:
    """Cohort conversion from a reached-levels table: ``period, *by, cohort, converted, conversion``."""
    ends = at(source.table, end).select("customer", nw.col("date").alias("_end"))
    starts = at(source.table, start).select("customer", "date", *by)
    cohort = starts.join(ends, on="customer", how="left")
    done = ~nw.col("_end").is_null()
    if within_days is not None:
        done = done & (days_between(nw.col("date"), nw.col("_end")) <= within_days)
    counts = (
        cohort.with_columns(
            period_start(nw.col("date"), period).alias("period"),
            done.cast(nw.Int64).alias("_done"),
        )
        .group_by("period", *by)
        .agg(nw.len().alias("cohort"), nw.col("_done").sum().alias("converted"))
    )
    values = ["cohort", "converted"]
    filled = fill_calendar(counts, source, period=period, by=by, values=values)
    return filled.select("period", *by, *values, ratio("converted", "cohort").alias("conversion"))


def _throughput(
    source: Reached, *, start: str, end: str, period: str, by: list[str]
) -> nw.LazyFrame[Any]:
    keys = ["period", *by]

    def reached_in_period(level: str, name: str) -> nw.LazyFrame[Any]:
        counts = (
            at(source.table, level)
            .with_columns(period_start(nw.col("date"), period).alias("period"))
            .group_by(*keys)
            .agg(nw.len().alias(name))
        )
        return fill_calendar(counts, source, period=period, by=by, values=[name])

    started, finished = reached_in_period(start, "started"), reached_in_period(end, "finished")
    return (
        null_safe_join(started, finished, on=keys)
        .select(*keys, "started", "finished", ratio("finished", "started").alias("throughput"))
        .sort(keys)
    )


def funnel(log: IntoFrameT, *, by: By = None, period: str | None = None) -> IntoFrameT:
    """Stage-to-stage funnel by cohort credit: customers reaching each level, and the step rates.

    The cohort is the customers first contacted (in ``period``, if given), credited to the ``by``
    values of the row that first contacted them; each later level counts those of them who
    reached it, by anyone. Step rates are true shares (between 0 and 1), and the groups' cohorts
    add up to the company's.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns), or its
        :func:`~devvolume.reached_levels` table.
    by : str or list of str, optional
        Columns to split by.
    period : {"W", "M", "Q", "Y"}, optional
        Split the cohort by the period of the first contact.

    Returns
    -------
    Same kind as ``log`` with ``[period], *by, level, step, customers, from_previous,
    from_first``; ``step`` is 1 for contacted up to 4 for won. Every group (and period) has all
    four levels.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-04-10", "2026-05-07"]),
    ...     "customer": ["C1", "C2", "C1", "C3"],
    ...     "stage": ["contacted", "won", "signed", "lost"]})
    >>> funnel(log)
           level  step  customers  from_previous  from_first
    0  contacted     1          3            NaN    1.000000
    1  qualified     2          2       0.666667    0.666667
    2     signed     3          2       1.000000    0.666667
    3        won     4          1       0.500000    0.333333
    """
    by_columns = as_list(by)
    check_period(period, "funnel")
    source = prepare(log, func="funnel", by=by_columns)
    table = source.table
    keys = [*(["period"] if period else []), *by_columns]
    cohort = at(table, LEVELS[0]).select("customer", *by_columns, "date")
    if period:
        cohort = cohort.with_columns(period_start(nw.col("date"), period).alias("period"))
    # One join of the cohort with every level its customers reached, counted per level in one
    # wide row per group: a lazy engine reads the table twice, not once per level.
    members = (
        table.filter(nw.col("level").is_in(LEVELS))
        .select("customer", "level")
        .join(cohort.select("customer", *keys), on="customer")
    )
    counts = [
        (nw.col("level") == level).cast(nw.Int64).sum().alias(f"_n{step}") for step, level in _STEPS
    ]
    wide = members.group_by(*keys).agg(*counts) if keys else members.select(*counts)
    if keys:
        wide = null_safe_join(_groups(source, period=period, by=by_columns), wide, on=keys)
    wide = wide.with_columns(*(nw.col(f"_n{step}").fill_null(0).cast(nw.Int64) for step, _ in _STEPS))
    levels = constant_frame(table, "level", list(LEVELS), nw.String).with_columns(
        recode("level", {level: step for step, level in _STEPS}, nw.Int64).alias("step")
    )
    result = wide.join(levels, how="cross").select(
        *keys,
        "level",
        "step",
        _by_step(lambda step: nw.col(f"_n{step}")).alias("customers"),
        _by_step(lambda step: nw.col(f"_n{step - 1}") if step > 1 else None).alias("_previous"),
        nw.col("_n1").alias("_first"),
    )
    result = result.select(
        *keys,
        "level",
        "step",
        "customers",
        ratio("customers", "_previous").alias("from_previous"),
        ratio("customers", "_first").alias("from_first"),
    ).sort(*keys, "step")
    return source.prepared.finish(result, ["period"] if period else [])


#: The funnel's levels with their step numbers (1 for contacted up to 4 for won).
_STEPS = tuple(enumerate(LEVELS, start=1))


def _by_step(value: Callable[[int], nw.Expr | None]) -> nw.Expr:
    """Pick, on each row of the funnel, ``value(step)`` of its step (null where it is None)."""
    expr: Any = None
    for step, _ in _STEPS:
        chosen = value(step)
        then = chosen if chosen is not None else nw.lit(None, dtype=nw.Int64)
        condition = nw.col("step") == step
        expr = nw.when(condition).then(then) if expr is None else expr.when(condition).then(then)
    return expr


def _groups(source: Reached, *, period: str | None, by: list[str]) -> nw.LazyFrame[Any]:
    """Every (period ×) group of the funnel, so that a group with no one in it shows 0."""
    table = source.table
    parts = []
    if period:
        parts.append(calendar(table, *source.span, period))
    if by:
        parts.append(distinct(table, *by))
    grid = parts[0]
    for part in parts[1:]:
        grid = grid.join(part, how="cross")
    return grid
