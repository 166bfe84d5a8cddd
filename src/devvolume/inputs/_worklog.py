"""Load a 工作日志表 from the files managers really have, and say exactly what is wrong with it.

Sources are CSV files (UTF-8, UTF-8 with BOM, GBK/GB18030 as Excel saves them on Chinese
Windows, Big5, or UTF-16 "Unicode text"), Excel workbooks (``.xlsx``, ``.xlsm``, ``.xls``,
``.xlsb``, ``.ods``), Parquet files exported from a warehouse, and in-memory DataFrames. The
sheet read is the one holding the work-log headers; the header row may sit below a title row.
Headers may be the canonical English names or the Chinese headers people use. Every cell is
checked; each problem names the row number a person sees in Excel (the header is row 1 when it
is the first row), the column, the value and the fix. Nothing is dropped silently: valid rows
plus rows with problems always equal the rows read, and blank rows are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from devvolume.core import CANONICAL, DEAL
from devvolume.inputs._cells import FIRST_PLAUSIBLE_DATE, MergedCell, _to_date, shown
from devvolume.inputs._columns import RawTable
from devvolume.inputs._distinct import Distinct, column_series, read_distinct, schema_problems
from devvolume.inputs._errors import PROBLEM_COLUMNS, WorklogError, fail, printable
from devvolume.inputs._excel import column_letter
from devvolume.inputs._headers import HeaderRow, check_header, find_header, known_headers
from devvolume.inputs._sources import read_source

#: How many bad rows an error message lists before it gives a count of the rest.
MAX_ROWS_IN_MESSAGE = 20


@dataclass(frozen=True)
class WorklogCheck:
    """What :func:`check_worklog` found: the valid rows and every problem.

    Attributes
    ----------
    source : str
        The file name, or ``"<DataFrame>"``.
    valid : pandas.DataFrame
        The rows without problems, in the canonical schema.
    problems : pandas.DataFrame
        One line per problem: ``row`` (as seen in Excel), ``column`` (canonical name),
        ``header`` (as written in the file), ``value`` (control characters made visible) and
        ``problem``.
    rows_read : int
        Data rows read (fully blank rows are not data and are listed in ``blank_rows``).
    blank_rows : tuple of int
        Fully blank rows that were skipped.
    sheet : str or None
        The worksheet read, for a workbook.
    header_row : int
        The row holding the headers (rows above it are titles and were skipped).
    encoding : str or None
        The encoding a text file was read in (``"UTF-8"``, ``"GBK/GB18030"``, ``"Big5"``, ...).
    """

    source: str
    valid: pd.DataFrame
    problems: pd.DataFrame
    rows_read: int
    blank_rows: tuple[int, ...] = field(default=())
    sheet: str | None = None
    header_row: int = 1
    encoding: str | None = None

    @property
    def bad_rows(self) -> list[int]:
        """Row numbers (as seen in Excel) that have at least one problem."""
        return sorted({int(r) for r in self.problems["row"] if r > 0})

    @property
    def ok(self) -> bool:
        """True when the file has no problem at all."""
        return self.problems.empty


def plausible_dates(today: date | None = None) -> tuple[date, date]:
    """Return the default window of accepted dates: 2000-01-01 to one year after today.

    Examples
    --------
    >>> plausible_dates(date(2028, 2, 29))
    (datetime.date(2000, 1, 1), datetime.date(2029, 2, 28))
    """
    today = today or date.today()
    try:
        last = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + 1, day=28)
    return FIRST_PLAUSIBLE_DATE, last


def read_worklog(
    source: str | Path | pd.DataFrame,
    *,
    columns: dict[str, str | None] | None = None,
    sheet: str | int | None = None,
    date_window: tuple[Any, Any] | None = None,
) -> pd.DataFrame:
    """Load a 工作日志表 into the canonical work-log frame, or fail naming every problem.

    Parameters
    ----------
    source : str, Path or pandas.DataFrame
        A ``.csv`` file (UTF-8, UTF-8 with BOM, GBK/GB18030, Big5 or UTF-16), an Excel
        workbook (``.xlsx``, ``.xlsm``, ``.xls``, ``.xlsb``, ``.ods``), a ``.parquet`` file, or
        a DataFrame.
    columns : dict, optional
        Extra header names, e.g. ``{"业务代表": "rep"}``. Map a header to ``None`` to ignore
        that column.
    sheet : str or int, optional
        Worksheet name or 0-based index of a workbook. By default the sheet whose top rows hold
        the work-log headers; an error lists the sheets when several do, or none.
    date_window : (first, last), optional
        Dates accepted (inclusive); either end may be ``None`` for the default, which is
        2000-01-01 to one year after today (:func:`plausible_dates`). Other dates are row
        problems.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, rep, team, customer, stage, channel, activity, amount, note`` with
        English stage codes, then ``deal`` when the file has a 商机 (deal) column.

    Raises
    ------
    WorklogError
        If the file cannot be read or any row has a problem; the message names the file, the
        sheet, each bad row and the fix.

    Examples
    --------
    >>> raw = pd.DataFrame({"日期": ["2026/1/5"], "业务员": ["王磊"], "团队": ["华东一组"],
    ...                     "客户名称": ["恒达贸易"], "阶段": ["成交"], "金额": ["12,800"]})
    >>> read_worklog(raw)[["date", "rep", "stage", "amount"]]
            date rep stage   amount
    0 2026-01-05  王磊   won  12800.0
    """
    report = check_worklog(source, columns=columns, sheet=sheet, date_window=date_window)
    if not report.ok:
        raise WorklogError(_problem_message(report), report.problems, report.source,
                           sheet=report.sheet)
    return report.valid


def check_worklog(
    source: str | Path | pd.DataFrame,
    *,
    columns: dict[str, str | None] | None = None,
    sheet: str | int | None = None,
    date_window: tuple[Any, Any] | None = None,
) -> WorklogCheck:
    """Check a 工作日志表 cell by cell and return the valid rows and every problem.

    Takes the arguments of :func:`read_worklog`. Structural problems (an unreadable, damaged or
    encrypted file, no sheet with the headers, missing or unknown columns, no data rows at all)
    raise :class:`WorklogError`, because no row can be trusted, or there is none to use.

    Examples
    --------
    >>> raw = pd.DataFrame({"date": ["2026-01-05", "2026-02-30"], "rep": ["A", "A"],
    ...                     "team": ["T1", "T1"], "customer": ["C1", "C2"],
    ...                     "stage": ["contacted", "won"]})
    >>> report = check_worklog(raw)
    >>> len(report.valid), report.bad_rows
    (1, [3])
    """
    name = "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source)
    window = _window(name, date_window)
    known = known_headers(name, columns or {})
    table = read_source(source, sheet=sheet, known=known)
    header = find_header(table, known)
    check_header(table, header)
    assert header is not None
    report = _check_rows(table, header, window)
    if report.rows_read == 0:  # validate and report must give the same answer: nothing to use
        blanks = len(report.blank_rows)
        blank = f"（另有 {blanks} 行空行 / and {blanks} blank rows）" if blanks else ""
        fail(name, f"工作日志表只有表头，没有数据行{blank} / the work log has headers but no data rows",
             "在表头下面填写销售活动，一行一条，再检查一次。/ Fill in the sales activities below the "
             "headers, one row each, and check again.", sheet=report.sheet)
    return report


def _window(name: str, date_window: tuple[Any, Any] | None) -> tuple[date, date]:
    first, last = plausible_dates()
    if date_window is None:
        return first, last
    if isinstance(date_window, str) or len(date_window) != 2:
        fail(name, "date_window 应是 (最早日期, 最晚日期) / date_window must be (first, last)",
             "写成 date_window=('2024-01-01', '2026-12-31')。/ Write it as "
             "date_window=('2024-01-01', '2026-12-31').")
    ends: list[date] = []
    for given, default in zip(date_window, (first, last), strict=True):
        try:
            ends.append(default if given is None else _to_date(given))
        except (ValueError, TypeError, OverflowError):
            fail(name, f"date_window 里的 {printable(repr(given))} 不是日期 / not a date",
                 "写成 date_window=('2024-01-01', '2026-12-31')。/ Write it as "
                 "date_window=('2024-01-01', '2026-12-31').")
    if ends[0] > ends[1]:
        fail(name, f"date_window 的开始 {ends[0]} 晚于结束 {ends[1]} / the window starts after it ends",
             "先写最早的日期，再写最晚的日期。/ Give the earliest date first.")
    return ends[0], ends[1]


def _check_rows(table: RawTable, header: HeaderRow, window: tuple[date, date]) -> WorklogCheck:
    body = np.arange(header.record + 1, table.records, dtype=np.int64)
    blank = np.ones(len(body), dtype=bool)
    for position, column in enumerate(table.columns):
        if position not in header.ignored:  # a row holding only ignored columns holds no data
            blank &= column.blank_values()[column.codes[body]]
    data = body[~blank]
    numbers = table.rows[data]
    problems: list[tuple[Any, ...]] = []
    bad = np.zeros(len(data), dtype=bool)

    position_of = {canon: position for position, canon in header.mapping.items()}
    # The 商机 column is read only when the file has one: a log without deals keeps its shape.
    names = (*CANONICAL, DEAL) if DEAL in position_of else CANONICAL
    local: dict[str, np.ndarray] = {}
    distinct: dict[str, Distinct] = {}
    values: dict[str, list[Any]] = {}
    for canon in names:
        at = position_of.get(canon)
        if at is None:
            values[canon], local[canon] = [None], np.zeros(len(data), dtype=np.int64)
            distinct[canon] = read_distinct(canon, [None], window)
            continue
        column = table.columns[at]
        values[canon], local[canon] = column.values, column.codes[data]
        distinct[canon] = read_distinct(canon, column.values, window, column.arrow)
    schema_problems(distinct, {canon: np.bincount(local[canon], minlength=len(values[canon])) > 0
                               for canon in names})
    for canon in names:
        found = distinct[canon].problems
        if not found:
            continue
        flagged = np.zeros(len(values[canon]), dtype=bool)
        flagged[list(found)] = True
        mask = flagged[local[canon]]
        if not mask.any():
            continue
        bad |= mask
        written = header.text(position_of[canon])
        for index in np.flatnonzero(mask):
            code = int(local[canon][index])
            problems.append((int(numbers[index]), canon, written,
                             shown(values[canon][code]), found[code]))
    bad |= _unheaded_cells(table, header, data, numbers, problems)

    table_of_problems = pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS))
    table_of_problems = table_of_problems.astype({"row": "int64"}).sort_values(
        ["row", "column"], kind="stable").reset_index(drop=True)
    keep = ~bad
    valid = pd.DataFrame({canon: column_series(canon, distinct[canon].typed, local[canon][keep])
                          for canon in names}, copy=False)
    header_row = 1 if header.record < 0 else int(table.rows[header.record])
    return WorklogCheck(table.name, valid, table_of_problems, len(data),
                        tuple(int(n) for n in table.rows[body[blank]]), table.sheet, header_row,
                        table.encoding)


def _unheaded_cells(table: RawTable, header: HeaderRow, data: np.ndarray, numbers: np.ndarray,
                    problems: list[tuple[Any, ...]]) -> np.ndarray:
    """Cells with a value in a column that has no header: row problems, never dropped silently."""
    bad = np.zeros(len(data), dtype=bool)
    for position, column in enumerate(table.columns):
        if position in header.mapping or position in header.ignored or header.text(position):
            continue
        filled = ~column.blank_values()[column.codes[data]]
        if not filled.any():
            continue
        bad |= filled
        label = (f"{column_letter(table.first_column + position)} 列"
                 if table.kind in {"excel", "csv"} else f"第 {position + 1} 列")
        english = (f"column {column_letter(table.first_column + position)}"
                   if table.kind in {"excel", "csv"} else f"column {position + 1}")
        cell = header.cells[position] if position < len(header.cells) else None
        merged = (f"（表头在合并单元格 {cell.detail} 里 / its header cell is merged into {cell.detail}）"
                  if isinstance(cell, MergedCell) else "")
        problem = (f"{label}没有表头，但这一行在这一列有内容{merged}；请补上表头或删掉这个值 / "
                   f"{english} has no header but this row has a value there: add a header or "
                   "delete the value")
        for index in np.flatnonzero(filled):
            raw = column.values[int(column.codes[data[index]])]
            problems.append((int(numbers[index]), "", "", shown(raw), problem))
    return bad


# --- messages --------------------------------------------------------------------------------

def _problem_message(report: WorklogCheck) -> str:
    return problem_message(report)


def problem_message(report: WorklogCheck, *, what: tuple[str, str] = ("工作日志表", "work log")
                    ) -> str:  # fmt: skip
    """Word the problems of a checked file (a work log, or ``what`` else) for the person who fixes it."""
    bad = report.bad_rows
    source = printable(report.source)
    sheet = f"（工作表 / sheet: {printable(report.sheet)}）" if report.sheet is not None else ""
    lines = [
        f"{what[0]}有 {len(bad)} 行数据有问题（共读入 {report.rows_read} 行）：{source}{sheet}",
        f"The {what[1]} has problems in {len(bad)} of {report.rows_read} rows: {source}",
    ]
    by_row = report.problems.groupby("row", sort=True)
    for shown_rows, (number, group) in enumerate(by_row):
        if shown_rows == MAX_ROWS_IN_MESSAGE:
            lines.append(f"  ……另有 {len(bad) - MAX_ROWS_IN_MESSAGE} 行有问题 / and "
                         f"{len(bad) - MAX_ROWS_IN_MESSAGE} more rows")
            break
        cells = "；".join(_describe(p.header or p.column, p.value, p.problem)
                         for p in group.itertuples(index=False))
        lines.append(f"  第 {number} 行 / row {number}: {cells}")
    if what[0] == "工作日志表":
        lines += [
            "提示：在 Excel 中改正这些单元格后重新加载；也可以用 dv.check_worklog(...) 只取有效的行。",
            "Hint: fix these cells and load again, or use dv.check_worklog(...) to keep the valid rows.",
        ]
    else:
        lines += ["提示：在 Excel 中改正这些单元格后重新加载。", "Hint: fix these cells and load again."]
    return "\n".join(lines)


def _describe(column: str, value: str, problem: str) -> str:
    if not column:
        return f"「{value}」：{problem}" if value else problem
    where_ = f"“{column}”列 / column {column!r}"
    return f"{where_}「{value}」：{problem}" if value else f"{where_}：{problem}"

