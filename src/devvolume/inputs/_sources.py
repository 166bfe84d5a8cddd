"""Open a work-log source: a file by what its bytes are, a Parquet file, or a DataFrame.

A file's type comes from its bytes where its name could mislead: an ``.xls`` exported by a CRM
is often tab-separated text or a web page, an ``.xlsx`` may be encrypted (an OLE container), a
zip may hold a Word document. Each case is read or refused with a message that says what the
file really is and how to save it so it can be read. Operating-system errors (a folder, no
permission) become the same kind of message. The file is only ever opened for reading.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from devvolume.inputs._columns import RawTable, encode_arrow_columns, encode_series
from devvolume.inputs._csv import read_csv
from devvolume.inputs._errors import fail, fail_os, printable
from devvolume.inputs._excel import read_excel

_KINDS = {"csv": "csv", "txt": "csv", "tsv": "csv", "xlsx": "xlsx", "xlsm": "xlsx",
          "xlsb": "xlsb", "xls": "xls", "ods": "ods", "parquet": "parquet", "pq": "parquet"}
_WORKBOOKS = {"xlsx", "xlsb", "xls", "ods"}
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_SAVE_AS = "在 Excel 或 WPS 中打开它，“另存为” .xlsx 文件。/ Open it in Excel or WPS and save it as .xlsx."


def read_source(source: Any, *, sheet: str | int | None,
                known: dict[str, str | None]) -> RawTable:
    """Read every record of a source, before any header is looked for."""
    if isinstance(source, pd.DataFrame):
        return _from_frame(source)
    if not isinstance(source, str | os.PathLike) and hasattr(source, "to_pandas"):
        return _from_frame(source.to_pandas())  # polars, pyarrow
    if not isinstance(source, str | os.PathLike):
        fail(f"<{type(source).__name__}>", "不认识的输入 / unknown source: "
             f"{printable(type(source).__name__)}",
             "给出工作日志表的文件路径（.xlsx、.csv、.parquet）或一个 DataFrame。/ Give the path of "
             "a work-log file (.xlsx, .csv, .parquet) or a DataFrame.")
    path = Path(source)
    name = str(path)
    if "\x00" in name:
        fail(name, "文件名里有不可见的空字符 / the file name holds a null character",
             "检查文件路径是怎么得到的，重新输入。/ Check where the path came from and type it again.")
    try:
        return _read_file(path, sheet, known)
    except OSError as exc:
        fail_os(name, exc)


def _read_file(path: Path, sheet: str | int | None, known: dict[str, str | None]) -> RawTable:
    name = str(path)
    if path.is_dir():
        raise IsADirectoryError(name)
    if not path.exists():
        raise FileNotFoundError(name)
    if not path.is_file():
        fail(name, "这不是普通文件（设备或管道）/ not a regular file (a device or a pipe)",
             "给出工作日志表文件的路径。/ Give the path of the work-log file.")
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in _KINDS:
        fail(name, f"不认识的文件类型 {printable(path.suffix) or '(无扩展名)'} / unknown file type",
             "请使用 .xlsx、.xls、.csv 或 .parquet 文件。/ Use an .xlsx, .xls, .csv or .parquet file.")
    with path.open("rb") as handle:
        magic = handle.read(8)
    kind = _kind(path, magic, _KINDS[suffix])
    if kind in _WORKBOOKS:
        return read_excel(path, kind, sheet, known)
    if kind == "parquet":
        return _read_parquet(path)
    return read_csv(path, path.read_bytes(), known)


def _kind(path: Path, magic: bytes, named: str) -> str:
    """Tell what the bytes are (a workbook kind, parquet or csv); refuse what cannot be read."""
    name = str(path)
    if magic.startswith(_ZIP):
        return _zip_kind(path)
    if magic.startswith(_CFB):
        if _encrypted(path):
            fail(name, "这个工作簿有密码保护（已加密），无法读取 / the workbook is password-protected "
                 "(encrypted)",
                 "在 Excel 中打开它，用“文件 → 信息 → 保护工作簿 → 用密码进行加密”删除密码后另存。/ "
                 "Open it in Excel, remove the password (File → Info → Protect Workbook) and save.")
        return "xls"
    if magic.startswith(b"PAR1"):
        return "parquet"
    if named == "parquet":
        fail(name, "这不是 Parquet 文件 / this is not a Parquet file",
             "确认文件完整，或导出为 .csv 或 .xlsx。/ Check the file, or export it as .csv or .xlsx.")
    if named in _WORKBOOKS:
        if not magic:
            fail(name, "文件是空的 / the file is empty", _SAVE_AS)
        if magic.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            fail(name, "这个文件其实是网页或 XML 表格，不是 Excel 工作簿 / the file is really a web page "
                 "or an XML table, not an Excel workbook", _SAVE_AS)
        if magic.startswith(b"%PDF"):
            fail(name, "这个文件其实是 PDF / the file is really a PDF", _SAVE_AS)
        if named != "xls" or any(sign.startswith(magic) for sign in (_CFB, *_ZIP)):
            # (a few bytes of a workbook's signature: a workbook cut short, not text)
            fail(name, "这不是有效的 Excel 工作簿：文件已损坏，或是别的文件改了扩展名 / not a valid "
                 "Excel workbook: the file is damaged, or another kind of file renamed", _SAVE_AS)
        return "csv"  # CRM exports named .xls are often tab-separated text
    return "csv"


def _zip_kind(path: Path) -> str:
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in members else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError) as exc:
        fail(name, f"这个 Excel 文件已损坏或不完整（可能没有下载完）/ the workbook is damaged or "
             f"incomplete, perhaps cut short ({type(exc).__name__})",
             "重新下载或复制这个文件；或在 Excel 中打开并另存为新的 .xlsx。/ Download or copy it "
             "again, or open it in Excel and save a fresh .xlsx.")
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if "xl/workbook.bin" in members:
        return "xlsb"
    if "xl/workbook.xml" in members:
        return "xlsx"
    others = {"word/document.xml": "Word 文档 / a Word document",
              "ppt/presentation.xml": "PowerPoint 演示文稿 / a PowerPoint file"}
    what = next((text for member, text in others.items() if member in members),
                "压缩包，不是 Excel 工作簿 / a zip archive, not an Excel workbook")
    listing = ", ".join(printable(m) for m in sorted(members)[:5]) or "(空 / empty)"
    fail(name, f"这个文件是{what}", f"文件里有 / it holds: {listing}\n{_SAVE_AS}")


def _encrypted(path: Path) -> bool:
    """Whether an OLE container holds an encrypted Office document (not an old .xls)."""
    marker = "EncryptionInfo".encode("utf-16-le")
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if marker in tail + chunk:
                return True
            tail = chunk[-len(marker):]
    return False


def _read_parquet(path: Path) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = str(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, ValueError) as exc:
        fail(name, f"无法读取这个 Parquet 文件，它已损坏或不完整 / cannot read this Parquet file: it "
             f"is damaged or incomplete ({type(exc).__name__})",
             "重新导出这个文件，或导出为 .csv。/ Export it again, or export a .csv.")
    for header, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_nested(column.type) or pa.types.is_binary(column.type):
            fail(name, f"“{printable(header)}”列的类型 {column.type} 不能作为工作日志的列 / a column "
                 f"of type {column.type} cannot be a work-log column",
                 "导出时把它转成文本、数字或日期，或删掉这一列。/ Export it as text, numbers or "
                 "dates, or drop the column.")
    try:
        columns = encode_arrow_columns(table.columns)
    except pa.ArrowException as exc:
        fail(name, f"无法读取这个 Parquet 文件的列 / cannot read the columns ({type(exc).__name__})",
             "导出时把列转成文本、数字或日期。/ Export the columns as text, numbers or dates.")
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return RawTable(name, columns, rows, "parquet", header=list(table.column_names))


def _from_frame(frame: pd.DataFrame) -> RawTable:
    columns = [encode_series(frame.iloc[:, i]) for i in range(frame.shape[1])]
    rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    return RawTable("<DataFrame>", columns, rows, "dataframe", header=list(frame.columns))
