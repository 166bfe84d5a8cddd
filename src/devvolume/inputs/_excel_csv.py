r"""CSV files an instructor opens in Excel, WPS or LibreOffice: Chinese that shows, and no formula.

Every CSV file devvolume writes for people (a report folder's ``summary.csv`` and
``problems.csv``, the class tables, a batch's evidence) goes through :func:`write_csv`, so they
all follow the same rules:

- **UTF-8 with a BOM** and CRLF line ends: Excel on Chinese Windows reads the file as UTF-8 only
  when it starts with a BOM, and shows GBK mojibake otherwise.
- **No cell can start a formula.** Names and values come from people's files (a team named
  ``=HYPERLINK("http://x/","c")`` or ``+cmd|' /C calc'!A0``). A text cell whose first character
  after leading blanks is ``=``, ``+``, ``-`` or ``@``, or which starts with a tab or a carriage
  return, gets a leading ``'``, as OWASP's "CSV injection" page recommends: the spreadsheet then
  shows the text, with the quote, and runs nothing. The csv module quotes what needs quoting.
- **Numbers stay numbers**: an ``int`` or ``float`` (numpy's too) is written as it is, so ``-3``
  and ``-0.25`` arrive as numbers a spreadsheet can sum, and so does text that is exactly a
  plain number (``"-100"``, a cell value shown as it was typed): neither can run anything.
- **Control characters are shown, not kept**: terminal escape codes, line breaks, and the
  invisible characters that reorder text (``\u202e`` makes ``abc\u202etxt.exe`` look like it
  ends in ``.txt``) appear as ``\n``, ``\u202e``, … (:func:`~devvolume.inputs._errors.printable`).
- Missing values (``None``, NaN, ``pd.NA``, NaT) are empty cells.

The file is written through a temporary file in the same folder and renamed into place, so a
reader never sees half of it and an interrupted or failed write leaves the old file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import numbers
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume.inputs._errors import printable

#: First characters (after leading blanks) that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
#: Characters that start a formula-like cell even before any trimming (OWASP: tab, CR).
RAW_STARTS = ("\t", "\r")
#: What is put in front of a cell that would start a formula.
NEUTRALISER = "'"
# A cell a spreadsheet may read as a formula: blanks it may trim (any Unicode space, a BOM, a
# zero-width space), then a formula's first character.
_FORMULA = re.compile(r"[\s\ufeff\u200b]*[" + re.escape("".join(FORMULA_STARTS)) + "]")
#: Text that is exactly a plain number: a spreadsheet reads it as that number, nothing else.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    r"""Return a value as it is safe to write into a CSV cell for a spreadsheet.

    Examples
    --------
    >>> [csv_cell(v) for v in ["=1+1", " @SUM(A1)", "\t=1+2", "-2+3", "-2", -2, 0.5, None]]
    ["'=1+1", "' @SUM(A1)", "'\\t=1+2", "'-2+3", '-2', -2, 0.5, '']
    >>> csv_cell("abc\u202etxt.exe"), csv_cell("华东一组")
    ('abc\\u202etxt.exe', '华东一组')
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Number):
        if isinstance(value, numbers.Real) and math.isnan(float(value)):
            return ""
        return value
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    raw = str(value)
    text = printable(raw)
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    if raw.startswith(RAW_STARTS) or _FORMULA.match(raw):
        return NEUTRALISER + text
    return text


def csv_text(table: pd.DataFrame | Iterable[Mapping[str, Any] | Sequence[Any]],
             columns: Sequence[str] | None = None) -> str:  # fmt: skip
    r"""Return a table as CSV text for a spreadsheet: a BOM, a header row, CRLF line ends.

    Parameters
    ----------
    table : pandas.DataFrame, or rows
        A DataFrame, or rows that are mappings (looked up by column; a missing key is an empty
        cell) or sequences (in column order).
    columns : sequence of str, optional
        The header row; for a DataFrame, its columns by default (and the columns kept).

    Examples
    --------
    >>> text = csv_text([{"name": "=1+1", "won": 3}, {"name": "张三"}], ["name", "won"])
    >>> text.startswith("\ufeff"), text.lstrip("\ufeff").splitlines()
    (True, ['name,won', "'=1+1,3", '张三,'])
    """
    if isinstance(table, pd.DataFrame):
        header = list(table.columns if columns is None else columns)
        rows: Iterable[Sequence[Any]] = table[header].itertuples(index=False, name=None)
    else:
        if columns is None:
            msg = "csv_text needs columns= for rows that are not a DataFrame"
            raise TypeError(msg)
        header = list(columns)
        rows = ([row.get(column) for column in header] if isinstance(row, Mapping) else row
                for row in table)  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def write_csv(path: str | os.PathLike[str],
              table: pd.DataFrame | Iterable[Mapping[str, Any] | Sequence[Any]],
              columns: Sequence[str] | None = None) -> Path:  # fmt: skip
    """Write a table as a CSV file for a spreadsheet (see :func:`csv_text`); return its path.

    The file is replaced whole: written to a temporary file beside it, flushed to disk, then
    renamed over it. On any error (a full disk, no permission) the temporary file is removed,
    the old file is left as it was, and the ``OSError`` is raised.
    """
    target = Path(path)
    data = csv_text(table, columns).encode("utf-8")
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
