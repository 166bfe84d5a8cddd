"""CSV and text files: encodings detected or refused, delimiters, title rows, both readers agree."""

from __future__ import annotations

from pathlib import Path

import pytest

import devvolume as dv
from devvolume.inputs import _csv

SIMPLIFIED = ("日期,销售员,团队,客户名称,阶段,金额\n"
              "2026/1/5,王磊,华东一组,恒达贸易,首次接触,\n"
              "2026/2/3,李娜,华东一组,远航科技,成交,\"12,800\"\n")
TRADITIONAL = ("日期,銷售員,團隊,客戶名稱,階段,金額\n"
               "2026/1/5,王大明,台北一組,宏達貿易有限公司,首次接觸,\n"
               "2026/2/3,陳美玲,台北一組,遠航科技股份有限公司,成交,12800\n")


def write(tmp_path: Path, text: str, encoding: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_big5_is_detected_and_read(tmp_path: Path) -> None:
    report = dv.check_worklog(write(tmp_path, TRADITIONAL, "cp950"))
    assert report.ok
    assert report.encoding == "Big5"
    assert report.valid["rep"].tolist() == ["王大明", "陳美玲"]
    assert report.valid["customer"].iloc[0] == "宏達貿易有限公司"
    assert report.valid["stage"].tolist() == ["contacted", "won"]


def test_big5_with_english_headers_is_detected(tmp_path: Path) -> None:
    text = TRADITIONAL.replace("日期,銷售員,團隊,客戶名稱,階段,金額",
                               "date,rep,team,customer,stage,amount")
    report = dv.check_worklog(write(tmp_path, text * 3, "cp950"))
    assert report.encoding == "Big5"
    assert report.valid["team"].iloc[0] == "台北一組"


def test_gbk_is_read_as_gbk(tmp_path: Path) -> None:
    report = dv.check_worklog(write(tmp_path, SIMPLIFIED, "gbk"))
    assert report.encoding == "GBK/GB18030"
    assert report.valid["customer"].tolist() == ["恒达贸易", "远航科技"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("日付,担当者,チーム,顧客,段階\n2026/1/5,山田太郎,東京,株式会社トヨタ,接触\n", "shift_jis"),
     ("date,rep,team,customer,stage\n2026-01-05,José,Équipe,Café Olé,contacted\n", "cp1252")],
)
def test_other_encodings_are_refused_clearly(tmp_path: Path, text: str, encoding: str) -> None:
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(write(tmp_path, text, encoding))
    message = str(caught.value)
    assert "unknown text encoding" in message
    assert "CSV UTF-8" in message


def test_garbled_headers_say_which_encoding_was_used(tmp_path: Path) -> None:
    """EUC-KR bytes look like GBK text; the header error says how the file was read."""
    text = "날짜,영업사원,팀,고객,단계\n2026/1/5,김철수,서울,삼성전자,접촉\n"
    with pytest.raises(dv.WorklogError) as caught:
        dv.read_worklog(write(tmp_path, text, "cp949"))
    assert "read as GBK/GB18030" in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    text = SIMPLIFIED.replace('"12,800"', "12800").replace(",", "\t")
    report = dv.check_worklog(write(tmp_path, text, encoding))
    assert report.encoding == "UTF-16"
    assert len(report.valid) == 2


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(dv.WorklogError, match=r"not a text file|unknown text encoding"):
        dv.read_worklog(path)


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    text = SIMPLIFIED.replace('"12,800"', "12800").replace(",", delimiter)
    assert len(dv.read_worklog(write(tmp_path, text, "utf-8"))) == 2


def test_title_rows_in_a_csv(tmp_path: Path) -> None:
    text = "2026 年 1 月工作日志,,,,,\n,,,,,\n" + SIMPLIFIED
    report = dv.check_worklog(write(tmp_path, text, "utf-8-sig"))
    assert report.header_row == 3
    assert report.rows_read == 2
    assert report.blank_rows == ()


def test_extra_cells_with_values_are_row_problems(tmp_path: Path) -> None:
    text = SIMPLIFIED + "2026/2/4,李娜,华东一组,远航科技,成交,1,oops\n2026/2/5,李娜,华东一组,远航科技,成交,1,\n"
    report = dv.check_worklog(write(tmp_path, text, "utf-8"))
    assert report.bad_rows == [4]
    assert "column G has no header" in report.problems["problem"].iloc[0]
    assert report.problems["value"].iloc[0] == "oops"


def test_a_line_break_inside_a_cell(tmp_path: Path) -> None:
    text = SIMPLIFIED + '2026/2/4,李娜,华东一组,远航科技,成交,"1,000"\n2026/2/5,李娜,华东一组,"远航\n科技",也许,\n'
    report = dv.check_worklog(write(tmp_path, text, "utf-8"))
    assert report.bad_rows == [5]  # Excel numbers records, not lines
    assert report.problems["value"].iloc[0] == "也许"


def test_ragged_rows_take_the_python_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = SIMPLIFIED + "2026/2/4,李娜,华东一组\n"
    path = write(tmp_path, text, "utf-8")
    calls: list[object] = []
    original = _csv._read_python
    monkeypatch.setattr(_csv, "_read_python", lambda *a: calls.append(a) or original(*a))
    report = dv.check_worklog(path)
    assert calls
    assert report.bad_rows == [4]
    assert set(report.problems["column"]) == {"customer", "stage"}


def test_utf8_head_with_gbk_further_down(tmp_path: Path) -> None:
    """The first 64 KB are ASCII, a GBK name comes later: the file is read as GBK throughout."""
    filler = "".join(f"2026/1/5,Wang,T1,C{i},contacted,\n" for i in range(3000))
    text = "date,rep,team,customer,stage,amount\n" + filler + "2026/1/6,王磊,华东一组,恒达贸易,成交,\n"
    report = dv.check_worklog(write(tmp_path, text, "gbk"))
    assert report.encoding == "GBK/GB18030"
    assert report.valid["rep"].iloc[-1] == "王磊"


def test_rows_holding_only_ignored_columns_are_blank(tmp_path: Path) -> None:
    text = "序号,日期,销售员,团队,客户,阶段\n1,2026-01-05,A,T,C,成交\n2,,,,,\n3,,,,,\n"
    report = dv.check_worklog(write(tmp_path, text, "utf-8"), columns={"序号": None})
    assert report.ok
    assert report.rows_read == 1
    assert report.blank_rows == (3, 4)
