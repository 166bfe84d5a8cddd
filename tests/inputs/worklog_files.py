"""Small work logs, built by code: good workbooks, and ways to damage them (test helpers)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADERS = ["日期", "销售员", "团队", "客户", "阶段", "金额"]
ROWS: list[tuple[Any, ...]] = [
    (dt.datetime(2026, 1, 5), "王磊", "华东一组", "恒达贸易", "首次接触", None),
    (dt.datetime(2026, 1, 9), "王磊", "华东一组", "恒达贸易", "意向", None),
    (dt.datetime(2026, 2, 3), "李娜", "华东一组", "远航科技", "成交", 12800.0),
]
DATA = Path(__file__).parent / "data"


def make_workbook(path: Path, rows: Sequence[Sequence[Any]] = ROWS, *,
                  headers: Sequence[Any] | None = HEADERS, sheet: str = "工作日志",
                  above: Sequence[Sequence[Any]] = (),
                  edit: Callable[[Any, Any], None] | None = None) -> Path:
    """Write a one-sheet workbook: optional title rows, the headers, the rows; ``edit(book, ws)``."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in above:
        ws.append(list(row))
    if headers is not None:
        ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    if edit is not None:
        edit(book, ws)
    book.save(path)
    return path


def rewrite_zip(source: Path, target: Path,
                change: dict[str, Callable[[bytes], bytes] | None] | None = None,
                add: dict[str, bytes] | None = None) -> Path:
    """Copy a zip member by member: ``change`` edits (or, with None, drops) members; ``add`` more."""
    change = change or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename in change:
                edit = change[item.filename]
                if edit is None:
                    continue
                data = edit(data)
            new.writestr(item, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def sheet_xml(path: Path, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def stale_dimension(data: bytes) -> bytes:
    """Claim the sheet ends at B2, as some exporters write it (cells after it still exist)."""
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', data)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
