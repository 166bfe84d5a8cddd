"""Read a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) with calamine, every row of the right sheet.

calamine (Rust) reads every cell it finds, whatever a stale ``<dimension>`` tag claims, and is
tens of times faster than openpyxl. The sheet read is the one whose top rows hold the work-log
headers, unless the caller names one; chart sheets and hidden cover sheets are passed over.
Merged cells, formulas saved without their result and Excel error values (``#DIV/0!``) read as
empty cells in calamine; they are found here and marked, so each is named as the problem it is.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, NoReturn
from xml.etree import ElementTree

import numpy as np

from devvolume.inputs._cells import ErrorValue, MergedCell, Unevaluated
from devvolume.inputs._columns import RawTable, encode_grid
from devvolume.inputs._errors import fail, printable
from devvolume.inputs._headers import HEADER_SEARCH_ROWS, find_header_in

_RESAVE = ("在 Excel 或 WPS 中打开它并“另存为”新的 .xlsx 文件。/ "
           "Open it in Excel or WPS and save it as a new .xlsx file.")


def read_excel(path: Path, kind: str, sheet: str | int | None,
               known: dict[str, str | None]) -> RawTable:
    """Read the work-log sheet of a workbook; ``kind`` is what its bytes are (xlsx, xls, ods)."""
    import python_calamine as calamine

    name = str(path)
    try:
        if path.suffix.lower().lstrip(".") in _SUFFIXES[kind]:
            book = calamine.CalamineWorkbook.from_path(path)
        else:  # the name says another type; calamine then goes by the bytes
            with path.open("rb") as handle:
                book = calamine.CalamineWorkbook.from_filelike(handle)
    except OSError:
        raise
    except Exception as exc:  # calamine's errors: damaged zip or XML, a password, a bad record
        _fail_open(name, kind, exc)
    try:
        chosen, loaded = _choose_sheet(name, book, sheet, known)
        try:
            loaded = loaded or book.get_sheet_by_name(chosen)
            start = loaded.start
            columns = encode_grid(loaded.iter_rows())
            merged = loaded.merged_cell_ranges or []
        except Exception as exc:  # a damaged sheet part
            fail(name, f"工作表“{printable(chosen)}”已损坏，无法读取 / the sheet is damaged "
                 f"({type(exc).__name__})", _RESAVE, sheet=chosen)
    finally:
        book.close()
    records = len(columns[0].codes) if columns else 0
    table = RawTable(name, columns, np.arange(1, records + 1, dtype=np.int64), "excel",
                     sheet=chosen, first_column=start[1] if start else 0)
    _mark_merged(table, merged)
    if kind == "xlsx":
        _mark_formulas(table, path)
    table.drop_trailing_blank()
    return table


_SUFFIXES = {"xlsx": {"xlsx", "xlsm"}, "xlsb": {"xlsb"}, "xls": {"xls"}, "ods": {"ods"}}


def _fail_open(name: str, kind: str, exc: Exception) -> NoReturn:
    text = printable(str(exc))[:200]
    if type(exc).__name__ == "PasswordError" or "password" in text.lower():
        fail(name, "这个工作簿有密码保护，无法读取 / the workbook is password-protected",
             "在 Excel 中打开它，用“文件 → 信息 → 保护工作簿 → 用密码进行加密”删除密码后另存。/ "
             "Open it in Excel, remove the password (File → Info → Protect Workbook) and save.")
    what = {"xlsx": "Excel (.xlsx)", "xlsb": "Excel (.xlsb)", "xls": "Excel 97-2003 (.xls)",
            "ods": "OpenDocument (.ods)"}[kind]
    fail(name, f"无法打开这个 {what} 文件：它已损坏或不完整 / cannot open this workbook: it is "
         f"damaged or incomplete ({type(exc).__name__}: {text})", _RESAVE)


def _kind_of(meta: Any) -> str:
    return str(meta.typ).rsplit(".", 1)[-1]  # WorkSheet, ChartSheet, MacroSheet, ...


def _visible(meta: Any) -> bool:
    return str(meta.visible).rsplit(".", 1)[-1] == "Visible"


def _sheet_label(meta: Any) -> str:
    label = printable(meta.name)
    kind = _kind_of(meta)
    if kind == "ChartSheet":
        return f"{label}（图表 / chart）"
    if kind != "WorkSheet":
        return f"{label}（{kind}）"
    if not _visible(meta):
        return f"{label}（隐藏 / hidden）"
    return label


def _choose_sheet(name: str, book: Any, sheet: str | int | None,
                  known: dict[str, str | None]) -> tuple[str, Any]:
    """Choose the sheet to read; return it, and the sheet object if loaded to find it."""
    metas = list(book.sheets_metadata)
    listing = "、".join(_sheet_label(m) for m in metas) or "(无 / none)"
    if sheet is not None:
        if isinstance(sheet, bool) or not isinstance(sheet, int | str):
            fail(name, f"sheet= 应是工作表名称或序号，而不是 {printable(repr(sheet))} / sheet must "
                 "be a name or a 0-based index", f"现有工作表 / sheets: {listing}")
        if isinstance(sheet, int):
            if not 0 <= sheet < len(metas):
                fail(name, f"没有第 {sheet} 个工作表（从 0 数起）/ no sheet number {sheet} "
                     "(counted from 0)", f"现有工作表 / sheets: {listing}")
            meta = metas[sheet]
        else:
            matches = [m for m in metas if m.name == sheet]
            if not matches:
                fail(name, f"没有名为“{printable(sheet)}”的工作表 / no sheet named "
                     f"{printable(repr(sheet))}", f"现有工作表 / sheets: {listing}")
            meta = matches[0]
        if _kind_of(meta) != "WorkSheet":
            fail(name, f"“{printable(meta.name)}”是图表或宏工作表，没有数据 / it is a chart or "
                 "macro sheet, not a sheet of rows", f"现有工作表 / sheets: {listing}")
        return meta.name, None
    sheets = [m for m in metas if _kind_of(m) == "WorkSheet"]
    if not sheets:
        fail(name, "工作簿里没有数据工作表（只有图表）/ the workbook has no worksheet (charts only)",
             f"现有工作表 / sheets: {listing}")
    if len(sheets) == 1:
        return sheets[0].name, None
    found: list[tuple[Any, Any, int]] = []
    for meta in sheets:
        try:
            loaded = book.get_sheet_by_name(meta.name)
            top = loaded.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
        except Exception:  # a damaged sheet cannot be the log; keep looking
            continue
        header = find_header_in(top, known)
        if header is not None:
            found.append((meta, loaded if header.complete else None,
                          -1 if header.complete else header.recognised))
    complete = [(m, s) for m, s, score in found if score < 0]
    visible = [(m, s) for m, s in complete if _visible(m)]
    pick = visible or complete
    if len(pick) == 1:
        return pick[0][0].name, pick[0][1]
    if len(pick) > 1:
        names = "、".join(printable(m.name) for m, _ in pick)
        fail(name, f"有 {len(pick)} 个工作表都有工作日志的表头：{names} / {len(pick)} sheets hold "
             f"work-log headers: {names}",
             f"用 sheet= 指定要读的工作表，例如 sheet={pick[0][0].name!r}（命令行：--sheet "
             f"{printable(pick[0][0].name)}）。/ Choose one with sheet=NAME (command line: "
             f"--sheet NAME).\n现有工作表 / sheets: {listing}")
    # No sheet names every required column: read the closest one if it clearly is a log, so
    # the error is about its headers (with the columns= hint) rather than a list of sheets.
    scores = sorted((score for _, _, score in found if score >= 2), reverse=True)
    if scores and (len(scores) == 1 or scores[0] > scores[1]):
        return next(m.name for m, _, score in found if score == scores[0]), None
    fail(name, "没有哪个工作表有工作日志的表头（日期、销售员、团队、客户、阶段）/ no sheet holds the "
         "work-log headers (date, rep, team, customer, stage)",
         f"现有工作表 / sheets: {listing}\n把表头放在工作日志那一页的第一行，或用 sheet= 指定工作表"
         "（命令行：--sheet 名称）。/ Put the headers in the first row of the log's sheet, or "
         "name the sheet with sheet= (command line: --sheet NAME).")


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


def _mark_merged(table: RawTable, merged: list[Any]) -> None:
    """Mark every cell of a merged range but its first: Excel keeps no value there."""
    records, offset = table.records, table.first_column
    for (row0, col0), (row1, col1) in merged:
        label = f"{_ref(row0, col0)}:{_ref(row1, col1)}"
        for column in range(max(col0, offset), min(col1 + 1, offset + len(table.columns))):
            target = table.columns[column - offset]
            for row in range(row0, min(row1 + 1, records)):
                if (row, column) != (row0, col0) and target.cell(row) in ("", None):
                    target.put(row, MergedCell(_ref(row, column), label))


# --- formulas without a saved result, error values ---------------------------------------------

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ERROR = re.compile(rb'\st="e"')
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</(?:\w+:)?f>")
_CHUNK = 1 << 22
# Quick tests with a literal start (fast to search): a formula element, an error cell.
_QUICK_FORMULA = re.compile(rb"<f[\s>/]")
_QUICK_PREFIXED = re.compile(rb":f[\s>/]")
_QUICK_ERROR = re.compile(rb't="e"')


def _mark_formulas(table: RawTable, path: Path) -> None:
    """Mark formula cells saved without a result, and Excel error values, of the sheet read."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, table.sheet or "")
            if part is None:
                return
            with archive.open(part) as stream:
                marks = _scan(stream)
    except (OSError, zipfile.BadZipFile, zlib.error, KeyError, ElementTree.ParseError, EOFError,
            RuntimeError, ValueError):
        return  # calamine read the sheet; this only refines how empty cells are explained
    offset = table.first_column
    inside = [row for row, column in marks if 0 <= column - offset < len(table.columns)]
    # A last row holding only formulas without results is empty to calamine: add it back.
    table.grow(max(inside, default=-1) + 1)
    for (row, column), marker in marks.items():
        index = column - offset
        if 0 <= index < len(table.columns) and row < table.records:
            target = table.columns[index]
            if target.cell(row) in ("", None):
                target.put(row, marker)


def _scan(stream: Any) -> dict[tuple[int, int], Any]:
    marks: dict[tuple[int, int], Any] = {}
    carry = b""
    prefixed: bool | None = None
    while True:
        chunk = stream.read(_CHUNK)
        data = carry + chunk
        if chunk:
            cut = data.rfind(b"row>") + 4
            if cut < 4:
                carry = data
                continue
            block, carry = data[:cut], data[cut:]
        else:
            block, carry = data, b""
        if prefixed is None:
            prefixed = b"<sheetData" not in block and b":sheetData" in block
        formula = b"f" in block and (  # a one-byte search is far quicker than a pattern
            _QUICK_FORMULA.search(block) or (prefixed and _QUICK_PREFIXED.search(block)))
        if formula or _QUICK_ERROR.search(block):
            _scan_block(block, marks)
        if not chunk:
            return marks


def _scan_block(block: bytes, marks: dict[tuple[int, int], Any]) -> None:
    starts = {m.start() for m in _FORMULA.finditer(block)} | {
        m.start() for m in _ERROR.finditer(block)}
    seen: set[int] = set()
    for position in sorted(starts):
        begin = block.rfind(b"<c ", 0, position)
        prefixed = block.rfind(b":c ", 0, position)  # <x:c ...> in a prefixed namespace
        if prefixed > begin:
            begin = block.rfind(b"<", 0, prefixed)
        if begin < 0 or begin in seen:
            continue
        seen.add(begin)
        cell = _CELL.match(block, begin)
        ref = _REF.search(cell.group(1)) if cell else None
        if cell is None or ref is None:
            continue
        column = 0
        for letter in ref.group(1):
            column = column * 26 + letter - 64
        where = (int(ref.group(2)) - 1, column - 1)
        kind = _TYPE.search(cell.group(1))
        inner = cell.group(2) or b""
        value = _VALUE.search(inner)
        if kind is not None and kind.group(1) == b"e":
            text = value.group(1).decode("utf-8", "replace") if value else "#N/A"
            marks[where] = ErrorValue(_ref(*where), text)
        elif _FORMULA.search(inner) and value is None:
            formula = _FORMULA_TEXT.search(inner)
            text = formula.group(1).decode("utf-8", "replace") if formula else ""
            marks[where] = Unevaluated(_ref(*where), _unescape(text)[:60])


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """Find the zip member holding a worksheet, from the sheet list and relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for element in book.iter():
        if _local(element.tag) == "sheet" and element.get("name") == sheet:
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for element in rels.iter():
        if _local(element.tag) == "Relationship" and element.get("Id") == rel_id:
            target = element.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return part if part in archive.namelist() else None
    return None


def sheet_option(source: str, text: str) -> str | int:
    """Read a command line's ``--sheet NAME|INDEX``: a sheet's name, else its 1-based position.

    A number names the sheet of that name if there is one, else the sheet at that position in
    the workbook's tabs, counted from 1 as a person counts them (0-based for ``sheet=``).
    """
    if not text.isdigit():
        return text
    try:
        import python_calamine as calamine

        names = calamine.CalamineWorkbook.from_path(source).sheet_names
    except Exception:  # not a workbook, or unreadable: the loader will say which
        return text
    if text in names or not 1 <= int(text) <= len(names):
        return text
    return int(text) - 1
