"""Shared core of the metric engine: input checks, reached levels and period buckets.

Every metric in devvolume answers "when did this customer first reach level L, and who gets the
credit?". This module answers it once, for pandas, polars and DuckDB input alike (written with
narwhals), and holds the one validator every public metric calls first, plus the period
calendar used to show empty periods as 0.

Tie-break: when several rows of one customer share the earliest date for a level, the row with
the higher stage sets it, then the smaller ``rep`` name, then the smaller ``team`` name (then any
other ``by`` column). The same row is picked whatever ``by`` asks for, so per-rep volumes add up
to the team's, and credit never depends on row order.

Speed: pandas input is computed on polars (``narwhals`` ``lazy(backend="polars")``) and the
result handed back as pandas; polars and DuckDB input stay in their own engine (a DuckDB result
is a relation on the caller's connection). Only the columns a metric uses are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from devvolume.schema import COLUMN_LABELS, LEVELS, LOST, STAGE_LABELS, STAGE_RANK

#: Period codes and their names in Chinese.
PERIODS: dict[str, str] = {"W": "周（周一开始）", "M": "月", "Q": "季度", "Y": "年"}
_TRUNCATE = {"M": "1mo", "Q": "1q", "Y": "1y"}
#: Every stage label accepted in a ``stage`` column (English code or Chinese label) -> rank.
_RANK_OF_LABEL: dict[str, int] = {
    **STAGE_RANK,
    **{STAGE_LABELS[code]: rank for code, rank in STAGE_RANK.items()},
}
_LOST_LABELS = (LOST, STAGE_LABELS[LOST])
#: Order in which the credit columns break ties (after the higher stage).
_TIE_BREAK = ("rep", "team")
_MINUTES_PER_DAY = 24 * 60
#: The tie-break key: (minutes since _KEY_EPOCH × 4 + stage order + _KEY_OFFSET) written with
#: _KEY_WIDTH digits, then rep, _KEY_SEPARATOR, team. It sorts exactly like the tie-break rule.
_KEY_EPOCH = dt.datetime(1900, 1, 1)
_STAGES_IN_KEY = 4
_KEY_OFFSET = 10**11
_KEY_WIDTH = 12
_KEY_SEPARATOR = "\x01"


@dataclass(frozen=True)
class Prepared:
    """A checked input: the frame as a narwhals LazyFrame and how to give results back."""

    frame: nw.LazyFrame[Any]
    eager: bool
    date_dtype: Any
    backend: Any = None

    def finish(self, result: nw.LazyFrame[Any], date_columns: Sequence[str] = ()) -> Any:
        """Return ``result`` as the same kind of object the caller passed in."""
        if date_columns and self.date_dtype == nw.Date:
            result = result.with_columns(nw.col(*date_columns).cast(nw.Date))
        if not self.eager:
            return result.to_native()
        frame = result.collect(backend=self.backend)
        return nw.maybe_reset_index(frame).to_native()


def _message(problem_zh: str, problem_en: str, hint: str) -> str:
    return f"{problem_zh}\n{problem_en}\nHint: {hint}"


def as_list(by: str | Sequence[str] | None) -> list[str]:
    """Turn ``by`` (None, one name or several) into a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def validate(
    log: Any,
    *,
    func: str,
    columns: Iterable[str],
    by: str | Sequence[str] | None = None,
    period: str | None = None,
    levels: Iterable[str] = (),
    check_stages: bool = True,
) -> Prepared:
    """Check a work log (or orders frame) for one metric and wrap it for narwhals.

    Raises ``TypeError`` for an object that is not a data frame and ``ValueError`` naming what is
    wrong, what exists, and a ``Hint:`` for a missing column, an unknown level, period or stage.
    """
    try:
        frame = nw.from_native(log)
    except TypeError:
        msg = (
            f"{func}() 需要一个表格（pandas、polars 或 DuckDB），收到的是 {type(log).__name__}。\n"
            f"{func}() needs a pandas, polars or DuckDB table, got {type(log).__name__}.\n"
            "Hint: 先用 dv.read_worklog('文件.xlsx') 读入工作日志表。"
        )
        raise TypeError(msg) from None
    if isinstance(frame, nw.Series):
        msg = f"{func}() 需要一个表格，不是一列（Series）。\nHint: pass the whole work log."
        raise TypeError(msg)
    eager = isinstance(frame, nw.DataFrame)
    schema = frame.collect_schema()
    by_columns = as_list(by)
    needed = list(dict.fromkeys([*columns, *by_columns]))
    missing = [c for c in needed if c not in schema]
    if missing:
        labels = "、".join(f"{c}（{COLUMN_LABELS.get(c, c)}）" for c in missing)
        msg = _message(
            f"{func}() 缺少列：{labels}。",
            f"{func}() is missing column(s) {missing}; the columns that exist are {list(schema)}.",
            "先用 dv.read_worklog() 读入，它会把中文表头（日期、销售员、团队、客户、阶段）"
            "改成标准列名；或把列改名为上面列出的名字。",
        )
        raise ValueError(msg)
    # Only the columns in use travel on (and rep/team, which break ties), so an odd column
    # elsewhere in a user's frame can never get in the way.
    kept = [*needed, *(c for c in _TIE_BREAK if c in schema and c not in needed)]
    lazy = as_lazy(frame.select(*kept))
    if period is not None and period not in PERIODS:
        msg = _message(
            f"{func}() 不认识周期 {period!r}。",
            f"Unknown period {period!r}; use one of {list(PERIODS)}.",
            'period="W" 周、"M" 月、"Q" 季度、"Y" 年。',
        )
        raise ValueError(msg)
    for level in levels:
        if level not in LEVELS:
            msg = _message(
                f"{func}() 不认识阶段 {level!r}。",
                f"Unknown level {level!r}; use one of {list(LEVELS)}.",
                "流失（lost）不是一个开发阶段，它只算作一次接触；请用 contacted/qualified/"
                "signed/won。",
            )
            raise ValueError(msg)
    date_dtype = schema.get("date")
    if date_dtype is not None:
        if date_dtype != nw.Date and date_dtype != nw.Datetime:
            msg = _message(
                f"{func}() 的 date（日期）列必须是日期类型，现在是 {date_dtype}。",
                f"Column 'date' must be a date or datetime, got {date_dtype}.",
                "用 dv.read_worklog() 读入文件，它会把 2026/1/5、Excel 日期等转换成日期。",
            )
            raise ValueError(msg)
        lazy = lazy.with_columns(nw.col("date").cast(nw.Datetime("us")))
    if check_stages and "stage" in schema:
        found = distinct(lazy, "stage").collect().get_column("stage").to_list()
        unknown = sorted(str(s) for s in found if s not in _RANK_OF_LABEL)
        if unknown:
            msg = _message(
                f"{func}() 的 stage（阶段）列有不认识的值：{unknown}。",
                f"Column 'stage' has unknown value(s) {unknown}; known: {list(_RANK_OF_LABEL)}.",
                "阶段只能是 首次接触/意向/签约/成交/流失（或 contacted/qualified/signed/won/"
                "lost）；dv.check_worklog() 会列出有问题的行号。",
            )
            raise ValueError(msg)
    backend = frame.implementation if eager else None
    return Prepared(lazy, eager, date_dtype, backend)


def as_lazy(frame: nw.DataFrame[Any] | nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Wrap a frame lazily; pandas input is computed on polars (same numbers, many times faster).

    Results go back to pandas in :meth:`Prepared.finish`, so pandas in still gives pandas out.
    """
    if isinstance(frame, nw.LazyFrame):
        return frame
    if frame.implementation.is_pandas():
        return frame.lazy(backend=nw.Implementation.POLARS)
    return frame.lazy()


def distinct(frame: nw.LazyFrame[Any], *columns: str) -> nw.LazyFrame[Any]:
    """Distinct combinations of ``columns`` (a hash group-by: ``unique()`` is a window in SQL)."""
    return frame.group_by(*columns).agg()


def stage_rank() -> nw.Expr:
    """Rank of the row's stage on the level ladder (``lost`` ranks as a contact)."""
    expr: Any = nw.when(nw.col("stage").is_in(_labels_of_rank(3))).then(nw.lit(3))
    for rank in (2, 1, 0):
        expr = expr.when(nw.col("stage").is_in(_labels_of_rank(rank))).then(nw.lit(rank))
    return expr.cast(nw.Int8).alias("_rank")


def is_lost() -> nw.Expr:
    """Select ``lost`` / 流失 rows (a boolean expression)."""
    return nw.col("stage").is_in(_LOST_LABELS)


def _labels_of_rank(rank: int) -> list[str]:
    return [label for label, r in _RANK_OF_LABEL.items() if r == rank]


def first_rows(rows: nw.LazyFrame[Any], credit: Sequence[str]) -> nw.LazyFrame[Any]:
    """Keep, per customer, the row with the earliest date, breaking ties by the documented rule.

    ``rows`` must hold ``customer``, ``date``, ``_rank`` and the ``credit`` columns.
    Returns ``customer``, ``date`` and the credit columns, one row per customer.

    The winning row is found in one group-by, with no join back to the rows: each row gets a
    text key that sorts like (date, higher stage first, rep, team): a fixed-width number for
    date and stage, then the names. The smallest key per customer is cut back into names.
    Credit columns that are not text fall back to a join and window filters.
    """
    schema = rows.collect_schema()
    if not credit:
        return rows.group_by("customer").agg(nw.col("date").min())
    if any(schema[c] != nw.String for c in credit):
        return _first_rows_by_join(rows, credit)
    order = [c for c in _TIE_BREAK if c in credit] + [c for c in credit if c not in _TIE_BREAK]
    minute = (nw.col("date") - _KEY_EPOCH).dt.total_minutes().cast(nw.Int64)
    stage_first = _STAGES_IN_KEY - 1 - nw.col("_rank").cast(nw.Int64)
    parts: list[nw.Expr] = [(minute * _STAGES_IN_KEY + stage_first + _KEY_OFFSET).cast(nw.String)]
    for i, column in enumerate(order):
        if i:
            parts.append(nw.lit(_KEY_SEPARATOR))
        parts.append(nw.col(column).fill_null(""))
    best = rows.group_by("customer").agg(
        nw.col("date").min(), nw.concat_str(parts).min().alias("_key")
    )
    names = nw.col("_key").str.slice(_KEY_WIDTH)
    if len(order) == 1:
        decoded = {order[0]: names}
    else:
        split = names.str.split(_KEY_SEPARATOR)
        decoded = {column: split.list.get(i) for i, column in enumerate(order)}
    return best.select("customer", "date", *(decoded[c].alias(c) for c in credit))


def _first_rows_by_join(rows: nw.LazyFrame[Any], credit: Sequence[str]) -> nw.LazyFrame[Any]:
    earliest = rows.group_by("customer").agg(nw.col("date").min())
    first = rows.join(earliest, on=["customer", "date"])
    first = first.filter(nw.col("_rank") == nw.col("_rank").max().over("customer"))
    order = [c for c in _TIE_BREAK if c in credit] + [c for c in credit if c not in _TIE_BREAK]
    for column in order:
        first = first.filter(nw.col(column) == nw.col(column).min().over("customer"))
    return first.select("customer", "date", *credit).unique()


def reached(
    frame: nw.LazyFrame[Any], levels: Sequence[str], credit: Sequence[str]
) -> dict[str, nw.LazyFrame[Any]]:
    """Per level: each customer that reached it, the date it first did, and who gets the credit.

    A customer reaches level L on the earliest date of a row whose stage is L or later; ``lost``
    counts as a contact only. Rows below L are dropped first, so the later levels only touch the
    few rows that carry them.
    """
    return {
        level: earliest(frame, credit, where=nw.col("_rank") >= STAGE_RANK[level])
        for level in levels
    }


def earliest(
    frame: nw.LazyFrame[Any], credit: Sequence[str], *, where: nw.Expr, uses_stage: bool = False
) -> nw.LazyFrame[Any]:
    """Per customer, the earliest row matching ``where`` and who gets the credit for it.

    ``where`` may use ``_rank``, and ``stage`` if ``uses_stage`` is set.

    The row that sets a date is the same whatever is credited: rep and team always break ties
    when the frame has them, so per-rep volumes add up to the team's.
    """
    credit = list(dict.fromkeys(credit))
    schema = frame.collect_schema()
    keys = list(dict.fromkeys([*(c for c in _TIE_BREAK if c in schema and credit), *credit]))
    stage = ["stage"] if uses_stage and "stage" not in keys else []
    rows = frame.select("customer", "date", stage_rank(), *keys, *stage)
    return first_rows(rows.filter(where), keys).select("customer", "date", *credit)


def period_start(date: nw.Expr, period: str) -> nw.Expr:
    """First day of the period that holds ``date`` (a Datetime expression).

    Weeks are ISO weeks starting on Monday; ``dt.truncate`` cannot do them on every backend, so
    the weekday (1 = Monday) picks how many days to step back.
    """
    if period != "W":
        return date.dt.truncate(_TRUNCATE[period])
    weekday = date.dt.weekday()
    expr: Any = nw.when(weekday == 1).then(date)
    for day in range(2, 8):
        expr = expr.when(weekday == day).then(date - dt.timedelta(days=day - 1))
    return expr


def period_index(date: nw.Expr, period: str) -> nw.Expr:
    """Give each period a number one more than the period before (for offsets and lags)."""
    if period == "M":
        return date.dt.year() * 12 + date.dt.month() - 1
    if period == "Q":
        return date.dt.year() * 4 + (date.dt.month() - 1) // 3
    if period == "Y":
        return date.dt.year().cast(nw.Int64)
    since_monday = period_start(date, "W") - dt.datetime(1969, 12, 29)
    return since_monday.dt.total_minutes() // (7 * _MINUTES_PER_DAY)


def days_between(start: nw.Expr, end: nw.Expr) -> nw.Expr:
    """Whole days from ``start`` to ``end`` (both midnight datetimes)."""
    return (end - start).dt.total_minutes() // _MINUTES_PER_DAY


def period_starts(first: dt.datetime, last: dt.datetime, period: str) -> list[dt.datetime]:
    """Every period start from the period of ``first`` to the period of ``last``, in Python."""
    day = dt.datetime(first.year, first.month, first.day)
    if period == "W":
        current = day - dt.timedelta(days=day.weekday())
    elif period == "M":
        current = day.replace(day=1)
    elif period == "Q":
        current = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    else:
        current = day.replace(month=1, day=1)
    starts = []
    while current <= last:
        starts.append(current)
        current = _next_start(current, period)
    return starts


def _next_start(start: dt.datetime, period: str) -> dt.datetime:
    if period == "W":
        return start + dt.timedelta(days=7)
    months = {"M": 1, "Q": 3, "Y": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return start.replace(year=index // 12, month=index % 12 + 1)


def constant_frame(like: nw.LazyFrame[Any], name: str, values: list[Any], dtype: Any) -> Any:
    """Build a one-column frame of ``values`` on the backend (and DuckDB connection) of ``like``.

    pandas and polars build it directly; DuckDB relations cannot be joined across connections,
    so the values are selected as a list literal from ``like`` itself and exploded.
    """
    if like.implementation.is_pandas_like() or like.implementation.is_polars():
        data = nw.from_dict({name: values}, {name: dtype}, backend=like.implementation)
        return data.lazy()
    one_row = like.head(1).select(nw.lit(1).alias("_one"))
    listed = one_row.select(nw.lit(values, dtype=nw.List(dtype)).alias(name))
    return listed.explode(name)


def calendar(frame: nw.LazyFrame[Any], period: str) -> nw.LazyFrame[Any]:
    """Every period start inside the date range of ``frame`` (column ``period``)."""
    bounds = frame.select(
        nw.col("date").min().alias("first"), nw.col("date").max().alias("last")
    ).collect()
    first, last = bounds.item(0, "first"), bounds.item(0, "last")
    starts = [] if first is None else period_starts(_to_datetime(first), _to_datetime(last), period)
    return constant_frame(frame, "period", starts, nw.Datetime("us"))


def _to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


def fill_periods(
    counts: nw.LazyFrame[Any],
    frame: nw.LazyFrame[Any],
    *,
    period: str,
    by: Sequence[str],
    values: Sequence[str],
) -> nw.LazyFrame[Any]:
    """Give every period in the data's range (and every ``by`` group in the log) a row.

    Missing count columns ``values`` become 0; the result is sorted by period then ``by``.
    """
    grid = calendar(frame, period)
    if by:
        grid = grid.join(distinct(frame, *by), how="cross")
    keys = ["period", *by]
    filled = grid.join(counts, on=keys, how="left")
    return filled.with_columns(nw.col(*values).fill_null(0).cast(nw.Int64)).sort(keys)


def volume(
    frame: nw.LazyFrame[Any], *, level: str, period: str, by: Sequence[str]
) -> nw.LazyFrame[Any]:
    """Development volume: new customers at ``level`` per period and ``by`` group, zeros filled."""
    counts = (
        reached(frame, (level,), by)[level]
        .with_columns(period_start(nw.col("date"), period).alias("period"))
        .group_by("period", *by)
        .agg(nw.len().alias("volume"))
    )
    filled = fill_periods(counts, frame, period=period, by=by, values=["volume"])
    return filled.select("period", *by, "volume")


def ratio(numerator: str, denominator: str) -> nw.Expr:
    """``numerator / denominator`` as a float, null where the denominator is 0."""
    return (
        nw.when(nw.col(denominator) > 0)
        .then(nw.col(numerator).cast(nw.Float64) / nw.col(denominator).cast(nw.Float64))
        .otherwise(nw.lit(None, dtype=nw.Float64))
    )
