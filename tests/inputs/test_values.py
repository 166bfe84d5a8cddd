"""Plausible values only: dates in a window, unambiguous amounts, full-width digits, safe text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from worklog_files import make_workbook

import devvolume as dv
from devvolume.cli import main
from devvolume.core._schema import MAX_AMOUNT
from devvolume.inputs._distinct import _read_cells, blank_flags, read_distinct
from devvolume.inputs._errors import printable

WINDOW = (dt.date(2000, 1, 1), dt.date(2027, 12, 31))


def one_row(**cells: object) -> pd.DataFrame:
    row = {"date": "2026-01-05", "rep": "A", "team": "T", "customer": "C", "stage": "won"}
    row.update(cells)
    return pd.DataFrame({k: [v] for k, v in row.items()}, dtype=object)


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["9999-12-31", "0026-01-05", "1999-12-31", "2200-01-01",
                                  dt.date(1, 1, 1), dt.datetime(9999, 12, 31)])
def test_implausible_dates_are_row_problems(cell: object) -> None:
    report = dv.check_worklog(one_row(date=cell))
    assert report.bad_rows == [2]
    assert "outside the plausible range 2000-01-01" in report.problems["problem"].iloc[0]


def test_the_window_is_configurable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = one_row(date="1998-06-30")
    assert not dv.check_worklog(raw).ok
    log = dv.read_worklog(raw, date_window=("1990-01-01", None))
    assert log["date"].iloc[0] == pd.Timestamp("1998-06-30")
    report = dv.check_worklog(one_row(date="2026-05-01"), date_window=(None, dt.date(2026, 4, 30)))
    assert "2026-04-30" in report.problems["problem"].iloc[0]
    with pytest.raises(dv.WorklogError, match="not a date"):
        dv.check_worklog(raw, date_window=("soon", None))
    with pytest.raises(dv.WorklogError, match="starts after it ends"):
        dv.check_worklog(raw, date_window=("2026-01-01", "2025-01-01"))
    path = tmp_path / "old.csv"
    path.write_text("日期,销售员,团队,客户,阶段\n1998-06-30,A,T,C,成交\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--date-window", "1990-01-01:"]) == 0
    assert "1998-06-30 ~ 1998-06-30" in capsys.readouterr().out


def test_a_date_far_out_never_reaches_the_metrics(tmp_path: Path) -> None:
    """The issue's case: 30 rows, one in year 9999, gave 2 million weekly rows downstream."""
    rows = [(f"2026-01-{d:02d}", "A", "T", f"C{d}", "首次接触") for d in range(1, 30)]
    rows.append(("9999-12-31", "A", "T", "C99", "成交"))
    path = tmp_path / "far.csv"
    path.write_text("日期,销售员,团队,客户,阶段\n" + "\n".join(",".join(r) for r in rows),
                    encoding="utf-8")
    report = dv.check_worklog(path)
    assert report.bad_rows == [31]
    weekly = dv.development_volume(report.valid, level="contacted", period="W")
    assert len(weekly) <= 6


def test_full_width_dates() -> None:
    assert dv.read_worklog(one_row(date="２０２６－０１－０５"))["date"].iloc[0] == pd.Timestamp(
        "2026-01-05")


# --- amounts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["12.800,50", "12,80", "1,2345", "1.234.567", "12.800,5"])
def test_ambiguous_amounts_are_row_problems(cell: str) -> None:
    report = dv.check_worklog(one_row(amount=cell))
    assert report.bad_rows == [2]
    assert "ambiguous amount" in report.problems["problem"].iloc[0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("１２８００", 12800.0), ("１２，８００．５０", 12800.5), ("￥３０００", 3000.0),
     ("12,800", 12800.0), ("1,234,567.89", 1234567.89), ("12800.50", 12800.5),
     ("RMB 500", 500.0), ("12.800", 12.8)],
)
def test_amount_forms(cell: str, expected: float) -> None:
    assert dv.read_worklog(one_row(amount=cell))["amount"].iloc[0] == expected


def test_full_width_and_half_width_amounts_agree() -> None:
    raw = pd.concat([one_row(amount="12800"), one_row(amount="１２８００")], ignore_index=True)
    assert dv.read_worklog(raw)["amount"].tolist() == [12800.0, 12800.0]


@pytest.mark.parametrize("cell", ["abc", "1e5", "(500)", "--5"])
def test_not_a_number(cell: str) -> None:
    report = dv.check_worklog(one_row(amount=cell))
    assert "amount is not a number" in report.problems["problem"].iloc[0]


# --- labels and text ---------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "code"),
                         [("ｗｏｎ", "won"), ("首次接觸", "contacted"), ("簽約", "signed")])
def test_stage_labels_in_other_forms(label: str, code: str) -> None:
    assert dv.read_worklog(one_row(stage=label))["stage"].iloc[0] == code


def test_control_characters_are_made_visible_before_printing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = "\x1b[2J\x1b[31m成交\x1b[0m"
    path = tmp_path / "ansi.csv"
    path.write_text(f"日期,销售员,团队,客户,阶段\n2026-01-05,A,T,C\x07,{evil}\n", encoding="utf-8")
    report = dv.check_worklog(path)
    assert report.problems["value"].tolist() == ["\\x1b[2J\\x1b[31m成交\\x1b[0m"]
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(path)
    assert "\x1b" not in str(caught.value)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\\x1b[31m" in out


def test_control_characters_in_headers_and_sheet_names(tmp_path: Path) -> None:
    # Excel writes an escape character in a cell as _x001B_ in the file's XML.
    path = make_workbook(tmp_path / "evil.xlsx", sheet="日志\u202e",
                         headers=["日期", "销售员", "团队", "客户", "阶段", "_x001B_[31m备注"])
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(path)
    message = str(caught.value)
    assert "\x1b" not in message
    assert "\u202e" not in message
    assert "\\x1b[31m备注" in message


def test_printable() -> None:
    assert printable("a\tb\r\n") == "a\\tb\\r\\n"
    assert printable("\u202eabc") == "\\u202eabc"
    assert printable("恒达贸易") == "恒达贸易"


# --- the fast path reads exactly like the cell-by-cell one --------------------------------------

texts = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["", " ", "\u3000", "a  b", " a", "a ", "\ufeffa", "a\u00a0b", "\u2028",
                     "\x1c", "2026-01-05", "2026-02-30", "0026-01-05", "12800", "12800.5",
                     "12,800", "成交", "\u180e", "\x85x"]),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
    st.from_regex(r"\d{1,6}(\.\d{1,3})?", fullmatch=True),
)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(values=st.lists(texts, min_size=64, max_size=90, unique=True))
def test_vectorised_reading_equals_cell_by_cell(values: list[str]) -> None:
    values = [None, *values]
    arrow = pa.array(values, type=pa.string())
    for name in ("date", "amount", "customer"):
        fast = read_distinct(name, values, WINDOW, arrow)
        slow = _read_cells(name, values, WINDOW)
        assert fast.problems == slow.problems
        if name == "customer":
            assert fast.typed.to_pylist() == slow.typed.to_pylist()
        else:
            np.testing.assert_array_equal(fast.typed, slow.typed)
    np.testing.assert_array_equal(blank_flags(values, arrow), blank_flags(values))


# --- implausible amounts and amounts with a unit (issue 23) -------------------------------------

@pytest.mark.parametrize("cell", ["99999999999999999999999", "10000000001", 1e11, 2.0**60,
                                  "１００００００００００１"])  # fmt: skip
def test_an_amount_above_the_bound_is_a_row_problem(cell: object) -> None:
    report = dv.check_worklog(one_row(amount=cell))
    assert report.bad_rows == [2]
    assert report.problems["problem"].iloc[0].startswith("金额超过 10,000,000,000（一百亿）")
    assert "check for extra digits" in report.problems["problem"].iloc[0]
    assert dv.read_worklog(one_row(amount=str(MAX_AMOUNT)))["amount"].iloc[0] == MAX_AMOUNT


def test_the_bound_holds_on_the_vectorised_path() -> None:
    amounts = [str(1000 + n) for n in range(80)] + ["99999999999999999999999"]
    raw = pd.concat([one_row(customer=f"C{n}", amount=a) for n, a in enumerate(amounts)],
                    ignore_index=True)  # fmt: skip
    report = dv.check_worklog(raw)
    assert report.bad_rows == [len(amounts) + 1]


@pytest.mark.parametrize(("cell", "unit", "full"), [
    ("1.2万", "万", "12000"), ("1.1万元", "万", "11000"), ("¥2万", "万", "20000"),
    ("1.5亿", "亿", "150000000"), ("3k", "k", "3000"), ("3K", "K", "3000"), ("0.5w", "w", "5000"),
    ("１．２万", "万", "12000"), ("12 千", "千", "12000"),
])  # fmt: skip
def test_an_amount_with_a_unit_says_which_number_to_write(cell: str, unit: str, full: str) -> None:
    report = dv.check_worklog(one_row(amount=cell))
    problem = report.problems["problem"].iloc[0]
    assert problem == (f"金额里写了单位“{unit}”，请写完整的数字：{full} / the amount has the unit "
                       f"{unit!r}: write the full number, {full}")
    assert "ambiguous" not in problem
