"""Load a 工作日志表 from the files managers really have, and say exactly what is wrong with it.

Sources are CSV files (UTF-8, UTF-8 with BOM, GBK/GB18030 as Excel saves them on Chinese
Windows, or UTF-16 "Unicode text"), Excel workbooks (``.xlsx``) and in-memory DataFrames.
Headers may be the canonical English names or the Chinese headers people use. Every cell is
checked in one pass; each problem names the row number a person sees in Excel (the header is
row 1), the column, the value and the fix. Nothing is dropped silently: valid rows plus rows
with problems always equal the rows read.
"""

from __future__ import annotations

import csv
import io as _stdio
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from devvolume.core import CANONICAL, COLUMN_LABELS, COLUMNS, REQUIRED
from devvolume.inputs._cells import SPACES, clean, parse_cells, schema_problems

#: How many bad rows an error message lists before it gives a count of the rest.
MAX_ROWS_IN_MESSAGE = 20

#: Encodings tried for CSV files, in order. UTF-8 (with or without BOM) first, then the
#: Chinese Windows code page's superset. Charset detectors guess wrong on small files.
CSV_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")

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
        One line per problem: ``row`` (as seen in Excel, header = 1), ``column`` (canonical
        name), ``header`` (as written in the file), ``value`` and ``problem``.
    rows_read : int
        Data rows read (fully blank rows are not data and are listed in ``blank_rows``).
    blank_rows : tuple of int
        Fully blank rows that were skipped.
    """

    source: str
    valid: pd.DataFrame
    problems: pd.DataFrame
    rows_read: int
    blank_rows: tuple[int, ...] = field(default=())

    @property
    def bad_rows(self) -> list[int]:
        """Row numbers (as seen in Excel) that have at least one problem."""
        return sorted({int(r) for r in self.problems["row"] if r > 1})

    @property
    def ok(self) -> bool:
        """True when the file has no problem at all."""
        return self.problems.empty


class WorklogError(ValueError):
    """A work log that cannot be used as it is; ``.problems`` lists every problem."""

    def __init__(self, message: str, problems: pd.DataFrame, source: str = "") -> None:
        super().__init__(message)
        self.problems = problems
        self.source = source


def read_worklog(
    source: str | Path | pd.DataFrame,
    *,
    columns: dict[str, str | None] | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Load a 工作日志表 into the canonical work-log frame, or fail naming every problem.

    Parameters
    ----------
    source : str, Path or pandas.DataFrame
        A ``.csv`` file (UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16), an ``.xlsx`` workbook,
        or a DataFrame.
    columns : dict, optional
        Extra header names, e.g. ``{"业务代表": "rep"}``. Map a header to ``None`` to ignore
        that column.
    sheet : str or int, optional
        Worksheet name or 0-based index of an Excel workbook; the first sheet by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, rep, team, customer, stage, channel, activity, amount, note`` with
        English stage codes.

    Raises
    ------
    WorklogError
        If any row has a problem; the message names the file, each bad row and the fix.

    Examples
    --------
    >>> raw = pd.DataFrame({"日期": ["2026/1/5"], "业务员": ["王磊"], "团队": ["华东一组"],
    ...                     "客户名称": ["恒达贸易"], "阶段": ["成交"], "金额": ["12,800"]})
    >>> read_worklog(raw)[["date", "rep", "stage", "amount"]]
            date rep stage   amount
    0 2026-01-05  王磊   won  12800.0
    """
    report = check_worklog(source, columns=columns, sheet=sheet)
    if not report.ok:
        raise WorklogError(_problem_message(report), report.problems, report.source)
    return report.valid


def check_worklog(
    source: str | Path | pd.DataFrame,
    *,
    columns: dict[str, str | None] | None = None,
    sheet: str | int | None = None,
) -> WorklogCheck:
    """Check a 工作日志表 cell by cell and return the valid rows and every problem.

    Structural problems (unreadable file, missing or unknown columns) still raise
    :class:`WorklogError`, because no row can be trusted then.

    Examples
    --------
    >>> raw = pd.DataFrame({"date": ["2026-01-05", "2026-02-30"], "rep": ["A", "A"],
    ...                     "team": ["T1", "T1"], "customer": ["C1", "C2"],
    ...                     "stage": ["contacted", "won"]})
    >>> report = check_worklog(raw)
    >>> len(report.valid), report.bad_rows
    (1, [3])
    """
    name, headers, body, blank_rows = _read_table(source, sheet)
    mapping = _map_headers(name, headers, body, columns or {})
    raw = pd.DataFrame(
        {canon: [row[pos] if pos < len(row) else None for row, _ in body]
         for pos, canon in mapping.items()},
        dtype=object,
    )
    rows = pd.Series([number for _, number in body], dtype="int64")
    header_of = {canon: str(headers[pos]).strip() for pos, canon in mapping.items()}
    extra = [(number, len(row)) for row, number in body if len(row) > len(headers)]

    typed, problems = parse_cells(raw, rows, header_of)
    problems += schema_problems(typed, raw, rows, header_of, already={(p[0], p[1]) for p in problems})
    problems += [
        (number, "", "", "", f"这一行比表头多出单元格（{width} 个，表头只有 {len(headers)} 个）/ "
         "row has more cells than the header")
        for number, width in extra
    ]
    table = pd.DataFrame(problems, columns=["row", "column", "header", "value", "problem"])
    table = table.astype({"row": "int64"}).sort_values(["row", "column"], kind="stable")
    table = table.reset_index(drop=True)
    bad = rows.isin(table["row"])
    valid = typed.loc[~bad.to_numpy()].reset_index(drop=True)
    return WorklogCheck(name, valid, table, len(body), tuple(blank_rows))


# --- reading the table -----------------------------------------------------------------------

_Body = list[tuple[list[Any], int]]


def _read_table(
    source: str | Path | pd.DataFrame, sheet: str | int | None
) -> tuple[str, list[Any], _Body, list[int]]:
    """Return (name, headers, [(cells, row number)], blank row numbers)."""
    if isinstance(source, pd.DataFrame):
        grid = [list(source.columns), *source.astype(object).to_numpy().tolist()]
        numbers = list(range(1, len(grid) + 1))
        return _split_header("<DataFrame>", grid, numbers, header_first=True)
    path = Path(source)
    name = str(path)
    if not path.is_file():
        _fail(name, f"找不到文件 / file not found: {name}",
              "检查路径是否正确，文件名是否包含扩展名（.xlsx 或 .csv）。/ Check the path and extension.")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        grid, numbers = _read_excel(path, sheet)
    elif suffix in {".csv", ".txt", ".tsv"}:
        grid, numbers = _read_csv(path)
    elif suffix == ".xls":
        _fail(name, "不支持旧版 .xls 文件 / the old .xls format is not supported",
              "在 Excel 或 WPS 中“另存为” .xlsx 或 CSV。/ Save it as .xlsx or CSV.")
    else:
        _fail(name, f"不认识的文件类型 {suffix or '(无扩展名)'} / unknown file type",
              "请使用 .xlsx 或 .csv 文件。/ Use an .xlsx or .csv file.")
    return _split_header(name, grid, numbers, header_first=False)


def _split_header(
    name: str, grid: list[list[Any]], numbers: list[int], *, header_first: bool
) -> tuple[str, list[Any], _Body, list[int]]:
    blank = [_is_blank_row(row) for row in grid]
    start = 0 if header_first else next((i for i, b in enumerate(blank) if not b), None)
    if start is None or not grid:
        _fail(name, "文件是空的，没有表头 / the file is empty: no header row",
              "第一行应是表头：日期、销售员、团队、客户、阶段……/ Row 1 must hold the headers.")
    headers = list(grid[start])
    body: _Body = []
    blank_rows: list[int] = []
    for row, number, is_blank in zip(grid[start + 1 :], numbers[start + 1 :], blank[start + 1 :],
                                     strict=True):
        if is_blank:
            blank_rows.append(number)
        else:
            body.append((list(row), number))
    return name, headers, body, blank_rows


def _read_csv(path: Path) -> tuple[list[list[Any]], list[int]]:
    data = path.read_bytes()
    text = _decode(str(path), data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        grid = [list(row) for row in csv.reader(_stdio.StringIO(text, newline=""),
                                                delimiter=delimiter)]
    except csv.Error as exc:
        _fail(str(path), f"CSV 格式错误 / malformed CSV: {exc}",
              "用 Excel 打开后重新“另存为” CSV。/ Open it in Excel and save it as CSV again.")
    # Excel numbers a CSV's records, so the n-th record is row n even if a cell spans lines.
    return grid, list(range(1, len(grid) + 1))


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = CSV_ENCODINGS
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    _fail(name, "无法识别文件编码（试过 UTF-8、GBK/GB18030、UTF-16）/ unknown text encoding",
          "用 Excel 或 WPS 打开后“另存为” CSV UTF-8 或 .xlsx。/ Save it as CSV UTF-8 or .xlsx.")


def _read_excel(path: Path, sheet: str | int | None) -> tuple[list[list[Any]], list[int]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        _fail(name, f"无法打开这个 Excel 文件 / cannot open this workbook ({type(exc).__name__})",
              "确认它是 .xlsx 文件且没有损坏；可在 Excel 中另存为新的 .xlsx。/ "
              "Check it is a valid .xlsx; save a fresh copy from Excel.")
    try:
        names = book.sheetnames
        if sheet is None:
            ws = book.worksheets[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                _fail(name, f"没有第 {sheet} 个工作表 / no sheet number {sheet}",
                      f"现有工作表 / sheets: {', '.join(names)}")
            ws = book.worksheets[sheet]
        else:
            if sheet not in names:
                _fail(name, f"没有名为“{sheet}”的工作表 / no sheet named {sheet!r}",
                      f"现有工作表 / sheets: {', '.join(names)}")
            ws = book[sheet]
        grid: list[list[Any]] = []
        numbers: list[int] = []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            grid.append(list(row))
            numbers.append(number)
    finally:
        book.close()
    # Empty rows below the last filled one are cell formatting (a template prepares 2000 rows),
    # not rows a person entered.
    while grid and _is_blank_row(grid[-1]):
        grid.pop()
        numbers.pop()
    return grid, numbers


def _is_blank_row(row: list[Any]) -> bool:
    return all(clean(cell) is None for cell in row)


# --- headers ---------------------------------------------------------------------------------

def _normalise_header(text: Any) -> str:
    return SPACES.sub("", str(text)).lower() if text is not None else ""


def _map_headers(
    name: str, headers: list[Any], body: _Body, extra: dict[str, str | None]
) -> dict[int, str]:
    """Map each column position to its canonical name, or fail listing what was found."""
    known: dict[str, str | None] = {}
    for col in COLUMNS:
        for alias in (col.name, *col.aliases):
            known[_normalise_header(alias)] = col.name
    for header, canon in extra.items():
        if canon is not None and canon not in CANONICAL:
            _fail(name, f"columns= 里的 {canon!r} 不是标准列名 / not a canonical column",
                  f"可用的列名 / canonical names: {', '.join(CANONICAL)}")
        known[_normalise_header(header)] = canon

    mapping: dict[int, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for pos, header in enumerate(headers):
        key = _normalise_header(header)
        if not key:
            # Excel often carries empty, unnamed columns; one holding data needs a header.
            if any(pos < len(row) and clean(row[pos]) is not None for row, _ in body):
                unknown.append(f"(第 {pos + 1} 列没有表头 / column {pos + 1} has no header)")
            continue
        if key not in known:
            unknown.append(str(header).strip())
            continue
        canon = known[key]
        if canon is None:
            continue
        if canon in seen:
            _fail(name, f"两列都对应 {canon}：“{seen[canon]}”和“{str(header).strip()}” / "
                  "two columns map to the same field",
                  "删掉或改名其中一列，或用 columns={...: None} 忽略一列。/ "
                  "Remove one, or ignore it with columns={header: None}.")
        seen[canon] = str(header).strip()
        mapping[pos] = canon
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if unknown or missing:
        found = "、".join(str(h).strip() for h in headers if _normalise_header(h)) or "(无)"
        expected = "、".join(f"{c.label}({c.name})" for c in COLUMNS)
        parts = []
        if missing:
            parts.append("缺少必填列 / missing required columns: "
                         + ", ".join(f"{COLUMN_LABELS[c]}({c})" for c in missing))
        if unknown:
            parts.append("不认识的表头 / unknown headers: " + ", ".join(unknown))
        example = unknown[0] if unknown else "业务代表"
        target = missing[0] if missing else "rep"
        _fail(name, "；".join(parts),
              f"文件里的表头 / headers found: {found}\n可用的表头 / expected: {expected}\n"
              f"用 columns= 指明对应关系，例如 columns={{{example!r}: {target!r}}}；"
              f"不需要的列写 None。/ Map headers with columns=, e.g. columns={{{example!r}: "
              f"{target!r}}}; map a column to None to ignore it.",
              row=1)
    return mapping


# --- messages --------------------------------------------------------------------------------

def _problem_message(report: WorklogCheck) -> str:
    bad = report.bad_rows
    lines = [
        f"工作日志表有 {len(bad)} 行数据有问题（共读入 {report.rows_read} 行）：{report.source}",
        f"The work log has problems in {len(bad)} of {report.rows_read} rows: {report.source}",
    ]
    by_row = report.problems.groupby("row", sort=True)
    for shown, (number, group) in enumerate(by_row):
        if shown == MAX_ROWS_IN_MESSAGE:
            lines.append(f"  ……另有 {len(bad) - MAX_ROWS_IN_MESSAGE} 行有问题 / and "
                         f"{len(bad) - MAX_ROWS_IN_MESSAGE} more rows")
            break
        cells = "；".join(_describe(p.header or p.column, p.value, p.problem)
                         for p in group.itertuples(index=False))
        lines.append(f"  第 {number} 行 / row {number}: {cells}")
    lines += [
        "提示：在 Excel 中改正这些单元格后重新加载；也可以用 dv.check_worklog(...) 只取有效的行。",
        "Hint: fix these cells and load again, or use dv.check_worklog(...) to keep the valid rows.",
    ]
    return "\n".join(lines)


def _describe(column: str, value: str, problem: str) -> str:
    if not column:
        return problem
    where = f"“{column}”列 / column {column!r}"
    return f"{where}「{value}」：{problem}" if value else f"{where}：{problem}"


def _fail(name: str, what: str, hint: str, *, row: int = 0) -> NoReturn:
    problems = pd.DataFrame(
        [(row, "", "", "", what)], columns=["row", "column", "header", "value", "problem"]
    )
    msg = f"{what}\n文件 / file: {name}\n提示 / Hint: {hint}"
    raise WorklogError(msg, problems, name)
