"""The commitments file of a weekly meeting: what each rep promised, and whether it was done.

At the end of a weekly meeting every rep names one or two things to do in the coming week
(“谁、在哪天之前、做什么”). The meeting pack keeps them in a CSV file beside the pack
(:data:`COMMITMENTS_SUFFIX`), written Excel-safe by :func:`devvolume.inputs._excel_csv.write_csv`,
with four columns (:data:`COLUMNS`):

- ``周`` — the Monday of the week the commitment is for (``2026-12-07``);
- ``销售员`` — who promised;
- ``承诺`` — what (the manager types it in during the meeting);
- ``完成`` — left empty; next week the manager ticks it (``是`` / ``否``, or ``✓``).

The rule is simple and keeps the manager's typing safe:

1. No file yet: the pack writes one, with an empty row per rep for the coming week.
2. A file: the pack never rewrites it. It reads the rows of the week under review (last week's
   commitments, shown with their ``完成`` column to tick), and when the coming week has no rows
   yet it *appends* an empty row per rep at the end of the file, in the file's own encoding
   (Excel may have saved it as GBK). A file it cannot read or append to is left alone, and the
   pack says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume.inputs._excel_csv import csv_cell, write_csv

#: The columns of a commitments file, in order.
COLUMNS = ("周", "销售员", "承诺", "完成")
#: The file name a batch gives a team's commitments, after the pack's own name.
COMMITMENTS_SUFFIX = ".commitments.csv"
#: Encodings tried when reading a file a person may have saved from Excel.
_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class Commitments:
    """Last week's commitments, the rows for the coming week, and what was done to the file.

    ``status`` is ``"created"`` (a new file), ``"appended"`` (empty rows for the coming week
    added at the end), ``"kept"`` (the coming week already had rows: nothing written),
    ``"none"`` (no file given) or ``"unreadable"`` (the file could not be read, written or
    appended to; ``problem`` says why).
    """

    path: Path | None
    reviewed: pd.DataFrame  # 销售员, 承诺, 完成 of the week under review
    coming: pd.DataFrame  # 销售员, 承诺, 完成 of the coming week
    status: str
    problem: str = ""


def _week_text(day: dt.date) -> str:
    return day.isoformat()


def _blank(week: dt.date, reps: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"周": [_week_text(week)] * len(reps), "销售员": reps,
                         "承诺": [""] * len(reps), "完成": [""] * len(reps)})  # fmt: skip


def read_commitments(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a commitments file as text (every cell a string), and the encoding it was in.

    Raises ``ValueError`` when a column of :data:`COLUMNS` is missing, naming those present.
    """
    raw = Path(path).read_bytes()
    for encoding in _ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:  # pragma: no cover - gb18030 decodes any bytes
        msg = f"无法识别承诺表 {path} 的编码 / cannot decode {path}"
        raise ValueError(msg)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [str(column).strip() for column in frame.columns]
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        msg = (f"承诺表 {path} 缺少列：{'、'.join(missing)}；现有列：{'、'.join(frame.columns)}。\n"
               f"Hint: 第一行应为 {','.join(COLUMNS)}。")  # fmt: skip
        raise ValueError(msg)
    return frame, encoding


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"销售员": pd.Series(dtype=str), "承诺": pd.Series(dtype=str),
                         "完成": pd.Series(dtype=str)})  # fmt: skip


def _rows_of(frame: pd.DataFrame, week: dt.date) -> pd.DataFrame:
    """Keep the rows of one week (``周`` read as a date however a spreadsheet rewrote it)."""
    days = pd.to_datetime(frame["周"].astype(str).str.strip(), errors="coerce", format="mixed")
    rows = frame[days == pd.Timestamp(week)]
    return rows[["销售员", "承诺", "完成"]].reset_index(drop=True)


def _append(path: Path, rows: pd.DataFrame, encoding: str) -> None:
    """Add rows at the end of the file, in its encoding, without touching what is there."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows[list(COLUMNS)].itertuples(index=False, name=None):
        writer.writerow([csv_cell(value) for value in row])
    existing = path.read_bytes()
    lead = "" if not existing or existing.endswith((b"\n", b"\r")) else "\r\n"
    with path.open("ab") as handle:
        handle.write((lead + buffer.getvalue()).encode("gb18030" if encoding == "gb18030" else "utf-8"))


def meeting_commitments(path: str | Path | None, *, reviewed: dt.date, coming: dt.date,
                        reps: list[str]) -> Commitments:  # fmt: skip
    """Read last week's commitments and make room for the coming week's (see the module).

    Parameters
    ----------
    path : str or Path, optional
        The team's commitments file; ``None`` or ``""``: nothing is read or written.
    reviewed : date
        The Monday of the week under review: its rows are last week's commitments.
    coming : date
        The Monday of the coming week: empty rows for it are written when it has none.
    reps : list of str
        The team's reps, one empty row each.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> first = meeting_commitments(folder / "c.csv", reviewed=dt.date(2026, 12, 21),
    ...                             coming=dt.date(2026, 12, 28), reps=["A", "B"])
    >>> first.status, first.reviewed.empty, first.coming["销售员"].tolist()
    ('created', True, ['A', 'B'])
    >>> again = meeting_commitments(folder / "c.csv", reviewed=dt.date(2026, 12, 21),
    ...                             coming=dt.date(2026, 12, 28), reps=["A", "B"])
    >>> again.status
    'kept'
    """
    if not path:
        return Commitments(None, _empty(), _rows_of(_blank(coming, reps), coming), "none")
    file = Path(path)
    coming_blank = _rows_of(_blank(coming, reps), coming)
    try:
        if not file.exists():
            write_csv(file, _blank(coming, reps), list(COLUMNS))
            return Commitments(file, _empty(), coming_blank, "created")
        frame, encoding = read_commitments(file)
    except (OSError, ValueError, pd.errors.ParserError) as error:
        return Commitments(file, _empty(), coming_blank, "unreadable", str(error))
    last, ahead = _rows_of(frame, reviewed), _rows_of(frame, coming)
    if not ahead.empty:
        return Commitments(file, last, ahead, "kept")
    try:
        _append(file, _blank(coming, reps), encoding)
    except OSError as error:  # e.g. open in Excel on Windows: show last week's rows all the same
        return Commitments(file, last, coming_blank, "unreadable", str(error))
    return Commitments(file, last, coming_blank, "appended")


def ticked(value: Any) -> bool:
    """Say whether a ``完成`` cell says done (是, ✓, √, y, yes, 1, 完成, true).

    Examples
    --------
    >>> [ticked(v) for v in ["是", "✓", "yes", "", "否", "no"]]
    [True, True, True, False, False, False]
    """
    return str(value).strip().lower() in {"是", "✓", "√", "✔", "y", "yes", "1", "完成", "已完成",
                                          "true", "x", "done"}  # fmt: skip
