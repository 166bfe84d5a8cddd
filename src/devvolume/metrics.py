"""客户开发量 metrics: development volume, conversion, funnel, win rate, sales cycle, efficiency.

Every function takes a work log as pandas, polars or a DuckDB relation and returns the same
kind (written once with narwhals). They count *distinct customers reaching a level for the first
time*, never rows and never merely active customers, and credit each new customer to the rep and
team on the row that set the date (ties: the higher stage, then the smaller rep name, then the
smaller team name, whatever ``by`` is). Periods are ``"W"`` (ISO week from Monday), ``"M"``, ``"Q"`` and ``"Y"``;
``period`` holds the first day, and empty periods inside the log's date range show as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import narwhals as nw

from devvolume import _levels
from devvolume.schema import LEVELS

#: The ``activity`` value (活动类型) that counts as a visit in :func:`activity_efficiency`.
VISIT_ACTIVITY = "拜访"

By = str | Sequence[str] | None


def development_volume(log: Any, *, level: str = "won", period: str = "M", by: By = None) -> Any:
    """Count new customers (客户开发量): customers reaching ``level`` for the first time.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns).
    level : {"contacted", "qualified", "signed", "won"}
        A customer reaches a level on the earliest date of any row at that stage or later;
        a ``lost`` row counts as a contact only.
    period : {"W", "M", "Q", "Y"}
        ISO week (Monday start), month, quarter or year.
    by : str or list of str, optional
        Columns to split by, e.g. ``"rep"`` or ``["team", "rep"]``. Each new customer is credited
        to the values on the row that set the date.

    Returns
    -------
    Same kind as ``log`` with columns ``period, *by, volume``, sorted; zero periods included.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-05-07"]),
    ...     "rep": ["A", "A", "B", "B"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C3"],
    ...     "stage": ["contacted", "contacted", "won", "lost"]})
    >>> development_volume(log, level="contacted")
          period  volume
    0 2026-03-01       1
    1 2026-04-01       1
    2 2026-05-01       1
    >>> development_volume(log, level="won", by="rep")
          period rep  volume
    0 2026-03-01   A       0
    1 2026-03-01   B       0
    2 2026-04-01   A       0
    3 2026-04-01   B       1
    4 2026-05-01   A       0
    5 2026-05-01   B       0
    """
    by_columns = _levels.as_list(by)
    prepared = _levels.validate(
        log,
        func="development_volume",
        columns=("date", "customer", "stage"),
        by=by_columns,
        period=period,
        levels=(level,),
    )
    result = _levels.volume(prepared.frame, level=level, period=period, by=by_columns)
    return prepared.finish(result, ["period"])


def conversion_rate(
    log: Any,
    *,
    start: str = "contacted",
    end: str = "won",
    period: str = "M",
    within_days: int | None = None,
    by: By = None,
    form: Literal["cohort", "period"] = "cohort",
) -> Any:
    """Conversion from ``start`` to ``end``: the cohort form (default) or the period form.

    Cohort form: the customers who reached ``start`` in period P are the cohort (credited to
    the ``by`` values of the row that set ``start``); ``converted`` counts those who ever reached
    ``end``, or did so within ``within_days`` days (``end_date - start_date <= within_days``).
    Recent cohorts have had less time to convert; compare like with like.

    Period form (``form="period"``): ``finished`` = customers reaching ``end`` in P, ``started``
    = customers reaching ``start`` in P, and ``throughput = finished / started``. It is a
    throughput ratio, not a share of anyone, and can exceed 1.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns).
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
    Same kind as ``log``. Cohort form: ``period, *by, cohort, converted, rate``; period form:
    ``period, *by, started, finished, throughput``. A rate with nothing under it is null.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-05-06", "2026-05-07"]),
    ...     "customer": ["C1", "C2", "C1", "C3"],
    ...     "stage": ["contacted", "won", "won", "lost"]})
    >>> conversion_rate(log)
          period  cohort  converted  rate
    0 2026-03-01       1          1   1.0
    1 2026-04-01       1          1   1.0
    2 2026-05-01       1          0   0.0
    >>> conversion_rate(log, within_days=30)["converted"].tolist()
    [0, 1, 0]
    """
    by_columns = _levels.as_list(by)
    prepared = _levels.validate(
        log,
        func="conversion_rate",
        columns=("date", "customer", "stage"),
        by=by_columns,
        period=period,
        levels=(start, end),
    )
    _check_order(start, end, "conversion_rate")
    if form not in ("cohort", "period"):
        msg = f"conversion_rate() 的 form 只能是 'cohort' 或 'period'，收到 {form!r}。"
        raise ValueError(msg)
    if within_days is not None and (form == "period" or within_days < 0):
        msg = (
            "within_days 只用于队列口径（form='cohort'），且不能为负。\n"
            "within_days only applies to the cohort form and must be >= 0."
        )
        raise ValueError(msg)
    frame = prepared.frame
    first = _levels.reached(frame, (start, end), by_columns)
    if form == "cohort":  # who converted does not matter, only when: no credit needed
        first[end] = _levels.reached(frame, (end,), ())[end]
    bucket = _levels.period_start(nw.col("date"), period).alias("period")
    if form == "period":
        started = first[start].with_columns(bucket).group_by("period", *by_columns)
        finished = first[end].with_columns(bucket).group_by("period", *by_columns)
        counts = started.agg(nw.len().alias("started")).join(
            finished.agg(nw.len().alias("finished")), on=["period", *by_columns], how="full"
        )
        counts = counts.select(
            nw.coalesce(nw.col("period"), nw.col("period_right")).alias("period"),
            *(nw.coalesce(nw.col(c), nw.col(f"{c}_right")).alias(c) for c in by_columns),
            "started",
            "finished",
        )
        values = ["started", "finished"]
        rate = _levels.ratio("finished", "started").alias("throughput")
    else:
        ends = first[end].select("customer", nw.col("date").alias("_end"))
        cohort = first[start].join(ends, on="customer", how="left")
        done = ~nw.col("_end").is_null()
        if within_days is not None:
            done = done & (_levels.days_between(nw.col("date"), nw.col("_end")) <= within_days)
        counts = (
            cohort.with_columns(bucket, done.cast(nw.Int64).alias("_done"))
            .group_by("period", *by_columns)
            .agg(nw.len().alias("cohort"), nw.col("_done").sum().alias("converted"))
        )
        values = ["cohort", "converted"]
        rate = _levels.ratio("converted", "cohort").alias("rate")
    filled = _levels.fill_periods(counts, frame, period=period, by=by_columns, values=values)
    result = filled.select("period", *by_columns, *values, rate)
    return prepared.finish(result, ["period"])


def funnel(log: Any, *, by: By = None) -> Any:
    """Stage-to-stage funnel: how many customers reached each level, and the step rates.

    Each customer is attributed to the ``by`` values of the row that first contacted it, so
    every step rate is a true share (between 0 and 1).

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns).
    by : str or list of str, optional
        Columns to split by.

    Returns
    -------
    Same kind as ``log`` with ``*by, level, step, customers, from_previous, from_first``;
    ``step`` is 1 for contacted up to 4 for won.

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
    by_columns = _levels.as_list(by)
    prepared = _levels.validate(
        log, func="funnel", columns=("date", "customer", "stage"), by=by_columns
    )
    first = _levels.reached(prepared.frame, LEVELS, by_columns)
    owner = first[LEVELS[0]].select("customer", *by_columns)
    steps = []
    for step, level in enumerate(LEVELS, start=1):
        counted = first[level].select("customer").join(owner, on="customer")
        if by_columns:
            count = counted.group_by(*by_columns).agg(nw.len().alias("customers"))
        else:
            count = counted.select(nw.len().alias("customers"))
        steps.append(count.with_columns(level=nw.lit(level), step=nw.lit(step, dtype=nw.Int64)))
    table = nw.concat(steps, how="vertical")
    keys = [*by_columns, "step"]
    previous = table.select(
        *by_columns, (nw.col("step") + 1).alias("step"), nw.col("customers").alias("_previous")
    )
    top = table.filter(nw.col("step") == 1).select(*by_columns, nw.col("customers").alias("_first"))
    table = table.join(previous, on=keys, how="left")
    table = (
        table.join(top, on=by_columns, how="left") if by_columns else table.join(top, how="cross")
    )
    result = table.select(
        *by_columns,
        "level",
        "step",
        nw.col("customers").cast(nw.Int64),
        _levels.ratio("customers", "_previous").alias("from_previous"),
        _levels.ratio("customers", "_first").alias("from_first"),
    ).sort(keys)
    return prepared.finish(result)


def win_rate(log: Any, *, period: str | None = None, by: By = None) -> Any:
    """Win rate = won ÷ (won + lost), over customers whose outcome is known.

    A customer is *won* once it reaches ``won`` (a later ``lost`` row does not undo it); it is
    *lost* if it has a ``lost`` row and never reached ``won``. The outcome date (for ``period``)
    and credit (for ``by``) come from the row that set it: the first ``won`` row, or the first
    ``lost`` row. Customers still in progress are left out.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns).
    period : {"W", "M", "Q", "Y"}, optional
        Split by the period of the outcome; None gives one row (per ``by`` group).
    by : str or list of str, optional
        Columns to split by.

    Returns
    -------
    Same kind as ``log`` with ``[period], *by, won, lost, rate``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-04-03", "2026-05-06", "2026-05-07", "2026-05-08"]),
    ...     "customer": ["C2", "C1", "C3", "C4"],
    ...     "stage": ["won", "won", "lost", "signed"]})
    >>> win_rate(log)
       won  lost      rate
    0    2     1  0.666667
    """
    by_columns = _levels.as_list(by)
    prepared = _levels.validate(
        log,
        func="win_rate",
        columns=("date", "customer", "stage"),
        by=by_columns,
        period=period,
    )
    frame = prepared.frame
    won = _levels.reached(frame, ("won",), by_columns)["won"]
    first_lost = _levels.earliest(frame, by_columns, where=_levels.is_lost(), uses_stage=True)
    lost = first_lost.join(
        won.select("customer"), on="customer", how="anti"
    )
    outcomes = nw.concat(
        [
            won.with_columns(_won=nw.lit(1, dtype=nw.Int64), _lost=nw.lit(0, dtype=nw.Int64)),
            lost.with_columns(_won=nw.lit(0, dtype=nw.Int64), _lost=nw.lit(1, dtype=nw.Int64)),
        ],
        how="vertical",
    )
    keys = list(by_columns)
    if period is not None:
        outcomes = outcomes.with_columns(
            _levels.period_start(nw.col("date"), period).alias("period")
        )
        keys = ["period", *by_columns]
    aggregates = (
        nw.col("_won").sum().alias("won"),
        nw.col("_lost").sum().alias("lost"),
    )
    if period is not None:
        counts = outcomes.group_by(*keys).agg(*aggregates)
        table = _levels.fill_periods(
            counts, frame, period=period, by=by_columns, values=["won", "lost"]
        )
    elif by_columns:
        counts = outcomes.group_by(*keys).agg(*aggregates)
        table = _levels.distinct(frame, *by_columns).join(counts, on=keys, how="left")
        table = table.with_columns(nw.col("won", "lost").fill_null(0).cast(nw.Int64)).sort(keys)
    else:
        table = outcomes.select(*aggregates).with_columns(
            nw.col("won", "lost").fill_null(0).cast(nw.Int64)
        )
    result = table.select(*keys, "won", "lost", _won_rate())
    return prepared.finish(result, ["period"] if period is not None else [])


def _won_rate() -> nw.Expr:
    total = nw.col("won") + nw.col("lost")
    return (
        nw.when(total > 0)
        .then(nw.col("won").cast(nw.Float64) / total.cast(nw.Float64))
        .otherwise(nw.lit(None, dtype=nw.Float64))
        .alias("rate")
    )


def sales_cycle(log: Any, *, start: str = "contacted", end: str = "won") -> Any:
    """Sales cycle: days from reaching ``start`` to reaching ``end``, one row per customer.

    Only customers who reached ``end`` appear. ``rep`` and ``team`` are those of the row that
    set the ``end`` date (the rep who closed).

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``rep``, ``team``, ``customer``, ``stage``.
    start, end : {"contacted", "qualified", "signed", "won"}
        Levels; ``end`` must come after ``start``.

    Returns
    -------
    Same kind as ``log`` with ``customer, rep, team, start_date, end_date, days``, by customer.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-05-06"]),
    ...     "rep": ["A", "B", "A"], "team": ["T1", "T1", "T1"],
    ...     "customer": ["C1", "C2", "C1"], "stage": ["contacted", "won", "won"]})
    >>> sales_cycle(log)
      customer rep team start_date   end_date  days
    0       C1   A   T1 2026-03-30 2026-05-06    37
    1       C2   B   T1 2026-04-03 2026-04-03     0
    """
    prepared = _levels.validate(
        log,
        func="sales_cycle",
        columns=("date", "rep", "team", "customer", "stage"),
        levels=(start, end),
    )
    _check_order(start, end, "sales_cycle")
    closed = _levels.reached(prepared.frame, (end,), ("rep", "team"))[end]
    opened = _levels.reached(prepared.frame, (start,), ())[start]
    starts = opened.select("customer", nw.col("date").alias("start_date"))
    result = (
        closed.join(starts, on="customer")
        .select(
            "customer",
            "rep",
            "team",
            "start_date",
            nw.col("date").alias("end_date"),
            _levels.days_between(nw.col("start_date"), nw.col("date")).cast(nw.Int64).alias("days"),
        )
        .sort("customer")
    )
    return prepared.finish(result, ["start_date", "end_date"])


def activity_efficiency(log: Any, *, level: str = "won", period: str = "M", by: By = None) -> Any:
    """Activities and visits (活动类型 == "拜访") per new customer, per period.

    ``activities`` counts rows (one row is one activity) dated in the period, ``visits`` the rows
    whose ``activity`` is :data:`VISIT_ACTIVITY`; ``new_customers`` is the development volume at
    ``level``. Activities are credited to the rep on their own row.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage``, ``activity`` (and the ``by`` columns).
    level : {"contacted", "qualified", "signed", "won"}
        Level that counts as a new customer.
    period : {"W", "M", "Q", "Y"}
        Period.
    by : str or list of str, optional
        Columns to split by.

    Returns
    -------
    Same kind as ``log`` with ``period, *by, activities, visits, new_customers,
    activities_per_new, visits_per_new`` (null where there is no new customer).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-20"]),
    ...     "customer": ["C1", "C1", "C1", "C2"],
    ...     "stage": ["contacted", "qualified", "won", "contacted"],
    ...     "activity": ["电话", "拜访", "拜访", None]})
    >>> print(activity_efficiency(log).to_string())
          period  activities  visits  new_customers  activities_per_new  visits_per_new
    0 2026-04-01           4       2              1                 4.0             2.0
    """
    by_columns = _levels.as_list(by)
    prepared = _levels.validate(
        log,
        func="activity_efficiency",
        columns=("date", "customer", "stage", "activity"),
        by=by_columns,
        period=period,
        levels=(level,),
    )
    frame = prepared.frame
    bucket = _levels.period_start(nw.col("date"), period).alias("period")
    keys = ["period", *by_columns]
    work = (
        frame.with_columns(
            bucket,
            (nw.col("activity") == VISIT_ACTIVITY).fill_null(False).cast(nw.Int64).alias("_visit"),
        )
        .group_by(*keys)
        .agg(nw.len().alias("activities"), nw.col("_visit").sum().alias("visits"))
    )
    new = (
        _levels.reached(frame, (level,), by_columns)[level]
        .with_columns(bucket)
        .group_by(*keys)
        .agg(nw.len().alias("new_customers"))
    )
    counts = work.join(new, on=keys, how="left")
    values = ["activities", "visits", "new_customers"]
    filled = _levels.fill_periods(counts, frame, period=period, by=by_columns, values=values)
    result = filled.select(
        *keys,
        *values,
        _levels.ratio("activities", "new_customers").alias("activities_per_new"),
        _levels.ratio("visits", "new_customers").alias("visits_per_new"),
    )
    return prepared.finish(result, ["period"])


def _check_order(start: str, end: str, func: str) -> None:
    if LEVELS.index(end) <= LEVELS.index(start):
        msg = (
            f"{func}() 的 end（{end}）必须在 start（{start}）之后。\n"
            f"end={end!r} must be a later level than start={start!r}; levels: {list(LEVELS)}.\n"
            'Hint: 例如 start="contacted", end="won"。'
        )
        raise ValueError(msg)
