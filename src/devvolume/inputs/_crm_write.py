"""Write an imported work log (``.xlsx``, ``.csv``, ``.parquet``) and its import summary beside it.

The work log is written with the headers and stage labels a manager knows (日期, 销售员 …,
首次接触 …, and 商机), so it opens in Excel and loads back with
:func:`~devvolume.read_worklog`. An ``.xlsx`` also gets a second sheet, 导入说明, with the
import's summary. A name from the export that would start a formula (an account called
``=HYPERLINK(…)``) stays text: an ``.xlsx`` cell of type text, a ``.csv`` cell with a leading
``'`` as in every CSV devvolume writes (:mod:`devvolume.inputs._excel_csv`). A sheet holds at
most :data:`EXCEL_MAX_ROWS` rows: a larger log is refused as ``.xlsx`` with the advice to write
``.csv`` or ``.parquet``. A file is never overwritten without ``force``, the export itself never,
and each file is written beside its target and renamed, so a failure never leaves half a file
under the name.

Beside the log goes ``<file name>.import.json`` (:func:`summary_path`; the whole name, so a
``.csv`` and an ``.xlsx`` of the same name keep their own): the
:class:`~devvolume.inputs.ImportSummary` and the log file's SHA-256. A later reader (a report,
a lesson) gets the summary back with :func:`read_import_summary` and can say how many deals were
left out and why ("另有 1,088 个没有客户名的商机未计入") without the export. If the log was
changed after the import, its digest no longer matches and no summary is given: the counts would
no longer describe it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume.core import COLUMN_LABELS, STAGE_LABELS
from devvolume.inputs._crm import import_crm
from devvolume.inputs._crm_summary import CrmImport, ImportSummary
from devvolume.inputs._excel_csv import csv_text
from devvolume.inputs._mapping import CrmMapping

#: Rows an Excel sheet holds, the header row included.
EXCEL_MAX_ROWS = 1_048_576
#: The formats an imported work log is written in.
OUTPUT_SUFFIXES = (".xlsx", ".csv", ".parquet")
SUMMARY_SUFFIX = ".import.json"
SUMMARY_VERSION = 1
#: Where ``report`` and ``course`` keep an export's imported work log in their output folder.
IMPORT_FOLDER = ".devvolume-import"
LOG_SHEET, SUMMARY_SHEET = "工作日志", "导入说明"


def summary_path(worklog: str | Path) -> Path:
    """Return where the import summary of a work log is kept: beside it, named after it.

    Examples
    --------
    >>> summary_path("out/工作日志.xlsx").name
    '工作日志.xlsx.import.json'
    """
    path = Path(worklog)
    return path.with_name(path.name + SUMMARY_SUFFIX)


def write_import(export: str | os.PathLike[str], out: str | os.PathLike[str], *,
                 crm: str = "auto", roster: str | os.PathLike[str] | None = None,
                 mapping: str | os.PathLike[str] | CrmMapping | None = None,
                 sheet: str | int | None = None, force: bool = False) -> CrmImport:  # fmt: skip
    """Import a CRM export and write the work log to ``out``, with its summary beside it.

    The library function behind ``devvolume import``; the options are those of
    :func:`~devvolume.inputs.import_crm`.

    Parameters
    ----------
    export : str or Path
        The CRM export.
    out : str or Path
        The work log to write: ``.xlsx``, ``.csv`` (UTF-8 with a BOM, for Excel) or ``.parquet``.
    force : bool
        Overwrite ``out`` (and its summary) if they exist.

    Returns
    -------
    CrmImport

    Raises
    ------
    WorklogError
        For an export, mapping or roster that needs fixing.
    FileExistsError
        If ``out`` or its summary exists and ``force`` is false.
    ValueError
        For an output type other than ``.xlsx``, ``.csv``, ``.parquet``, ``out`` being the export
        itself, or more rows than an Excel sheet holds.
    """
    target = _check_target(Path(out), Path(export), force=force)
    result = import_crm(export, crm=crm, roster=roster, mapping=mapping, sheet=sheet)
    save_worklog(result, target)
    return result


def _check_target(target: Path, export: Path, *, force: bool) -> Path:
    if target.suffix.lower() not in OUTPUT_SUFFIXES:
        msg = (f"--out 要以 .xlsx、.csv 或 .parquet 结尾：{target}\n--out must end in .xlsx, .csv or "
               ".parquet.\n提示 / Hint: 例如 --out 工作日志.xlsx / e.g. --out worklog.xlsx")
        raise ValueError(msg)
    if export.exists() and target.exists() and target.resolve() == export.resolve():
        msg = (f"--out 就是导出文件本身，不能覆盖它：{target}\n--out is the export itself; it is never "
               "overwritten.\n提示 / Hint: 换一个文件名 / choose another file name.")
        raise ValueError(msg)
    for path in (target, summary_path(target)):
        if path.is_dir():
            msg = (f"这是一个文件夹，不能写成文件：{path}\nThis is a folder, not a file.\n"
                   "提示 / Hint: 在路径后面加上文件名，如 工作日志.xlsx / add a file name.")
            raise IsADirectoryError(msg)
        if path.exists() and not force:
            msg = (f"文件已存在，没有覆盖：{path}\nThe file exists and was not overwritten.\n"
                   "提示 / Hint: 换一个文件名，或加 --force 覆盖 / choose another name or add --force.")
            raise FileExistsError(msg)
    return target


def save_worklog(result: CrmImport, path: str | Path) -> Path:
    """Write an import's work log to ``path`` (``.xlsx``/``.csv``/``.parquet``) and its summary."""
    target = Path(path)
    suffix = target.suffix.lower()
    rows = len(result.worklog)
    if suffix == ".xlsx" and rows + 1 > EXCEL_MAX_ROWS:
        msg = (f"工作日志有 {rows:,} 行，超过 Excel 一个工作表能放的 {EXCEL_MAX_ROWS - 1:,} 行，不能写成 .xlsx。\n"
               f"The work log has {rows:,} rows, more than an Excel sheet holds "
               f"({EXCEL_MAX_ROWS - 1:,}).\n提示 / Hint: 写成 .csv 或 .parquet，例如 --out "
               f"{target.with_suffix('.csv').name}；devvolume 的各个命令都能直接读它们 / write .csv or "
               ".parquet instead; every devvolume command reads them.")
        raise ValueError(msg)
    shown = _shown(result.worklog)
    writers: dict[str, Callable[[Path], object]] = {
        ".xlsx": lambda temp: _write_xlsx(shown, result.summary, temp),
        ".csv": lambda temp: temp.write_bytes(csv_text(_dated(shown)).encode("utf-8")),
        ".parquet": lambda temp: _dated(shown).to_parquet(temp, index=False),
    }
    write_atomic(target, writers[suffix])
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    record = {"version": SUMMARY_VERSION, "worklog": target.name, "sha256": digest,
              "summary": result.summary.to_dict()}  # fmt: skip
    text = json.dumps(record, ensure_ascii=False, indent=1)
    write_atomic(summary_path(target), lambda temp: temp.write_text(text, encoding="utf-8"))
    return target


def read_import_summary(worklog: str | Path) -> ImportSummary | None:
    """Return the import summary saved beside an imported work log, if it still describes it.

    None when there is no summary, it cannot be read, or the log changed since the import
    (its SHA-256 differs).

    Examples
    --------
    >>> read_import_summary("no-such-log.xlsx") is None
    True
    """
    path = Path(worklog)
    try:
        record = json.loads(summary_path(path).read_text(encoding="utf-8"))
        if record.get("version") != SUMMARY_VERSION or record.get("worklog") != path.name:
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != record.get("sha256"):
            return None
        return ImportSummary.from_dict(record["summary"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def import_into(folder: str | os.PathLike[str], export: str | os.PathLike[str], *, crm: str = "auto",
                roster: str | os.PathLike[str] | None = None,
                mapping: str | os.PathLike[str] | CrmMapping | None = None) -> tuple[Path, CrmImport]:  # fmt: skip
    """Import an export into ``folder/.devvolume-import/`` for a batch (``report``, ``course``).

    The work log is written as Parquet (the same bytes for the same export, so a rerun finds
    its reports unchanged), with its summary beside it, replacing an earlier import of the same
    export: these files are devvolume's own.
    """
    result = import_crm(export, crm=crm, roster=roster, mapping=mapping)
    target = Path(folder) / IMPORT_FOLDER / f"{Path(export).stem}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    return save_worklog(result, target), result


def _shown(log: pd.DataFrame) -> pd.DataFrame:
    """Show the log as a manager reads it: Chinese headers and stage labels."""
    shown = log.assign(stage=log["stage"].map(STAGE_LABELS))
    return shown.rename(columns=COLUMN_LABELS)


def _dated(shown: pd.DataFrame) -> pd.DataFrame:
    """Return the log with its dates as days (a CSV cell ``2017-01-05``, a Parquet date column)."""
    return shown.assign(**{COLUMN_LABELS["date"]: shown[COLUMN_LABELS["date"]].dt.date})


def _text_cell(sheet: Any, value: object) -> object:
    """Return a cell value for openpyxl: text that starts with ``=`` is kept as text, never a formula.

    openpyxl stores any string starting with ``=`` as a formula, so an account named
    ``=HYPERLINK(…)`` in a CRM export would become a live link in the work log.
    """
    from openpyxl.cell import WriteOnlyCell

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _write_xlsx(shown: pd.DataFrame, summary: ImportSummary, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(LOG_SHEET)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (12, 16, 16, 26, 10, 10, 10, 12, 18, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for name in shown.columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    date_column = shown.columns.get_loc(COLUMN_LABELS["date"])
    for values in shown.itertuples(index=False, name=None):
        row: list[object] = [_text_cell(sheet, v) for v in values]
        day = WriteOnlyCell(sheet, value=values[date_column].to_pydatetime())
        day.number_format = "yyyy-mm-dd"
        row[date_column] = day
        sheet.append(row)
    notes = book.create_sheet(SUMMARY_SHEET)
    notes.column_dimensions["A"].width = 110
    for line in [*summary.lines(), "", *summary.notice("zh")]:
        notes.append([line])
    book.save(path)


def write_atomic(target: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file beside ``target``, then rename it into place.

    The writer creates the temporary file itself, so it gets the permissions any new file of
    the user's gets (a ``mkstemp`` file would be private to its owner).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.stem}-{secrets.token_hex(6)}{target.suffix}")
    try:
        write(temp)
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
