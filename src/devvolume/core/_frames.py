"""Input checks and backend plumbing shared by every metric: one validator, one way back.

Every public metric takes a pandas, polars or DuckDB table and returns the same kind (written once
with narwhals). :func:`validate` checks what a metric needs and says, in Chinese and English,
what is missing and how to fix it; :class:`Prepared` gives the result back as the caller's kind.
pandas input is computed on polars (same numbers, many times faster) and handed back as pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from devvolume.core._schema import COLUMN_LABELS, LEVELS, STAGE_CODES

#: ``by`` everywhere: None, one column name, or several.
By = str | Sequence[str] | None


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


def message(problem_zh: str, problem_en: str, hint: str) -> str:
    """Join a problem in Chinese, the same in English, and a ``Hint:`` into one message."""
    return f"{problem_zh}\n{problem_en}\nHint: {hint}"


def as_list(by: By) -> list[str]:
    """Turn ``by`` (None, one name or several) into a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def wrap(data: Any, func: str) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    """Wrap a native table for narwhals; refuse anything that is not a table."""
    try:
        frame = nw.from_native(data)
    except TypeError:
        msg = (
            f"{func}() 需要一个表格（pandas、polars 或 DuckDB），收到的是 {type(data).__name__}。\n"
            f"{func}() needs a pandas, polars or DuckDB table, got {type(data).__name__}.\n"
            "Hint: 先用 dv.read_worklog('文件.xlsx') 读入工作日志表。"
        )
        raise TypeError(msg) from None
    if isinstance(frame, nw.Series):
        msg = f"{func}() 需要一个表格，不是一列（Series）。\nHint: pass the whole work log."
        raise TypeError(msg)
    return frame


def validate(
    data: Any,
    *,
    func: str,
    columns: Iterable[str],
    by: By = None,
    keep: Iterable[str] = (),
    levels: Iterable[str] = (),
    date_columns: Sequence[str] = ("date",),
    check_stages: bool = True,
) -> Prepared:
    """Check a table for one metric and wrap it lazily for narwhals.

    ``columns`` and ``by`` must exist; ``keep`` columns travel on when present. Dates become
    ``Datetime("us")`` and stage labels (Chinese or English) become stage codes, so nothing
    after this point needs to know how the input was written.

    Raises ``TypeError`` for an object that is not a data frame and ``ValueError`` naming what is
    wrong, what exists, and a ``Hint:`` for a missing column, an unknown level or stage.
    """
    frame = wrap(data, func)
    eager = isinstance(frame, nw.DataFrame)
    schema = frame.collect_schema()
    needed = list(dict.fromkeys([*columns, *as_list(by)]))
    missing = [c for c in needed if c not in schema]
    if missing:
        labels = "、".join(f"{c}（{COLUMN_LABELS.get(c, c)}）" for c in missing)
        msg = message(
            f"{func}() 缺少列：{labels}。",
            f"{func}() is missing column(s) {missing}; the columns that exist are {list(schema)}.",
            "先用 dv.read_worklog() 读入，它会把中文表头（日期、销售员、团队、客户、阶段）"
            "改成标准列名；或把列改名为上面列出的名字。",
        )
        raise ValueError(msg)
    check_levels(levels, func)
    # Only the columns in use travel on, so an odd column elsewhere can never get in the way.
    kept = [*needed, *(c for c in keep if c in schema and c not in needed)]
    lazy = as_lazy(frame.select(*kept))
    date_dtype = schema.get(date_columns[0]) if date_columns else None
    casts = []
    for column in date_columns:
        dtype = schema.get(column)
        if dtype is None or dtype == nw.Datetime("us"):
            continue
        if dtype != nw.Date and dtype != nw.Datetime:
            msg = message(
                f"{func}() 的 {column}（{COLUMN_LABELS.get(column, column)}）列必须是日期类型，"
                f"现在是 {dtype}。",
                f"Column {column!r} must be a date or datetime, got {dtype}.",
                "用 dv.read_worklog() 读入文件，它会把 2026/1/5、Excel 日期等转换成日期。",
            )
            raise ValueError(msg)
        casts.append(nw.col(column).cast(nw.Datetime("us")))
    if casts:
        lazy = lazy.with_columns(*casts)
    if check_stages and "stage" in schema:
        lazy = _stage_codes(lazy, func)
    backend = frame.implementation if eager else None
    return Prepared(lazy, eager, date_dtype, backend)


def _stage_codes(lazy: nw.LazyFrame[Any], func: str) -> nw.LazyFrame[Any]:
    found = distinct(lazy, "stage").collect().get_column("stage").to_list()
    unknown = sorted(str(s) for s in found if s not in STAGE_CODES)
    if unknown:
        msg = message(
            f"{func}() 的 stage（阶段）列有不认识的值：{unknown}。",
            f"Column 'stage' has unknown value(s) {unknown}; known: {list(STAGE_CODES)}.",
            "阶段只能是 首次接触/意向/签约/成交/流失（或 contacted/qualified/signed/won/"
            "lost）；dv.check_worklog() 会列出有问题的行号。",
        )
        raise ValueError(msg)
    if all(s == STAGE_CODES[s] for s in found):
        return lazy
    return lazy.with_columns(recode("stage", STAGE_CODES, nw.String).alias("stage"))


def recode(column: str, mapping: dict[Any, Any], dtype: Any) -> nw.Expr:
    """Map the values of ``column`` through ``mapping`` (others become null), on every backend."""
    pairs = list(mapping.items())
    expr: Any = nw.when(nw.col(column) == pairs[0][0]).then(nw.lit(pairs[0][1], dtype=dtype))
    for old, new in pairs[1:]:
        expr = expr.when(nw.col(column) == old).then(nw.lit(new, dtype=dtype))
    return expr


def check_levels(levels: Iterable[str], func: str) -> None:
    """Refuse anything that is not a development level (``lost`` is an outcome)."""
    for level in levels:
        if level not in LEVELS:
            msg = message(
                f"{func}() 不认识阶段 {level!r}。",
                f"Unknown level {level!r}; use one of {list(LEVELS)}.",
                "流失（lost）不是一个开发阶段，它只算作一次接触；请用 contacted/qualified/"
                "signed/won。",
            )
            raise ValueError(msg)


def check_order(start: str, end: str, func: str) -> None:
    """Refuse an ``end`` level that does not come after ``start``."""
    if LEVELS.index(end) <= LEVELS.index(start):
        msg = message(
            f"{func}() 的 end（{end}）必须在 start（{start}）之后。",
            f"end={end!r} must be a later level than start={start!r}; levels: {list(LEVELS)}.",
            '例如 start="contacted", end="won"。',
        )
        raise ValueError(msg)


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


def ratio(numerator: str, denominator: str) -> nw.Expr:
    """``numerator / denominator`` as a float, null where the denominator is 0."""
    return (
        nw.when(nw.col(denominator) > 0)
        .then(nw.col(numerator).cast(nw.Float64) / nw.col(denominator).cast(nw.Float64))
        .otherwise(nw.lit(None, dtype=nw.Float64))
    )
