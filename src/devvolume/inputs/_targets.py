"""Load a 目标表 (targets file): each rep's new-customer target per team and month.

A targets file has the columns of the datasets' ``targets.csv``: ``rep, team, period, target``,
with Chinese headers accepted (销售员/业务员, 团队, 月份/期间, 目标/目标客户数). It is read by the
same machinery as the work log (:func:`devvolume.inputs._sources.read_source`: CSV in any of
the encodings Excel writes, Excel workbooks, Parquet, DataFrames; the sheet holding the headers;
title rows above them) and checked cell by cell with the same problems table (``row`` as seen in
Excel, ``column``, ``header``, ``value``, ``problem``) and the same error message.

A month may be written ``2026-03``, ``2026/3``, ``2026年3月`` or as any date inside it (Excel
dates too); a target is a whole number of new customers, 0 or more. The same rep, team and
month twice is a problem on the later row. :func:`write_targets_template` writes a blank one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume.inputs._cells import Marker, _to_date, clean, shown, to_text
from devvolume.inputs._columns import RawTable
from devvolume.inputs._errors import PROBLEM_COLUMNS, WorklogError, fail, printable
from devvolume.inputs._headers import HEADER_SEARCH_ROWS, HeaderRow, normalise_header, read_header
from devvolume.inputs._sources import read_source
from devvolume.inputs._worklog import WorklogCheck, problem_message

#: The columns of a targets file, in order, with their Chinese header and accepted aliases.
TARGET_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rep": ("销售员", ("rep", "业务员", "销售", "姓名")),
    "team": ("团队", ("team", "小组", "组别")),
    "period": ("月份", ("period", "month", "月", "期间", "周期")),
    "target": ("目标", ("target", "目标客户数", "目标开发量", "新客户目标", "目标数")),
}
TARGETS_SHEET = "目标"
TEMPLATE_ROWS = 500

_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_PROBLEMS = {
    "required": "{label}不能为空 / {name} is required",
    "period": "不是月份，写成 2026-03 或该月的任一天 / not a month: write 2026-03 or a day in it",
    "target": "目标要填 0 或正整数（新客户个数）/ the target must be a whole number, 0 or more",
}


def known_target_headers() -> dict[str, str | None]:
    """Every accepted header of a targets file (normalised) -> its column."""
    return {normalise_header(alias): name
            for name, (label, aliases) in TARGET_COLUMNS.items()
            for alias in (name, label, *aliases)}  # fmt: skip


def check_targets(source: str | Path | pd.DataFrame, *, sheet: str | int | None = None
                  ) -> WorklogCheck:  # fmt: skip
    """Check a targets file cell by cell; return the valid rows and every problem.

    Returns a :class:`~devvolume.inputs.WorklogCheck` whose ``valid`` has ``rep, team, period``
    (the month's first day) and ``target`` (int). A file that cannot be read, or whose headers
    lack a column, raises :class:`WorklogError`.

    Examples
    --------
    >>> raw = pd.DataFrame({"销售员": ["王芳", "李强", "王芳"], "团队": ["华东一组"] * 3,
    ...                     "月份": ["2026-03", "2026年4月", "2026-03-15"], "目标": [5, "x", 2]})
    >>> report = check_targets(raw)
    >>> report.valid["period"].dt.strftime("%Y-%m").tolist(), report.bad_rows
    (['2026-03'], [3, 4])
    """
    name = "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source)
    known = known_target_headers()
    table = read_source(source, sheet=sheet, known=known)
    header = _find_header(table, known)
    rows, problems = [], []
    seen: dict[tuple[str, str, date], int] = {}
    first = header.record + 1
    data_rows = 0
    for record in range(first, table.records):
        cells = table.record(record)
        if all(clean(cell) is None for cell in cells):
            continue
        data_rows += 1
        number = int(table.rows[record])
        values, found = _row(cells, header)
        if not found:
            key = (values["rep"], values["team"], values["period"])
            if key in seen:
                found.append(("period", f"重复：与第 {seen[key]} 行是同一销售员、团队和月份 / the same rep, team and "
                              f"month as row {seen[key]}"))
            else:
                seen[key] = number
        for column, problem in found:
            position = next(p for p, c in header.mapping.items() if c == column)
            problems.append((number, column, header.text(position), shown(cells[position]), problem))
        if not found:
            rows.append(values)
    valid = pd.DataFrame(rows, columns=list(TARGET_COLUMNS)).astype(
        {"rep": "str", "team": "str", "target": "int64"})
    valid["period"] = pd.to_datetime(valid["period"]).astype("datetime64[us]")
    frame = pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS)).astype({"row": "int64"})
    header_row = 1 if header.record < 0 else int(table.rows[header.record])
    return WorklogCheck(name, valid, frame, data_rows, (), table.sheet, header_row, table.encoding)


def read_targets(source: str | Path | pd.DataFrame, *, sheet: str | int | None = None
                 ) -> pd.DataFrame:  # fmt: skip
    """Load a targets file into ``rep, team, period, target``, or fail naming every problem.

    Raises
    ------
    WorklogError
        If the file cannot be read, or any row has a problem (the message lists each bad row,
        as for a work log).

    Examples
    --------
    >>> raw = pd.DataFrame({"业务员": ["王芳"], "团队": ["华东一组"], "月份": ["2026/3"], "目标客户数": [5]})
    >>> read_targets(raw).to_dict("records")
    [{'rep': '王芳', 'team': '华东一组', 'period': Timestamp('2026-03-01 00:00:00'), 'target': 5}]
    """
    report = check_targets(source, sheet=sheet)
    if not report.ok:
        raise WorklogError(problem_message(report, what=("目标表", "targets file")), report.problems,
                           report.source, sheet=report.sheet)  # fmt: skip
    return report.valid


def _find_header(table: RawTable, known: dict[str, str | None]) -> HeaderRow:
    required = set(TARGET_COLUMNS)
    if table.header is not None:
        best: HeaderRow | None = read_header(-1, table.header, known)
    else:
        best = None
        for record in range(min(table.records, HEADER_SEARCH_ROWS)):
            row = read_header(record, table.record(record), known)
            if required <= set(row.mapping.values()):
                best = row
                break
            if row.mapping and (best is None or row.recognised > best.recognised):
                best = row
    missing = [] if best is None else [c for c in TARGET_COLUMNS if c not in best.mapping.values()]
    if best is None or missing:
        found = "" if best is None else "、".join(best.text(p) for p in range(len(best.cells)) if best.text(p))
        expected = "、".join(f"{label}({name})" for name, (label, _) in TARGET_COLUMNS.items())
        what = ("缺少必填列 / missing required columns: "
                + ", ".join(f"{TARGET_COLUMNS[c][0]}({c})" for c in missing or TARGET_COLUMNS))
        fail(table.name, what, f"目标表的表头 / the headers of a targets file: {expected}；"
             f"文件里的表头 / headers found: {found or '(无)'}。可以用 devvolume template --targets "
             "生成空白目标表 / devvolume template --targets writes a blank one.", sheet=table.sheet)
    assert best is not None
    return best


def _row(cells: list[Any], header: HeaderRow) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    found: list[tuple[str, str]] = []
    for position, column in header.mapping.items():
        cell = clean(cells[position]) if position < len(cells) else None
        if isinstance(cell, Marker):
            found.append((column, cell.problem))
            continue
        if cell is None:
            label = TARGET_COLUMNS[column][0]
            found.append((column, _PROBLEMS["required"].format(label=label, name=column)))
            continue
        try:
            values[column] = _VALUE[column](cell)
        except (ValueError, TypeError, OverflowError):
            found.append((column, _PROBLEMS[column]))
    return values, found


def _month(cell: Any) -> date:
    if isinstance(cell, str):
        text = unicodedata.normalize("NFKC", cell).strip()
        match = _MONTH.match(text)
        if match:
            return date(int(match.group(1)), int(match.group(2)), 1)
    day = _to_date(cell)
    return day.replace(day=1)


def _whole(cell: Any) -> int:
    if isinstance(cell, bool):
        raise ValueError(cell)
    number = float(unicodedata.normalize("NFKC", to_text(cell)).strip())
    if number < 0 or not number.is_integer():
        raise ValueError(cell)
    return int(number)


def _name(cell: Any) -> str:
    return printable(to_text(cell))


_VALUE = {"rep": _name, "team": _name, "period": _month, "target": _whole}


def write_targets_template(path: str | Path, *, force: bool = False) -> Path:
    """Write a blank 目标表 (``.xlsx``): 销售员, 团队, 月份, 目标, with validation and a guide.

    Raises what :func:`devvolume.inputs.write_template` raises (an existing file without
    ``force``, a name not ending in ``.xlsx``, a folder that cannot be written).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "目标表.xlsx"
    >>> book = write_targets_template(target)
    >>> read_targets(book).empty
    True
    """
    from devvolume.inputs._template import save_workbook

    return save_workbook(_targets_workbook, path, force=force)


def _targets_workbook():  # type: ignore[no-untyped-def]
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = TARGETS_SHEET
    for index, (label, _) in enumerate(TARGET_COLUMNS.values(), start=1):
        cell = sheet.cell(row=1, column=index, value=label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2F5597")
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions["ABCD"[index - 1]].width = (12, 14, 12, 10)[index - 1]
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    month = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                           formula2="DATE(2100,12,31)", allow_blank=True)
    month.error, month.errorTitle = "请填写月份，例如 2026-03（填该月任一天也可以）。", "月份"
    target = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    target.error, target.errorTitle = "目标填 0 或正整数（新客户个数）。", "目标"
    for rule, cells in ((month, f"C2:C{last}"), (target, f"D2:D{last}")):
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(cells)
    for row in range(2, last + 1):
        sheet[f"C{row}"].number_format = "yyyy-mm"
    guide = book.create_sheet("说明")
    guide.append(["列名", "英文名", "填写说明"])
    meanings = {"rep": "销售员姓名，与工作日志表“销售员”列一致", "team": "团队名称，与工作日志表“团队”列一致",
                "period": "月份，如 2026-03；每人每月一行", "target": "这个月要开发的新成交客户个数（0 或正整数）"}
    for name, (label, aliases) in TARGET_COLUMNS.items():
        others = "、".join(alias for alias in aliases if not alias.isascii())
        guide.append([label, name, meanings[name] + (f"（表头也可以写作：{others}）" if others else "")])
    guide.append([])
    guide.append(["团队和季度的目标", "", "团队目标是其销售员目标之和，季度目标是三个月之和；周报告不分目标。"])
    for letter, width in zip("ABC", (16, 10, 70), strict=True):
        guide.column_dimensions[letter].width = width
    for cell in guide[1]:
        cell.font = Font(bold=True)
    return book
