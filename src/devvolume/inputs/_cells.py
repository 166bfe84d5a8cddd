"""Read one cell of a 工作日志表: a date, an amount, a stage label or text, or say why not.

Each reader turns one raw cell (text from a CSV, a number or datetime from Excel, anything in a
DataFrame) into its canonical value, or raises. Full-width digits count as digits; amounts
whose commas and points could be read two ways are refused rather than guessed. Markers stand
for cells whose value is not in the file (merged continuations, formulas saved without their
result, Excel error values), so each is named as the problem it is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from devvolume.core import STAGE_LABELS, STAGES
from devvolume.inputs._errors import printable

#: Excel stores dates as days since 1899-12-30; serials in this range are plausible dates
#: (1954–2119), so a stray small number is not mistaken for one.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (20_000, 80_000)

#: The first date accepted by default; the last is one year after today.
FIRST_PLAUSIBLE_DATE = date(2000, 1, 1)

SPACES = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_DATE_PATTERN = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
#: Currency marks around an amount: ¥3000, 3000元, RMB 3000.
_CURRENCY = re.compile(r"^(?:¥|RMB|CNY)\s*|\s*(?:元|RMB|CNY)$", re.IGNORECASE)
#: An amount: digits, commas only between groups of three, an optional decimal point.
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")

#: Traditional-Chinese stage labels (Big5 files from Taiwan and Hong Kong) and their codes.
TRADITIONAL_STAGES = {"首次接觸": "contacted", "簽約": "signed"}
_STAGE_CODES: dict[str, str] = (
    {code: code for code in STAGES}
    | {label: code for code, label in STAGE_LABELS.items()}
    | TRADITIONAL_STAGES
)


# --- cells that hold no value of their own -----------------------------------------------------

class Marker:
    """A cell whose value is not in the file: part of a merged range, an unsaved formula, an error."""

    #: Whether a row holding only such cells counts as a blank row.
    blank: ClassVar[bool] = False

    def __init__(self, ref: str, detail: str = "") -> None:
        self.ref = ref
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.ref!r})"

    @property
    def shown(self) -> str:
        """What the problems table shows as the cell's value."""
        return self.detail

    @property
    def problem(self) -> str:  # pragma: no cover - every marker overrides it
        raise NotImplementedError


class MergedCell(Marker):
    """A cell inside a merged range other than its top-left cell: Excel keeps no value there."""

    blank = True

    @property
    def shown(self) -> str:
        return ""

    @property
    def problem(self) -> str:
        return (f"合并单元格 {self.detail} 的一部分，只有第一格有值；请取消合并并在每一行填上 / "
                f"part of merged cells {self.detail}: only the first cell holds the value; "
                "unmerge them and fill every row")


class Unevaluated(Marker):
    """A formula cell saved without its result (files written by a program, not by Excel)."""

    @property
    def shown(self) -> str:
        return f"={self.detail}" if self.detail else "(公式 / formula)"

    @property
    def problem(self) -> str:
        return ("公式没有保存计算结果（文件由程序生成）；请用 Excel 或 WPS 打开后保存一次 / "
                "formula saved without its result: open the file in Excel or WPS and save it")


class ErrorValue(Marker):
    """A cell holding an Excel error such as ``#DIV/0!`` or ``#REF!``."""

    @property
    def problem(self) -> str:
        return (f"单元格是 Excel 错误值 {self.detail}，请改正公式或填写数值 / the cell holds the "
                f"Excel error {self.detail}: fix the formula or type the value")


# --- one cell ---------------------------------------------------------------------------------

def clean(cell: Any) -> Any:
    """Strip text, and turn empty cells (None, NaN, '', spaces, merged continuations) into None."""
    if cell is None:
        return None
    if isinstance(cell, str):
        if cell.isprintable() and "  " not in cell and cell.strip(" ") == cell:
            return cell or None
        text = SPACES.sub(" ", cell).strip()
        return text or None
    if isinstance(cell, Marker):
        return None if cell.blank else cell
    if isinstance(cell, float) and cell != cell:
        return None
    if cell is pd.NaT or (not isinstance(cell, bytes) and pd.api.types.is_scalar(cell)
                          and pd.isna(cell)):
        return None
    return cell


def _to_date(cell: Any) -> date:
    """Parse one date cell; raise ValueError when it is not a real calendar date."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, np.datetime64):
        return _to_date(pd.Timestamp(cell))
    if isinstance(cell, bool | np.bool_):
        raise ValueError(cell)
    if isinstance(cell, int | float | np.integer | np.floating):
        serial = float(cell)
        low, high = EXCEL_SERIAL_RANGE
        if serial.is_integer() and low <= serial <= high:
            return EXCEL_EPOCH + timedelta(days=int(serial))
        raise ValueError(cell)
    if not isinstance(cell, str):
        raise ValueError(cell)
    text = unicodedata.normalize("NFKC", cell).strip()
    match = _DATE_PATTERN.match(text)
    if match is None:
        if text.isascii() and text.isdigit():
            return _to_date(int(text))
        raise ValueError(cell)
    year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)


class AmbiguousAmount(ValueError):
    """An amount whose commas and points could be read two ways (12.800,50 or 12,80)."""


class AmountWithUnit(ValueError):
    """An amount written with a unit (``1.2万``, ``3k``): ``full`` is the number it stands for."""

    def __init__(self, cell: Any, unit: str, full: str) -> None:
        super().__init__(cell)
        self.unit = unit
        self.full = full


#: Units people write after an amount, and what they multiply by (w is pinyin shorthand for 万).
AMOUNT_UNITS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百万": 1_000_000,
                "千万": 10_000_000, "k": 1_000, "w": 10_000}
_WITH_UNIT = re.compile(r"([+-]?(?:\d+(?:\.\d+)?|\.\d+))\s*(" + "|".join(
    sorted(AMOUNT_UNITS, key=len, reverse=True)) + ")", re.IGNORECASE)


def _to_amount(cell: Any) -> float:
    if isinstance(cell, bool | np.bool_ | Marker):
        raise ValueError(cell)
    if isinstance(cell, int | float | np.integer | np.floating):
        value = float(cell)
    else:
        text = str(cell)
        if _PLAIN_NUMBER.fullmatch(text) is None:
            text = unicodedata.normalize("NFKC", text).strip()
            text = _CURRENCY.sub("", text).strip()
            unit = _WITH_UNIT.fullmatch(text)
            if unit is not None:
                raise AmountWithUnit(cell, unit.group(2), _times(unit.group(1), unit.group(2)))
            if _AMOUNT.fullmatch(text) is None:
                if any(ch.isdigit() for ch in text) and ("," in text or "." in text):
                    raise AmbiguousAmount(cell)
                raise ValueError(cell)
            text = text.replace(",", "")
        value = float(text)
    if value != value or value in {float("inf"), float("-inf")}:
        raise ValueError(cell)
    return value


def _times(number: str, unit: str) -> str:
    """Write ``number`` × the unit in full, exactly (``1.2``, ``万`` -> ``12000``)."""
    from decimal import Decimal

    full = Decimal(number) * AMOUNT_UNITS[unit.lower()]
    return f"{full.normalize():f}"


def to_text(cell: Any) -> str:
    """Return the text a cell shows: whole numbers without ``.0``, dates as ``2026-01-05``."""
    if isinstance(cell, float | np.floating) and float(cell).is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell.time() == datetime.min.time():
        return cell.date().isoformat()
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


def shown(cell: Any) -> str:
    """Show a cell's value as the problems table does: one line, control characters visible."""
    cell = clean(cell)
    if cell is None:
        return ""
    if isinstance(cell, Marker):
        return printable(cell.shown)
    return printable(to_text(cell))


def to_stage(cell: Any) -> str:
    """Return the stage code of a label (首次接触, 成交, Won, ｗｏｎ, 簽約 ...), or unknown text as is."""
    text = to_text(cell)
    return _STAGE_CODES.get(unicodedata.normalize("NFKC", text).strip().lower(), text)
