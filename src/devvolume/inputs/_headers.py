"""Find the header row of a 工作日志表 and map each column to its canonical name.

The header is the first of the top rows that names every required column (日期, 销售员, 团队,
客户, 阶段, in Chinese, traditional Chinese or English), so a title row or two above it is
skipped and said so. Without one, the error lists the headers of the most promising row, the
ones expected, and how to map a header of one's own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from devvolume.core import COLUMN_LABELS, COLUMNS, REQUIRED
from devvolume.inputs._cells import SPACES, Marker, clean, to_text
from devvolume.inputs._columns import RawTable
from devvolume.inputs._errors import fail, printable

#: How many rows from the top are searched for the header row.
HEADER_SEARCH_ROWS = 20

#: Traditional-Chinese headers (Big5 files from Taiwan and Hong Kong) -> the simplified alias.
TRADITIONAL_HEADERS = {
    "銷售員": "销售员", "業務員": "业务员", "團隊": "团队", "客戶": "客户", "客戶名稱": "客户名称",
    "階段": "阶段", "來源": "来源", "活動類型": "活动类型", "金額": "金额", "備註": "备注",
    "備注": "备注", "商機": "商机", "商機編號": "商机编号",
}


def normalise_header(text: Any) -> str:
    """Put a header in the form headers are compared in: no spaces, lower case, simplified."""
    cell = clean(text)
    if cell is None or isinstance(cell, Marker):
        return ""
    key = SPACES.sub("", unicodedata.normalize("NFKC", to_text(cell))).lower()
    return TRADITIONAL_HEADERS.get(key, key)


def known_headers(name: str, extra: dict[str, str | None]) -> dict[str, str | None]:
    """Every accepted header (normalised) -> its canonical column, or None to ignore it."""
    known: dict[str, str | None] = {}
    for col in COLUMNS:
        for alias in (col.name, *col.aliases):
            known[normalise_header(alias)] = col.name
    for header, canon in extra.items():
        if canon is not None and canon not in COLUMN_LABELS:
            fail(name, f"columns= 里的 {printable(repr(canon))} 不是标准列名 / not a canonical column",
                 f"可用的列名 / canonical names: {', '.join(COLUMN_LABELS)}")
        known[normalise_header(header)] = canon
    return known


@dataclass
class HeaderRow:
    """A candidate header row and what its cells mean."""

    record: int
    cells: list[Any]
    mapping: dict[int, str] = field(default_factory=dict)
    ignored: set[int] = field(default_factory=set)
    unknown: list[int] = field(default_factory=list)
    duplicate: tuple[str, str, str] | None = None

    @property
    def complete(self) -> bool:
        """Whether every required column is named."""
        return all(c in self.mapping.values() for c in REQUIRED)

    @property
    def recognised(self) -> int:
        """How many cells are headers devvolume knows."""
        return len(self.mapping) + len(self.ignored)

    def text(self, position: int) -> str:
        """Return the header written at a position, as it may be printed."""
        cell = clean(self.cells[position]) if position < len(self.cells) else None
        return "" if cell is None or isinstance(cell, Marker) else printable(to_text(cell))


def read_header(record: int, cells: list[Any], known: dict[str, str | None]) -> HeaderRow:
    """Read one row as a header row."""
    row = HeaderRow(record, list(cells))
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells):
        key = normalise_header(cell)
        if not key:
            continue
        if key not in known:
            row.unknown.append(position)
            continue
        canon = known[key]
        if canon is None:
            row.ignored.add(position)
            continue
        if canon in seen:
            if row.duplicate is None:
                row.duplicate = (canon, row.text(seen[canon]), row.text(position))
            continue
        seen[canon] = position
        row.mapping[position] = canon
    return row


def find_header(table: RawTable, known: dict[str, str | None]) -> HeaderRow | None:
    """Find the header row: the given one, else the first complete one among the top rows.

    Without a complete one, the row with the most known headers (None if every top row is
    blank).
    """
    if table.header is not None:
        return read_header(-1, table.header, known)
    top = (table.record(i) for i in range(min(table.records, HEADER_SEARCH_ROWS)))
    return find_header_in(top, known)


def find_header_in(records: Iterable[list[Any]], known: dict[str, str | None]) -> HeaderRow | None:
    """:func:`find_header` over the top records of a table."""
    best: HeaderRow | None = None
    for record, cells in enumerate(records):
        if record >= HEADER_SEARCH_ROWS:
            break
        if all(clean(cell) is None for cell in cells):
            continue
        row = read_header(record, cells, known)
        if row.complete:
            return row
        if best is None or row.recognised > best.recognised:
            best = row
    return best


def check_header(table: RawTable, row: HeaderRow | None) -> None:
    """Fail unless the header row names every required column, and only known headers."""
    name, sheet = table.name, table.sheet
    if row is None:
        fail(name, "文件是空的，没有表头 / the file is empty: no header row",
             "第一行应是表头：日期、销售员、团队、客户、阶段……/ Row 1 must hold the headers.",
             sheet=sheet)
    number = 1 if row.record < 0 else int(table.rows[row.record])
    if row.duplicate is not None:
        canon, first, second = row.duplicate
        fail(name, f"两列都对应 {canon}：“{first}”和“{second}” / two columns map to the same field",
             "删掉或改名其中一列，或用 columns={...: None} 忽略一列。/ "
             "Remove one, or ignore it with columns={header: None}.", row=number, sheet=sheet)
    missing = [c for c in REQUIRED if c not in row.mapping.values()]
    if not missing and not row.unknown:
        return
    found = "、".join(row.text(p) for p in range(len(row.cells)) if row.text(p)) or "(无)"
    expected = "、".join(f"{c.label}({c.name})" for c in COLUMNS)
    parts = []
    if missing:
        parts.append("缺少必填列 / missing required columns: "
                     + ", ".join(f"{COLUMN_LABELS[c]}({c})" for c in missing))
    if row.unknown:
        parts.append("不认识的表头 / unknown headers: "
                     + ", ".join(row.text(p) for p in row.unknown))
    example = row.text(row.unknown[0]) if row.unknown else "业务代表"
    target = missing[0] if missing else "rep"
    where = f"第 {number} 行 / row {number}"
    lines = [*_export_hint(row), f"文件里的表头（{where}）/ headers found: {found}",
             f"可用的表头 / expected: {expected}",
             f"用 columns= 指明对应关系，例如 columns={{{example!r}: {target!r}}}；不需要的列写 None"
             f"（命令行：--column {example}={target}）。/ Map headers with columns=, e.g. "
             f"columns={{{example!r}: {target!r}}} (command line: --column {example}={target}); "
             "map a column to None to ignore it."]
    if missing and row.record >= 0:
        lines.append(f"表头应在前 {HEADER_SEARCH_ROWS} 行之内，标题行可以在它上面。/ The header "
                     f"row must be within the top {HEADER_SEARCH_ROWS} rows; title rows above it "
                     "are skipped.")
    if table.encoding and table.encoding.lower() not in {"utf-8", "utf-8-sig"}:
        lines.append(f"文件按 {table.encoding} 编码读取；如果表头是乱码，请在 Excel 中另存为“CSV UTF-8”。/ "
                     f"The file was read as {table.encoding}; if the headers look garbled, save it "
                     "as CSV UTF-8.")
    fail(name, "；".join(parts), "\n".join(lines), row=number, sheet=sheet)


def _export_hint(row: HeaderRow) -> list[str]:
    """Say so when the headers are a CRM export's: it is imported, not read as a work log."""
    from devvolume.inputs._presets import detect  # the presets build on this module

    preset = detect([row.text(p) for p in range(len(row.cells))])
    if preset is None:
        return []
    return [f"这是 {preset} 格式的 CRM 商机导出，不是工作日志表：先导入它，例如 devvolume import 文件 "
            f"--from {preset} --roster 名单.csv --out 工作日志.xlsx；validate、report、course 也可以直接加 "
            f"--from {preset}（和 --roster）。/ This is a {preset} CRM opportunity export, not a "
            f"work log: import it (devvolume import FILE --from {preset} --roster ROSTER --out "
            f"worklog.xlsx), or give validate, report and course --from {preset} (and --roster); "
            "in Python, dv.import_crm()."]
