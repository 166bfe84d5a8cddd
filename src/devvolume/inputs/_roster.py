"""A 名单 (roster): each rep's team, and hire date, for an export that names only the rep.

A roster has 销售员 and 团队 and, optionally, 入职日期 (hire date). English headers are accepted,
and so are those of the public CRM dataset's ``sales_teams.csv``: ``sales_agent`` is the rep and
``manager`` the team (a manager's people are one team); other columns (``regional_office``) are
kept out of the way. It is read by the work log's machinery (any CSV encoding, Excel, Parquet, a
DataFrame; title rows above the header) and checked cell by cell: a blank rep or team, a hire
date that is not one, or a rep listed twice with two teams is a problem with the row as seen in
Excel, in Chinese and English.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume.inputs._cells import Marker, _to_date, clean, shown, to_text
from devvolume.inputs._errors import PROBLEM_COLUMNS, WorklogError, fail, printable
from devvolume.inputs._headers import HEADER_SEARCH_ROWS, HeaderRow, normalise_header, read_header
from devvolume.inputs._sources import read_source
from devvolume.inputs._worklog import WorklogCheck, problem_message

#: The columns of a roster, with their Chinese header and the aliases accepted.
ROSTER_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rep": ("销售员", ("rep", "业务员", "销售", "姓名", "sales_agent", "sales agent", "owner",
                    "salesperson", "deal owner", "opportunity owner")),
    "team": ("团队", ("team", "小组", "组别", "manager", "经理", "sales team", "销售团队")),
    "hire_date": ("入职日期", ("hire_date", "hire date", "hired", "入职", "入职时间")),
}
REQUIRED_ROSTER = ("rep", "team")


def known_roster_headers() -> dict[str, str | None]:
    """Every accepted roster header (normalised) -> its column."""
    return {normalise_header(alias): name
            for name, (label, aliases) in ROSTER_COLUMNS.items()
            for alias in (name, label, *aliases)}  # fmt: skip


def read_roster(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Load a roster into ``rep, team, hire_date``, or fail naming every bad row.

    Raises
    ------
    WorklogError
        If the file cannot be read, lacks 销售员 or 团队, or any row has a problem.

    Examples
    --------
    >>> raw = pd.DataFrame({"sales_agent": ["Anna Moss", "Bo Reyes"],
    ...                     "manager": ["Dana Cole", "Dana Cole"], "regional_office": ["East"] * 2})
    >>> read_roster(raw).to_dict("records")[0]
    {'rep': 'Anna Moss', 'team': 'Dana Cole', 'hire_date': NaT}
    """
    report = check_roster(source)
    if not report.ok:
        raise WorklogError(problem_message(report, what=("名单", "roster")), report.problems,
                           report.source)  # fmt: skip
    return report.valid


def check_roster(source: str | Path | pd.DataFrame) -> WorklogCheck:
    """Check a roster cell by cell; return the valid rows and every problem."""
    name = "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source)
    known = known_roster_headers()
    # Columns a roster may carry besides these (office, phone …) are not its business.
    table = read_source(source, sheet=None, known=known)
    header = _find_header(table, known)
    rows: list[dict[str, Any]] = []
    problems: list[tuple[Any, ...]] = []
    seen: dict[str, tuple[str, int]] = {}
    data_rows = 0
    for record in range(header.record + 1, table.records):
        cells = table.record(record)
        if all(clean(cell) is None for cell in cells):
            continue
        data_rows += 1
        number = int(table.rows[record])
        values, found = _row(cells, header)
        rep, team = values.get("rep"), values.get("team")
        if rep is not None and team is not None and rep in seen and seen[rep][0] != team:
            found.append(("team", f"{printable(rep)} 在第 {seen[rep][1]} 行属于“{printable(seen[rep][0])}”，"
                          f"一个销售员只能有一个团队 / this rep is in another team on row "
                          f"{seen[rep][1]}: one team per rep"))
        for column, problem in found:
            position = next(p for p, c in header.mapping.items() if c == column)
            problems.append((number, column, header.text(position), shown(cells[position]),
                             problem))  # fmt: skip
        if not found and rep not in seen:
            assert rep is not None
            assert team is not None
            seen[rep] = (team, number)
            rows.append(values)
    valid = pd.DataFrame(rows, columns=list(ROSTER_COLUMNS)).astype({"rep": "str", "team": "str"})
    valid["hire_date"] = pd.to_datetime(valid["hire_date"]).astype("datetime64[us]")
    frame = pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS)).astype({"row": "int64"})
    header_row = 1 if header.record < 0 else int(table.rows[header.record])
    return WorklogCheck(name, valid, frame, data_rows, (), table.sheet, header_row, table.encoding)


def _find_header(table: Any, known: dict[str, str | None]) -> HeaderRow:
    if table.header is not None:
        best: HeaderRow | None = read_header(-1, table.header, _roster_only(table.header, known))
    else:
        best = None
        for record in range(min(table.records, HEADER_SEARCH_ROWS)):
            cells = table.record(record)
            row = read_header(record, cells, _roster_only(cells, known))
            if set(REQUIRED_ROSTER) <= set(row.mapping.values()):
                best = row
                break
            if row.mapping and (best is None or len(row.mapping) > len(best.mapping)):
                best = row
    missing = [c for c in REQUIRED_ROSTER if best is None or c not in best.mapping.values()]
    if best is None or missing:
        found = "" if best is None else "、".join(
            best.text(p) for p in range(len(best.cells)) if best.text(p))
        fail(table.name, "名单缺少列 / the roster lacks: " + ", ".join(
                 f"{ROSTER_COLUMNS[c][0]}({c})" for c in missing or REQUIRED_ROSTER),
             f"名单要有 销售员、团队 两列（可再加 入职日期），每个销售员一行；sales_teams.csv 的 "
             f"sales_agent、manager 也认识。文件里的表头 / headers found: {found or '(无)'}。/ A "
             "roster needs a rep and a team column (销售员, 团队; or sales_agent, manager), one "
             "row per rep.", sheet=table.sheet)  # fmt: skip
    assert best is not None
    return best


def _roster_only(cells: list[Any], known: dict[str, str | None]) -> dict[str, str | None]:
    """Accept the known headers, and mark every other header of the row to ignore (no error)."""
    others = {normalise_header(c): None for c in cells if normalise_header(c)}
    return {**others, **known}


def _row(cells: list[Any], header: HeaderRow) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {"hire_date": None}
    found: list[tuple[str, str]] = []
    for position, column in header.mapping.items():
        cell = clean(cells[position]) if position < len(cells) else None
        if isinstance(cell, Marker):
            found.append((column, cell.problem))
        elif cell is None:
            if column in REQUIRED_ROSTER:
                label = ROSTER_COLUMNS[column][0]
                found.append((column, f"{label}不能为空 / {column} is required"))
        elif column == "hire_date":
            try:
                values[column] = _hire_date(cell)
            except (ValueError, TypeError, OverflowError):
                found.append((column, "入职日期不是有效日期，写成 2024-03-01 / not a valid date"))
        else:
            values[column] = printable(to_text(cell))
    return values, found


def _hire_date(cell: Any) -> date:
    return _to_date(cell)
