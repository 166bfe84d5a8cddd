"""Deals beside customers: deal outcomes, won revenue, first and repeat deals, open deals.

客户开发量 counts customers (accounts); a CRM counts deals (商机), many per customer. Where a work
log has a ``deal`` column these measures count deals, and every column says so (``deals_won``,
``deal_win_rate``, ``first_deal_revenue``): a deal figure is never shown as a customer figure.

A deal is the pair (customer, 商机 id), so ids numbered per customer never merge; a row without a
deal id is activity, not a deal. A deal's rows are read exactly as a customer's are: they go
through the same :func:`~devvolume.core._levels.build`, keyed by the deal, so the date a deal
reached each level and the rep and team credited with it follow the one rule and tie-break of
:mod:`devvolume.core._levels`. A deal is *won* once it has a ``won`` row, *lost* if it has a
``lost`` row and no ``won`` row, and *open* otherwise. Its revenue is the sum of the 金额 on its
``won`` rows.

A **first deal** is the deal on the row that set its customer's ``won`` date in
:func:`~devvolume.reached_levels` (the deal is credited like a name, after rep, team and channel,
so the row is the very one that credits the new customer): the deal that made the account a
customer, which is development. Every other won deal is a **repeat deal** with an existing
customer. "First" is never decided a second way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import narwhals as nw
from narwhals.typing import IntoFrameT

from devvolume.core._frames import (
    By,
    Prepared,
    as_list,
    check_levels,
    distinct,
    message,
    recode,
    validate,
    wrap,
)
from devvolume.core._levels import CREDIT, RANK, at, build, from_log, is_table
from devvolume.core._periods import (
    DateLike,
    check_period,
    day_of,
    days_between,
    fill_periods,
    null_safe_join,
    period_start,
)
from devvolume.core._schema import DEAL, LEVELS, LOST

#: What a measure counts: customers (accounts, the default) or deals (商机).
UNITS: tuple[str, ...] = ("customer", "deal")
#: An open deal idle this many times the median deal cycle (contacted → won) is suggested to be
#: closed as lost rather than called again.
SUGGEST_CLOSE_CYCLES = 3
# Joins a deal's customer and id into one key for the level table (a control character that a
# loaded name never holds).
_SEP = "\x1f"
_DEAL_KEY = ("customer", DEAL)


def check_unit(unit: str, func: str) -> None:
    """Refuse a ``unit`` other than ``"customer"`` or ``"deal"``."""
    if unit not in UNITS:
        msg = message(
            f"{func}() 的 unit 只能是 'customer'（客户）或 'deal'（商机），收到 {unit!r}。",
            f"{func}(): unit must be 'customer' or 'deal', got {unit!r}.",
            "客户开发量按客户算，用默认的 unit='customer'；日志有商机列时可用 unit='deal'。",
        )
        raise ValueError(msg)


def _no_deals(func: str, why_zh: str, why_en: str) -> ValueError:
    return ValueError(message(
        f"{func}(unit='deal') 要按商机计算，但{why_zh}。",
        f"{func}(unit='deal') counts deals, but {why_en}.",
        "在工作日志表里加一列“商机”（商机编号），或用 devvolume import 把 CRM 导出的商机表转成工作日志"
        "（它会带上商机编号）；不按商机算时用 unit='customer'。/ Add a 商机 (deal) column, or turn "
        "a CRM export into a work log with `devvolume import`; or use unit='customer'.",
    ))


@dataclass(frozen=True)
class DealLevels:
    """A checked log with deals, and its deal-level table (one row per deal and level reached)."""

    prepared: Prepared
    #: The checked log: stage codes, ``Datetime("us")`` dates, ``deal`` as text.
    frame: nw.LazyFrame[Any]
    #: ``customer, deal, level, date, *credit, last_date``, like a reached-levels table.
    table: nw.LazyFrame[Any]
    credit: tuple[str, ...]

    @cached_property
    def span(self) -> tuple[Any, Any]:
        """The log's first and last day (all rows, as for the customer measures)."""
        row = self.frame.select(nw.col("date").min().alias("a"), nw.col("date").max().alias("b"))
        got = row.collect()
        return got.item(0, "a"), got.item(0, "b")


def deal_levels(
    log: Any, *, func: str, by: Sequence[str] = (), columns: Sequence[str] = ()
) -> DealLevels:
    """Check a log for a deal measure and build its deal-level table.

    Raises ``ValueError`` (Chinese, English, ``Hint:``) when the input is a reached-levels table,
    or has no ``deal`` column, or no row with a deal id.
    """
    schema = list(wrap(log, func).collect_schema())
    if is_table(schema):
        raise _no_deals(func, "传入的是 reached_levels 表，它没有商机",
                        "a reached-levels table has no deals: pass the work log itself")
    if DEAL not in schema:
        raise _no_deals(func, "这份工作日志没有“商机”（deal）列", "the log has no 'deal' column")
    prepared = validate(log, func=func, columns=("date", "customer", "stage", DEAL, *columns),
                        by=list(by), keep=(*CREDIT, "amount"))  # fmt: skip
    frame = prepared.frame.with_columns(nw.col(DEAL).cast(nw.String))
    has_id = ~nw.col(DEAL).is_null() & (nw.col(DEAL) != "")
    rows = frame.filter(has_id)
    if rows.select(nw.len().alias("n")).collect().item(0, "n") == 0:
        raise _no_deals(func, "“商机”列是空的，没有一行填了商机编号",
                        "no row has a deal id in its 'deal' column")
    present = frame.collect_schema()
    credit = [c for c in CREDIT if c in present] + [c for c in by if c not in CREDIT]
    keyed = rows.with_columns(
        nw.concat_str([nw.col("customer"), nw.lit(_SEP), nw.col(DEAL)]).alias("_deal")
    )
    table = (
        build(keyed.select("date", nw.col("_deal").alias("customer"), "stage", *credit), credit)
        .rename({"customer": "_deal"})
        .join(distinct(keyed, "_deal", "customer", DEAL), on="_deal")
        .select("customer", DEAL, "level", "date", *credit, "last_date")
    )
    if prepared.eager:
        table = table.collect().lazy()
    return DealLevels(prepared, frame, table, tuple(credit))


def first_deals(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Find every first deal (``customer, deal``): the deal on the row that set a customer's won date.

    The customer-level table of :mod:`._levels` is built with the deal credited as one more name,
    so the row is the one that credits the new customer (the deal breaks no earlier tie).
    """
    reached = from_log(frame, CREDIT, extra=[DEAL])
    return at(reached, "won").filter(~nw.col(DEAL).is_null()).select("customer", DEAL)


def won_deals(log: IntoFrameT, *, period: str | None = None, by: By = None) -> IntoFrameT:
    """Won deals and their revenue, split between first deals and repeat deals.

    A **first deal** made its account a customer (it is on the row that set the customer's
    ``won`` date, the row :func:`~devvolume.development_volume` credits); a **repeat deal** is
    business with an existing customer. The two add up to all won deals, and their revenues to
    the won revenue. Each deal is dated and credited by the row that set its ``won`` date.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` and ``deal`` (商机); ``amount`` (金额)
        gives the revenue.
    period : {"W", "M", "Q", "Y"}, optional
        Split by the period of the win; None gives one row (per ``by`` group).
    by : str or list of str, optional
        Columns to split by (credited from each deal's won row).

    Returns
    -------
    Same kind as ``log`` with ``[period], *by, deals_won, first_deals, repeat_deals,
    won_revenue, first_deal_revenue, repeat_deal_revenue``. Counts are deals, not customers.
    Revenue is the sum of 金额 on the won rows (null when the log has no ``amount`` column).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-20", "2026-04-08", "2026-04-09"]),
    ...     "customer": ["C1", "C1", "C1", "C2"], "deal": ["D1", "D1", "D2", "D3"],
    ...     "stage": ["contacted", "won", "won", "lost"], "amount": [None, 500.0, 800.0, None]})
    >>> print(won_deals(log).to_string())
       deals_won  first_deals  repeat_deals  won_revenue  first_deal_revenue  repeat_deal_revenue
    0          2            1             1       1300.0               500.0                800.0
    """
    by_columns = as_list(by)
    check_period(period, "won_deals")
    deals = deal_levels(log, func="won_deals", by=by_columns)
    won = at(deals.table, "won").select(*_DEAL_KEY, "date", *by_columns)
    won = won.join(
        first_deals(deals.frame).with_columns(nw.lit(1, dtype=nw.Int64).alias("_first")),
        on=list(_DEAL_KEY), how="left",
    ).with_columns(nw.col("_first").fill_null(0), nw.lit(1, dtype=nw.Int64).alias("_one"))
    amounts = "amount" in deals.frame.collect_schema()
    if amounts:
        revenue = (
            deals.frame.filter(nw.col("stage") == "won", ~nw.col(DEAL).is_null())
            .group_by(*_DEAL_KEY)
            .agg(nw.col("amount").cast(nw.Float64).sum().alias("_amount"))
        )
        won = won.join(revenue, on=list(_DEAL_KEY), how="left")
    else:
        won = won.with_columns(nw.lit(None, dtype=nw.Float64).alias("_amount"))
    counts = ["deals_won", "first_deals"]
    sums = (
        nw.col("_one").sum().alias("deals_won"),
        nw.col("_first").sum().alias("first_deals"),
        nw.col("_amount").sum().alias("won_revenue"),
        nw.when(nw.col("_first") == 1).then(nw.col("_amount")).sum().alias("first_deal_revenue"),
    )
    result = _grouped(won, sums, deals, period=period, by=by_columns, counts=counts)
    money = ["won_revenue", "first_deal_revenue"]
    if amounts:  # an empty sum is 0 on some backends and null on others: always 0 here
        result = result.with_columns(nw.col(*money).fill_null(0.0).cast(nw.Float64))
    else:
        result = result.with_columns(*(nw.lit(None, dtype=nw.Float64).alias(m) for m in money))
    keys = [*(["period"] if period else []), *by_columns]
    result = result.select(
        *keys, "deals_won", "first_deals",
        (nw.col("deals_won") - nw.col("first_deals")).alias("repeat_deals"),
        *money, (nw.col("won_revenue") - nw.col("first_deal_revenue")).alias("repeat_deal_revenue"),
    )
    return deals.prepared.finish(result, ["period"] if period else [])


def _grouped(
    rows: nw.LazyFrame[Any],
    sums: Sequence[nw.Expr],
    deals: DealLevels,
    *,
    period: str | None,
    by: list[str],
    counts: Sequence[str],
) -> nw.LazyFrame[Any]:
    """Aggregate dated deal rows by ``[period], *by``; every period and group gets a row."""
    keys = [*(["period"] if period else []), *by]
    if period is not None:
        dated = rows.with_columns(period_start(nw.col("date"), period).alias("period"))
        got = dated.group_by(*keys).agg(*sums)
        return fill_periods(got, groups=deals.table, bounds=deals.span, period=period, by=by,
                            values=counts)  # fmt: skip
    if by:
        got = rows.group_by(*keys).agg(*sums)
        joined = null_safe_join(distinct(deals.table, *by), got, on=keys)
        return joined.with_columns(nw.col(*counts).fill_null(0).cast(nw.Int64)).sort(keys)
    return rows.select(*sums).with_columns(nw.col(*counts).fill_null(0).cast(nw.Int64))


def deal_outcomes(deals: DealLevels, by: Sequence[str]) -> tuple[Any, Any]:
    """Split the closed deals: won, and lost (never won); ``customer, deal, date, *by`` each."""
    won = at(deals.table, "won").select(*_DEAL_KEY, "date", *by)
    lost = at(deals.table, LOST).select(*_DEAL_KEY, "date", *by)
    lost = lost.join(won.select(*_DEAL_KEY), on=list(_DEAL_KEY), how="anti")
    return won, lost


def open_deals(log: IntoFrameT, *, as_of: DateLike | None = None) -> IntoFrameT:
    """List the open deals on ``as_of``: neither won nor lost, with their latest stage.

    Sorted as stalled items are (DESIGN.md): the latest stage first, then the most recently
    active, so the warm ones lead the list.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` and ``deal`` (rows after ``as_of`` are
        left out).
    as_of : date or ISO string, optional
        The day of the review; default the last day of the log.

    Returns
    -------
    Same kind as ``log`` with ``customer, deal, level, date, *credit, last_date, idle_days``: the
    highest level the deal reached, when, who was credited with it, the deal's last activity and
    the days since.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-20", "2026-03-25"]),
    ...     "rep": ["A", "A", "B", "B"], "team": ["T"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C2"], "deal": ["D1", "D2", "D3", "D3"],
    ...     "stage": ["qualified", "contacted", "contacted", "won"]})
    >>> open_deals(log, as_of="2026-03-31")[["deal", "level", "rep", "idle_days"]]
      deal      level rep  idle_days
    0   D1  qualified   A         29
    1   D2  contacted   A         26
    """
    native, day = _up_to(log, as_of, "open_deals")
    deals = deal_levels(native, func="open_deals")
    if day is None:
        day = day_of(deals.span[1])
    return deals.prepared.finish(_open(deals, day).drop("_step"), ["date", "last_date"])


def stalled_deals(
    log: Any, *, as_of: DateLike, idle_days: int, from_level: str, close_after_days: int | None
) -> Any:
    """Open deals past ``from_level``, idle at least ``idle_days``; see ``stalled_customers``."""
    native, day = _up_to(log, as_of, "stalled_customers")
    assert day is not None
    deals = deal_levels(native, func="stalled_customers")
    if close_after_days is None:
        median = _median_cycle(deals)
        close_after_days = None if median is None else math.ceil(SUGGEST_CLOSE_CYCLES * median)
    limit = nw.lit(close_after_days, dtype=nw.Int64)
    stalled = (
        _open(deals, day)
        .filter(nw.col("_step") >= RANK[from_level], nw.col("idle_days") >= idle_days)
        .drop("_step")
        .with_columns(
            limit.alias("close_after_days"),
            (nw.col("idle_days") >= limit).fill_null(False).alias("suggest_close")
            if close_after_days is not None else nw.lit(False).alias("suggest_close"),
        )
    )
    return deals.prepared.finish(stalled, ["date", "last_date"])


def _up_to(log: Any, as_of: DateLike | None, func: str) -> tuple[Any, dt.date | None]:
    """Keep the rows up to and including ``as_of`` (all rows when it is None)."""
    if as_of is None:
        return log, None
    day = day_of(as_of)
    native: Any = wrap(log, func)
    if "date" in native.collect_schema():
        next_day = dt.datetime.combine(day, dt.time()) + dt.timedelta(days=1)
        native = native.filter(nw.col("date").cast(nw.Datetime("us")) < next_day)
    return nw.to_native(native), day


def _open(deals: DealLevels, day: dt.date) -> nw.LazyFrame[Any]:
    """Open deals with their highest level (``_step``) and idle days, sorted as stalled items."""
    table = deals.table
    ladder = table.filter(nw.col("level").is_in(list(LEVELS))).with_columns(
        recode("level", RANK, nw.Int64).alias("_step")
    )
    highest = ladder.group_by(*_DEAL_KEY).agg(nw.col("_step").max())
    current = ladder.join(highest, on=[*_DEAL_KEY, "_step"])
    ended = distinct(table.filter(nw.col("level").is_in(["won", LOST])), *_DEAL_KEY)
    midnight = nw.lit(dt.datetime(day.year, day.month, day.day), dtype=nw.Datetime("us"))
    return (
        current.join(ended, on=list(_DEAL_KEY), how="anti")
        .with_columns(days_between(nw.col("last_date"), midnight).cast(nw.Int64).alias("idle_days"))
        .select(*_DEAL_KEY, "level", "date", *deals.credit, "last_date", "idle_days", "_step")
        .sort(["_step", "last_date", "customer", DEAL], descending=[True, True, False, False])
    )


def _median_cycle(deals: DealLevels) -> float | None:
    """Give the median days from contacted to won over the won deals (None when none is won)."""
    days = cycles(deals, "contacted", "won").select(nw.col("days").cast(nw.Float64).median())
    value = days.collect().item(0, "days")
    return None if value is None or value != value else float(value)


def cycles(deals: DealLevels, start: str, end: str) -> nw.LazyFrame[Any]:
    """Give ``customer, deal, rep, team, start_date, end_date, days`` per deal that reached ``end``."""
    check_levels((start, end), "sales_cycle")
    starts = at(deals.table, start).select(*_DEAL_KEY, nw.col("date").alias("start_date"))
    return (
        at(deals.table, end)
        .join(starts, on=list(_DEAL_KEY))
        .select(
            *_DEAL_KEY,
            *(c for c in ("rep", "team") if c in deals.credit),
            "start_date",
            nw.col("date").alias("end_date"),
            days_between(nw.col("start_date"), nw.col("date")).cast(nw.Int64).alias("days"),
        )
        .sort(list(_DEAL_KEY))
    )


#: What each measure names its columns in each unit (the unit is in the name).
WIN_COLUMNS: dict[str, tuple[str, str, str]] = {
    "customer": ("won", "lost", "win_rate"),
    "deal": ("deals_won", "deals_lost", "deal_win_rate"),
}
