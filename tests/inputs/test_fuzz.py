"""Fuzz: generated and damaged CSV and .xlsx files give rows that add up, or a WorklogError.

Any other exception fails, and so does a row-accounting mismatch (valid + bad = rows read; a
blank row is listed, never counted; every data row is one of the three) or a source file that
changed. The CSV reader's two paths (Arrow's, and Python's ``csv`` for what Arrow declines) must
agree. Runs derandomized and without an example database, so CI runs the same cases every time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from worklog_files import HEADERS, digest

import devvolume as dv
from devvolume.core import CANONICAL
from devvolume.inputs import _csv

FUZZ = settings(max_examples=70, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

ALL_HEADERS = [*HEADERS, "渠道", "活动类型", "备注"]
WORDS = ["2026-01-05", "2026/1/5", "2026年1月5日", "2026-02-30", "9999-12-31", "0026-01-05",
         "成交", "won", "首次接触", "簽約", "lost", "-1", "1,000", "12.800,50", "１２８００", "",
         " ", "\u3000", "nan", "None", '"', "\n", "\x1b[31m", "=1+1", "46027"]
text_cells = st.one_of(st.text(max_size=8), st.sampled_from(WORDS))
sheet_text = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=8)
sheet_cells = st.one_of(
    st.none(), sheet_text, st.sampled_from([w for w in WORDS if w.isprintable()]),
    st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
)


def check_accounts(report: dv.WorklogCheck, records: int | None = None) -> None:
    """The rows add up; ``records``: data records after the header, if known."""
    bad = set(report.bad_rows)
    assert len(report.valid) + len(bad) == report.rows_read
    assert bad.isdisjoint(report.blank_rows)
    assert all(row > report.header_row for row in bad | set(report.blank_rows))
    assert list(report.valid.columns) == list(CANONICAL)
    if records is not None:
        assert report.rows_read + len(report.blank_rows) == records


def load(path: Path) -> dv.WorklogCheck | None:
    before = digest(path)
    try:
        report = dv.check_worklog(path)
    except dv.WorklogError as exc:
        event(f"refused: {str(exc).splitlines()[0][:40]}")
        report = None
    else:
        event("read")
    assert digest(path) == before, "the source file was modified"
    return report


def python_path_only() -> Any:
    """Make the CSV reader decline Arrow, as it does for ragged files."""
    original = _csv._read_arrow
    _csv._read_arrow = lambda *args: None  # type: ignore[assignment]
    return original


# --- CSV ---------------------------------------------------------------------------------------

@FUZZ
@given(
    rows=st.lists(st.lists(text_cells, min_size=0, max_size=9), max_size=10),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "cp950", "latin-1",
                              "cp949", "shift_jis"]),
    header=st.booleans(), title=st.booleans(), delimiter=st.sampled_from([",", "\t", ";"]),
    junk=st.binary(max_size=20),
)
def test_fuzz_csv(tmp_path: Path, rows: list[list[str]], encoding: str, header: bool, title: bool,
                  delimiter: str, junk: bytes) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    top = ([["2026 年工作日志"]] if title else []) + ([ALL_HEADERS[:6]] if header else [])
    writer.writerows(top + rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data + junk)
    report = load(path)
    if report is None:
        return
    records = None
    if not junk and encoding in {"utf-8", "utf-8-sig"} and header:
        records = len(list(csv.reader(io.StringIO(buffer.getvalue(), newline=""),
                                      delimiter=delimiter))) - report.header_row
    check_accounts(report, records)
    original = python_path_only()
    try:
        slow = dv.check_worklog(path)
    finally:
        _csv._read_arrow = original  # type: ignore[assignment]
    pd.testing.assert_frame_equal(report.valid, slow.valid)
    pd.testing.assert_frame_equal(report.problems, slow.problems)
    assert (report.rows_read, report.blank_rows) == (slow.rows_read, slow.blank_rows)


# --- .xlsx -------------------------------------------------------------------------------------

def workbook_bytes(rows: list[list[Any]], title: bool, merge: bool, cover: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "工作日志"
    if title:
        sheet.append(["华东一组工作日志"])
    sheet.append(ALL_HEADERS)
    for row in rows:
        sheet.append(row)
    if merge and len(rows) > 1:
        sheet.merge_cells(start_row=2 + title, start_column=3, end_row=2 + title + 1,
                          end_column=3)
    if cover:
        extra = book.create_sheet("封面", 0)
        extra["A1"] = "封面"
        extra.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


damage = st.one_of(
    st.tuples(st.just("none"), st.just(0), st.just(b"")),
    st.tuples(st.just("truncate"), st.integers(0, 10**5), st.just(b"")),
    st.tuples(st.just("flip"), st.integers(0, 10**5), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("member"), st.integers(0, 20), st.binary(max_size=40)),
    st.tuples(st.just("drop"), st.integers(0, 20), st.just(b"")),
    st.tuples(st.just("dimension"), st.just(0), st.just(b"")),
    st.tuples(st.just("formula"), st.integers(0, 20), st.just(b"")),
)


def damaged(data: bytes, how: tuple[str, int, bytes]) -> bytes:
    kind, where, junk = how
    if kind == "truncate":
        return data[: where % max(len(data), 1)]
    if kind == "flip":
        at = where % max(len(data) - len(junk), 1)
        return data[:at] + junk + data[at + len(junk):]
    if kind == "none":
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for index, name in enumerate(names):
            content = source.read(name)
            chosen = index == where % len(names)
            if chosen and kind == "drop":
                continue
            if chosen and kind == "member":
                content = junk
            if kind == "dimension" and name.startswith("xl/worksheets/"):
                content = content.replace(b'<dimension ref="', b'<dimension ref="A1:A1" x="')
            if kind == "formula" and name.startswith("xl/worksheets/"):
                content = content.replace(b"<v>", b"<f>1/0</f><v>", 1).replace(
                    b't="n"', b't="e"', where % 3)
            out.writestr(name, content)
    return target.getvalue()


@FUZZ
@given(rows=st.lists(st.lists(sheet_cells, min_size=5, max_size=9), max_size=8),
       title=st.booleans(), merge=st.booleans(), cover=st.booleans(), how=damage)
def test_fuzz_workbooks(tmp_path: Path, rows: list[list[Any]], title: bool, merge: bool,
                        cover: bool, how: tuple[str, int, bytes]) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(damaged(workbook_bytes(rows, title, merge, cover), how))
    report = load(path)
    if report is None:
        return
    check_accounts(report)
    if how[0] in {"none", "dimension"} and not merge:
        # Trailing blank rows are formatting, not data; every other row is accounted for.
        filled = [i for i, row in enumerate(rows) if any(c not in (None, "") for c in row)]
        last = filled[-1] + 1 if filled else 0
        assert report.rows_read + len(report.blank_rows) <= len(rows)
        assert report.rows_read >= len([r for r in rows[:last] if any(
            isinstance(c, int | float | dt.date) or (isinstance(c, str) and c.strip()) for c in r)])
