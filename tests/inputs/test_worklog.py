"""The loaders: every rule with a hand-made case, and a fuzz of the row accounting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import devvolume as dv
from devvolume.core import CANONICAL

CHINESE_CSV = (
    "日期,业务员,团队,客户名称,阶段,金额\n"
    "2026/1/5,王磊,华东一组,恒达贸易,首次接触,\n"
    "2026/1/9,王磊,华东一组,恒达贸易,意向,\n"
    "2026/2/3,李娜,华东一组,远航科技,成交,\"12,800\"\n"
)
ENGLISH_CSV = (
    "date,rep,team,customer,stage,amount\n"
    "2026-01-05,王磊,华东一组,恒达贸易,contacted,\n"
    "2026-01-09,王磊,华东一组,恒达贸易,qualified,\n"
    "2026-02-03,李娜,华东一组,远航科技,won,12800\n"
)
FOUR_BAD_ROWS = ENGLISH_CSV + (
    "2026-02-30,王磊,华东一组,C3,contacted,\n"     # row 5: no such date
    "2026-02-01,王磊,华东一组,,contacted,\n"        # row 6: empty customer
    "2026-02-01,王磊,华东一组,C5,maybe,\n"          # row 7: unknown stage
    "2026-02-01,王磊,华东一组,C6,won,-5\n"          # row 8: negative amount
    "2026-02-02,李娜,华东一组,C7,意向,\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_gbk_chinese_headers_equal_english_utf8_twin(tmp_path: Path) -> None:
    chinese = dv.read_worklog(write(tmp_path, "gbk.csv", CHINESE_CSV, "gbk"))
    english = dv.read_worklog(write(tmp_path, "en.csv", ENGLISH_CSV))
    pd.testing.assert_frame_equal(chinese, english)
    assert list(chinese.columns) == list(CANONICAL)
    assert chinese["stage"].tolist() == ["contacted", "qualified", "won"]
    assert chinese["date"].tolist() == [pd.Timestamp(d) for d in
                                        ("2026-01-05", "2026-01-09", "2026-02-03")]
    assert chinese["amount"].iloc[2] == 12800.0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    log = dv.read_worklog(write(tmp_path, "log.csv", CHINESE_CSV, encoding))
    assert log["rep"].tolist() == ["王磊", "王磊", "李娜"]


def test_four_bad_rows_are_all_named(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", FOUR_BAD_ROWS)
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(path)
    message = str(caught.value)
    assert str(path) in message
    for row in (5, 6, 7, 8):
        assert f"第 {row} 行" in message
        assert f"row {row}" in message
    assert "Hint" in message
    assert "提示" in message
    problems = caught.value.problems
    assert problems[["row", "column"]].values.tolist() == [
        [5, "date"], [6, "customer"], [7, "stage"], [8, "amount"]]


def test_check_keeps_exactly_the_other_rows(tmp_path: Path) -> None:
    report = dv.check_worklog(write(tmp_path, "bad.csv", FOUR_BAD_ROWS))
    assert report.rows_read == 8
    assert report.bad_rows == [5, 6, 7, 8]
    assert report.valid["customer"].tolist() == ["恒达贸易", "恒达贸易", "远航科技", "C7"]
    assert len(report.valid) + len(report.bad_rows) == report.rows_read


def test_every_problem_in_one_row_is_listed() -> None:
    raw = pd.DataFrame({"date": ["x"], "rep": [""], "team": ["T"], "customer": ["C"],
                        "stage": ["?"], "amount": ["abc"]})
    report = dv.check_worklog(raw)
    assert sorted(report.problems["column"]) == ["amount", "date", "rep", "stage"]
    assert set(report.problems["row"]) == {2}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-01-05", "2026-01-05"),
        ("2026/1/5", "2026-01-05"),
        ("2026年1月5日", "2026-01-05"),
        ("2026.1.5", "2026-01-05"),
        ("2026-01-05 14:30", "2026-01-05"),
        (46027, "2026-01-05"),                      # an Excel serial number
        ("46027", "2026-01-05"),
        (dt.datetime(2026, 1, 5, 9, 30), "2026-01-05"),
        (dt.date(2026, 1, 5), "2026-01-05"),
        (pd.Timestamp("2026-01-05"), "2026-01-05"),
    ],
)
def test_date_forms(cell: object, expected: str) -> None:
    raw = pd.DataFrame({"date": [cell], "rep": ["A"], "team": ["T"], "customer": ["C"],
                        "stage": ["contacted"]})
    assert dv.read_worklog(raw)["date"].iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize("cell", ["2026-02-30", "2026-13-01", "5/1/2026", "昨天", 12, True])
def test_bad_dates_are_problems(cell: object) -> None:
    raw = pd.DataFrame({"date": [cell], "rep": ["A"], "team": ["T"], "customer": ["C"],
                        "stage": ["contacted"]})
    report = dv.check_worklog(raw)
    assert report.problems[["row", "column"]].values.tolist() == [[2, "date"]]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("12,800", 12800.0), ("12，800.50", 12800.5), ("¥3000", 3000.0), ("3000元", 3000.0),
     (1500, 1500.0), ("", None), (None, None)],
)
def test_amount_forms(cell: object, expected: float | None) -> None:
    raw = pd.DataFrame({"date": ["2026-01-05"], "rep": ["A"], "team": ["T"], "customer": ["C"],
                        "stage": ["won"], "amount": [cell]})
    amount = dv.read_worklog(raw)["amount"].iloc[0]
    assert (pd.isna(amount) and expected is None) or amount == expected


@pytest.mark.parametrize(
    ("label", "code"),
    [("首次接触", "contacted"), ("意向", "qualified"), ("签约", "signed"), ("成交", "won"),
     ("流失", "lost"), ("Won", "won"), (" signed ", "signed"), ("LOST", "lost")],
)
def test_stage_labels(label: str, code: str) -> None:
    raw = pd.DataFrame({"日期": ["2026-01-05"], "销售员": ["A"], "团队": ["T"], "客户": ["C"],
                        "阶段": [label]})
    assert dv.read_worklog(raw)["stage"].iloc[0] == code


def test_headers_with_spaces_and_aliases() -> None:
    raw = pd.DataFrame({" 日期 ": ["2026-01-05"], "业务员\u3000": ["A"], "团队": ["T"],
                        "客户名称": ["C"], "阶段": ["成交"], "来源": ["转介绍"],
                        "活动类型": ["拜访"], "备注": ["老客户介绍"]})
    log = dv.read_worklog(raw)
    assert log.loc[0, ["rep", "channel", "activity", "note"]].tolist() == [
        "A", "转介绍", "拜访", "老客户介绍"]


def test_columns_mapping_and_ignoring() -> None:
    raw = pd.DataFrame({"日期": ["2026-01-05"], "业务代表": ["A"], "团队": ["T"],
                        "客户": ["C"], "阶段": ["成交"], "序号": [1]})
    log = dv.read_worklog(raw, columns={"业务代表": "rep", "序号": None})
    assert log["rep"].iloc[0] == "A"


def test_unknown_header_lists_found_and_expected() -> None:
    raw = pd.DataFrame({"日期": ["2026-01-05"], "业务代表": ["A"], "团队": ["T"],
                        "客户": ["C"], "阶段": ["成交"]})
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(raw)
    message = str(caught.value)
    assert "业务代表" in message                      # the unknown header
    assert "销售员(rep)" in message                   # the missing column and the names expected
    assert "日期、业务代表、团队、客户、阶段" in message  # the headers found
    assert "columns={'业务代表': 'rep'}" in message


def test_duplicate_meaning_is_an_error() -> None:
    raw = pd.DataFrame({"日期": ["2026-01-05"], "销售员": ["A"], "业务员": ["B"], "团队": ["T"],
                        "客户": ["C"], "阶段": ["成交"]})
    with pytest.raises(dv.WorklogError, match="两列都对应 rep"):
        dv.read_worklog(raw)


def test_blank_rows_are_reported_not_counted(tmp_path: Path) -> None:
    text = ENGLISH_CSV.replace("2026-01-09", ",,,,,\n2026-01-09") + ",,,,,\n"
    report = dv.check_worklog(write(tmp_path, "blank.csv", text))
    assert report.rows_read == 3
    assert report.blank_rows == (3, 6)
    assert report.ok


def test_extra_cells_are_a_problem_for_that_row(tmp_path: Path) -> None:
    text = ENGLISH_CSV + "2026-02-04,李娜,华东一组,远航科技,won,1,oops\n"
    report = dv.check_worklog(write(tmp_path, "extra.csv", text))
    assert report.bad_rows == [5]


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.csv", b"", "空"),
        ("old.xls", b"\xd0\xcf\x11\xe0", ".xls"),
        ("broken.xlsx", b"not a zip", "Excel"),
        ("log.pdf", b"%PDF", "文件类型"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(dv.WorklogError, match=match):
        dv.read_worklog(path)


def test_missing_file() -> None:
    with pytest.raises(dv.WorklogError, match="找不到文件"):
        dv.read_worklog("no/such/file.xlsx")


def test_source_file_is_not_modified(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", FOUR_BAD_ROWS, "gbk")
    before = path.read_bytes()
    dv.check_worklog(path)
    assert path.read_bytes() == before


def test_dataframe_input_is_not_mutated() -> None:
    raw = pd.DataFrame({"日期": ["2026/1/5"], "销售员": [" A "], "团队": ["T"], "客户": ["C"],
                        "阶段": ["成交"]})
    copy = raw.copy()
    dv.read_worklog(raw)
    pd.testing.assert_frame_equal(raw, copy)


def test_error_message_lists_twenty_rows_then_a_count() -> None:
    raw = pd.DataFrame({"date": ["bad"] * 25, "rep": ["A"] * 25, "team": ["T"] * 25,
                        "customer": ["C"] * 25, "stage": ["won"] * 25})
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(raw)
    message = str(caught.value)
    assert "第 21 行" in message
    assert "第 22 行" not in message
    assert "另有 5 行" in message


# --- fuzz: the only exception is WorklogError, and the rows always add up ----------------------

cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["2026-01-05", "2026/1/5", "2026年1月5日", "2026-02-30", "成交", "won",
                     "lost", "-1", "1,000", "", " ", "\u3000", "nan", "None", '"', "\n"]),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1)),
)
HEADERS = ["日期", "销售员", "团队", "客户", "阶段", "金额", "渠道", "活动类型", "备注"]


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cells, min_size=5, max_size=9), max_size=12))
def test_fuzz_dataframe(rows: list[list[object]]) -> None:
    width = max((len(r) for r in rows), default=5)
    grid = [r + [None] * (width - len(r)) for r in rows]
    raw = pd.DataFrame(grid, columns=HEADERS[:width], dtype=object)
    try:
        report = dv.check_worklog(raw)
    except dv.WorklogError:
        return
    assert len(report.valid) + len(report.bad_rows) == report.rows_read
    assert report.rows_read + len(report.blank_rows) == len(raw)


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(st.text(max_size=8), min_size=0, max_size=9), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1", "cp949"]),
    header=st.booleans(),
    junk=st.binary(max_size=20),
)
def test_fuzz_files(tmp_path: Path, rows: list[list[str]], encoding: str, header: bool,
                    junk: bytes) -> None:
    lines = ([",".join(HEADERS[:6])] if header else []) + [",".join(r) for r in rows]
    try:
        data = "\n".join(lines).encode(encoding)
    except UnicodeEncodeError:
        data = "\n".join(lines).encode("utf-8", "replace")
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data + junk)
    try:
        report = dv.check_worklog(path)
    except dv.WorklogError:
        return
    assert len(report.valid) + len(report.bad_rows) == report.rows_read
