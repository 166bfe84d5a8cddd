"""Where customers end up: win rate, sales cycle, and customers stalled in the middle of the funnel.

All three read the reached-levels table (:mod:`devvolume.core._levels`): a customer is *won* once
it reaches ``won`` (a later ``lost`` row does not undo it), *lost* if it has a ``lost`` row and
was never won, and *stalled* if it reached 意向 or 签约, is neither won nor lost, and nobody has
worked it for a while. With ``unit="deal"`` each counts deals (商机) instead, read the same way
from the log's deal rows (:mod:`devvolume.core._deals`), in columns whose names say so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw
from narwhals.typing import IntoFrameT

from devvolume.core._deals import (
    WIN_COLUMNS,
    check_unit,
    cycles,
    deal_levels,
    deal_outcomes,
    stalled_deals,
)
from devvolume.core._frames import (
    By,
    as_list,
    check_levels,
    check_order,
    distinct,
    message,
    recode,
)
from devvolume.core._levels import CREDIT, RANK, at, prepare
from devvolume.core._periods import (
    DateLike,
    check_period,
    day_of,
    days_between,
    fill_periods,
    null_safe_join,
    period_start,
)
from devvolume.core._schema import LEVELS, LOST

#: A customer with no activity for this many days is stalled.
STALLED_AFTER_DAYS = 14
#: The lowest level at which a quiet customer counts as stalled (earlier ones are just leads).
STALLED_FROM_LEVEL = "qualified"
_ONE_DAY = dt.timedelta(days=1)


def win_rate(
    log: IntoFrameT, *, period: str | None = None, by: By = None, unit: str = "customer"
) -> IntoFrameT:
    """Win rate = won ÷ (won + lost), over customers (or deals) whose outcome is known.

    A customer is *won* once it reaches ``won`` (a later ``lost`` row does not undo it); it is
    *lost* if it has a ``lost`` row and never reached ``won``. The outcome date (for ``period``)
    and credit (for ``by``) come from the row that set it: the first ``won`` row, or the first
    ``lost`` row. Customers still in progress are left out. ``unit="deal"`` counts deals
    (商机) the same way: an account with one won and two lost deals is one won customer, and a
    deal win rate of 1/3.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns), or its
        :func:`~devvolume.reached_levels` table.
    period : {"W", "M", "Q", "Y"}, optional
        Split by the period of the outcome; None gives one row (per ``by`` group).
    by : str or list of str, optional
        Columns to split by.
    unit : {"customer", "deal"}
        Count customers (the default), or deals: the log needs a ``deal`` (商机) column then.

    Returns
    -------
    Same kind as ``log`` with ``[period], *by, won, lost, win_rate`` (customers), or
    ``[period], *by, deals_won, deals_lost, deal_win_rate`` (deals).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-04-03", "2026-05-06", "2026-05-07", "2026-05-08"]),
    ...     "customer": ["C2", "C1", "C3", "C4"],
    ...     "stage": ["won", "won", "lost", "signed"]})
    >>> win_rate(log)
       won  lost  win_rate
    0    2     1  0.666667
    """
    by_columns = as_list(by)
    check_period(period, "win_rate")
    check_unit(unit, "win_rate")
    if unit == "deal":
        deals = deal_levels(log, func="win_rate", by=by_columns)
        won, lost = deal_outcomes(deals, by_columns)
        prepared, table, span = deals.prepared, deals.table, deals.span
    else:
        source = prepare(log, func="win_rate", by=by_columns)
        table = source.table
        won = at(table, "won").select("customer", "date", *by_columns)
        lost = at(table, LOST).select("customer", "date", *by_columns)
        lost = lost.join(won.select("customer"), on="customer", how="anti")
        prepared, span = source.prepared, source.span
    outcomes = nw.concat(
        [
            won.with_columns(_won=nw.lit(1, dtype=nw.Int64), _lost=nw.lit(0, dtype=nw.Int64)),
            lost.with_columns(_won=nw.lit(0, dtype=nw.Int64), _lost=nw.lit(1, dtype=nw.Int64)),
        ],
        how="vertical",
    )
    keys = [*(["period"] if period else []), *by_columns]
    if period is not None:
        outcomes = outcomes.with_columns(period_start(nw.col("date"), period).alias("period"))
    sums = (nw.col("_won").sum().alias("won"), nw.col("_lost").sum().alias("lost"))
    if period is not None:
        counts = outcomes.group_by(*keys).agg(*sums)
        result = fill_periods(counts, groups=table, bounds=span, period=period, by=by_columns,
                              values=["won", "lost"])  # fmt: skip
    elif by_columns:
        counts = outcomes.group_by(*keys).agg(*sums)
        result = null_safe_join(distinct(table, *by_columns), counts, on=keys)
        result = result.with_columns(nw.col("won", "lost").fill_null(0).cast(nw.Int64)).sort(keys)
    else:
        result = outcomes.select(*sums).with_columns(
            nw.col("won", "lost").fill_null(0).cast(nw.Int64)
        )
    total = nw.col("won") + nw.col("lost")
    rate = (
        nw.when(total > 0)
        .then(nw.col("won").cast(nw.Float64) / total.cast(nw.Float64))
        .otherwise(nw.lit(None, dtype=nw.Float64))
    )
    won_name, lost_name, rate_name = WIN_COLUMNS[unit]
    result = result.select(*keys, nw.col("won").alias(won_name), nw.col("lost").alias(lost_name),
                           rate.alias(rate_name))  # fmt: skip
    return prepared.finish(result, ["period"] if period is not None else [])


def sales_cycle(
    log: IntoFrameT, *, start: str = "contacted", end: str = "won", unit: str = "customer"
) -> IntoFrameT:
    """Sales cycle: days from reaching ``start`` to reaching ``end``, one row per customer.

    Only customers who reached ``end`` appear. ``rep`` and ``team`` are those of the row that
    set the ``end`` date (the rep who closed). ``unit="deal"`` gives one row per deal (商机)
    instead, from the deal's own rows.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``rep``, ``team``, ``customer``, ``stage``, or its
        :func:`~devvolume.reached_levels` table.
    start, end : {"contacted", "qualified", "signed", "won"}
        Levels; ``end`` must come after ``start``.
    unit : {"customer", "deal"}
        One row per customer (the default), or per deal: the log needs a ``deal`` column then.

    Returns
    -------
    Same kind as ``log`` with ``customer, rep, team, start_date, end_date, days``, by customer;
    for deals ``customer, deal, rep, team, start_date, end_date, days``, by customer and deal.

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
    check_levels((start, end), "sales_cycle")
    check_order(start, end, "sales_cycle")
    check_unit(unit, "sales_cycle")
    if unit == "deal":
        deals = deal_levels(log, func="sales_cycle", columns=("rep", "team"))
        return deals.prepared.finish(cycles(deals, start, end), ["start_date", "end_date"])
    source = prepare(log, func="sales_cycle", columns=("rep", "team"))
    table = source.table
    starts = at(table, start).select("customer", nw.col("date").alias("start_date"))
    result = (
        at(table, end)
        .join(starts, on="customer")
        .select(
            "customer",
            "rep",
            "team",
            "start_date",
            nw.col("date").alias("end_date"),
            days_between(nw.col("start_date"), nw.col("date")).cast(nw.Int64).alias("days"),
        )
        .sort("customer")
    )
    return source.prepared.finish(result, ["start_date", "end_date"])


def stalled_customers(
    log: IntoFrameT,
    *,
    as_of: DateLike,
    idle_days: int = STALLED_AFTER_DAYS,
    from_level: str = STALLED_FROM_LEVEL,
    unit: str = "customer",
    close_after_days: int | None = None,
) -> IntoFrameT:
    """List the customers in the middle of the funnel whom nobody has worked for a while.

    A customer is stalled on ``as_of`` when, counting the rows up to and including that day, it
    has reached ``from_level`` or later (implied stages count, as everywhere), is neither won nor
    lost, and its last activity, by anyone, is at least ``idle_days`` days before ``as_of``.

    ``unit="deal"`` lists stalled deals (商机) instead: open deals past ``from_level`` whose own
    rows have been quiet for ``idle_days``. They come as DESIGN.md lists stalled items, the
    latest stage first and then the most recently active (still warm, worth a call), and a deal
    idle ``close_after_days`` or more has ``suggest_close`` set: close it as lost rather than call.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (``rep`` and ``team`` are credited), or
        its :func:`~devvolume.reached_levels` table if it has no rows after ``as_of``.
    as_of : date or ISO string
        The day of the review; later rows are left out.
    idle_days : int
        Days without activity after which a customer counts as stalled.
    from_level : {"contacted", "qualified", "signed"}
        The lowest level that counts.
    unit : {"customer", "deal"}
        List customers (the default) or deals: the log needs a ``deal`` column then.
    close_after_days : int, optional
        Idle days from which closing as lost is suggested (``suggest_close``). For customers it
        makes the list a call list, sorted as DESIGN.md lists stalled items: the latest stage
        first, then the most recently active; without it, the longest idle come first and
        there is no ``suggest_close``. For deals the default is
        :data:`~devvolume.core._deals.SUGGEST_CLOSE_CYCLES` (3) times the median deal cycle
        (contacted → won) up to ``as_of``, and no suggestion while no deal has been won.

    Returns
    -------
    Same kind as ``log`` with ``customer, level, date, *credit, last_date, idle_days``: the highest
    level reached, when, and who was credited with it; the longest idle first, then by customer.
    With ``close_after_days``: ``..., idle_days, close_after_days, suggest_close``, the latest
    stage first, then the most recently active. Slice it by ``team`` or ``rep`` for one team's
    list. For deals: ``customer, deal, level,
    date, *credit, last_date, idle_days, close_after_days, suggest_close``, latest stage first,
    then the most recently active.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2025-05-05", "2025-05-06", "2025-05-20", "2025-05-07"]),
    ...     "rep": ["A", "A", "B", "B"], "team": ["T"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C3"],
    ...     "stage": ["contacted", "qualified", "signed", "qualified"]})
    >>> stalled_customers(log, as_of="2025-06-01")[["customer", "level", "rep", "idle_days"]]
      customer      level rep  idle_days
    0       C1  qualified   A         26
    1       C3  qualified   B         25
    >>> calls = stalled_customers(log, as_of="2025-06-01", idle_days=7, close_after_days=20)
    >>> calls[["customer", "level", "idle_days", "suggest_close"]]
      customer      level  idle_days  suggest_close
    0       C2     signed         12          False
    1       C3  qualified         25           True
    2       C1  qualified         26           True
    """
    check_levels((from_level,), "stalled_customers")
    if from_level == LEVELS[-1]:
        msg = "from_level 不能是成交。\nfrom_level must be before 'won'.\nHint: from_level='qualified'。"
        raise ValueError(msg)
    check_unit(unit, "stalled_customers")
    if unit == "deal":
        return stalled_deals(log, as_of=as_of, idle_days=idle_days, from_level=from_level,
                             close_after_days=close_after_days)  # fmt: skip
    day = day_of(as_of)
    native: Any = nw.from_native(log)
    if "stage" in native.collect_schema():
        next_day = dt.datetime.combine(day, dt.time()) + _ONE_DAY
        native = native.filter(nw.col("date").cast(nw.Datetime("us")) < next_day)
    source = prepare(nw.to_native(native), func="stalled_customers", credit=CREDIT)
    table = source.table
    last = source.span[1]
    if last is not None and day_of(last) > day:
        msg = message(
            f"这张 reached_levels 表里有 {day} 之后的活动，无法按 {day} 计算停滞客户。",
            f"The reached-levels table has activity after as_of={day}.",
            "传入工作日志表本身，或用截至该日的日志计算 reached_levels。",
        )
        raise ValueError(msg)
    ladder = table.filter(nw.col("level").is_in(list(LEVELS))).with_columns(
        recode("level", RANK, nw.Int64).alias("_step")
    )
    highest = ladder.group_by("customer").agg(nw.col("_step").max())
    current = ladder.join(highest, on=["customer", "_step"])
    ended = distinct(table.filter(nw.col("level").is_in(["won", LOST])), "customer")
    midnight = nw.lit(dt.datetime(day.year, day.month, day.day), dtype=nw.Datetime("us"))
    credit = [c for c in current.collect_schema() if c not in {"customer", "level", "date",
                                                                   "last_date", "_step"}]
    stalled = (
        current.join(ended, on="customer", how="anti")
        .filter(nw.col("_step") >= RANK[from_level])
        .with_columns(days_between(nw.col("last_date"), midnight).cast(nw.Int64).alias("idle_days"))
        .filter(nw.col("idle_days") >= idle_days)
    )
    columns = ["customer", "level", "date", *credit, "last_date", "idle_days"]
    if close_after_days is None:
        stalled = stalled.select(*columns).sort(["idle_days", "customer"], descending=[True, False])
    else:  # a call list: the warm ones first, the long-dead ones flagged to close as lost
        stalled = (
            stalled.with_columns(
                nw.lit(close_after_days, dtype=nw.Int64).alias("close_after_days"),
                (nw.col("idle_days") >= close_after_days).alias("suggest_close"),
            )
            .sort(["_step", "last_date", "customer"], descending=[True, True, False])
            .select(*columns, "close_after_days", "suggest_close")
        )
    return source.prepared.finish(stalled, ["date", "last_date"])
