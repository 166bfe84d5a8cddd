"""The one CSV writer for spreadsheets: no cell starts a formula, numbers stay numbers, BOM, CRLF.

Every CSV file an instructor opens goes through it (summary.csv, problems.csv, the class tables,
evidence); tests/e2e/test_csv_office.py opens what they write in LibreOffice.
"""

from __future__ import annotations

import csv
import errno
import io
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devvolume.inputs._errors import HIDDEN_CHARACTERS
from devvolume.inputs._excel_csv import FORMULA_STARTS, NEUTRALISER, csv_cell, csv_text, write_csv

#: Cells that start a formula in Excel, WPS or LibreOffice, as people's names and values might.
DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1+2", "\r=1+2", " =1+1",
             "\u3000=1+1", "\u2000@A1", '=HYPERLINK("http://x/","c")', "-", "+", "=", "@"]


def read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_would_start_a_formula_gets_a_quote(value: str) -> None:
    cell = csv_cell(value)
    assert cell.startswith(NEUTRALISER)
    (row,) = read(csv_text([[value]], ["name"]))[1:]
    assert row == [cell]


def test_the_text_still_reads_right() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("\t=1+2") == "'\\t=1+2"  # the tab is shown, not kept
    assert csv_cell("华东一组") == "华东一组"
    assert csv_cell("a-b=c") == "a-b=c"  # only the first character matters


@pytest.mark.parametrize("value", [-3, -0.25, 0, 12800.5, np.int64(-2), np.float64(-1.5),
                                   "-100", "+5", "-1.5e3"])  # fmt: skip
def test_numbers_stay_numbers(value: object) -> None:
    assert csv_cell(value) == value
    assert read(csv_text([[value]], ["n"]))[1] == [str(value)]


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_are_empty_cells(value: object) -> None:
    assert csv_cell(value) == ""


def test_hidden_characters_are_shown() -> None:
    assert csv_cell("abc\u202etxt.exe") == "abc\\u202etxt.exe"
    assert csv_cell("恒达\x1b[31m贸易\n") == "恒达\\x1b[31m贸易\\n"


def test_a_frame_and_rows_give_the_same_file() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "张三"], "won": [3, None], "rate": [-0.25, 0.5]})
    rows = [{"name": "=1+1", "won": 3, "rate": -0.25}, {"name": "张三", "rate": 0.5}]
    text = csv_text(frame)
    assert text == csv_text(rows, ["name", "won", "rate"]).replace(",3,", ",3.0,")
    assert text.startswith("\ufeffname,won,rate\r\n")
    assert read(text)[1:] == [["'=1+1", "3.0", "-0.25"], ["张三", "", "0.5"]]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(tmp_path / "summary.csv", [["old"]], ["name"])
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_csv(path, [["new"]], ["name"])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.one_of(st.text(), st.sampled_from(DANGEROUS).flatmap(
    lambda start: st.text().map(lambda rest: start + rest))))
def test_no_text_starts_a_formula(value: str) -> None:
    cell = csv_cell(value)
    assert isinstance(cell, str)
    assert not re.search(f"[{HIDDEN_CHARACTERS}]", cell)
    if cell.startswith(NEUTRALISER):
        return
    first = cell.lstrip().lstrip("\ufeff\u200b").lstrip()[:1]
    assert first not in FORMULA_STARTS or _is_number(cell)


def _is_number(text: str) -> bool:
    try:
        return text == text.strip() and math.isfinite(float(text))
    except ValueError:
        return False
