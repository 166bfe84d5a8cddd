"""Reached levels: the one place that decides when a customer first reached a level, and who did it.

Every number in devvolume answers "when did this customer first reach level L, and who gets the
credit?". :func:`reached_levels` answers it once, for the whole company's log, in a table with one
row per customer and level reached. Every metric accepts that table in place of the log, so a
caller that needs several metrics computes it once; given a log, a metric builds it first.

Rules (DESIGN.md): a customer reaches level L on the earliest date of any of its rows whose stage
is L or later; a ``lost`` row counts as a contact and never as a later level. The credit goes to
the rep, team (and channel) on the row that set the date. When several rows share that date, the
row with the higher stage sets it, then a row whose rep, team and channel are all filled beats one
with an empty one, then the smaller ``rep`` name (a filled one before an empty one), the smaller
``team``, the smaller ``channel`` and then any other credited column: the same row whatever is
asked, so per-rep volumes add up to the team's and credit never depends on row order.

The table also holds, per customer, the first ``lost`` row (level ``"lost"``, an outcome, used by
the win rate) and ``last_date``, the customer's last activity in the log (the log's date range,
and idle customers, come from it). Team and rep figures are slices of this company-wide table:
group the results ``by="team"`` and pick a team. Never cut the log, or this table, to one team
before a cohort metric: a customer first contacted by one team and won by another would vanish.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import narwhals as nw
from narwhals.typing import IntoFrameT

from devvolume.core._frames import (
    By,
    Prepared,
    as_list,
    constant_frame,
    distinct,
    message,
    recode,
    validate,
    wrap,
)
from devvolume.core._periods import fill_periods
from devvolume.core._schema import LEVELS, LOST

#: Columns credited to whoever set a level's date, in tie-break order, carried when present.
CREDIT: tuple[str, ...] = ("rep", "team", "channel")
#: Columns every reached-levels table has.
TABLE_COLUMNS: tuple[str, ...] = ("customer", "level", "date", "last_date")
#: Rank of each level on the ladder; a ``lost`` row ranks as a contact.
RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
#: The kind of a ``lost`` row (the stage ranks are 0 to 3) when rows are grouped by kind.
_LOST_KIND = len(LEVELS)
#: How many distinct combinations of credited names the tie-break key tells apart (2**24, about
#: 16.8 million; :func:`build` refuses a log with more).
_COMBOS = 2**24
#: The largest second number :func:`_seconds` gives in a year (SQL engines pack the calendar).
_SECONDS_PER_PACKED_YEAR = 12 * 31 * 24 * 60 * 60
#: Dates before this year fit, beside the stage and the name combination, in a 64-bit key.
_LAST_YEAR = (2**63 - 1) // (_COMBOS * len(LEVELS) * _SECONDS_PER_PACKED_YEAR)


def reached_levels(log: IntoFrameT, *, by: By = None) -> IntoFrameT:
    """Find, for the whole log, when each customer first reached each level and who gets the credit.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (Chinese or English labels); ``rep``,
        ``team`` and ``channel`` are credited when present.
    by : str or list of str, optional
        More columns to credit (for ``by=`` of the metrics), e.g. ``"region"``.

    Returns
    -------
    Same kind as ``log`` with ``customer, level, date, *credit, last_date``: one row per customer
    and level reached (``contacted`` … ``won``), plus a ``lost`` row for a customer's first
    ``lost`` row. ``last_date`` is the customer's last activity. A pandas or polars DataFrame
    comes sorted by customer and level; a lazy result (polars LazyFrame, DuckDB, Spark) is a
    query whose rows come in no set order, like any SQL table (sorting it costs DuckDB 0.7 s at
    10M rows, and Spark a shuffle): sort it when you show it. Pass it to any metric in place of
    the log.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-05-07"]),
    ...     "rep": ["A", "A", "B", "B"], "team": ["T1", "T1", "T2", "T2"],
    ...     "customer": ["C1", "C1", "C1", "C2"],
    ...     "stage": ["contacted", "contacted", "签约", "lost"]})
    >>> reached_levels(log)
      customer      level       date rep team  last_date
    0       C1  contacted 2026-03-30   A   T1 2026-04-03
    1       C1  qualified 2026-04-03   B   T2 2026-04-03
    2       C1     signed 2026-04-03   B   T2 2026-04-03
    3       C2  contacted 2026-05-07   B   T2 2026-05-07
    4       C2       lost 2026-05-07   B   T2 2026-05-07
    """
    source = prepare(log, func="reached_levels", by=by, credit=CREDIT)
    table = source.table
    if source.prepared.eager:
        steps = {name: step for step, name in enumerate(_kinds())}
        table = (
            table.with_columns(recode("level", steps, nw.Int8).alias("_step"))
            .sort("customer", "_step")
            .drop("_step")
        )
    return source.prepared.finish(table, ["date", "last_date"])


def is_table(columns: Sequence[str]) -> bool:
    """Tell a reached-levels table (``level`` and ``last_date``, no ``stage``) from a work log."""
    return "level" in columns and "last_date" in columns and "stage" not in columns


@dataclass(frozen=True)
class Reached:
    """A checked input, its reached-levels table, and the first and last day of the log."""

    prepared: Prepared
    table: nw.LazyFrame[Any]
    bounds: Callable[[], tuple[Any, Any]]

    @cached_property
    def span(self) -> tuple[Any, Any]:
        """The log's first and last day (a query, run when a metric first needs them)."""
        return self.bounds()


def prepare(
    data: Any,
    *,
    func: str,
    by: By = None,
    columns: Sequence[str] = (),
    credit: Sequence[str] = (),
) -> Reached:
    """Check a work log or a reached-levels table, and return it with the reached-levels table.

    ``by`` columns must be credited in the table; ``columns`` are further columns a work log
    must have (a table passed in place of a log is refused if it lacks them); ``credit`` are
    credit columns the caller shows (a log's table credits only what is asked for, plus what
    breaks ties before it). Eager input gets its table computed once, here.
    """
    by_columns = as_list(by)
    schema = list(wrap(data, func).collect_schema())
    if is_table(schema):
        absent = [c for c in [*by_columns, *columns] if c not in schema]
        if absent:
            msg = message(
                f"{func}() 需要的列 {absent} 不在已算好的 reached_levels 表里。",
                f"{func}() needs {absent}, which this reached-levels table does not carry.",
                f"用 dv.reached_levels(log, by={absent!r}) 重新计算，或直接传入工作日志表。",
            )
            raise ValueError(msg)
        prepared = validate(
            data,
            func=func,
            columns=(*TABLE_COLUMNS, *columns),
            by=by_columns,
            keep=CREDIT,
            date_columns=("date", "last_date"),
            check_stages=False,
        )
        table = prepared.frame
        return Reached(prepared, table, lambda: _span(table, "date", "last_date"))
    prepared = validate(
        data, func=func, columns=("date", "customer", "stage", *columns), by=by_columns, keep=CREDIT
    )
    table = from_log(prepared.frame, [*by_columns, *columns, *credit], extra=by_columns)
    span = _span(prepared.frame, "date", "date")
    if span[1] is not None and span[1].year >= _LAST_YEAR:
        msg = message(
            f"{func}() 的日期列里有 {span[1].year} 年的日期，请检查是否输错。",
            f"{func}(): the log has a date in the year {span[1].year}; dates must be before "
            f"{_LAST_YEAR}.",
            "dv.check_worklog() 会列出有问题的行号；把这些日期改正后再算。",
        )
        raise ValueError(msg)
    if prepared.eager:
        table = table.collect().lazy()
    return Reached(prepared, table, lambda: span)


def _span(frame: nw.LazyFrame[Any], first: str, last: str) -> tuple[Any, Any]:
    row = frame.select(nw.col(first).min().alias("a"), nw.col(last).max().alias("b")).collect()
    return row.item(0, "a"), row.item(0, "b")


def from_log(
    frame: nw.LazyFrame[Any], needed: Sequence[str] = CREDIT, *, extra: Sequence[str] = ()
) -> nw.LazyFrame[Any]:
    """Build the reached-levels table of a checked log: every :data:`CREDIT` column, then ``extra``.

    Every credit column the log has takes part in the tie-break (a row with all of them filled
    wins a tie), so all are credited whatever is ``needed``: the credited values are the same in
    every table built from one log.
    """
    schema = frame.collect_schema()
    present = [c for c in CREDIT if c in schema]
    extras = [c for c in dict.fromkeys([*needed, *extra]) if c not in CREDIT and c in schema]
    return build(frame, [*present, *extras])


def build(frame: nw.LazyFrame[Any], credit: Sequence[str]) -> nw.LazyFrame[Any]:
    """Build the reached-levels table of a checked work log (stage codes, Datetime dates).

    Each row gets its stage rank (a ``lost`` row ranks as a contact) and its kind (the rank, or
    :data:`_LOST_KIND`); :func:`_kinds` says which kinds can set each outcome.
    """
    kind = nw.col("_kind")
    rows = frame.select(
        "customer",
        "date",
        *(nw.col(c).cast(nw.String) if c in CREDIT else nw.col(c) for c in credit),
        recode("stage", {**RANK, LOST: _LOST_KIND}, nw.Int8).alias("_kind"),
    ).with_columns(nw.when(kind == _LOST_KIND).then(nw.lit(0)).otherwise(kind).alias("_rank"))
    table = _by_key(rows, credit, outcomes=frame)
    return table.select("customer", "level", "date", *credit, "last_date")


def _kinds() -> dict[str, list[int]]:
    """Each row of the table, and which kinds of row (stage rank, or ``lost``) can set it."""
    kinds = {level: list(range(RANK[level], len(LEVELS))) for level in LEVELS}
    kinds[LEVELS[0]].append(_LOST_KIND)  # a lost row counts as a contact
    return {**kinds, LOST: [_LOST_KIND]}


def _by_key(
    rows: nw.LazyFrame[Any], credit: Sequence[str], *, outcomes: nw.LazyFrame[Any]
) -> nw.LazyFrame[Any]:
    """Find each outcome's row by the ``min`` of an integer tie-break key that sorts like the rule.

    The key packs the date (to the second), the stage (higher first) and the rank of the row's
    credited values among all the log's distinct combinations of them (all of rep, team and
    channel filled first, then each column in turn, a filled value before an empty one, then the
    values in order), so one ``min`` finds the row that sets a date. Two group-bys: per customer
    and kind of row, then per customer over its few kinds (a wide row of every outcome's date
    and key, and the last date). A cross join with the five outcomes turns that wide row into
    one row per outcome reached. ``outcomes`` is any frame on the same backend (and
    connection), used to build the frame of outcome names.
    """
    filled = rows
    if credit:
        combos = _combos(rows, credit)
        keys = [name for c in credit for name in (f"_k_{c}", f"_e_{c}")]
        filled = rows.with_columns(*_join_keys(credit)).join(
            combos.with_columns(*_join_keys(credit)).drop(*credit), on=keys
        )
        combo = nw.col("_combo").cast(nw.Int64)
    else:
        combo = nw.lit(0, dtype=nw.Int64)
    stage = len(LEVELS) - 1 - nw.col("_rank").cast(nw.Int64)
    key = (_seconds(nw.col("date"), rows.implementation) * len(LEVELS) + stage) * _COMBOS + combo
    per_kind = (
        filled.select("customer", "date", key.alias("_key"), "_kind")
        .group_by("customer", "_kind")
        .agg(
            nw.col("_key").min(),
            nw.col("date").min().alias("_first"),
            nw.col("date").max().alias("_last"),
        )
    )
    wide: list[nw.Expr] = []
    for name, kinds in _kinds().items():
        where = nw.col("_kind").is_in(kinds)
        wide.append(nw.when(where).then(nw.col("_first")).min().alias(f"_date_{name}"))
        wide.append(nw.when(where).then(nw.col("_key")).min().alias(f"_key_{name}"))
    per_customer = per_kind.group_by("customer").agg(
        *wide, nw.col("_last").max().alias("last_date")
    )
    names = list(_kinds())
    levels = constant_frame(outcomes, "level", names, nw.String)
    table = (
        per_customer.join(levels, how="cross")
        .select(
            "customer",
            "level",
            _pick(names, "_date_").alias("date"),
            _pick(names, "_key_").alias("_key"),
            "last_date",
        )
        .filter(~nw.col("date").is_null())
    )
    if not credit:
        return table
    return table.with_columns((nw.col("_key") % _COMBOS).alias("_combo")).join(
        combos.with_columns(nw.col("_combo").cast(nw.Int64)), on="_combo"
    )


def _join_keys(credit: Sequence[str]) -> list[nw.Expr]:
    """Make join keys that match a missing value with a missing value (SQL joins never do).

    Each credited value as text, missing as ``""``, beside whether it is missing.
    """
    keys = []
    for c in credit:
        keys.append(nw.col(c).cast(nw.String).fill_null("").alias(f"_k_{c}"))
        keys.append(nw.col(c).is_null().alias(f"_e_{c}"))
    return keys


def _combos(rows: nw.LazyFrame[Any], credit: Sequence[str]) -> nw.LazyFrame[Any]:
    """Give each distinct combination of credited values its place in the order of the tie rule.

    A combination with rep, team and channel all filled comes first; then, column by column, a
    filled value before an empty one and smaller values before larger (any sortable type: names,
    amounts, deal ids).
    """
    names = [c for c in credit if c in CREDIT]
    empty = [nw.col(c).is_null().cast(nw.Int8).alias(f"_empty_{c}") for c in credit]
    flags = [nw.col(c).is_null().cast(nw.Int8) for c in names]
    # max_horizontal of one column is that column (Spark's greatest() refuses fewer than two)
    any_empty = nw.lit(0, dtype=nw.Int8) if not flags else flags[0] if len(flags) == 1 else nw.max_horizontal(*flags)
    order = ["_any_empty"]
    for c in credit:
        order += [f"_empty_{c}", c]
    numbered = (
        distinct(rows, *credit)
        .with_columns(any_empty.alias("_any_empty"), *empty)
        .with_row_index("_combo", order_by=order)
    )
    return numbered.select(*credit, "_combo")


def _seconds(date: nw.Expr, implementation: nw.Implementation) -> nw.Expr:
    """Give a number that sorts like ``date`` (a ``Datetime("us")``) to the second.

    polars counts the seconds since 1970 from the date's integer form; SQL engines and Spark
    cannot cast a timestamp to an integer, so they pack its calendar fields (0.5 s slower on
    polars at 10M rows).
    """
    if implementation.is_polars():
        return date.cast(nw.Int64) // 1_000_000
    number = date.dt.year().cast(nw.Int64)
    for field, size in (("month", 12), ("day", 31), ("hour", 24), ("minute", 60), ("second", 60)):
        value = getattr(date.dt, field)().cast(nw.Int64)
        number = number * size + (value - 1 if field in ("month", "day") else value)
    return number


def _pick(names: Sequence[str], prefix: str) -> nw.Expr:
    """Pick, on each row, the column ``prefix + level`` of its level (a hand-made unpivot)."""
    expr: Any = nw.when(nw.col("level") == names[0]).then(nw.col(prefix + names[0]))
    for name in names[1:]:
        expr = expr.when(nw.col("level") == name).then(nw.col(prefix + name))
    return expr


def at(table: nw.LazyFrame[Any], level: str) -> nw.LazyFrame[Any]:
    """Keep the table's rows of one level (or of the ``lost`` outcome)."""
    return table.filter(nw.col("level") == level)


def fill_calendar(
    counts: nw.LazyFrame[Any],
    source: Reached,
    *,
    period: str,
    by: Sequence[str],
    values: Sequence[str],
) -> nw.LazyFrame[Any]:
    """Give every period of the log's range, and every ``by`` group in ``table``, a row (0 if none).

    The groups are those credited with anything in the table: a team shows as 0 in a period where
    it developed no one.
    """
    return fill_periods(
        counts, groups=source.table, bounds=source.span, period=period, by=by, values=values
    )
