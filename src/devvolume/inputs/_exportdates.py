"""An export's dates: the day/month order is decided once, for the whole file, never row by row.

CRM exports write dates as ``2017-03-01``, ``2017-03-01T10:22:00.000Z``, ``2017-03-01 10:22:33``
or, in a US locale, ``3/1/2017`` (month first); elsewhere ``1/3/2017`` is day first. A row
cannot tell which ``3/4/2017`` means, but the file can: one ``3/14/2017`` anywhere in it means
month first, one ``14/3/2017`` day first. :func:`date_order` reads every slashed date of the
export's date columns and decides; a file holding both kinds, or only dates whose parts are all
12 or less, is refused with the fix (``date_order`` in a mapping file). A time of day and a time
zone are dropped: the date is the one written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from devvolume.inputs._cells import _to_date
from devvolume.inputs._errors import fail, printable

_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?)?"
_ISO = re.compile(rf"^(\d{{4}})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?{_TIME}$")
_SLASHED = re.compile(rf"^(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}}|\d{{2}}){_TIME}$")
#: How a decided order is said: month first (US), day first, or no slashed dates at all.
ORDER_NAMES = {"MDY": "月/日/年（美国格式）/ month/day/year (US)",
               "DMY": "日/月/年 / day/month/year", "YMD": "年-月-日 / year-month-day"}


def _text(cell: Any) -> str | None:
    if isinstance(cell, str):
        return unicodedata.normalize("NFKC", cell).strip()
    return None


def date_order(name: str, cells: Iterable[tuple[str, int, Any]], given: str | None) -> str:
    """Decide how the export's slashed dates are read: ``"MDY"``, ``"DMY"`` or ``"YMD"`` (none).

    ``cells`` are ``(header, row, cell)`` for every date cell of the export (distinct ones are
    enough). ``given`` is the mapping's ``date_order``: it is checked against the file, never
    preferred to it.
    """
    month_first: tuple[str, int, str] | None = None  # evidence: a second part above 12
    day_first: tuple[str, int, str] | None = None
    slashed = None
    for header, row, cell in cells:
        text = _text(cell) or ""
        match = _SLASHED.match(text)
        if match is None:
            continue
        slashed = slashed or (header, row, text)
        first, second = int(match[1]), int(match[2])
        if second > 12 and month_first is None:
            month_first = (header, row, text)
        if first > 12 and day_first is None:
            day_first = (header, row, text)
    if slashed is None:
        return given or "YMD"
    if month_first and day_first:
        fail(name, "日期的写法前后不一致：有的是月/日/年，有的是日/月/年 / the export mixes "
             f"month/day and day/month dates: {_cite(month_first)} and {_cite(day_first)}",
             "从 CRM 重新导出，整个文件用同一种日期格式（最好是 2017-03-01）。/ Export again with "
             "one date format for the whole file (2017-03-01 is best).", row=month_first[1])
    found = "MDY" if month_first else "DMY" if day_first else None
    if found and given and found != given:
        evidence = month_first or day_first
        assert evidence is not None
        fail(name, f"映射文件写了 date_order = \"{given}\"，但文件里的日期是 {ORDER_NAMES[found]}："
             f"{_cite(evidence)} / the mapping says date_order = \"{given}\" but the dates are "
             f"{found}", f"把映射文件里的 date_order 改成 \"{found}\"，或删掉这一行。/ Set "
             f"date_order = \"{found}\" in the mapping file, or remove it.", row=evidence[1])
    if found or given:
        return found or str(given)
    fail(name, "无法判断日期是月/日/年还是日/月/年：文件里每个日期的前两部分都不超过 12，例如 "
         f"{_cite(slashed)} / cannot tell month/day from day/month: no date part above 12",
         '在映射文件里写明：[options] 下加一行 date_order = "MDY"（3/4/2017 是 3 月 4 日，美国格式）'
         '或 "DMY"（4 月 3 日），用 --map 文件.toml 传入。/ Say it in a mapping file: under '
         '[options] write date_order = "MDY" (US: 3/4/2017 is March 4) or "DMY", and pass it '
         "with --map.", row=slashed[1])


def _cite(evidence: tuple[str, int, str]) -> str:
    header, row, text = evidence
    return f"“{printable(text)}”（{printable(header)} 列第 {row} 行 / column {printable(header)}, row {row}）"


def read_date(cell: Any, order: str) -> date:
    """Read one date cell of an export in the file's order; raise ValueError when it is none.

    Examples
    --------
    >>> read_date("3/14/2017", "MDY"), read_date("2017-03-01T10:22:00.000Z", "MDY")
    (datetime.date(2017, 3, 14), datetime.date(2017, 3, 1))
    >>> read_date("14/3/17 9:05 PM", "DMY")
    datetime.date(2017, 3, 14)
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    if text is None:
        return _to_date(cell)  # an Excel date serial
    match = _ISO.match(text)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    match = _SLASHED.match(text)
    if match and order in ("MDY", "DMY"):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        year += 2000 if year < 100 else 0
        month, day = (first, second) if order == "MDY" else (second, first)
        return date(year, month, day)
    if text.isascii() and text.isdigit():
        return _to_date(int(text))
    raise ValueError(cell)
