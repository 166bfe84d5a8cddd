"""Read the distinct values of one column, and check them against the declared schema.

A column is read once per distinct value: a 200,000-row log with 700 distinct dates parses 700
dates. Columns that came through Arrow (CSV, Parquet) take a vectorised path for the values in
the plain forms (``2026-01-05``, ``12800.50``, text without stray spaces), and the per-cell
readers of :mod:`._cells` for the rest, with the same result. The typed distinct values are
validated against :class:`~devvolume.core.WorklogSchema` and each failure is worded for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from devvolume.core import COLUMN_LABELS, STAGE_LABELS, STAGES, WorklogSchema
from devvolume.core._schema import MAX_AMOUNT
from devvolume.inputs._cells import (
    AmbiguousAmount,
    AmountWithUnit,
    Marker,
    _to_amount,
    _to_date,
    clean,
    to_stage,
    to_text,
)

# The canonical text dtype (pandas' "str"), looked up once: each lookup by name asks every
# registered extension dtype in turn.
_TEXT = pd.api.types.pandas_dtype("str")

#: Columns with fewer distinct values than this are read cell by cell (it is as fast).
VECTOR_MIN = 64

# Python's whitespace (str.isspace) and the BOM, as an RE2 class for Arrow.
_WHITE = r"[\t\n\v\f\r\x1c-\x1f\x{85}\p{Z}\x{feff}]"
_BLANK = f"^{_WHITE}*$"
# Text that clean() would change: spaces at either end, runs of spaces, any space but " ".
_UNCLEAN = (f"^{_WHITE}|{_WHITE}$|{_WHITE}{_WHITE}"
            r"|[\t\n\v\f\r\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
            r"\x{202f}\x{205f}\x{3000}\x{feff}]")


@dataclass
class Distinct:
    """A column's distinct values, read: ``typed`` (an array) and ``problems`` by position."""

    typed: Any
    problems: dict[int, str]


def date_problems(window: tuple[date, date]) -> tuple[str, str]:
    """Word the problems of a date that is not one, and of one outside the window."""
    first, last = window
    invalid = ("不是有效日期，请写成 2026-01-05 或 2026/1/5 / not a valid date, "
               "write it as 2026-01-05")
    outside = (f"日期不在合理范围 {first} 至 {last} 内，请检查年份 / date outside the plausible "
               f"range {first} to {last}: check the year (or widen date_window=)")
    return invalid, outside


_AMBIGUOUS = ("金额的写法有歧义（逗号和小数点），请只写数字和小数点，如 12800.50 / ambiguous amount "
              "(commas and points): write digits and a decimal point only, e.g. 12800.50")
_NOT_A_NUMBER = "金额不是数字，只填数字，如 12800 / amount is not a number"


def _unit_problem(error: AmountWithUnit) -> str:
    """Say that an amount carries a unit, and give the number to write instead."""
    return (f"金额里写了单位“{error.unit}”，请写完整的数字：{error.full} / the amount has the unit "
            f"{error.unit!r}: write the full number, {error.full}")


def as_arrow(values: list[Any]) -> Any:
    """Return the values as an Arrow string array if all are text (or missing), else None."""
    if len(values) < VECTOR_MIN or not set(map(type, values)) <= {str, type(None)}:
        return None
    import pyarrow

    return pyarrow.array(values, type=pyarrow.string())


def blank_flags(values: list[Any], arrow: Any = None) -> np.ndarray:
    """For each distinct raw value, whether the cell is blank."""
    arrow = as_arrow(values) if arrow is None else arrow
    if arrow is not None and len(values) >= VECTOR_MIN:
        import pyarrow.compute as pc

        return pc.match_substring_regex(arrow, _BLANK).fill_null(True).to_numpy(
            zero_copy_only=False)
    return np.fromiter((clean(v) is None for v in values), dtype=bool, count=len(values))


def read_distinct(name: str, values: list[Any], window: tuple[date, date],
                  arrow: Any = None) -> Distinct:
    """Read the distinct raw values of canonical column ``name`` (``arrow``: the same, as Arrow)."""
    if len(values) < VECTOR_MIN or name == "stage":
        return _read_cells(name, values, window)
    arrow = as_arrow(values) if arrow is None else arrow
    if arrow is None:
        return _read_cells(name, values, window)
    return _read_vector(name, values, arrow, window)


def _read_cells(name: str, values: list[Any], window: tuple[date, date]) -> Distinct:
    typed: list[Any] = []
    problems: dict[int, str] = {}
    invalid_date, outside = date_problems(window)
    first, last = window
    for position, raw in enumerate(values):
        if name == "amount" and type(raw) is float and raw == raw and abs(raw) != np.inf:
            typed.append(raw)  # the common case of a number cell in Excel, at full speed
            continue
        cell = raw if isinstance(raw, Marker) else clean(raw)
        value: Any = None
        if isinstance(cell, Marker):
            problems[position] = cell.problem
        elif cell is None:
            pass
        elif name == "date":
            try:
                value = _to_date(cell)
            except (ValueError, OverflowError, TypeError):
                problems[position] = invalid_date
            else:
                if not first <= value <= last:
                    value, problems[position] = None, outside
        elif name == "amount":
            try:
                value = _to_amount(cell)
            except AmountWithUnit as error:
                problems[position] = _unit_problem(error)
            except AmbiguousAmount:
                problems[position] = _AMBIGUOUS
            except (ValueError, OverflowError, TypeError):
                problems[position] = _NOT_A_NUMBER
        elif name == "stage":
            value = to_stage(cell)
        else:
            value = to_text(cell)
        typed.append(value)
    return Distinct(_array(name, typed), problems)


def _array(name: str, typed: list[Any]) -> Any:
    if name == "date":
        return np.array(typed, dtype="datetime64[us]")
    if name == "amount":
        return np.array([np.nan if v is None else v for v in typed], dtype="float64")
    import pyarrow

    return pyarrow.array(typed, type=pyarrow.string())


def _read_vector(name: str, values: list[Any], arrow: Any, window: tuple[date, date]) -> Distinct:
    """Plain values with Arrow compute; the others cell by cell."""
    import pyarrow
    import pyarrow.compute as pc

    if name == "date":
        simple = pc.match_substring_regex(arrow, r"^\d{4}-\d{2}-\d{2}$").fill_null(False)
        stamps = pc.strptime(arrow, format="%Y-%m-%d", unit="us", error_is_null=True)
        first, last = (pyarrow.scalar(np.datetime64(d, "us")) for d in window)
        plain = pc.and_(pc.and_(simple, pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), arrow)),
                        pc.and_(pc.greater_equal(stamps, first), pc.less_equal(stamps, last)))
        plain = plain.fill_null(False)
        typed = pc.if_else(plain, stamps, pyarrow.scalar(None, stamps.type)).to_numpy(
            zero_copy_only=False)
        typed = typed.astype("datetime64[us]")
    elif name == "amount":
        plain = pc.match_substring_regex(arrow, r"^\d+(\.\d+)?$").fill_null(False)
        typed = pc.if_else(plain, arrow, pyarrow.scalar(None, arrow.type)).cast(
            pyarrow.float64()).to_numpy(zero_copy_only=False)
    else:
        plain = pc.invert(pc.match_substring_regex(arrow, _UNCLEAN)).fill_null(False)
        plain = pc.and_(plain, pc.greater(pc.utf8_length(arrow), 0)).fill_null(False)
        typed = arrow.cast(pyarrow.string())
    mask = pc.invert(plain)
    rest = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    slow = _read_cells(name, [values[int(i)] for i in rest], window)
    problems = {int(rest[k]): text for k, text in slow.problems.items()}
    if name in {"date", "amount"}:
        typed = np.array(typed, copy=True)
        typed[rest] = slow.typed
    elif len(rest):
        typed = pc.replace_with_mask(typed, mask, slow.typed)
    return Distinct(typed, problems)


_RULE_MESSAGES = {
    ("not_nullable", "date"): "日期不能为空 / date is required",
    ("not_nullable", "rep"): "销售员不能为空 / rep is required",
    ("not_nullable", "team"): "团队不能为空 / team is required",
    ("not_nullable", "customer"): "客户不能为空 / customer is required",
    ("not_nullable", "stage"): "阶段不能为空 / stage is required",
    ("isin", "stage"): "不认识的阶段，请填 " + "、".join(STAGE_LABELS.values())
    + " / unknown stage, use " + ", ".join(STAGES),
    ("greater_than_or_equal_to", "amount"): "金额不能为负数 / amount must not be negative",
    ("less_than_or_equal_to", "amount"): f"金额超过 {MAX_AMOUNT:,.0f}（一百亿），不像一笔真实的成交：请检查是否"
    f"多打了数字 / amount above {MAX_AMOUNT:,.0f}, more than any real deal: check for extra digits",
}


_REQUIRED = {c for c, f in WorklogSchema.to_schema().columns.items() if not f.nullable}


def _with_null(name: str, typed: Any) -> Any:
    """Append a missing value to the typed values (at position ``len(typed)``)."""
    if name in {"date", "amount"}:
        return np.concatenate([typed, _array(name, [None])])
    import pyarrow

    return pyarrow.concat_arrays([typed, pyarrow.nulls(1, typed.type)])


def _pad_value(name: str, column: Distinct, taken: np.ndarray) -> int | None:
    """Find a used distinct value likely to pass the schema (its position; None if none)."""
    series = column_series(name, column.typed, taken)
    good = series.notna()
    if name == "stage":
        good &= series.isin(STAGES)
    position = np.flatnonzero(good.to_numpy())
    return int(taken[position[0]]) if len(position) else None


def column_series(name: str, typed: Any, codes: np.ndarray | None = None) -> pd.Series:
    """Make a canonical column from typed distinct values (taken at ``codes`` if given)."""
    if name in {"date", "amount"}:
        return pd.Series(typed if codes is None else typed[codes])
    import pyarrow
    import pyarrow.compute

    from devvolume.inputs._columns import memory_pool

    if codes is None:
        taken = typed
    else:
        index = codes.astype(np.int32) if len(typed) < 2**31 else codes
        taken = pyarrow.compute.take(typed, pyarrow.array(index), memory_pool=memory_pool())
    return pd.Series(pd.array(taken, dtype=_TEXT))


def schema_problems(distinct: dict[str, Distinct], used: dict[str, np.ndarray]) -> None:
    """Validate the typed distinct values against the declared schema; add each failure's words.

    Every rule of :class:`~devvolume.core.WorklogSchema` is a rule on single values, so checking
    each distinct value that a row uses (``used[name]``, a mask) once is checking every row.
    Shorter columns are padded to one length with a value expected to pass (failures in the
    padding are ignored; a passing pad only keeps the check quick).
    """
    positions = {name: np.flatnonzero(used[name]) for name in distinct}
    length = max((len(p) for p in positions.values()), default=0)
    if length == 0:
        return
    frame = {}
    for name, values in distinct.items():
        taken = positions[name]
        if len(taken) < length:
            pad = _pad_value(name, values, taken) if name in _REQUIRED else None
            filler = np.full(length - len(taken), len(values.typed) if pad is None else pad)
            taken = np.concatenate([taken, filler])
        frame[name] = column_series(name, _with_null(name, values.typed), taken)
    try:
        WorklogSchema.validate(pd.DataFrame(frame), lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return
    for case in cases.itertuples(index=False):
        column, check, index = str(case.column), str(case.check), case.index
        if index is None or pd.isna(index):
            msg = f"the work-log schema failed on column {column}: {check}"
            raise AssertionError(msg)  # a frame-level failure means the loader has a bug
        target = distinct[column]
        if int(index) >= len(positions[column]):
            continue  # the padding
        position = int(positions[column][int(index)])
        if position in target.problems:
            continue
        rule = check.split("(")[0]
        target.problems[position] = _RULE_MESSAGES.get(
            (rule, column), f"{COLUMN_LABELS[column]}：{check} 检查未通过 / check failed")
