"""Damaged and odd workbooks: each gives a clear WorklogError or is read right, never a crash.

Every file is small and made here by code (the encrypted, .xls and .ods ones by
``data/make_files.py``, checked in).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from worklog_files import (
    DATA,
    HEADERS,
    ROWS,
    digest,
    make_workbook,
    rewrite_zip,
    sheet_xml,
    stale_dimension,
)

import devvolume as dv


@pytest.fixture
def good_workbook(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "工作日志.xlsx")


def error_of(path: Path, **options: object) -> dv.WorklogError:
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(path, **options)
    return caught.value


# --- containers --------------------------------------------------------------------------------

def test_truncated_workbook(good_workbook: Path, tmp_path: Path) -> None:
    data = good_workbook.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    error = error_of(path)
    assert "damaged or incomplete" in str(error)
    assert "不完整" in str(error)
    assert str(path) in str(error)


def test_zip_holding_a_word_document(good_workbook: Path, tmp_path: Path) -> None:
    path = rewrite_zip(good_workbook, tmp_path / "report.xlsx", change={"xl/workbook.xml": None},
                       add={"word/document.xml": b"<document/>"})
    assert "Word" in str(error_of(path))


def test_zip_without_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jpg", b"\xff\xd8")
    error = str(error_of(path))
    assert "zip archive, not an Excel workbook" in error
    assert "a.jpg" in error


def test_workbook_missing_its_sheet_part(good_workbook: Path, tmp_path: Path) -> None:
    path = rewrite_zip(good_workbook, tmp_path / "gone.xlsx",
                       change={"xl/worksheets/sheet1.xml": None})
    error = error_of(path)
    assert "damaged" in str(error)
    assert error.sheet == "工作日志"


def test_sheet_with_broken_xml(good_workbook: Path, tmp_path: Path) -> None:
    path = rewrite_zip(good_workbook, tmp_path / "broken.xlsx",
                       change={"xl/worksheets/sheet1.xml": lambda d: d[: len(d) // 2]})
    error = str(error_of(path))
    assert "工作表“工作日志”已损坏" in error
    assert "sheet is damaged" in error


def test_corrupted_compressed_member(good_workbook: Path, tmp_path: Path) -> None:
    data = bytearray(good_workbook.read_bytes())
    with zipfile.ZipFile(good_workbook) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0xFF
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    assert "damaged" in str(error_of(path))


def test_encrypted_workbook() -> None:
    error = str(error_of(DATA / "encrypted.xlsx"))
    assert "password-protected" in error
    assert "密码" in error


def test_ole_container_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "damaged" in str(error_of(path))


@pytest.mark.parametrize("name", ["worklog.xls", "worklog.ods"])
def test_xls_and_ods_are_read(name: str) -> None:
    report = dv.check_worklog(DATA / name)
    assert report.ok
    assert report.sheet == "工作日志"
    assert report.valid["stage"].tolist() == ["contacted", "qualified", "won"]
    assert report.valid["date"].iloc[0] == pd.Timestamp("2026-01-05")


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"<html><table><tr><td>x</td></tr></table></html>", "web page"),
     (b"<?xml version='1.0'?><Workbook/>", "XML table"),
     (b"%PDF-1.4", "PDF"),
     (b"", "empty")],
)
def test_xls_that_is_something_else(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    assert match in str(error_of(path))


def test_xls_that_is_tab_separated_text(tmp_path: Path) -> None:
    """CRM exports named .xls are often tab-separated text: read them as such."""
    path = tmp_path / "crm.xls"
    path.write_bytes("日期\t销售员\t团队\t客户\t阶段\n2026-01-05\t王磊\t一组\t恒达\t成交\n"
                     .encode("gbk"))
    log = dv.read_worklog(path)
    assert log["customer"].tolist() == ["恒达"]


def test_text_named_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_text("日期,销售员\n", encoding="utf-8")
    assert "not a valid Excel workbook" in str(error_of(path))


# --- sheets ------------------------------------------------------------------------------------

def test_chartsheet_and_hidden_cover_first(tmp_path: Path) -> None:
    def cover_and_chart(book: Any, ws: Any) -> None:
        from openpyxl.chart import BarChart

        chart = book.create_chartsheet("图表", 0)
        chart.add_chart(BarChart())
        cover = book.create_sheet("封面", 0)
        cover["A1"] = "2026 年华东区工作日志"
        cover.sheet_state = "hidden"

    path = make_workbook(tmp_path / "cover.xlsx", edit=cover_and_chart)
    report = dv.check_worklog(path)
    assert report.sheet == "工作日志"
    assert report.ok
    assert len(report.valid) == 3
    with pytest.raises(dv.WorklogError, match="chart"):
        dv.read_worklog(path, sheet="图表")
    with pytest.raises(dv.WorklogError, match="chart"):
        dv.read_worklog(path, sheet=1)


def test_several_sheets_with_headers_are_listed(tmp_path: Path) -> None:
    def two_months(book: Any, ws: Any) -> None:
        second = book.create_sheet("二月")
        for row in [HEADERS, *ROWS]:
            second.append(list(row))
        book.create_sheet("说明")["A1"] = "填写说明"

    path = make_workbook(tmp_path / "months.xlsx", sheet="一月", edit=two_months)
    error = str(error_of(path))
    assert "2 个工作表都有工作日志的表头：一月、二月" in error
    assert "--sheet" in error
    assert "说明" in error
    assert dv.check_worklog(path, sheet="二月").sheet == "二月"
    assert dv.check_worklog(path, sheet=1).sheet == "二月"


def test_no_sheet_with_headers_lists_the_sheets(tmp_path: Path) -> None:
    def summary(book: Any, ws: Any) -> None:
        book.create_sheet("汇总")["A1"] = "月份"

    path = make_workbook(tmp_path / "no_log.xlsx", headers=["月份", "销售额"], rows=[("一月", 3)],
                         edit=summary)
    error = str(error_of(path))
    assert "no sheet holds the work-log headers" in error
    assert "工作日志、汇总" in error


def test_the_one_hidden_log_sheet_is_read(tmp_path: Path) -> None:
    def hide(book: Any, ws: Any) -> None:
        book.create_sheet("封面", 0)["A1"] = "封面"
        ws.sheet_state = "hidden"

    report = dv.check_worklog(make_workbook(tmp_path / "hidden.xlsx", edit=hide))
    assert report.sheet == "工作日志"
    assert len(report.valid) == 3


def test_unknown_sheet_lists_the_sheets(good_workbook: Path) -> None:
    error = str(error_of(good_workbook, sheet="Sheet9"))
    assert "Sheet9" in error
    assert "sheets: 工作日志" in error
    assert "no sheet number 4" in str(error_of(good_workbook, sheet=4))


def test_close_sheet_gets_the_header_error_not_the_sheet_list(tmp_path: Path) -> None:
    """A log sheet with one odd header: the error is about that header, with columns=."""
    def guide(book: Any, ws: Any) -> None:
        book.create_sheet("说明")["A1"] = "说明"

    headers = ["日期", "业务代表", "团队", "客户", "阶段", "金额"]
    path = make_workbook(tmp_path / "rep.xlsx", headers=headers, edit=guide)
    error = str(error_of(path))
    assert "columns={'业务代表': 'rep'}" in error
    assert "工作表 / sheet: 工作日志" in error


# --- cells -------------------------------------------------------------------------------------

def test_stale_dimension_tag_loses_no_row(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "many.xlsx", ROWS * 40)
    stale = rewrite_zip(path, tmp_path / "stale.xlsx",
                        change={"xl/worksheets/sheet1.xml": stale_dimension})
    assert b'<dimension ref="A1:B2"/>' in sheet_xml(stale)
    report = dv.check_worklog(stale)
    assert report.ok
    assert report.rows_read == 120
    assert set(report.valid.columns) >= {"amount"}
    assert report.valid["amount"].notna().sum() == 40


def test_merged_cells_are_named(tmp_path: Path) -> None:
    def merge(book: Any, ws: Any) -> None:
        ws["C3"] = None
        ws["C4"] = None
        ws.merge_cells("C2:C4")

    report = dv.check_worklog(make_workbook(tmp_path / "merged.xlsx", edit=merge))
    assert report.bad_rows == [3, 4]
    assert set(report.problems["column"]) == {"team"}
    assert report.problems["problem"].str.contains("merged cells C2:C4").all()
    assert report.problems["problem"].str.contains("合并单元格 C2:C4").all()


def test_merged_header_cell_is_named(tmp_path: Path) -> None:
    def merge(book: Any, ws: Any) -> None:
        ws.insert_cols(5)
        ws.merge_cells("D1:E1")
        ws["E2"] = "恒达贸易（杭州）"

    report = dv.check_worklog(make_workbook(tmp_path / "merged_header.xlsx", edit=merge))
    assert report.bad_rows == [2]
    problem = report.problems["problem"].iloc[0]
    assert "column E has no header" in problem
    assert "D1:E1" in problem


def test_title_row_above_the_header(tmp_path: Path) -> None:
    def merge_title(book: Any, ws: Any) -> None:
        ws.merge_cells("A1:F1")

    path = make_workbook(tmp_path / "title.xlsx", above=[["2026 年 1 月 华东一组 工作日志"], []],
                         edit=merge_title)
    report = dv.check_worklog(path)
    assert report.ok
    assert report.header_row == 3
    assert len(report.valid) == 3
    bad = make_workbook(tmp_path / "title_bad.xlsx", above=[["华东一组工作日志"]],
                        rows=[(dt.datetime(2026, 2, 2), "王磊", "一组", "恒达", "也许", None)])
    assert dv.check_worklog(bad).bad_rows == [3]  # the row number as Excel shows it


def test_header_too_far_down_is_named(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "deep.xlsx", above=[[f"说明 {i}"] for i in range(25)])
    error = str(error_of(path))
    assert "within the top 20 rows" in error
    assert "title rows above it are skipped" in error


def test_formulas_without_saved_results(tmp_path: Path) -> None:
    def formulas(book: Any, ws: Any) -> None:
        ws["F3"] = "=1/0"
        ws["C4"] = '=UPPER("x")'

    report = dv.check_worklog(make_workbook(tmp_path / "formulas.xlsx", edit=formulas))
    assert report.bad_rows == [3, 4]
    assert report.problems["value"].tolist() == ["=1/0", '=UPPER("x")']
    assert report.problems["problem"].str.contains("formula saved without its result").all()


def test_last_row_of_only_unsaved_formulas_is_not_lost(tmp_path: Path) -> None:
    # Found by the fuzz suite: calamine sees such a row as empty, past the end of the sheet.
    def formula_row(book: Any, ws: Any) -> None:
        ws.append([None, None, None, None, "=0"])

    report = dv.check_worklog(make_workbook(tmp_path / "last.xlsx", edit=formula_row))
    last = report.rows_read + 1  # the header is row 1
    assert last in report.bad_rows
    assert "=0" in report.problems["value"].tolist()


def test_excel_error_values(good_workbook: Path, tmp_path: Path) -> None:
    def error_cell(data: bytes) -> bytes:
        # F3 holds a cached #DIV/0! as Excel saves it.
        return re.sub(rb'<c r="F3".*?</c>', b'<c r="F3" t="e"><f>1/0</f><v>#DIV/0!</v></c>', data)

    base = make_workbook(tmp_path / "base.xlsx",
                         rows=[*ROWS[:1], (*ROWS[1][:5], 1.0), ROWS[2]])
    path = rewrite_zip(base, tmp_path / "errors.xlsx",
                       change={"xl/worksheets/sheet1.xml": error_cell})
    report = dv.check_worklog(path)
    assert report.bad_rows == [3]
    assert report.problems["value"].tolist() == ["#DIV/0!"]
    assert "Excel error #DIV/0!" in report.problems["problem"].iloc[0]


def test_workbook_is_never_modified(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "keep.xlsx", above=[["标题"]])
    before = digest(path)
    dv.check_worklog(path)
    assert digest(path) == before
