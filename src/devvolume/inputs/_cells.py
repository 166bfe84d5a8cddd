"""Read the cells of a 工作日志表: dates, amounts, stage labels and text, and word each problem.

Each reader turns one raw cell (text from a CSV, a number or datetime from Excel, anything in a
DataFrame) into its canonical value, or says why it cannot. The typed frame is then validated
against the declared :class:`~devvolume.core.WorklogSchema`, and every failure is worded for
a person: the row they see in Excel, the column, the value and the fix.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import pandera.pandas as pa

from devvolume.core import CANONICAL, COLUMN_LABELS, STAGE_LABELS, STAGES, WorklogSchema

#: Excel stores dates as days since 1899-12-30; serials in this range are plausible dates
#: (1954–2119), so a stray small number is not mistaken for one.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (20_000, 80_000)

SPACES = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_DATE_PATTERN = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_NUMBER_NOISE = re.compile(r"[,，\s\u3000¥￥元]")

_STAGE_CODES: dict[str, str] = {code: code for code in STAGES} | {
    label: code for code, label in STAGE_LABELS.items()
}

Problem = tuple[int, str, str, str, str]


def clean(cell: Any) -> Any:
    """Strip text, and turn empty cells (None, NaN, '', spaces) into None."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = SPACES.sub(" ", cell).strip()
        return text or None
    if isinstance(cell, float) and cell != cell:
        return None
    if cell is pd.NaT or (not isinstance(cell, (str, bytes)) and pd.api.types.is_scalar(cell)
                          and pd.isna(cell)):
        return None
    return cell


def _to_date(cell: Any) -> date | None:
    """Parse one date cell; raise ValueError when it is not a real calendar date."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, int | float):
        serial = float(cell)
        low, high = EXCEL_SERIAL_RANGE
        if serial.is_integer() and low <= serial <= high:
            return EXCEL_EPOCH + timedelta(days=int(serial))
        raise ValueError(cell)
    match = _DATE_PATTERN.match(str(cell))
    if match is None:
        if str(cell).isdigit():
            return _to_date(int(str(cell)))
        raise ValueError(cell)
    year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)


def _to_amount(cell: Any) -> float:
    if isinstance(cell, bool):
        raise ValueError(cell)
    text = cell if isinstance(cell, int | float) else _NUMBER_NOISE.sub("", str(cell))
    value = float(text)
    if value != value or value in {float("inf"), float("-inf")}:
        raise ValueError(cell)
    return value


def to_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


def parse_cells(
    raw: pd.DataFrame, rows: pd.Series, header_of: dict[str, str]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn raw cells into typed canonical columns, noting cells that cannot be read."""
    problems: list[Problem] = []
    cleaned = {name: [clean(cell) for cell in raw[name]] if name in raw else [None] * len(raw)
               for name in CANONICAL}
    typed: dict[str, Any] = {}

    dates: list[date | None] = []
    for cell, number in zip(cleaned["date"], rows, strict=True):
        try:
            dates.append(None if cell is None else _to_date(cell))
        except (ValueError, OverflowError):
            dates.append(None)
            problems.append((number, "date", header_of.get("date", "日期"), _shown(cell),
                             "不是有效日期，请写成 2026-01-05 或 2026/1/5 / not a valid date, "
                             "write it as 2026-01-05"))
    typed["date"] = pd.to_datetime(pd.Series(dates, dtype=object)).astype("datetime64[us]")

    amounts: list[float | None] = []
    for cell, number in zip(cleaned["amount"], rows, strict=True):
        try:
            amounts.append(None if cell is None else _to_amount(cell))
        except (ValueError, OverflowError):
            amounts.append(None)
            problems.append((number, "amount", header_of.get("amount", "金额"), _shown(cell),
                             "金额不是数字，只填数字，如 12800 / amount is not a number"))
    typed["amount"] = pd.Series(amounts, dtype="float64")

    for name in ("rep", "team", "customer", "channel", "activity", "note"):
        typed[name] = pd.Series([None if c is None else to_text(c) for c in cleaned[name]],
                                dtype="str")
    typed["stage"] = pd.Series(
        [None if c is None else _STAGE_CODES.get(to_text(c).lower(), to_text(c))
         for c in cleaned["stage"]], dtype="str")
    frame = pd.DataFrame({name: typed[name] for name in CANONICAL})
    return frame, problems


_RULE_MESSAGES = {
    ("not_nullable", "date"): "日期不能为空 / date is required",
    ("not_nullable", "rep"): "销售员不能为空 / rep is required",
    ("not_nullable", "team"): "团队不能为空 / team is required",
    ("not_nullable", "customer"): "客户不能为空 / customer is required",
    ("not_nullable", "stage"): "阶段不能为空 / stage is required",
    ("isin", "stage"): "不认识的阶段，请填 " + "、".join(STAGE_LABELS.values())
    + " / unknown stage, use " + ", ".join(STAGES),
    ("greater_than_or_equal_to", "amount"): "金额不能为负数 / amount must not be negative",
}


def schema_problems(
    typed: pd.DataFrame,
    raw: pd.DataFrame,
    rows: pd.Series,
    header_of: dict[str, str],
    already: set[tuple[int, str]],
) -> list[Problem]:
    """Validate the typed frame against the declared schema and word each failure."""
    try:
        WorklogSchema.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems: list[Problem] = []
    for case in cases.itertuples(index=False):
        column, check, index = str(case.column), str(case.check), case.index
        if index is None or pd.isna(index):
            msg = f"the work-log schema failed on column {column}: {check}"
            raise AssertionError(msg)  # a frame-level failure means the loader has a bug
        number = int(rows.iloc[int(index)])
        if (number, column) in already:
            continue
        rule = check.split("(")[0]
        problem = _RULE_MESSAGES.get((rule, column), f"{check} 检查未通过 / check failed")
        value = raw[column].iloc[int(index)] if column in raw else None
        problems.append((number, column, header_of.get(column, COLUMN_LABELS[column]),
                         _shown(clean(value)), problem))
    return problems


def _shown(cell: Any) -> str:
    return "" if cell is None else to_text(cell)
